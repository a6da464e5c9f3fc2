"""Xero sales invoice CSV: golden files, read back by header name with csv.DictReader.

Regenerate the golden files with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`,
then read the diff by eye before keeping it.
"""

import csv
import dataclasses
import datetime
import io
import os
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import InvoiceDoc
from jobledger.exports.formats.xero_csv import check, write, write_customers
from tests.exports.samples import sample_customers, sample_invoices
from tests.exports.strategies import export_batches, invoice_lists

GOLDEN = Path(__file__).parent / "golden"
# Xero's sales invoice template, `*` on the required columns (format reference 7).
COLUMNS = [
    "*ContactName", "EmailAddress", "POAddressLine1", "POAddressLine2", "POAddressLine3",
    "POAddressLine4", "POCity", "PORegion", "POPostalCode", "POCountry", "*InvoiceNumber",
    "Reference", "*InvoiceDate", "*DueDate", "Total", "InventoryItemCode", "*Description",
    "*Quantity", "*UnitAmount", "Discount", "*AccountCode", "*TaxType", "TaxAmount",
    "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2", "Currency",
    "BrandingTheme",
]  # fmt: skip
NUMERIC = {"*Quantity", "*UnitAmount", "TaxAmount", "Total", "Discount"}
HEADER_FIELDS = ("*ContactName", "*InvoiceDate", "*DueDate", "Reference", "Currency")
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
CENT = Decimal("0.01")


def golden(name: str, content: bytes) -> bytes:
    """The golden file's bytes; with JOBLEDGER_UPDATE_GOLDEN set, `content` replaces it first."""
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


def read_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    rows = list(reader)
    assert all(None not in row for row in rows), "no row longer than the header"
    return list(reader.fieldnames or []), rows


def read_invoices(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Rows by *InvoiceNumber, each row checked as Xero's import reads it."""
    header, rows = read_csv(data)
    assert header == COLUMNS
    invoices: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        invoices[row["*InvoiceNumber"]].append(row)
        for column, value in row.items():
            if column not in NUMERIC:
                assert not value.startswith(("=", "+", "-", "@")), (column, value)
        for column in ("*InvoiceDate", "*DueDate"):
            assert DATE.match(row[column])
            datetime.datetime.strptime(row[column], "%m/%d/%Y")
        assert row["*TaxType"] in ("Tax on Sales", "Tax Exempt")
        assert row["*AccountCode"]
        assert row["*Description"]
    for rows_of_one in invoices.values():
        for field in HEADER_FIELDS:
            assert len({row[field] for row in rows_of_one}) == 1, field
    return invoices


def total(rows: list[dict[str, str]]) -> Decimal:
    """What Xero adds up: quantity x unit amount per line, rounded to cents, plus tax."""
    lines = (
        (Decimal(r["*Quantity"]) * Decimal(r["*UnitAmount"])).quantize(CENT, ROUND_HALF_UP)
        + Decimal(r["TaxAmount"] or "0")
        for r in rows
    )
    return sum(lines, Decimal("0.00"))


def expected_rows(invoice: InvoiceDoc) -> int:
    return len(invoice.lines) + bool(invoice.freight) + bool(invoice.deposit_applied)


def exportable(invoices: list[InvoiceDoc]) -> list[InvoiceDoc]:
    return [invoice for invoice in invoices if not check(invoice)]


def test_invoices_match_the_golden_file_and_read_back_by_header_name() -> None:
    invoices = exportable(sample_invoices())
    assert [invoice.number for invoice in invoices] == [10001, 10002, 10003, 10004]
    content = write(invoices, ())
    assert content == golden("xero_csv.csv", content)

    read = read_invoices((GOLDEN / "xero_csv.csv").read_bytes())
    assert list(read) == [str(invoice.number) for invoice in invoices]
    for invoice in invoices:
        rows = read[str(invoice.number)]
        assert len(rows) == expected_rows(invoice)
        assert total(rows) == invoice.total
        codes = [line.account.code for line in invoice.lines if line.account]
        codes += ["4800"] if invoice.freight else []
        codes += ["2200"] if invoice.deposit_applied else []
        assert [row["*AccountCode"] for row in rows] == codes


def test_golden_rows_carry_tax_types_deposit_and_cleaned_text() -> None:
    read = read_invoices((GOLDEN / "xero_csv.csv").read_bytes())
    assert [(r["*TaxType"], r["TaxAmount"]) for r in read["10001"]] == [
        ("Tax on Sales", "62.70"), ("Tax on Sales", "78.02"), ("Tax Exempt", ""),
        ("Tax Exempt", ""),
    ]  # fmt: skip
    deposit = read["10002"][-1]
    assert (deposit["*Description"], deposit["*Quantity"], deposit["*UnitAmount"]) == (
        "Deposit applied", "1", "-5000.00",
    )  # fmt: skip
    odd = read["10003"]
    assert (odd[0]["*ContactName"], odd[0]["POAddressLine1"]) == (
        "CAFE", 'Café "Réunion", Ltd =SUM(A1)',
    )  # fmt: skip
    assert odd[0]["*Description"] == 'HYPERLINK("x") pipe, 2" conduit'
    assert odd[1]["*Description"] == "Électricien journeyman; night shift"
    assert odd[0]["*DueDate"] == "03/14/2025"


def test_contacts_file_matches_its_golden_file() -> None:
    content = write_customers(sample_customers())
    assert content == golden("xero_csv-customers.csv", content)
    header, rows = read_csv((GOLDEN / "xero_csv-customers.csv").read_bytes())
    assert header[:2] == ["*ContactName", "AccountNumber"]
    assert [(row["*ContactName"], row["AccountNumber"]) for row in rows] == [
        ("ACME", "ACME"), ("CITY-RR", "CITY-RR"), ("CAFE", "CAFE"),
    ]  # fmt: skip
    assert [row["AccountsReceivableTaxCodeName"] for row in rows] == [
        "Tax on Sales", "Tax Exempt", "Tax on Sales",
    ]  # fmt: skip
    assert [row["DueDateSalesDay"] for row in rows] == ["30", "45", "0"]
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())


