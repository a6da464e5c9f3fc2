"""Creating, editing and deleting invoices."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jobledger.core.audit import audit
from jobledger.core.models import CompanySettings
from jobledger.core.money import ZERO, line_amount
from jobledger.core.roles import ADMINISTRATOR, Actor, has_role, require_administrator
from jobledger.customers.models import Customer
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import (
    POLICY_TYPE,
    Invoice,
    InvoiceType,
    InvoicingPolicy,
    Stage,
)
from jobledger.invoicing.selectors import deposit_balance
from jobledger.invoicing.services.charges import billed_dwr_ids, dwrs_invoiced_sync
from jobledger.invoicing.services.lines import LineInput, check_lines, line_input, save_lines
from jobledger.invoicing.totals import compute_totals
from jobledger.jobs.models import Job, JobStatus
from jobledger.jobs.services import require_job_manager

EDITABLE_STAGES = (Stage.DRAFT, Stage.PM_REVIEW, Stage.ADMIN)


@transaction.atomic
def invoice_create(
    *,
    actor: Actor,
    job: Job,
    policy: str,
    invoice_date: datetime.date,
    lines: Sequence[LineInput],
    customer: Customer | None = None,
    freight: Decimal = ZERO,
    deposit_applied: Decimal = ZERO,
    po_number: str | None = None,
    notes: str = "",
    corrects: Invoice | None = None,
) -> Invoice:
    """Create a Draft invoice on a job; its type follows from the invoicing policy.

    A Complete invoice sets the job to Billed.
    """
    job = Job.objects.select_for_update().get(pk=job.pk)
    require_job_manager(actor, job, action="create invoices")
    invoice_type = _type_for(policy)
    _check_type_allowed(job, invoice_type)
    check_invoice_date(invoice_date)
    customer = customer or job.customer
    invoice = Invoice(
        job=job,
        customer=customer,
        type=invoice_type,
        policy=policy,
        invoice_date=invoice_date,
        due_date=invoice_date + datetime.timedelta(days=customer.terms_days),
        terms_days=customer.terms_days,
        po_number=job.po_number if po_number is None else po_number,
        notes=notes,
        corrects=_checked_correction_target(job, invoice_type, corrects),
        tax_rate=customer.tax_rate,
        created_by=actor,
    )
    check_lines(invoice, lines)
    _apply_totals(invoice, lines, freight=freight, deposit_applied=deposit_applied)
    invoice.number = _next_invoice_number()
    invoice.save()
    save_lines(invoice, lines)
    dwrs_invoiced_sync(
        actor=actor, dwr_ids={line.dwr_line.dwr_id for line in lines if line.dwr_line}
    )
    audit(
        actor=actor,
        action="invoice created",
        subject=invoice,
        to_value=invoice.get_policy_display(),
    )
    if invoice_type == InvoiceType.COMPLETE:
        _set_job_billed(actor, job, invoice)
    return invoice


@transaction.atomic
def invoice_update(
    *,
    actor: Actor,
    invoice: Invoice,
    lines: Sequence[LineInput] | None = None,
    invoice_date: datetime.date | None = None,
    customer: Customer | None = None,
    freight: Decimal | None = None,
    deposit_applied: Decimal | None = None,
    po_number: str | None = None,
    notes: str | None = None,
) -> Invoice:
    """Edit an invoice not yet processed; changed amounts withdraw its distribution approval."""
    invoice = lock_invoice(invoice)
    _require_editor(actor, invoice, action="edit invoices")
    if invoice.stage not in EDITABLE_STAGES:
        raise InvoiceError(
            f"{invoice} is {invoice.get_stage_display()}. Uncheck Processed to return it "
            "to the Admin tab before editing it."
        )
    if invoice_date is not None and invoice_date != invoice.invoice_date:
        check_invoice_date(invoice_date)
        invoice.invoice_date = invoice_date
    if customer is not None:
        invoice.customer = customer
        invoice.tax_rate = customer.tax_rate
        invoice.terms_days = customer.terms_days
    invoice.due_date = invoice.invoice_date + datetime.timedelta(days=invoice.terms_days)
    invoice.po_number = invoice.po_number if po_number is None else po_number
    invoice.notes = invoice.notes if notes is None else notes
    current = [line_input(line) for line in invoice.lines.all()] if lines is None else lines
    check_lines(invoice, current)
    before_total = invoice.total
    _apply_totals(
        invoice,
        current,
        freight=invoice.freight if freight is None else freight,
        deposit_applied=invoice.deposit_applied if deposit_applied is None else deposit_applied,
    )
    invoice.distribution_approved_at = None
    invoice.distribution_approved_by = None
    invoice.save()
    if lines is not None:
        billed_before = billed_dwr_ids(invoice)
        invoice.lines.all().delete()
        save_lines(invoice, lines)
        dwrs_invoiced_sync(actor=actor, dwr_ids=billed_before | billed_dwr_ids(invoice))
    audit(
        actor=actor,
        action="invoice changed",
        subject=invoice,
        from_value=before_total,
        to_value=invoice.total,
    )
    return invoice


@transaction.atomic
def invoice_delete(*, actor: Actor, invoice: Invoice) -> None:
    """Delete an invoice that never left jobledger; its number is not reused."""
    invoice = lock_invoice(invoice)
    _require_editor(actor, invoice, action="delete invoices")
    if not has_role(actor, ADMINISTRATOR) and invoice.stage != Stage.DRAFT:
        raise InvoiceError(f"Only an Administrator can delete {invoice} once it has left Draft.")
    if invoice.export_batches.exists():
        raise InvoiceError(
            f"{invoice} has been exported to accounting and cannot be deleted; "
            "issue a Correction invoice instead."
        )
    if invoice.corrections.exists():
        raise InvoiceError(f"{invoice} has Correction invoices against it and cannot be deleted.")
    job = Job.objects.select_for_update().get(pk=invoice.job_id)
    if invoice.type == InvoiceType.COMPLETE and job.status == JobStatus.BILLED:
        job.status = JobStatus.CLOSED
        job.save(update_fields=["status"])
        audit(
            actor=actor,
            action="job status",
            subject=job,
            from_value="Billed",
            to_value="Closed",
            detail=f"{invoice} deleted",
        )
    audit(actor=actor, action="invoice deleted", subject=invoice, from_value=invoice.total)
    billed_before = billed_dwr_ids(invoice)
    invoice.delete()
    dwrs_invoiced_sync(actor=actor, dwr_ids=billed_before)


@transaction.atomic
def invoice_set_accounting_reference(*, actor: Actor, invoice: Invoice, reference: str) -> Invoice:
    """Record the identifier the accounting system gave the imported invoice."""
    require_administrator(actor, action="record accounting references")
    invoice = lock_invoice(invoice)
    reference = reference.strip()
    if len(reference) > 60:
        raise InvoiceError("The accounting reference can be at most 60 characters.")
    before = invoice.accounting_reference
    invoice.accounting_reference = reference
    invoice.save(update_fields=["accounting_reference", "updated_at"])
    audit(
        actor=actor,
        action="accounting reference",
        subject=invoice,
        from_value=before,
        to_value=reference,
    )
    return invoice


def lock_invoice(invoice: Invoice) -> Invoice:
    """The invoice row, locked for this transaction, refused if it is posted."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.is_posted:
        raise InvoiceError(
            f"{locked} is posted and can no longer be changed; issue a Correction invoice instead."
        )
    return locked


