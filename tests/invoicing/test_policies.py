"""The eight invoicing policies: what each generates on fixed-price and time-and-materials
jobs, deposits deducted until used up, the final invoice landing exactly on the suggested
job price, and corrections against earlier invoices."""

from decimal import Decimal

import pytest

from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.job_billing import job_billing
from jobledger.invoicing.models import Invoice, InvoiceType, InvoicingPolicy, LineKind
from jobledger.invoicing.policies import PolicyRequest, allowed_policies, generate_invoice
from jobledger.invoicing.services import LineInput
from jobledger.jobs.models import BillingType, JobStatus, RequestStatus
from jobledger.jobs.services import job_close
from tests.factories import (
    JobFactory,
    TaskFactory,
    approved_charge,
    approved_request,
    invoice_by_policy,
    make_invoice,
)

D = Decimal
P = InvoicingPolicy


@pytest.fixture
def fixed_job(project_manager):
    """A fixed-price job of 10,000.00 for a customer that pays no tax."""
    job = JobFactory(
        project_manager=project_manager,
        billing_type=BillingType.FIXED_PRICE,
        contract_price=D("10000.00"),
        customer__taxable=False,
    )
    return job


@pytest.fixture
def tm_job(project_manager):
    """A time-and-materials job with three approved charges worth 1,180.00."""
    job = JobFactory(project_manager=project_manager, customer__taxable=False)
    approved_charge(job, kind="labor", quantity="8", rate="85.00")
    approved_charge(job, kind="materials", quantity="4", rate="50.00", description="Rebar")
    approved_charge(job, kind="equipment", quantity="2", rate="150.00", description="Backhoe")
    return job


def billing(job):
    job.refresh_from_db()
    return job_billing(job)


def lines_total(invoice: Invoice) -> Decimal:
    return sum((line.amount for line in invoice.lines.all()), D("0"))


def test_the_job_status_decides_the_policies_offered():
    assert P.COMPLETE not in allowed_policies(JobStatus.OPEN)
    assert allowed_policies(JobStatus.CLOSED) == list(P)
    assert allowed_policies(JobStatus.BILLED) == [P.CORRECTION, P.CORRECTION_GROUPED]


def test_suggested_price_is_the_contract_or_the_approved_charges(fixed_job, tm_job):
    assert billing(fixed_job).suggested_price == D("10000.00")
    assert billing(tm_job).suggested_price == D("1180.00")
    labels = {label: (count, amount) for label, count, amount in billing(tm_job).charges_by_kind}
    assert labels == {
        "Labor": (1, D("680.00")),
        "Materials": (1, D("200.00")),
        "Equipment": (1, D("300.00")),
    }


def test_unapproved_charges_do_not_count_toward_the_price(tm_job):
    draft = approved_charge(tm_job, quantity="10", rate="99")
    draft.dwr.status = "submitted"
    draft.dwr.save()
    assert billing(tm_job).suggested_price == D("1180.00")


def test_deposit_by_percent_of_the_job_price(project_manager, fixed_job):
    invoice = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.DEPOSIT, percent=D("20")
    )
    assert invoice.type == InvoiceType.PARTIAL
    [line] = invoice.lines.all()
    assert (line.kind, line.amount) == (LineKind.DEPOSIT, D("2000.00"))
    assert "20% of the job price" in line.description
    after = billing(fixed_job)
    assert after.deposits_received == D("2000.00")
    assert after.invoiced_to_date == D("0")  # a deposit is deducted later, not billed work


def test_a_deposit_must_fit_in_what_remains_to_bill(project_manager, fixed_job, refused):
    with refused("more than the 10,000.00 that remains"):
        invoice_by_policy(
            actor=project_manager, job=fixed_job, policy=P.DEPOSIT, amount=D("10000.01")
        )


def test_progress_summary_bills_a_percent_and_deducts_the_deposit(project_manager, fixed_job):
    invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.DEPOSIT, amount=D("1500"))
    invoice = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, percent=D("10")
    )
    [line] = invoice.lines.all()
    assert (line.kind, line.amount) == (LineKind.FIXED_PRICE, D("1000.00"))
    assert "10.00% of" in line.description
    # The deposit comes off until it is used up: all 1,000.00 of this invoice.
    assert (invoice.deposit_applied, invoice.total) == (D("1000.00"), D("0.00"))
    second = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, amount=D("2000")
    )
    assert (second.deposit_applied, second.total) == (D("500.00"), D("1500.00"))
    third = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, amount=D("1000")
    )
    assert third.deposit_applied == D("0")
    assert billing(fixed_job).deposit_balance == D("0")


