"""Sage 300 (Excel): the A/R invoice batch as a workbook, one sheet per view.

Imported from the A/R Invoice Batch List (File > Import, Excel). Sheets, each with the
view's field names in row 1 and a record per row below, linked by CNTBTCH/CNTITEM:
Invoice_Batches (the batch: its description, date, number of entries and total),
Invoices, Invoice_Details and Invoice_Payment_Schedules — the same records as the CSV
(see `sage300_records`). Cells hold real numbers and dates, never formulas; no text cell
starts with a formula character.

The batch description defaults to "jobledger YYYY-MM-DD", dated by the first invoice;
a caller may pass its own (`batch_description=`). The workbook's dates and its zip
entries' times are fixed, so the same invoices always give the same bytes.
"""

import datetime
import io
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from jobledger.exports.formats.base import CustomerDoc, ExportFormat, InvoiceDoc
from jobledger.exports.formats.sage300_records import (
    BATCH_FIELDS,
    BATCH_VIEW,
    CUSTOMER_FIELDS,
    CUSTOMER_VIEW,
    DETAIL_FIELDS,
    DETAIL_VIEW,
    INVOICE_FIELDS,
    INVOICE_VIEW,
    SCHEDULE_FIELDS,
    SCHEDULE_VIEW,
    batch_record,
    check,
    customer_record,
    default_batch_description,
    entries,
)

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEWS = (
    (BATCH_VIEW, BATCH_FIELDS),
    (INVOICE_VIEW, INVOICE_FIELDS),
    (DETAIL_VIEW, DETAIL_FIELDS),
    (SCHEDULE_VIEW, SCHEDULE_FIELDS),
)
# Fixed document dates and zip entry times: identical input gives identical bytes.
DOCUMENT_TIME = datetime.datetime(2000, 1, 1)
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def write(
    invoices: Iterable[InvoiceDoc],
    customers: Sequence[CustomerDoc] = (),
    *,
    batch_description: str | None = None,
) -> bytes:
    """The batch workbook; the invoices are read once and written as they come."""
    workbook = Workbook(write_only=True)
    sheets = {view: workbook.create_sheet(view) for view, _ in VIEWS}
    for view, fields in VIEWS:
        sheets[view].append(fields)
    count, total, first_date = 0, Decimal("0.00"), None
    for entry in entries(invoices):
        sheets[INVOICE_VIEW].append(entry.invoice)
        for detail in entry.details:
            sheets[DETAIL_VIEW].append(detail)
        for schedule in entry.schedules:
            sheets[SCHEDULE_VIEW].append(schedule)
        count, total = count + 1, total + entry.total
        first_date = first_date or entry.invoice_date
    if first_date is not None:
        description = batch_description or default_batch_description(first_date)
        sheets[BATCH_VIEW].append(batch_record(description, first_date, count, total))
    return _steady_bytes(workbook)


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """The A/R Customers import as a workbook: one Customers sheet of ARCUS fields."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(CUSTOMER_VIEW)
    sheet.append(CUSTOMER_FIELDS)
    for customer in customers:
        sheet.append(customer_record(customer))
    return _steady_bytes(workbook)


def _steady_bytes(workbook: Workbook) -> bytes:
    workbook.properties.creator = "jobledger"
    workbook.properties.created = workbook.properties.modified = DOCUMENT_TIME
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the modified date with now.
    ExcelWriter(workbook, _SteadyZip(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()


class _SteadyZip(zipfile.ZipFile):
    """A zip whose entries all carry the same time, whatever the clock says."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = _entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # Write-only sheets arrive as temporary files: copy them in, timed like the rest.
        with open(filename, "rb") as source, self.open(_entry(str(arcname)), "w") as target:
            shutil.copyfileobj(source, target)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ENTRY_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


FORMAT = ExportFormat(
    key="sage300_xlsx",
    label="Sage 300 (Excel)",
    extension="xlsx",
    media_type=MEDIA_TYPE,
    write=write,
    encoding=None,
    write_customers=write_customers,
    customers_extension="xlsx",
    check=check,
)
