from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

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
    # Counted in a subquery, for the newest batch alone: a join and GROUP BY would count
    # the invoices of every batch ever made before picking the newest.
    members: QuerySet = ProcessBatch.invoices.through.objects.filter(processbatch_id=OuterRef("pk"))
    size = members.order_by().values("processbatch_id").annotate(n=Count("pk")).values("n")
    return (
        ProcessBatch.objects.filter(undone_at__isnull=True)
        .order_by("-created_at", "-id")
        .annotate(size=Coalesce(Subquery(size), 0))
        .first()
    )
