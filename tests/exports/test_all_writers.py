"""Every format in the registry, on random invoices (tests/exports/strategies.py).

The formats are read from the registry when the tests are collected, so a format added
there is covered without touching this file. For each one: the invoices its check accepts
are written (handed over as a one-pass iterator, as the export streams them), and the file
must not be empty, must decode in the format's encoding, must name every invoice written,
and (for a comma-separated file) must have no tab or line break inside a value. Formats with
a reader of our own are read back: one entry per invoice, each with the invoice's total,
each balanced. A format with a customers file writes the batch's customers the same way.
"""

import csv
import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from jobledger.exports.formats import FORMATS
from jobledger.exports.formats.base import CustomerDoc, ExportFormat, InvoiceDoc
from tests.exports.strategies import export_batches
from tests.exports.test_format_beancount import journal_totals
from tests.exports.test_format_csv import csv_totals
from tests.exports.test_format_myob import sale_totals

READ_BACK: dict[str, Callable[[bytes], dict[int, Decimal]]] = {
    "csv": csv_totals,
    "myob_txt": sale_totals,
    "journal_beancount": journal_totals,
}
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def readable_text(fmt: ExportFormat, content: bytes) -> str:
    """The file as text: decoded for a text format, every cell's value for a workbook."""
    if fmt.media_type == WORKBOOK:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    assert fmt.encoding, f"{fmt.key}: add a reader for {fmt.media_type}"
    return content.decode(fmt.encoding)


def assert_values_on_one_line(text: str) -> None:
    """In a comma-separated file a tab or a line break inside a value breaks importers."""
    for row in csv.reader(io.StringIO(text, newline="")):
        for value in row:
            assert not any(ch in value for ch in "\t\r\n"), repr(value)


def customers_of(invoices: list[InvoiceDoc]) -> list[CustomerDoc]:
    return list({invoice.customer.code: invoice.customer for invoice in invoices}.values())


@pytest.mark.parametrize("key", list(FORMATS))
@PROPERTY
@given(batch=export_batches())
def test_every_format_writes_every_invoice_it_accepts(key: str, batch: list[InvoiceDoc]) -> None:
    fmt = FORMATS[key]
    accepted = [invoice for invoice in batch if not fmt.check(invoice)]
    text = ""
    for group in files_of(fmt, accepted):
        content = fmt.write(iter(group), customers_of(group))
        assert isinstance(content, bytes)
        assert content
        text += readable_text(fmt, content)
    if fmt.extension == "csv":
        assert_values_on_one_line(text)
    for invoice in accepted:
        assert str(invoice.number) in text, f"invoice {invoice.number} is missing"
    if key in READ_BACK:
        assert READ_BACK[key](content) == {invoice.number: invoice.total for invoice in accepted}
    if fmt.write_customers:
        assert_customer_file(fmt, fmt.write_customers(iter(customers_of(batch))))


def files_of(fmt: ExportFormat, invoices: list[InvoiceDoc]) -> list[list[InvoiceDoc]]:
    """The invoices of each file, as the export splits them (one file even when empty)."""
    size = fmt.max_invoices_per_file
    if not size:
        return [invoices]
    return [invoices[start : start + size] for start in range(0, len(invoices), size)]


def assert_customer_file(fmt: ExportFormat, content: bytes) -> None:
    assert isinstance(content, bytes)
    assert content
    text = readable_text(fmt, content)
    if fmt.customers_extension == "csv":
        assert_values_on_one_line(text)


def test_every_read_back_names_a_registered_format() -> None:
    """A misspelt or retired key here would silently skip its read-back above."""
    assert set(READ_BACK) <= set(FORMATS)