def earliest_invoice_date() -> datetime.date:
    """The earliest day an invoice may be dated: the backdating window, after the lock date."""
    company = CompanySettings.load()
    earliest = timezone.localdate() - datetime.timedelta(days=company.backdating_days)
    if company.lock_date and company.lock_date >= earliest:
        earliest = company.lock_date + datetime.timedelta(days=1)
    return earliest


def check_invoice_date(invoice_date: datetime.date) -> None:
    """An invoice may be backdated only as far as the Administrator allows."""
    earliest = earliest_invoice_date()
    if invoice_date < earliest:
        raise InvoiceError(
            f"The invoice date {invoice_date:%m/%d/%Y} is too far back: "
            f"invoices may be dated {earliest:%m/%d/%Y} or later."
        )


def _next_invoice_number() -> int:
    # The company row is locked until the invoice is saved, so concurrent creations queue
    # here and each number is handed out once; deleting an invoice never gives it back.
    CompanySettings.load()
    company = CompanySettings.objects.select_for_update().get(pk=1)
    while Invoice.objects.filter(number=company.next_invoice_number).exists():
        company.next_invoice_number += 1
    number = company.next_invoice_number
    company.next_invoice_number = number + 1
    company.save(update_fields=["next_invoice_number"])
    return number


def _type_for(policy: str) -> InvoiceType:
    try:
        return POLICY_TYPE[InvoicingPolicy(policy)]
    except ValueError:
        raise InvoiceError(f"“{policy}” is not an invoicing policy.") from None


