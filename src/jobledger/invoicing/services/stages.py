"""An invoice's stages: Draft → PM Review → Admin → Processed → Paid, and posting."""

from django.db import transaction
from django.utils import timezone

from jobledger.core.audit import audit
from jobledger.core.models import CompanySettings
from jobledger.core.roles import (
    ADMINISTRATOR,
    PROJECT_MANAGER,
    Actor,
    has_role,
    require_administrator,
    require_role,
)
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import Invoice, Stage
from jobledger.invoicing.services.editing import lock_invoice
from jobledger.jobs.services import require_job_manager


@transaction.atomic
def invoice_submit(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Draft → PM Review."""
    invoice = lock_invoice(invoice)
    require_role(actor, ADMINISTRATOR, PROJECT_MANAGER, action="submit invoices")
    if invoice.created_by_id != actor.pk:
        require_job_manager(actor, invoice.job, action="submit invoices")
    return _move(actor, invoice, Stage.DRAFT, Stage.PM_REVIEW, action="invoice submitted")


@transaction.atomic
def invoice_approve(*, actor: Actor, invoice: Invoice) -> Invoice:
    """PM Review → Admin: the Project Manager's sign-off sends it to the Invoice Process Backlog."""
    invoice = lock_invoice(invoice)
    require_job_manager(actor, invoice.job, action="approve invoices")
    return _move(actor, invoice, Stage.PM_REVIEW, Stage.ADMIN, action="invoice approved")


@transaction.atomic
def invoice_return_to_draft(*, actor: Actor, invoice: Invoice, comment: str) -> Invoice:
    """PM Review or Admin → Draft, with a comment saying what to fix."""
    invoice = lock_invoice(invoice)
    require_job_manager(actor, invoice.job, action="return invoices")
    if not comment.strip():
        raise InvoiceError("Say what needs fixing when returning an invoice to draft.")
    if invoice.stage == Stage.ADMIN and not has_role(actor, ADMINISTRATOR):
        raise InvoiceError(f"{invoice} is with the office; ask an Administrator to return it.")
    if invoice.is_exported:
        raise InvoiceError(f"{invoice} has been exported; correct it with a Correction invoice.")
    return _move(
        actor,
        invoice,
        (Stage.PM_REVIEW, Stage.ADMIN),
        Stage.DRAFT,
        action="invoice returned",
        detail=comment.strip(),
    )


@transaction.atomic
def invoice_process(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Admin → Processed: the invoice has left the building."""
    require_administrator(actor, action="process and export invoices")
    invoice = lock_invoice(invoice)
    invoice.processed_at = timezone.now()
    return _move(actor, invoice, Stage.ADMIN, Stage.PROCESSED, action="invoice processed")


@transaction.atomic
def invoice_unprocess(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Processed → Admin, back to the backlog for correction."""
    require_administrator(actor, action="process and export invoices")
    invoice = lock_invoice(invoice)
    if invoice.stage == Stage.PAID:
        raise InvoiceError(f"{invoice} is paid; mark it unpaid before unchecking Processed.")
    invoice.processed_at = None
    return _move(actor, invoice, Stage.PROCESSED, Stage.ADMIN, action="invoice unprocessed")


@transaction.atomic
def invoice_mark_paid(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Processed → Paid. Allowed on posted invoices: payment arrives after posting."""
    require_administrator(actor, action="mark invoices paid")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    invoice.paid_at = timezone.now()
    return _move(actor, invoice, Stage.PROCESSED, Stage.PAID, action="invoice paid")


@transaction.atomic
def invoice_mark_unpaid(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Paid → Processed, when a payment was recorded by mistake."""
    require_administrator(actor, action="mark invoices paid")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    invoice.paid_at = None
    return _move(actor, invoice, Stage.PAID, Stage.PROCESSED, action="invoice unpaid")


@transaction.atomic
def invoice_post(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Lock the invoice for good once accounting has it; mistakes then need a Correction."""
    require_administrator(actor, action="post invoices")
    invoice = lock_invoice(invoice)
    if not invoice.is_processed:
        raise InvoiceError(f"{invoice} must be processed before it is posted.")
    if CompanySettings.load().accounting_integration and not invoice.is_exported:
        raise InvoiceError(f"{invoice} has not been exported to accounting yet.")
    invoice.posted_at = timezone.now()
    invoice.posted_by = actor
    invoice.save(update_fields=["posted_at", "posted_by", "updated_at"])
    audit(actor=actor, action="invoice posted", subject=invoice, to_value="Posted")
    return invoice


def _move(
    actor: Actor,
    invoice: Invoice,
    expected: Stage | tuple[Stage, ...],
    target: Stage,
    *,
    action: str,
    detail: str = "",
) -> Invoice:
    allowed = expected if isinstance(expected, tuple) else (expected,)
    if invoice.stage not in allowed:
        names = " or ".join(stage.label for stage in allowed)
        raise InvoiceError(
            f"{invoice} is {invoice.get_stage_display()}; it must be {names} to do that."
        )
    before = invoice.get_stage_display()
    invoice.stage = target
    invoice.save()
    audit(
        actor=actor,
        action=action,
        subject=invoice,
        from_value=before,
        to_value=target.label,
        detail=detail,
    )
    return invoice
