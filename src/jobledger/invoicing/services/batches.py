"""Processing invoices in bulk, and undoing the last process batch."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jobledger.core.audit import audit, audit_many
from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import Invoice, ProcessBatch, Stage


@dataclass(frozen=True)
class UndoResult:
    batch: ProcessBatch
    reverted: list[Invoice]
    skipped: list[Invoice]


@transaction.atomic
def invoices_process(*, actor: Actor, invoice_ids: Iterable[int]) -> ProcessBatch:
    """Set the chosen Admin-tab invoices to Processed as one batch: all of them or none."""
    require_administrator(actor, action="process and export invoices")
    ids = sorted(set(invoice_ids))
    if not ids:
        raise InvoiceError("Select at least one invoice to process.")
    # Locked in a fixed order so two administrators processing overlapping selections
    # queue behind each other instead of deadlocking; the second then finds them processed.
    invoices = list(Invoice.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(invoices) != len(ids):
        raise InvoiceError("Some of the selected invoices no longer exist; nothing was processed.")
    not_ready = [inv for inv in invoices if inv.stage != Stage.ADMIN or inv.is_posted]
    if not_ready:
        raise InvoiceError(
            f"{_numbers(not_ready)} {'is' if len(not_ready) == 1 else 'are'} no longer in the "
            "Admin tab (someone may have processed them already); nothing was processed."
        )
    now = timezone.now()
    Invoice.objects.filter(pk__in=ids).update(
        stage=Stage.PROCESSED, processed_at=now, updated_at=now
    )
    batch = ProcessBatch.objects.create(created_by=actor)
    batch.invoices.add(*invoices)
    audit_many(
        actor=actor,
        action="invoice processed",
        subjects=invoices,
        from_value=Stage.ADMIN.label,
        to_value=Stage.PROCESSED.label,
        detail=f"Process batch {batch.pk}",
    )
    return batch


@transaction.atomic
def process_batch_undo(*, actor: Actor) -> UndoResult:
    """Return the newest batch's invoices to the Admin tab, skipping those since paid or posted."""
    require_administrator(actor, action="process and export invoices")
    batch = (
        ProcessBatch.objects.select_for_update()
        .filter(undone_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if batch is None:
        raise InvoiceError("There is no process batch to undo.")
    invoices = list(batch.invoices.select_for_update().order_by("pk"))
    reverted = [inv for inv in invoices if inv.stage == Stage.PROCESSED and not inv.is_posted]
    skipped = [inv for inv in invoices if inv not in reverted]
    Invoice.objects.filter(pk__in=[inv.pk for inv in reverted]).update(
        stage=Stage.ADMIN, processed_at=None, updated_at=timezone.now()
    )
    batch.undone_at = timezone.now()
    batch.undone_by = actor
    batch.save(update_fields=["undone_at", "undone_by"])
    audit_many(
        actor=actor,
        action="invoice unprocessed",
        subjects=list(reverted),
        from_value=Stage.PROCESSED.label,
        to_value=Stage.ADMIN.label,
        detail=f"Undo of process batch {batch.pk}",
    )
    audit(
        actor=actor,
        action="process batch undone",
        subject=batch,
        detail="; ".join(f"Skipped {inv} ({skip_reason(inv)})" for inv in skipped),
    )
    return UndoResult(batch=batch, reverted=reverted, skipped=skipped)


def skip_reason(invoice: Invoice) -> str:
    """Why an undo left this invoice as it is, in the words the backlog shows."""
    if invoice.is_posted:
        return "posted since"
    if invoice.stage == Stage.PAID:
        return "paid since"
    return f"already {invoice.get_stage_display()}"


def _numbers(invoices: list[Invoice]) -> str:
    shown = ", ".join(str(inv.number) for inv in invoices[:10])
    more = f" and {len(invoices) - 10} more" if len(invoices) > 10 else ""
    return f"Invoice{'s' if len(invoices) > 1 else ''} {shown}{more}"