def _check_type_allowed(job: Job, invoice_type: InvoiceType) -> None:
    if invoice_type == InvoiceType.CORRECTION:
        return
    if job.status == JobStatus.BILLED:
        raise InvoiceError(f"Job {job.number} is billed: only Correction invoices can be added.")
    if invoice_type == InvoiceType.COMPLETE and job.status != JobStatus.CLOSED:
        raise InvoiceError(
            f"Job {job.number} is {job.get_status_display()}: close the job before issuing "
            "its Complete invoice."
        )


def _checked_correction_target(
    job: Job, invoice_type: str, corrects: Invoice | None
) -> Invoice | None:
    if invoice_type != InvoiceType.CORRECTION:
        if corrects is not None:
            raise InvoiceError("Only a Correction invoice refers to an earlier invoice.")
        return None
    if corrects is None:
        raise InvoiceError("A Correction invoice must name the invoice it corrects.")
    if corrects.job_id != job.pk:
        raise InvoiceError(f"{corrects} belongs to another job.")
    return corrects


def _apply_totals(
    invoice: Invoice, lines: Sequence[LineInput], *, freight: Decimal, deposit_applied: Decimal
) -> None:
    if invoice.type != InvoiceType.CORRECTION and freight < 0:
        raise InvoiceError("Freight cannot be negative; credit it with a Correction invoice.")
    if deposit_applied < 0:
        raise InvoiceError("The deposit applied cannot be negative.")
    if deposit_applied:
        if invoice.policy == InvoicingPolicy.DEPOSIT:
            raise InvoiceError("A Deposit invoice cannot deduct a deposit.")
        available = deposit_balance(invoice.job, excluding=invoice)
        if deposit_applied > available:
            raise InvoiceError(
                f"Only {available:,.2f} of deposits remain on job {invoice.job.number} to deduct."
            )
    totals = compute_totals(
        ((line_amount(line.quantity, line.rate), line.taxable) for line in lines),
        tax_rate=invoice.tax_rate,
        freight=freight,
        deposit_applied=deposit_applied,
    )
    if invoice.type != InvoiceType.CORRECTION and totals.total < 0:
        raise InvoiceError(
            "The invoice total cannot be negative; issue a Correction invoice to credit."
        )
    invoice.subtotal = totals.subtotal
    invoice.tax_amount = totals.tax_amount
    invoice.freight = totals.freight
    invoice.deposit_applied = totals.deposit_applied
    invoice.total = totals.total


def _require_editor(actor: Actor, invoice: Invoice, *, action: str) -> None:
    if has_role(actor, ADMINISTRATOR):
        return
    require_job_manager(actor, invoice.job, action=action)
    if invoice.stage not in (Stage.DRAFT, Stage.PM_REVIEW):
        raise InvoiceError(f"{invoice} is with the office now; ask an Administrator to change it.")


def _set_job_billed(actor: Actor, job: Job, invoice: Invoice) -> None:
    job.status = JobStatus.BILLED
    job.save(update_fields=["status"])
    audit(
        actor=actor,
        action="job status",
        subject=job,
        from_value="Closed",
        to_value="Billed",
        detail=f"{invoice} is the Complete invoice",
    )
