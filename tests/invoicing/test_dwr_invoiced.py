"""A DWR becomes Invoiced when all its lines are billed, and Approved again when the
invoice that billed it is edited to drop one or deleted."""

import pytest

from jobledger.core.models import AuditEvent
from jobledger.invoicing.models import InvoicingPolicy
from jobledger.invoicing.services import invoice_delete, invoice_update, line_input
from jobledger.jobs.models import DWRLine, DWRStatus
from tests.factories import JobFactory, approved_charge, invoice_by_policy

P = InvoicingPolicy


@pytest.fixture
def dwr_with_two_lines(project_manager):
    job = JobFactory(project_manager=project_manager, customer__taxable=False)
    first = approved_charge(job, quantity="8", rate="85")
    DWRLine.objects.create(
        dwr=first.dwr, kind="materials", quantity=2, rate=10, description="Bolts"
    )
    return first.dwr


def status(dwr) -> str:
    dwr.refresh_from_db()
    return dwr.status


def test_billing_every_line_invoices_the_dwr(project_manager, dwr_with_two_lines):
    invoice_by_policy(actor=project_manager, job=dwr_with_two_lines.job, policy=P.PROGRESS_ITEMIZED)
    assert status(dwr_with_two_lines) == DWRStatus.INVOICED
    event = AuditEvent.objects.get(action="DWR status")
    assert (event.from_value, event.to_value) == ("Approved", "Invoiced")


def test_a_partly_billed_dwr_stays_approved(project_manager, dwr_with_two_lines):
    first = dwr_with_two_lines.lines.order_by("id").first()
    invoice_by_policy(
        actor=project_manager,
        job=dwr_with_two_lines.job,
        policy=P.PROGRESS_ITEMIZED,
        charge_keys={f"charge:{first.pk}"},
    )
    assert status(dwr_with_two_lines) == DWRStatus.APPROVED


def test_dropping_a_billed_line_or_deleting_the_invoice_returns_it_to_approved(
    project_manager, dwr_with_two_lines
):
    job = dwr_with_two_lines.job
    invoice = invoice_by_policy(actor=project_manager, job=job, policy=P.PROGRESS_ITEMIZED)
    kept = [line_input(line) for line in invoice.lines.order_by("position")][:1]
    invoice_update(actor=project_manager, invoice=invoice, lines=kept)
    assert status(dwr_with_two_lines) == DWRStatus.APPROVED
    invoice_by_policy(actor=project_manager, job=job, policy=P.PROGRESS_ITEMIZED)
    assert status(dwr_with_two_lines) == DWRStatus.INVOICED
    invoice_delete(actor=project_manager, invoice=invoice)
    assert status(dwr_with_two_lines) == DWRStatus.APPROVED


def test_a_correction_leaves_the_dwr_invoiced(project_manager, dwr_with_two_lines):
    job = dwr_with_two_lines.job
    billed = invoice_by_policy(actor=project_manager, job=job, policy=P.PROGRESS_ITEMIZED)
    invoice_by_policy(actor=project_manager, job=job, policy=P.CORRECTION, corrects=billed)
    assert status(dwr_with_two_lines) == DWRStatus.INVOICED