def test_progress_summary_on_time_and_materials(project_manager, tm_job):
    invoice = invoice_by_policy(
        actor=project_manager, job=tm_job, policy=P.PROGRESS_SUMMARY, amount=D("500")
    )
    [line] = invoice.lines.all()
    assert (line.kind, line.amount) == (LineKind.ADJUSTMENT, D("500.00"))
    assert billing(tm_job).remaining_to_bill == D("680.00")


def test_progress_cannot_bill_past_the_suggested_price(project_manager, fixed_job, refused):
    invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, percent=D("90")
    )
    with refused("more than the 1,000.00 that remains"):
        invoice_by_policy(
            actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, percent=D("11")
        )


@pytest.mark.parametrize(
    ("request_kwargs", "message"),
    [
        ({}, "Give the amount or the percent to bill."),
        ({"amount": D("1"), "percent": D("1")}, "Give an amount or a percent, not both."),
        ({"percent": D("0")}, "more than 0 and at most 100"),
        ({"percent": D("101")}, "more than 0 and at most 100"),
        ({"amount": D("-5")}, "must be more than 0.00"),
    ],
)
def test_bad_amounts_are_refused(fixed_job, request_kwargs, message):
    with pytest.raises(InvoiceError, match=message):
        generate_invoice(
            billing(fixed_job), PolicyRequest(policy=P.PROGRESS_SUMMARY, **request_kwargs)
        )


def test_progress_itemized_fixed_price_bills_percent_complete_of_the_contract(
    project_manager, fixed_job
):
    invoice = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_ITEMIZED, percent=D("35")
    )
    [line] = invoice.lines.all()
    assert (line.quantity, line.rate, line.amount) == (D("0.350"), D("10000"), D("3500.00"))
    assert "35% complete this period" in line.description
    contract = billing(fixed_job).invoiceables[0]
    assert (contract.billed, contract.invoice_numbers) == (D("3500.00"), (invoice.number,))


def test_progress_itemized_bills_a_line_per_unbilled_charge_linked_to_it(project_manager, tm_job):
    invoice = invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED)
    lines = list(invoice.lines.order_by("position"))
    assert [line.kind for line in lines] == ["labor", "equipment", "materials"]
    assert all(line.dwr_line_id for line in lines)
    assert invoice.total == D("1180.00")
    after = billing(tm_job)
    assert all(item.is_invoiced for item in after.invoiceables)
    assert after.remaining_to_bill == D("0")


def test_itemized_bills_only_the_chosen_charges_and_never_one_twice(project_manager, tm_job):
    first = billing(tm_job).invoiceables[0]
    invoice = invoice_by_policy(
        actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED, charge_keys={first.key}
    )
    assert invoice.total == first.amount
    second = invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED)
    assert second.lines.count() == 2
    assert lines_total(invoice) + lines_total(second) == D("1180.00")


def test_itemized_after_a_summary_takes_off_what_was_billed_in_a_lump(project_manager, tm_job):
    invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_SUMMARY, amount=D("300"))
    invoice = invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED)
    credit = invoice.lines.get(kind=LineKind.ADJUSTMENT)
    assert credit.amount == D("-300.00")
    assert credit.description == "Less progress billed earlier"
    assert billing(tm_job).invoiced_to_date == D("1180.00")


def test_charges_grouped_keeps_every_charge_matched_and_sorted_by_category(project_manager, tm_job):
    job = tm_job
    approved_charge(job, kind="labor", quantity="2", rate="85.00")
    generated = generate_invoice(billing(job), PolicyRequest(P.PROGRESS_ITEMIZED_GROUPED))
    assert generated.grouped
    assert [line.kind for line in generated.lines] == ["labor", "labor", "equipment", "materials"]
    assert all(line.dwr_line for line in generated.lines)


