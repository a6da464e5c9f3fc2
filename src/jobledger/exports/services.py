"""Export batches: the file sent to accounting, recorded so nothing goes out twice by accident."""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jobledger.core.audit import audit, audit_many
from jobledger.core.errors import DomainError
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.exports.formats import get_format
from jobledger.exports.models import ExportBatch
from jobledger.exports.selectors import invoice_docs, invoices_for_export
from jobledger.invoicing.models import Invoice, Stage

EXPORTABLE_STAGES = (Stage.ADMIN, Stage.PROCESSED, Stage.PAID)


class ExportError(DomainError):
    pass


@dataclass(frozen=True)
class ExportResult:
    batch: ExportBatch
    left_out_already_exported: list[int]


@transaction.atomic
def export_batch_create(
    *,
    actor: Actor,
    invoice_ids: Iterable[int],
    format_key: str,
    prefix: str = "",
    note: str = "",
    include_already_exported: bool = False,
) -> ExportResult:
    """Write the selected invoices to one file in the chosen format and record the batch.

    Invoices exported before are left out unless `include_already_exported` is set.
    """
    require_administrator(actor, action="process and export invoices")
    try:
        export_format = get_format(format_key)
    except KeyError as error:
        raise ExportError(str(error.args[0])) from None
    ids = sorted(set(invoice_ids))
    if not ids:
        raise ExportError("Select at least one invoice to export.")
    locked = list(
        Invoice.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("customer")
        .order_by("pk")
    )
    _check_exportable(locked, len(ids))
    left_out = [] if include_already_exported else [inv.number for inv in locked if inv.is_exported]
    chosen = [inv.pk for inv in locked if inv.number not in left_out]
    if not chosen:
        raise ExportError(
            "Every selected invoice has been exported already. Turn on Include Already "
            "Exported Invoices to export them again."
        )
    invoices = [inv for inv in locked if inv.pk in set(chosen)]
    content = export_format.write(invoice_docs(invoices_for_export(chosen)), ())
    batch = ExportBatch.objects.create(
        format=export_format.key,
        file_name="pending",
        prefix=_clean_prefix(prefix),
        note=note.strip(),
        content=content,
        media_type=export_format.media_type,
        checksum=hashlib.sha256(content).hexdigest(),
        include_already_exported=include_already_exported,
        created_by=actor,
    )
    batch.file_name = _file_name(batch, invoices, export_format.extension)
    batch.save(update_fields=["file_name"])
    batch.invoices.add(*invoices)
    Invoice.objects.filter(pk__in=chosen).update(last_exported_at=batch.created_at)
    audit_many(actor=actor, action="invoice exported", subjects=invoices,
               to_value=export_format.label, detail=batch.file_name)  # fmt: skip
    return ExportResult(batch=batch, left_out_already_exported=left_out)


@transaction.atomic
def export_batch_confirm_import(*, actor: Actor, batch: ExportBatch) -> ExportBatch:
    """Record who confirmed that accounting imported the file, and when."""
    require_administrator(actor, action="confirm imports into accounting")
    batch = ExportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.import_confirmed_at:
        raise ExportError(f"The import of {batch.file_name} was already confirmed.")
    batch.import_confirmed_at = timezone.now()
    batch.import_confirmed_by = actor
    batch.save(update_fields=["import_confirmed_at", "import_confirmed_by"])
    audit(actor=actor, action="import confirmed", subject=batch, to_value=batch.file_name)
    return batch


def _check_exportable(invoices: list[Invoice], expected: int) -> None:
    if len(invoices) != expected:
        raise ExportError("Some of the selected invoices no longer exist; nothing was exported.")
    early = [inv for inv in invoices if inv.stage not in EXPORTABLE_STAGES]
    if early:
        raise ExportError(
            f"{_numbers(early)} not reached the Admin stage yet; nothing was exported."
        )
    if CompanySettings.load().accounting_integration:
        unapproved = [inv for inv in invoices if not inv.is_distribution_approved]
        if unapproved:
            raise ExportError(
                f"{_numbers(unapproved)} no approved GL distribution; approve it on the "
                "Invoice Distribution page. Nothing was exported."
            )


def _file_name(batch: ExportBatch, invoices: list[Invoice], extension: str) -> str:
    """prefix + YYYYMMDD_Client_BatchN, dated in the company's time zone."""
    codes = {inv.customer.code for inv in invoices}
    client = re.sub(r"[^A-Za-z0-9-]+", "", codes.pop())[:30] if len(codes) == 1 else "Multiple"
    day = f"{timezone.localtime(batch.created_at):%Y%m%d}"
    return f"{batch.prefix}{day}_{client or 'Client'}_Batch{batch.pk}.{extension}"


def _clean_prefix(prefix: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", prefix.strip())
    if len(cleaned) > 60:
        raise ExportError("The file name prefix can be at most 60 characters.")
    return cleaned


def _numbers(invoices: list[Invoice]) -> str:
    shown = ", ".join(str(inv.number) for inv in invoices[:10])
    more = f" and {len(invoices) - 10} more" if len(invoices) > 10 else ""
    return f"Invoice {shown}{more} has" if len(invoices) == 1 else f"Invoices {shown}{more} have"