def test_empty_exports_hold_only_the_header() -> None:
    assert read_csv(write([], ())) == (COLUMNS, [])
    assert read_csv(write_customers([]))[1] == []


def test_format_is_registered_with_five_hundred_invoices_a_file() -> None:
    fmt = get_format("xero_csv")
    assert (fmt.label, fmt.extension, fmt.max_invoices_per_file) == ("Xero", "csv", 500)
    assert (fmt.carries_customers, fmt.write_customers, fmt.check) == (
        False,
        write_customers,
        check,
    )


def test_check_refuses_a_credit_pointing_to_xeros_credit_note_import() -> None:
    assert check(sample_invoices()[4]) == [
        "Invoice 10005 is a credit (-315.01); Xero imports credit notes through its separate "
        "credit note import, not with invoices — enter it in Xero as a credit note or use "
        "another format"
    ]


def test_check_names_each_missing_account() -> None:
    invoice = sample_invoices()[1]  # a deposit applied
    line = dataclasses.replace(invoice.lines[0], account=None)
    invoice = dataclasses.replace(invoice, lines=(line,), deposit_account=None)
    assert check(invoice) == [
        f"Invoice 10002: {part} has no account; map its category on the Distribution settings"
        for part in ("line 1", "the deposit applied")
    ]
    with_freight = sample_invoices()[0]
    assert check(dataclasses.replace(with_freight, freight_account=None)) == [
        "Invoice 10001: freight has no account; map its category on the Distribution settings"
    ]


def test_a_line_whose_amount_is_not_quantity_times_rate_goes_in_as_one_unit() -> None:
    invoice = sample_invoices()[3]
    line = dataclasses.replace(invoice.lines[1], amount=Decimal("830.00"))  # not 16 x 52
    invoice = dataclasses.replace(invoice, lines=(invoice.lines[0], line),
                                  total=invoice.total - 2)  # fmt: skip
    rows = read_invoices(write([invoice], ()))["10004"]
    assert (rows[1]["*Quantity"], rows[1]["*UnitAmount"]) == ("1", "830.00")
    assert total(rows) == invoice.total


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_lists())
def test_random_invoices_keep_count_and_totals(invoices: list[InvoiceDoc]) -> None:
    ready = exportable(invoices)
    assert ready == [invoice for invoice in invoices if not invoice.is_credit]
    read = read_invoices(write(iter(ready), ()))
    assert list(read) == [str(invoice.number) for invoice in ready]
    for invoice in ready:
        rows = read[str(invoice.number)]
        assert len(rows) == expected_rows(invoice)
        assert total(rows) == invoice.total


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export_batches())
def test_awkward_batches_read_back_with_their_totals(batch: list[InvoiceDoc]) -> None:
    """Control characters, leading formulas, other charts of accounts, long numbers."""
    ready = exportable(batch)
    assert ready == [invoice for invoice in batch if not invoice.is_credit]
    read = read_invoices(write(iter(ready), ()))
    assert {number: total(rows) for number, rows in read.items()} == {
        str(invoice.number): invoice.total for invoice in ready
    }
