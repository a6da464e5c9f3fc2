"""Creating an invoice: which type a job accepts, deposits, lines, totals, dates and roles."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.invoicing.models import Invoice, InvoiceType, InvoicingPolicy, LineKind, Stage
from jobledger.invoicing.selectors import deposit_balance
from jobledger.invoicing.services import LineInput, invoice_create
from jobledger.jobs.models import DWR, ChargeKind, DWRLine, DWRStatus, Job, JobStatus
from tests.factories import JobFactory, labor_line, make_invoice

NON_CORRECTION_POLICIES = [
    policy
    for policy in InvoicingPolicy
    if policy not in (InvoicingPolicy.CORRECTION, InvoicingPolicy.CORRECTION_GROUPED)
]


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def set_status(job: Job, status: str) -> Job:
    Job.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    return job


def deposit_line(amount: str) -> LineInput:
    return LineInput(kind=LineKind.DEPOSIT, description="Deposit", rate=Decimal(amount))


def line(kind: str, quantity: str, rate: str, taxable: bool = False) -> LineInput:
    return LineInput(
        kind=kind,
        description=f"{kind} charge",
        quantity=Decimal(quantity),
        rate=Decimal(rate),
        taxable=taxable,
    )


def dwr_charge(job: Job, author, status: str = DWRStatus.APPROVED) -> DWRLine:
    dwr = DWR.objects.create(job=job, work_date=days_ago(2), author=author, status=status)
    return DWRLine.objects.create(
        dwr=dwr,
        kind=ChargeKind.LABOR,
        worker="R. Diaz",
        description="Operator",
        quantity=Decimal("8"),
        rate=Decimal("85.0000"),
    )


def billing_for(charge: DWRLine) -> LineInput:
    return LineInput(
        kind=LineKind.LABOR,
        description=charge.description,
        quantity=charge.quantity,
        rate=charge.rate,
        dwr_line=charge,
    )


# Invoice type against job status


@pytest.mark.parametrize("status", [JobStatus.OPEN, JobStatus.CLOSED])
def test_partial_invoice_allowed_on_open_and_closed_jobs(project_manager, job, status) -> None:
    set_status(job, status)

    invoice = make_invoice(actor=project_manager, job=job, policy=InvoicingPolicy.PROGRESS_SUMMARY)

    invoice.refresh_from_db()
    job.refresh_from_db()
    assert (invoice.type, invoice.stage, invoice.created_by) == (
        InvoiceType.PARTIAL,
        Stage.DRAFT,
        project_manager,
    )
    assert job.status == status
    assert events_for(invoice).get(action="invoice created").to_value == "Progress, Summary"


@pytest.mark.parametrize("policy", NON_CORRECTION_POLICIES)
def test_billed_job_refuses_every_invoice_but_a_correction(
    refused, project_manager, job, policy
) -> None:
    set_status(job, JobStatus.BILLED)

    with refused(f"Job {job.number} is billed: only Correction invoices can be added.", job):
        make_invoice(
            actor=project_manager,
            job=job,
            policy=policy,
            lines=[deposit_line("100")] if policy == InvoicingPolicy.DEPOSIT else None,
        )


@pytest.mark.parametrize("policy", [InvoicingPolicy.COMPLETE, InvoicingPolicy.COMPLETE_GROUPED])
def test_complete_invoice_refused_while_job_open(refused, project_manager, job, policy) -> None:
    with refused("is Open: close the job before issuing its Complete invoice.", job):
        make_invoice(actor=project_manager, job=job, policy=policy)


def test_complete_invoice_on_closed_job_sets_job_billed(project_manager, job) -> None:
    set_status(job, JobStatus.CLOSED)

    invoice = make_invoice(actor=project_manager, job=job, policy=InvoicingPolicy.COMPLETE)

    job.refresh_from_db()
    assert invoice.type == InvoiceType.COMPLETE
    assert job.status == JobStatus.BILLED
    event = events_for(job).get(action="job status")
    assert (event.actor, event.from_value, event.to_value) == (project_manager, "Closed", "Billed")
    assert str(invoice.number) in event.detail


def test_correction_invoice_accepted_on_billed_job_and_may_credit(project_manager, job) -> None:
    set_status(job, JobStatus.CLOSED)
    complete = make_invoice(actor=project_manager, job=job, policy=InvoicingPolicy.COMPLETE)

    correction = make_invoice(
        actor=project_manager,
        job=job,
        policy=InvoicingPolicy.CORRECTION,
        corrects=complete,
        lines=[labor_line(hours="-2")],
        freight=Decimal("-10.00"),
    )

    correction.refresh_from_db()
    assert (correction.type, correction.corrects) == (InvoiceType.CORRECTION, complete)
    assert correction.total == Decimal("-180.00")
    assert Job.objects.get(pk=job.pk).status == JobStatus.BILLED


def test_correction_must_name_the_invoice_it_corrects(refused, project_manager, job) -> None:
    with refused("A Correction invoice must name the invoice it corrects.", job):
        make_invoice(actor=project_manager, job=job, policy=InvoicingPolicy.CORRECTION)


def test_correction_of_another_jobs_invoice_refused(refused, project_manager, job) -> None:
    other_job = JobFactory(project_manager=project_manager)
    elsewhere = make_invoice(actor=project_manager, job=other_job)

    with refused(f"Invoice {elsewhere.number} belongs to another job.", job, elsewhere):
        make_invoice(
            actor=project_manager, job=job, policy=InvoicingPolicy.CORRECTION, corrects=elsewhere
        )


def test_only_a_correction_refers_to_an_earlier_invoice(refused, project_manager, job) -> None:
    earlier = make_invoice(actor=project_manager, job=job)

    with refused("Only a Correction invoice refers to an earlier invoice.", job, earlier):
        make_invoice(actor=project_manager, job=job, corrects=earlier)


def test_unknown_policy_refused(refused, project_manager, job) -> None:
    with refused("“weekly” is not an invoicing policy.", job):
        make_invoice(actor=project_manager, job=job, policy="weekly")


# Deposits


def test_deposit_invoice_holds_deposit_lines_only(refused, project_manager, job) -> None:
    with refused("A Deposit invoice holds deposit lines only.", job):
        make_invoice(
            actor=project_manager,
            job=job,
            policy=InvoicingPolicy.DEPOSIT,
            lines=[deposit_line("500"), labor_line()],
        )


def test_deposit_lines_refused_on_other_invoices(refused, project_manager, job) -> None:
    with refused("Deposit lines belong on a Deposit invoice.", job):
        make_invoice(actor=project_manager, job=job, lines=[labor_line(), deposit_line("500")])


def test_deposit_applied_cannot_exceed_remaining_deposits(refused, project_manager, job) -> None:
    make_invoice(
        actor=project_manager, job=job, policy=InvoicingPolicy.DEPOSIT, lines=[deposit_line("300")]
    )

    with refused(f"Only 300.00 of deposits remain on job {job.number} to deduct.", job):
        make_invoice(actor=project_manager, job=job, deposit_applied=Decimal("300.01"))


def test_deposit_cannot_be_applied_on_a_job_without_deposits(refused, project_manager, job) -> None:
    with refused(f"Only 0.00 of deposits remain on job {job.number} to deduct.", job):
        make_invoice(actor=project_manager, job=job, deposit_applied=Decimal("10.00"))


def test_deposits_are_deducted_across_several_invoices(refused, project_manager, job) -> None:
    make_invoice(
        actor=project_manager, job=job, policy=InvoicingPolicy.DEPOSIT, lines=[deposit_line("1000")]
    )
    first = make_invoice(actor=project_manager, job=job, deposit_applied=Decimal("600.00"))
    assert first.total == Decimal("80.00")  # 8 h at 85.00, less 600.00
    assert deposit_balance(job) == Decimal("400.00")

    with refused("Only 400.00 of deposits remain", job):
        make_invoice(actor=project_manager, job=job, deposit_applied=Decimal("500.00"))

    second = make_invoice(actor=project_manager, job=job, deposit_applied=Decimal("400.00"))
    assert second.total == Decimal("280.00")
    assert deposit_balance(job) == Decimal("0.00")

    with refused("Only 0.00 of deposits remain", job):
        make_invoice(actor=project_manager, job=job, deposit_applied=Decimal("0.01"))


def test_deposit_invoice_cannot_deduct_a_deposit(refused, project_manager, job) -> None:
    make_invoice(
        actor=project_manager, job=job, policy=InvoicingPolicy.DEPOSIT, lines=[deposit_line("500")]
    )

    with refused("A Deposit invoice cannot deduct a deposit.", job):
        make_invoice(
            actor=project_manager,
            job=job,
            policy=InvoicingPolicy.DEPOSIT,
            lines=[deposit_line("500")],
            deposit_applied=Decimal("100.00"),
        )


def test_negative_deposit_applied_refused(refused, project_manager, job) -> None:
    with refused("The deposit applied cannot be negative.", job):
        make_invoice(actor=project_manager, job=job, deposit_applied=Decimal("-5.00"))


# Amounts that only a Correction may credit


def test_negative_total_refused_for_non_corrections(refused, project_manager, job) -> None:
    with refused("The invoice total cannot be negative; issue a Correction invoice", job):
        make_invoice(actor=project_manager, job=job, lines=[labor_line(), labor_line(hours="-9")])


def test_negative_freight_refused_for_non_corrections(refused, project_manager, job) -> None:
    with refused("Freight cannot be negative; credit it with a Correction invoice.", job):
        make_invoice(actor=project_manager, job=job, freight=Decimal("-0.01"))


def test_invoice_without_lines_refused(refused, project_manager, job) -> None:
    with refused("An invoice needs at least one line.", job):
        invoice_create(
            actor=project_manager,
            job=job,
            policy=InvoicingPolicy.PROGRESS_ITEMIZED,
            invoice_date=timezone.localdate(),
            lines=[],
        )


def test_line_without_description_refused(refused, project_manager, job) -> None:
    blank = LineInput(kind=LineKind.LABOR, description="  ", rate=Decimal("85"))

    with refused("Line 2 needs a description.", job):
        make_invoice(actor=project_manager, job=job, lines=[labor_line(), blank])


# Daily work report charges


def test_dwr_charge_billed_twice_refused(refused, project_manager, field_user, job) -> None:
    charge = dwr_charge(job, field_user)
    make_invoice(actor=project_manager, job=job, lines=[billing_for(charge)])

    with refused("is already billed.", job, charge):
        make_invoice(actor=project_manager, job=job, lines=[billing_for(charge)])


def test_dwr_charge_not_yet_approved_refused(refused, project_manager, field_user, job) -> None:
    charge = dwr_charge(job, field_user, status=DWRStatus.SUBMITTED)

    with refused("is not approved yet.", job, charge):
        make_invoice(actor=project_manager, job=job, lines=[billing_for(charge)])


def test_dwr_charge_of_another_job_refused(refused, project_manager, field_user, job) -> None:
    charge = dwr_charge(JobFactory(project_manager=project_manager), field_user)

    with refused("belongs to another job.", job, charge):
        make_invoice(actor=project_manager, job=job, lines=[billing_for(charge)])


def test_correction_may_refer_to_an_already_billed_dwr_charge(
    project_manager, field_user, job
) -> None:
    charge = dwr_charge(job, field_user)
    billed = make_invoice(actor=project_manager, job=job, lines=[billing_for(charge)])

    correction = make_invoice(
        actor=project_manager,
        job=job,
        policy=InvoicingPolicy.CORRECTION,
        corrects=billed,
        lines=[billing_for(charge)],
    )

    assert correction.lines.get().dwr_line == charge


# Totals


def test_lines_are_rounded_half_up_and_totals_add_up(project_manager, job) -> None:
    make_invoice(
        actor=project_manager, job=job, policy=InvoicingPolicy.DEPOSIT, lines=[deposit_line("50")]
    )

    invoice = make_invoice(
        actor=project_manager,
        job=job,
        lines=[
            line(LineKind.LABOR, "3", "33.335", taxable=True),  # 100.005 → 100.01
            line(LineKind.MATERIALS, "1", "2.675"),  # 2.675 → 2.68, not taxed
            line(LineKind.EXPENSES, "0.5", "0.25", taxable=True),  # 0.125 → 0.13
        ],
        freight=Decimal("15.00"),
        deposit_applied=Decimal("50.00"),
    )

    invoice.refresh_from_db()
    assert [ln.amount for ln in invoice.lines.all()] == [
        Decimal("100.01"),
        Decimal("2.68"),
        Decimal("0.13"),
    ]
    assert invoice.tax_rate == Decimal("8.2500")
    assert invoice.subtotal == Decimal("102.82")
    assert invoice.tax_amount == Decimal("8.26")  # 8.25 % of the taxable 100.14 = 8.26155
    assert invoice.total == Decimal("76.08")  # 102.82 + 8.26 + 15.00 - 50.00


def test_customer_that_is_not_taxable_pays_no_tax(project_manager, job) -> None:
    job.customer.taxable = False
    job.customer.save()

    invoice = make_invoice(actor=project_manager, job=job, lines=[labor_line(taxable=True)])

    assert (invoice.tax_amount, invoice.total) == (Decimal("0.00"), Decimal("680.00"))


def test_due_date_and_terms_follow_the_customer(project_manager, job) -> None:
    job.customer.terms_days = 15
    job.customer.save()
    job.po_number = "PO-4411"
    job.save()

    invoice = make_invoice(actor=project_manager, job=job, invoice_date=days_ago(3))

    assert invoice.terms_days == 15
    assert invoice.due_date == days_ago(3) + datetime.timedelta(days=15)
    assert invoice.po_number == "PO-4411"


# Who may create


@pytest.mark.parametrize("user", ["project_manager", "administrator"])
def test_job_manager_or_administrator_creates_invoices(request, job, user) -> None:
    actor = request.getfixturevalue(user)

    invoice = make_invoice(actor=actor, job=job)

    assert Invoice.objects.get(pk=invoice.pk).created_by == actor


def test_other_project_manager_cannot_invoice_the_job(refused, other_project_manager, job) -> None:
    with refused(
        f"Job {job.number} is managed by another Project Manager.", job, error=PermissionRefused
    ):
        make_invoice(actor=other_project_manager, job=job)


@pytest.mark.parametrize("user", ["field_user", "outsider"])
def test_field_users_and_outsiders_cannot_create_invoices(refused, request, job, user) -> None:
    actor = request.getfixturevalue(user)

    with refused(
        "Only Administrators or Project Managers can create invoices.", job, error=PermissionRefused
    ):
        make_invoice(actor=actor, job=job)


# Backdating


def test_invoice_dated_before_the_backdating_window_refused(
    refused, company, project_manager, job
) -> None:
    company.backdating_days = 10
    company.save()
    earliest = days_ago(10)

    with refused(f"invoices may be dated {earliest:%m/%d/%Y} or later.", job):
        make_invoice(actor=project_manager, job=job, invoice_date=days_ago(11))


def test_invoice_dated_on_the_backdating_limit_accepted(company, project_manager, job) -> None:
    company.backdating_days = 10
    company.save()

    invoice = make_invoice(actor=project_manager, job=job, invoice_date=days_ago(10))

    assert invoice.invoice_date == days_ago(10)


@pytest.mark.parametrize("days_before_lock", [0, 1])
def test_invoice_dated_on_or_before_the_lock_date_refused(
    refused, company, project_manager, job, days_before_lock
) -> None:
    company.backdating_days = 30
    company.lock_date = days_ago(5)
    company.save()

    with refused(f"invoices may be dated {days_ago(4):%m/%d/%Y} or later.", job):
        make_invoice(actor=project_manager, job=job, invoice_date=days_ago(5 + days_before_lock))


def test_invoice_dated_the_day_after_the_lock_date_accepted(company, project_manager, job) -> None:
    company.backdating_days = 30
    company.lock_date = days_ago(5)
    company.save()

    invoice = make_invoice(actor=project_manager, job=job, invoice_date=days_ago(4))

    assert invoice.invoice_date == days_ago(4)