def test_new_charges_approved_later_are_billed_next(project_manager, tm_job):
    invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED)
    late = approved_charge(tm_job, kind="expenses", quantity="1", rate="42.50", description="Fuel")
    again = invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED)
    [line] = again.lines.all()
    assert (line.dwr_line_id, line.amount) == (late.pk, D("42.50"))


def test_complete_needs_a_closed_job(project_manager, fixed_job):
    with pytest.raises(InvoiceError, match=r"Complete \(Final\) invoices are not allowed"):
        generate_invoice(billing(fixed_job), PolicyRequest(P.COMPLETE))


def test_complete_bills_the_rest_of_the_contract_deducts_deposits_and_bills_the_job(
    project_manager, fixed_job
):
    invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.DEPOSIT, amount=D("3000"))
    invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, amount=D("2000")
    )
    job_close(actor=project_manager, job=fixed_job)
    final = invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.COMPLETE)
    assert final.type == InvoiceType.COMPLETE
    assert lines_total(final) == D("8000.00")
    assert final.deposit_applied == D("1000.00")  # what the progress invoice left
    after = billing(fixed_job)
    assert after.invoiced_to_date == after.suggested_price == D("10000.00")
    assert after.deposit_balance == D("0")
    fixed_job.refresh_from_db()
    assert fixed_job.status == JobStatus.BILLED


def test_complete_on_time_and_materials_bills_every_unbilled_charge_to_the_price(
    project_manager, tm_job
):
    invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_SUMMARY, amount=D("100"))
    job_close(actor=project_manager, job=tm_job)
    final = invoice_by_policy(actor=project_manager, job=tm_job, policy=P.COMPLETE_GROUPED)
    assert final.lines.filter(dwr_line__isnull=False).count() == 3
    assert lines_total(final) == D("1080.00")
    assert billing(tm_job).invoiced_to_date == D("1180.00")


def test_complete_with_nothing_left_bills_a_zero_balance(project_manager, fixed_job):
    invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, percent=D("100")
    )
    job_close(actor=project_manager, job=fixed_job)
    final = invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.COMPLETE)
    assert final.total == D("0.00")


def test_correction_credits_the_earlier_invoice_and_links_to_it(project_manager, tm_job):
    earlier = invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED)
    job_close(actor=project_manager, job=tm_job)
    invoice_by_policy(actor=project_manager, job=tm_job, policy=P.COMPLETE)
    credit = invoice_by_policy(
        actor=project_manager, job=tm_job, policy=P.CORRECTION, corrects=earlier
    )
    assert (credit.type, credit.corrects) == (InvoiceType.CORRECTION, earlier)
    assert credit.total == -earlier.total
    assert all(line.description.startswith("Credit: ") for line in credit.lines.all())
    # Credited charges remain matched to the invoice that billed them.
    assert all(item.is_invoiced for item in billing(tm_job).invoiceables)
    assert billing(tm_job).invoiced_to_date == D("0.00")


def test_correction_grouped_credits_one_line_per_category(project_manager, tm_job):
    earlier = invoice_by_policy(actor=project_manager, job=tm_job, policy=P.PROGRESS_ITEMIZED)
    generated = generate_invoice(
        billing(tm_job), PolicyRequest(P.CORRECTION_GROUPED, corrects=earlier)
    )
    credits = {line.description: line.rate for line in generated.lines}
    assert credits == {
        "Credit: Labor": D("-680.00"),
        "Credit: Equipment": D("-300.00"),
        "Credit: Materials": D("-200.00"),
    }


def test_correction_needs_an_invoice_of_the_same_job(project_manager, tm_job, fixed_job):
    other = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, amount=D("10")
    )
    with pytest.raises(InvoiceError, match="Choose the invoice"):
        generate_invoice(billing(tm_job), PolicyRequest(P.CORRECTION))
    with pytest.raises(InvoiceError, match="belongs to another job"):
        generate_invoice(billing(tm_job), PolicyRequest(P.CORRECTION, corrects=other))


def test_a_deposit_invoice_corrected_becomes_an_adjustment(project_manager, fixed_job):
    deposit = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.DEPOSIT, amount=D("400")
    )
    credit = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.CORRECTION, corrects=deposit
    )
    [line] = credit.lines.all()
    assert (line.kind, line.amount) == (LineKind.ADJUSTMENT, D("-400.00"))


