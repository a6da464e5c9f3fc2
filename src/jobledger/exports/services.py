"""Export batches: the file sent to accounting, recorded so nothing goes out twice by accident."""

import datetime
import hashlib
import io
import itertools
import mimetypes
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jobledger.core.audit import audit, audit_many
from jobledger.core.roles import Actor, require_administrator
from jobledger.customers.models import Customer
from jobledger.exports.attachments import with_pdfs
from jobledger.exports.errors import ExportError
from jobledger.exports.formats.base import CustomerDoc, ExportFormat, InvoiceDoc
from jobledger.exports.models import BatchKind, ExportBatch
from jobledger.exports.preflight import Preflight, Screen, export_format
from jobledger.exports.reader import CHUNK, ExportContext, customer_doc, export_rows
from jobledger.exports.selectors import (
    Selected,
    customers_for_export,
    selected_invoices,
    selection_rows,
)
from jobledger.invoicing.models import Invoice


class ExportBlocked(ExportError):
    """Some chosen invoices cannot go out, and the caller did not ask for the ready ones alone."""

    def __init__(self, preflight: Preflight) -> None:
        super().__init__(preflight.refusal())
        self.preflight = preflight


class AlreadyExported(ExportError):
    """Every chosen invoice went out before, and none was included on purpose."""

    def __init__(self, numbers: Sequence[int]) -> None:
        super().__init__(
            "Every selected invoice has been exported already. Turn on Include Already "
            "Exported Invoices to export them again."
        )
        self.numbers = list(numbers)


@dataclass(frozen=True)
class ExportResult:
    batch: ExportBatch
    left_out_already_exported: list[int]
    # Invoices held back with their problems (only when the ready ones were exported alone).
    problems: dict[int, tuple[str, ...]]
    # The files written: the batch's file, or the parts inside its zip.
    files: list[str]


@transaction.atomic
def export_batch_create(
    *,
    actor: Actor,
    format_key: str,
    invoice_ids: Iterable[int] | None = None,
    invoices: QuerySet[Invoice] | None = None,
    prefix: str = "",
    note: str = "",
    include_already_exported: bool = False,
    only_ready: bool = False,
    with_customers: bool = False,
) -> ExportResult:
    """Write the chosen invoices (by id, or a query) to a file in the chosen format and
    record the batch: all of it or nothing.

    Every invoice is checked first; when any has a problem the export is refused with the
    list (`ExportBlocked.preflight`), unless `only_ready` asks for the ready ones alone.
    Invoices exported before are left out unless `include_already_exported` is set.
    `with_customers` puts the new or changed customers of the invoices in the same file,
    for the formats that carry them.
    """
    require_administrator(actor, action="process and export invoices")
    target = export_format(format_key)
    prefix = _clean_prefix(prefix)
    if with_customers and not target.carries_customers:
        raise ExportError(
            f"{target.label} files do not carry customers; export the customers on their "
            "own from the Export Log."
        )
    chosen = _lock_selection(invoice_ids, invoices)
    customers = _lock_changed_customers(chosen, include_already_exported) if with_customers else []
    context = ExportContext.load()
    screen = Screen(target, context.integration, include_already_exported)
    docs = screen.ready_docs(export_rows([row.pk for row in chosen], context))
    parts = write_parts(target, with_pdfs(target, docs), [customer_doc(c) for c in customers])
    preflight = screen.result()
    _refuse_unless_ready(preflight, only_ready)
    batch = _new_batch(actor, target, prefix, note, include_already_exported)
    stem = _stem(batch, screen.customer_codes)
    files = _store(batch, parts, stem, target)
    _mark_invoices(batch, screen.ready, actor=actor, label=target.label)
    if customers:
        _mark_customers(batch, customers, actor=actor, label=target.label)
    return ExportResult(
        batch=batch,
        left_out_already_exported=list(preflight.already_exported),
        problems=preflight.problems,
        files=files,
    )


@transaction.atomic
def customer_export_create(
    *, actor: Actor, format_key: str, all_customers: bool = False, prefix: str = "", note: str = ""
) -> ExportBatch:
    """Write the customers new or changed since their last export (or all of them) in the
    format's customer layout, record the batch and clear their changed flag."""
    require_administrator(actor, action="export customers")
    target = export_format(format_key)
    prefix = _clean_prefix(prefix)
    if target.write_customers is None:
        raise ExportError(
            f"{target.label} has no customer import; choose a format that carries customers."
        )
    chosen = customers_for_export(all_customers=all_customers)
    customers = _lock_customers(chosen)
    if not customers:
        raise ExportError(
            "No customer is new or changed since the last customer export; choose All "
            "customers to export every customer again."
        )
    content = target.write_customers(customer_doc(customer) for customer in customers)
    batch = _new_batch(actor, target, prefix, note, include_already_exported=all_customers)
    batch.kind = BatchKind.CUSTOMERS
    batch.media_type = _media_type(target.customers_extension, target)
    _set_content(batch, content, f"{_stem(batch, {'Customers'})}.{target.customers_extension}")
    batch.save(update_fields=["kind", "media_type", "content", "checksum", "file_name"])
    _mark_customers(batch, customers, actor=actor, label=target.label)
    return batch


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


def _lock_selection(
    invoice_ids: Iterable[int] | None, invoices: QuerySet[Invoice] | None
) -> list[Selected]:
    ids = None if invoices is not None else sorted(set(invoice_ids or ()))
    if ids == []:
        raise ExportError("Select at least one invoice to export.")
    locked = selected_invoices(invoice_ids=ids, invoices=invoices).select_for_update()
    chosen = selection_rows(locked)
    if ids is not None and len(chosen) != len(ids):
        raise ExportError("Some of the selected invoices no longer exist; nothing was exported.")
    if not chosen:
        raise ExportError("No invoice matches the selection; nothing was exported.")
    return chosen


