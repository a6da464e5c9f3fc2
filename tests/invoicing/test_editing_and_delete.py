"""Editing and deleting invoices, and the accounting reference."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.invoicing.models import Invoice, InvoiceLine, InvoicingPolicy, Stage
from jobledger.invoicing.services import (
    invoice_delete,
    invoice_mark_paid,
    invoice_post,
    invoice_process,
    invoice_set_accounting_reference,
    invoice_submit,
    invoice_update,
)
from jobledger.jobs.models import Job, JobStatus
from tests.factories import (
    CustomerFactory,
    approve_simple_distribution,
    labor_line,
    make_admin_invoice,
    make_invoice,
)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def draft(project_manager, job) -> Invoice:
    return make_invoice(actor=project_manager, job=job)


@pytest.fixture
def in_review(project_manager, draft) -> Invoice:
    return invoice_submit(actor=project_manager, invoice=draft)


@pytest.fixture
def admin_invoice(project_manager, job) -> Invoice:
    return make_admin_invoice(actor=project_manager, job=job)


@pytest.fixture
def processed(administrator, admin_invoice) -> Invoice:
    return invoice_process(actor=administrator, invoice=admin_invoice)


# Editing


def test_administrator_edits_admin_invoice_and_totals_follow(administrator, admin_invoice) -> None:
    invoice_update(
        actor=administrator,
        invoice=admin_invoice,
        lines=[labor_line(hours="9"), labor_line(hours="1", rate="40.00", taxable=True)],
        freight=Decimal("12.50"),
    )

    admin_invoice.refresh_from_db()
    assert [line.amount for line in admin_invoice.lines.all()] == [
        Decimal("765.00"),
        Decimal("40.00"),
    ]
    assert admin_invoice.subtotal == Decimal("805.00")
    assert admin_invoice.tax_amount == Decimal("3.30")  # 8.25 % of 40.00
    assert admin_invoice.total == Decimal("820.80")
    assert admin_invoice.stage == Stage.ADMIN
    event = events_for(admin_invoice).get(action="invoice changed")
    assert (event.actor, event.from_value, event.to_value) == (administrator, "680.00", "820.80")


@pytest.mark.parametrize("stage_fixture", ["draft", "in_review"])
def test_manager_edits_own_invoice_before_it_reaches_the_office(
    request, project_manager, stage_fixture
) -> None:
    invoice = request.getfixturevalue(stage_fixture)

    invoice_update(actor=project_manager, invoice=invoice, notes="Phase 2 only")

    assert Invoice.objects.get(pk=invoice.pk).notes == "Phase 2 only"


def test_manager_cannot_edit_invoice_the_office_holds(
    refused, project_manager, admin_invoice
) -> None:
    with refused("is with the office now; ask an Administrator to change it.", admin_invoice):
        invoice_update(actor=project_manager, invoice=admin_invoice, notes="late change")


@pytest.mark.parametrize("paid", [False, True])
def test_edit_refused_once_processed_with_a_hint_to_uncheck_processed(
    refused, administrator, processed, paid
) -> None:
    if paid:
        invoice_mark_paid(actor=administrator, invoice=processed)

    with refused("Uncheck Processed to return it to the Admin tab before editing it.", processed):
        invoice_update(actor=administrator, invoice=processed, lines=[labor_line(hours="1")])


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("other_project_manager", "is managed by another Project Manager"),
        ("field_user", "Only Administrators or Project Managers can edit invoices."),
        ("outsider", "Only Administrators or Project Managers can edit invoices."),
    ],
)
def test_others_cannot_edit_the_invoice(refused, request, draft, user, message) -> None:
    with refused(message, draft, error=PermissionRefused):
        invoice_update(actor=request.getfixturevalue(user), invoice=draft, notes="mine now")


def test_editing_amounts_withdraws_distribution_approval(
    administrator, admin_invoice, accounts
) -> None:
    approve_simple_distribution(administrator, admin_invoice, accounts)
    assert Invoice.objects.get(pk=admin_invoice.pk).is_distribution_approved

    invoice_update(actor=administrator, invoice=admin_invoice, lines=[labor_line(hours="10")])

    admin_invoice.refresh_from_db()
    assert admin_invoice.total == Decimal("850.00")
    assert not admin_invoice.is_distribution_approved
    assert admin_invoice.distribution_approved_by is None


def test_due_date_follows_the_invoice_date(project_manager, draft) -> None:
    invoice_update(actor=project_manager, invoice=draft, invoice_date=days_ago(4))

    draft.refresh_from_db()
    assert draft.due_date == days_ago(4) + datetime.timedelta(days=30)


def test_new_bill_to_customer_brings_its_terms_and_tax(project_manager, draft) -> None:
    prompt_payer = CustomerFactory(terms_days=10, taxable=False)

    invoice_update(
        actor=project_manager,
        invoice=draft,
        customer=prompt_payer,
        lines=[labor_line(taxable=True)],
    )

    draft.refresh_from_db()
    assert (draft.customer, draft.terms_days) == (prompt_payer, 10)
    assert draft.due_date == draft.invoice_date + datetime.timedelta(days=10)
    assert (draft.tax_amount, draft.total) == (Decimal("0.00"), Decimal("680.00"))


def test_edit_cannot_backdate_beyond_the_window(refused, company, project_manager, draft) -> None:
    company.backdating_days = 7
    company.save()

    with refused(f"invoices may be dated {days_ago(7):%m/%d/%Y} or later.", draft):
        invoice_update(actor=project_manager, invoice=draft, invoice_date=days_ago(8))


def test_unchanged_old_date_does_not_block_other_edits(company, project_manager, job) -> None:
    invoice = make_invoice(actor=project_manager, job=job, invoice_date=days_ago(20))
    company.backdating_days = 5
    company.save()

    invoice_update(actor=project_manager, invoice=invoice, notes="Retainage noted")

    assert Invoice.objects.get(pk=invoice.pk).invoice_date == days_ago(20)


def test_edit_cannot_make_the_total_negative(refused, project_manager, draft) -> None:
    with refused("The invoice total cannot be negative", draft):
        invoice_update(actor=project_manager, invoice=draft, lines=[labor_line(hours="-1")])


def test_edit_cannot_remove_every_line(refused, project_manager, draft) -> None:
    with refused("An invoice needs at least one line.", draft):
        invoice_update(actor=project_manager, invoice=draft, lines=[])


# Deleting


def test_manager_deletes_own_draft(project_manager, draft) -> None:
    pk, number = draft.pk, draft.number

    invoice_delete(actor=project_manager, invoice=draft)

    assert not Invoice.objects.filter(pk=pk).exists()
    assert not InvoiceLine.objects.filter(invoice_id=pk).exists()
    event = events_for(draft).get(action="invoice deleted")
    assert (event.actor, event.subject_label) == (project_manager, f"Invoice {number}")


def test_manager_cannot_delete_after_draft(refused, project_manager, in_review) -> None:
    with refused(
        f"Only an Administrator can delete Invoice {in_review.number} once it has left Draft.",
        in_review,
    ):
        invoice_delete(actor=project_manager, invoice=in_review)


def test_manager_cannot_delete_invoice_the_office_holds(
    refused, project_manager, admin_invoice
) -> None:
    with refused("is with the office now", admin_invoice):
        invoice_delete(actor=project_manager, invoice=admin_invoice)


@pytest.mark.parametrize("stage_fixture", ["in_review", "admin_invoice", "processed"])
def test_administrator_deletes_never_exported_invoice(
    request, administrator, stage_fixture
) -> None:
    invoice = request.getfixturevalue(stage_fixture)

    invoice_delete(actor=administrator, invoice=invoice)

    assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_exported_invoice_cannot_be_deleted(refused, administrator, admin_invoice, export) -> None:
    export(admin_invoice)

    with refused(
        "has been exported to accounting and cannot be deleted; issue a Correction "
        "invoice instead.",
        admin_invoice,
    ):
        invoice_delete(actor=administrator, invoice=admin_invoice)


def test_posted_invoice_cannot_be_deleted_even_if_never_exported(
    refused, company, administrator, processed
) -> None:
    company.accounting_integration = False
    company.save()
    invoice_post(actor=administrator, invoice=processed)

    with refused("is posted and can no longer be changed", processed):
        invoice_delete(actor=administrator, invoice=processed)


def test_invoice_with_corrections_cannot_be_deleted(refused, administrator, draft, job) -> None:
    make_invoice(actor=administrator, job=job, policy=InvoicingPolicy.CORRECTION, corrects=draft)

    with refused(
        f"Invoice {draft.number} has Correction invoices against it and cannot be deleted.", draft
    ):
        invoice_delete(actor=administrator, invoice=draft)


def test_deleting_the_complete_invoice_returns_the_job_to_closed(project_manager, job) -> None:
    Job.objects.filter(pk=job.pk).update(status=JobStatus.CLOSED)
    complete = make_invoice(actor=project_manager, job=job, policy=InvoicingPolicy.COMPLETE)
    assert Job.objects.get(pk=job.pk).status == JobStatus.BILLED

    invoice_delete(actor=project_manager, invoice=complete)

    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED
    event = events_for(job).filter(action="job status").first()
    assert (event.from_value, event.to_value) == ("Billed", "Closed")
    assert str(complete.number) in event.detail


def test_deleting_a_partial_invoice_leaves_the_job_status(project_manager, job) -> None:
    Job.objects.filter(pk=job.pk).update(status=JobStatus.CLOSED)
    partial = make_invoice(actor=project_manager, job=job)

    invoice_delete(actor=project_manager, invoice=partial)

    assert Job.objects.get(pk=job.pk).status == JobStatus.CLOSED


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("other_project_manager", "is managed by another Project Manager"),
        ("field_user", "Only Administrators or Project Managers can delete invoices."),
    ],
)
def test_others_cannot_delete_the_invoice(refused, request, draft, user, message) -> None:
    with refused(message, draft, error=PermissionRefused):
        invoice_delete(actor=request.getfixturevalue(user), invoice=draft)


# Accounting reference


def test_administrator_records_the_accounting_reference(administrator, processed) -> None:
    invoice_set_accounting_reference(actor=administrator, invoice=processed, reference=" QB-1042 ")

    processed.refresh_from_db()
    assert processed.accounting_reference == "QB-1042"
    event = events_for(processed).first()
    assert (event.action, event.from_value, event.to_value) == (
        "accounting reference",
        "",
        "QB-1042",
    )


def test_accounting_reference_may_be_sixty_characters(administrator, processed) -> None:
    invoice_set_accounting_reference(actor=administrator, invoice=processed, reference="R" * 60)

    assert Invoice.objects.get(pk=processed.pk).accounting_reference == "R" * 60


def test_accounting_reference_longer_than_sixty_characters_refused(
    refused, administrator, processed
) -> None:
    with refused("The accounting reference can be at most 60 characters.", processed):
        invoice_set_accounting_reference(actor=administrator, invoice=processed, reference="R" * 61)


@pytest.mark.parametrize("user", ["project_manager", "field_user"])
def test_only_administrators_record_accounting_references(
    refused, request, processed, user
) -> None:
    with refused(
        "Only Administrators can record accounting references.", processed, error=PermissionRefused
    ):
        invoice_set_accounting_reference(
            actor=request.getfixturevalue(user), invoice=processed, reference="QB-1"
        )
