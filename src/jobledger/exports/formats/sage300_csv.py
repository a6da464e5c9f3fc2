"""Sage 300: the A/R invoice batch as one multi-record CSV.

Imported from A/R Invoice Entry (File > Import) into the batch selected there — Sage 300
imports one batch at a time into the batch the person opens or creates, so the batch's
description is typed in Sage, and this file's rows all carry batch number 1. (The workbook
format, imported from the A/R Invoice Batch List, carries the batch record itself.)

Layout, as Sage 300 writes it:
- first one heading row per record type, each starting with the literal RECTYPE and then
  that view's field names, in record-type order; headings are written for the optional
  field records too, though this file has none of them;
- then each entry's records: its invoice header (record type 1, Invoices), its details
  (2, Invoice_Details) and its payment schedule (3, Invoice_Payment_Schedules);
- dates YYYYMMDD, amounts with two decimals, Windows code page (cp1252), CRLF.
What the records hold is described in `sage300_records`.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from jobledger.exports.formats.base import CustomerDoc, ExportFormat, InvoiceDoc
from jobledger.exports.formats.sage300_records import (
    CUSTOMER_FIELDS,
    DETAIL_FIELDS,
    INVOICE_FIELDS,
    SCHEDULE_FIELDS,
    Cell,
    Record,
    check,
    customer_record,
    entries,
)

INVOICE_RECORD, DETAIL_RECORD, SCHEDULE_RECORD = 1, 2, 3
HEADINGS = (
    ("RECTYPE", *INVOICE_FIELDS),
    ("RECTYPE", *DETAIL_FIELDS),
    ("RECTYPE", *SCHEDULE_FIELDS),
    ("RECTYPE", "CNTBTCH", "CNTITEM", "OPTFIELD", "VALUE"),
    ("RECTYPE", "CNTBTCH", "CNTITEM", "CNTLINE", "OPTFIELD", "VALUE"),
)


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The batch: headings, then each entry's header, details and payment schedule."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(HEADINGS)
    for entry in entries(invoices):
        writer.writerow(_row(INVOICE_RECORD, entry.invoice))
        writer.writerows(_row(DETAIL_RECORD, detail) for detail in entry.details)
        writer.writerows(_row(SCHEDULE_RECORD, schedule) for schedule in entry.schedules)
    return out.getvalue().encode("cp1252")


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """The A/R Customers import: a heading row of ARCUS field names, a row per customer."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CUSTOMER_FIELDS)
    writer.writerows([_cell(value) for value in customer_record(customer)]
                     for customer in customers)  # fmt: skip
    return out.getvalue().encode("cp1252")


def _row(record_type: int, record: Record) -> list[str]:
    return [str(record_type), *(_cell(value) for value in record)]


def _cell(value: Cell) -> str:
    if isinstance(value, datetime.date):
        return f"{value:%Y%m%d}"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


FORMAT = ExportFormat(
    key="sage300_csv",
    label="Sage 300",
    extension="csv",
    media_type="text/csv; charset=windows-1252",
    write=write,
    encoding="cp1252",
    write_customers=write_customers,
    check=check,
)