def test_a_taxable_task_bills_taxable(project_manager):
    job = JobFactory(project_manager=project_manager)
    task = TaskFactory(kind="materials", taxable=True, unit="EA")
    approved_charge(job, kind="materials", quantity="3", rate="10", task=task)
    [line] = generate_invoice(billing(job), PolicyRequest(P.PROGRESS_ITEMIZED)).lines
    assert (line.taxable, line.unit, line.task) == (True, "EA", task)


def test_deposits_add_up_to_the_cent_whatever_the_database(project_manager, fixed_job):
    # Summed in floating point, 0.10 + 0.20 is not 0.30; deposits must still come off whole.
    for amount in ("0.10", "0.20"):
        invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.DEPOSIT, amount=D(amount))
    assert billing(fixed_job).deposit_balance == D("0.30")
    invoice = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, amount=D("100")
    )
    assert invoice.deposit_applied == D("0.30")
    assert billing(fixed_job).deposit_balance == D("0.00")


def test_approved_fixed_price_requests_are_invoiceables_of_the_job(project_manager, fixed_job):
    by_amount = approved_request(fixed_job, amount="1500.00", note="Foundations poured")
    by_percent = approved_request(fixed_job, percent="12.5")
    pending = approved_request(fixed_job, amount="99")
    pending.status = RequestStatus.PENDING
    pending.save()
    items = {item.key: item for item in billing(fixed_job).invoiceables}
    assert set(items) == {"contract", f"request:{by_amount.pk}", f"request:{by_percent.pk}"}
    assert items[f"request:{by_amount.pk}"].amount == D("1500.00")
    assert "Foundations poured" in items[f"request:{by_amount.pk}"].description
    assert items[f"request:{by_percent.pk}"].amount == D("1250.00")
    assert "12.5% of the contract" in items[f"request:{by_percent.pk}"].description
    assert billing(fixed_job).suggested_price == D("10000.00")


def test_progress_itemized_bills_each_approved_request_once(project_manager, fixed_job, refused):
    first = approved_request(fixed_job, amount="1500.00")
    second = approved_request(fixed_job, percent="10")
    invoice = invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.PROGRESS_ITEMIZED)
    lines = list(invoice.lines.order_by("position"))
    assert [line.fixed_price_request for line in lines] == [first, second]
    assert invoice.total == D("2500.00")
    assert not billing(fixed_job).unbilled
    with refused(f"Fixed-price request {first.pk} is already billed"):
        make_invoice(
            actor=project_manager,
            job=fixed_job,
            lines=[LineInput(kind=LineKind.FIXED_PRICE, description="Again", rate=D("1500"),
                             fixed_price_request=first)],
        )  # fmt: skip


def test_a_request_must_be_approved_and_of_the_same_job(project_manager, fixed_job, refused):
    other_job = JobFactory(
        project_manager=project_manager, billing_type=BillingType.FIXED_PRICE, contract_price=D("5")
    )
    foreign = approved_request(other_job, amount="5")
    pending = approved_request(fixed_job, amount="5")
    pending.status = RequestStatus.PENDING
    pending.save()
    for request, message in ((foreign, "belongs to another job"), (pending, "is not approved")):
        with refused(message):
            make_invoice(
                actor=project_manager,
                job=fixed_job,
                lines=[LineInput(kind=LineKind.FIXED_PRICE, description="Part", rate=D("5"),
                                 fixed_price_request=request)],
            )  # fmt: skip


def test_complete_bills_the_unbilled_requests_and_the_balance(project_manager, fixed_job):
    billed = approved_request(fixed_job, amount="2000")
    invoice_by_policy(
        actor=project_manager,
        job=fixed_job,
        policy=P.PROGRESS_ITEMIZED,
        charge_keys={f"request:{billed.pk}"},
    )
    waiting = approved_request(fixed_job, amount="3000")
    job_close(actor=project_manager, job=fixed_job)
    final = invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.COMPLETE)
    lines = list(final.lines.order_by("position"))
    assert lines[0].fixed_price_request == waiting
    assert (lines[1].kind, lines[1].amount) == (LineKind.FIXED_PRICE, D("5000.00"))
    assert "balance of the job price" in lines[1].description
    after = billing(fixed_job)
    assert after.invoiced_to_date == D("10000.00")
    assert all(item.is_invoiced for item in after.invoiceables)
