from decimal import Decimal

from django.db.models import Count, Sum

from jobledger.core.money import ZERO, round_money
from jobledger.invoicing.models import (
    Invoice,
    InvoiceLine,
    InvoicingPolicy,
    LineKind,
    ProcessBatch,
)
from jobledger.jobs.models import Job


def deposit_balance(job: Job, *, excluding: Invoice | None = None) -> Decimal:
    """Deposits billed on the job that later invoices have not yet deducted."""
    invoices = Invoice.objects.filter(job=job)
    if excluding is not None and excluding.pk:
        invoices = invoices.exclude(pk=excluding.pk)
    billed = InvoiceLine.objects.filter(
        invoice__in=invoices, invoice__policy=InvoicingPolicy.DEPOSIT, kind=LineKind.DEPOSIT
    ).aggregate(value=Sum("amount"))["value"]
    applied = invoices.aggregate(value=Sum("deposit_applied"))["value"]
    # SQLite sums decimals in floating point; round back to the cents that were billed.
    return round_money((billed or ZERO) - (applied or ZERO))


def undoable_process_batch() -> ProcessBatch | None:
    """The batch "Undo Last Process Batch" would revert, or None when the button is inactive."""
    return (
        ProcessBatch.objects.filter(undone_at__isnull=True)
        .order_by("-created_at", "-id")
        .annotate(size=Count("invoices"))
        .first()
    )