def _lock_changed_customers(
    chosen: list[Selected], include_already_exported: bool
) -> list[Customer]:
    """The new or changed customers of the invoices that may go out, locked so an edit made
    meanwhile is not cleared unseen."""
    ids = {row.customer_id for row in chosen if include_already_exported or not row.exported}
    return _lock_customers(Customer.objects.filter(pk__in=ids).changed_since_export())


def _lock_customers(customers: QuerySet[Customer]) -> list[Customer]:
    # Locked in primary-key order, as every export locks them; written in code order.
    rows = customers.select_for_update(of=("self",)).select_related("tax_code").order_by("pk")
    return sorted(rows, key=lambda customer: customer.code)


def write_parts(
    target: ExportFormat, docs: Iterator[InvoiceDoc], customers: Sequence[CustomerDoc] = ()
) -> list[bytes]:
    """The writer's files: one, or one per `max_invoices_per_file` invoices (customers go
    in the first). The invoices stream through; none is held in memory."""
    parts: list[bytes] = []
    for group in _groups(docs, target.max_invoices_per_file):
        parts.append(target.write(group, customers if not parts else ()))
    return parts


def _groups(docs: Iterator[InvoiceDoc], size: int | None) -> Iterator[Iterator[InvoiceDoc]]:
    """Consecutive runs of `size` items; each run must be read to its end before the next."""
    for first in docs:
        rest = itertools.islice(docs, size - 1) if size else docs
        yield itertools.chain([first], rest)


def _refuse_unless_ready(preflight: Preflight, only_ready: bool) -> None:
    if preflight.problems and not (only_ready and preflight.ready):
        raise ExportBlocked(preflight)
    if not preflight.ready:
        raise AlreadyExported(preflight.already_exported)


def _new_batch(
    actor: Actor, target: ExportFormat, prefix: str, note: str, include_already_exported: bool
) -> ExportBatch:
    # Saved first for its number and date, which name the file; filled in below.
    return ExportBatch.objects.create(
        format=target.key,
        prefix=prefix,
        note=note.strip(),
        content=b"",
        media_type=target.media_type,
        include_already_exported=include_already_exported,
        created_by=actor,
    )


def _store(batch: ExportBatch, parts: list[bytes], stem: str, target: ExportFormat) -> list[str]:
    """Keep the file: the writer's own, or its parts zipped together."""
    if len(parts) == 1:
        _set_content(batch, parts[0], f"{stem}.{target.extension}")
        batch.save(update_fields=["content", "checksum", "file_name"])
        return [batch.file_name]
    names = [f"{stem}_part{n}.{target.extension}" for n in range(1, len(parts) + 1)]
    _set_content(batch, _zip(zip(names, parts, strict=True), batch.created_at), f"{stem}.zip")
    batch.media_type = "application/zip"
    batch.save(update_fields=["content", "checksum", "file_name", "media_type"])
    return names


def _zip(members: Iterable[tuple[str, bytes]], when: datetime.datetime) -> bytes:
    stamp = timezone.localtime(when).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def _set_content(batch: ExportBatch, content: bytes, file_name: str) -> None:
    batch.content = content
    batch.checksum = hashlib.sha256(content).hexdigest()
    batch.file_name = file_name


def _mark_invoices(
    batch: ExportBatch, ready: list[tuple[int, int]], *, actor: Actor, label: str
) -> None:
    """Members, export dates and audit events, CHUNK invoices per statement."""
    through = ExportBatch.invoices.through
    for start in range(0, len(ready), CHUNK):
        chunk = ready[start : start + CHUNK]
        ids = [pk for pk, _number in chunk]
        through.objects.bulk_create(through(exportbatch_id=batch.pk, invoice_id=pk) for pk in ids)
        Invoice.objects.filter(pk__in=ids).update(last_exported_at=batch.created_at)
        subjects = [Invoice(pk=pk, number=number) for pk, number in chunk]
        audit_many(actor=actor, action="invoice exported", subjects=subjects,
                   to_value=label, detail=batch.file_name)  # fmt: skip


def _mark_customers(
    batch: ExportBatch, customers: list[Customer], *, actor: Actor, label: str
) -> None:
    batch.customers.add(*customers)
    Customer.objects.filter(pk__in=[c.pk for c in customers]).update(
        changed_since_export=False, last_exported_at=batch.created_at
    )
    audit_many(actor=actor, action="customer exported", subjects=customers,
               to_value=label, detail=batch.file_name)  # fmt: skip


def _stem(batch: ExportBatch, codes: set[str]) -> str:
    """prefix + YYYYMMDD_Client_BatchN, dated in the company's time zone."""
    client = re.sub(r"[^A-Za-z0-9-]+", "", next(iter(codes)))[:30] if len(codes) == 1 else ""
    client = client or ("Multiple" if len(codes) > 1 else "Client")
    day = f"{timezone.localtime(batch.created_at):%Y%m%d}"
    return f"{batch.prefix}{day}_{client}_Batch{batch.pk}"


def _media_type(extension: str, target: ExportFormat) -> str:
    if extension == target.extension:
        return target.media_type
    return mimetypes.guess_type(f"file.{extension}")[0] or "application/octet-stream"


def _clean_prefix(prefix: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", prefix.strip())
    if len(cleaned) > 60:
        raise ExportError("The file name prefix can be at most 60 characters.")
    return cleaned
