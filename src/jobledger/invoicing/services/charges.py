"""A DWR is Invoiced once every one of its lines is billed (corrections aside), and goes back
to Approved when an invoice that billed it is edited or deleted."""

from collections.abc import Iterable

from django.db.models import QuerySet

from jobledger.core.audit import audit_many
from jobledger.core.roles import Actor
from jobledger.invoicing.models import Invoice, InvoiceLine, InvoiceType
from jobledger.jobs.models import DWR, DWRLine, DWRStatus


def billed_dwr_ids(invoice: Invoice) -> set[int]:
    """The DWRs the invoice's lines bill, read before its lines change."""
    return set(
        invoice.lines.filter(dwr_line__isnull=False).values_list("dwr_line__dwr_id", flat=True)
    )


def dwrs_invoiced_sync(*, actor: Actor, dwr_ids: Iterable[int]) -> None:
    """Set each DWR to Invoiced or back to Approved by whether all its lines are billed."""
    ids = set(dwr_ids)
    if not ids:
        return
    billed = InvoiceLine.objects.filter(dwr_line__dwr_id__in=ids).exclude(
        invoice__type=InvoiceType.CORRECTION
    )
    unbilled = DWRLine.objects.filter(dwr_id__in=ids).exclude(pk__in=billed.values("dwr_line_id"))
    partly = unbilled.values("dwr_id")
    dwrs = DWR.objects.select_for_update().filter(pk__in=ids)
    _move(actor, dwrs.filter(status=DWRStatus.APPROVED).exclude(pk__in=partly), DWRStatus.INVOICED)
    _move(actor, dwrs.filter(status=DWRStatus.INVOICED, pk__in=partly), DWRStatus.APPROVED)


def _move(actor: Actor, dwrs: QuerySet[DWR], status: DWRStatus) -> None:
    moving = list(dwrs)
    if not moving:
        return
    before = moving[0].get_status_display()
    DWR.objects.filter(pk__in=[dwr.pk for dwr in moving]).update(status=status)
    audit_many(
        actor=actor, action="DWR status", subjects=moving, from_value=before, to_value=status.label
    )
