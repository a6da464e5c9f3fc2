"""QuickBooks Online invoice CSV: golden files, read back by header name with csv.DictReader.

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
from jobledger.exports.formats.qbo_csv import check, write, write_customers
from tests.exports.samples import sample_customers, sample_invoices
from tests.exports.strategies import export_batches, invoice_lists

GOLDEN = Path(__file__).parent / "golden"
# The compact spelling of Intuit's sample file (format reference 3.2).
COLUMNS = [
    "InvoiceNo", "Customer", "InvoiceDate", "DueDate", "Terms", "Location", "Memo",
    "Item(Product/Service)", "ItemDescription", "ItemQuantity", "ItemRate", "ItemAmount",
    "ItemTaxCode", "ItemTaxAmount",
]  # fmt: skip
NUMERIC = {"ItemQuantity", "ItemRate", "ItemAmount", "ItemTaxAmount"}
HEADER_FIELDS = ("Customer", "InvoiceDate", "DueDate", "Terms", "Location", "Memo")
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


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
    """Rows by InvoiceNo, each invoice checked as QuickBooks Online would group it."""
    header, rows = read_csv(data)
    assert header == COLUMNS
    invoices: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        invoices[row["InvoiceNo"]].append(row)
        for column, value in row.items():
            if column not in NUMERIC:
                assert not value.startswith(("=", "+", "-", "@")), (column, value)
        assert DATE.match(row["InvoiceDate"])
        assert DATE.match(row["DueDate"])
        datetime.datetime.strptime(row["InvoiceDate"], "%m/%d/%Y")
        assert row["ItemTaxCode"] in ("TAX", "NON")
        if row["ItemQuantity"] and row["ItemRate"]:
            product = Decimal(row["ItemQuantity"]) * Decimal(row["ItemRate"])
            assert product.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(row["ItemAmount"])
    for rows_of_one in invoices.values():
        for field in HEADER_FIELDS:
            assert len({row[field] for row in rows_of_one}) == 1, field
        assert total(rows_of_one) >= 0
    return invoices


def total(rows: list[dict[str, str]]) -> Decimal:
    return sum(
        (Decimal(r["ItemAmount"]) + Decimal(r["ItemTaxAmount"] or "0") for r in rows),
        Decimal("0.00"),
    )


def expected_rows(invoice: InvoiceDoc) -> int:
    return len(invoice.lines) + bool(invoice.freight) + bool(invoice.deposit_applied)


def exportable(invoices: list[InvoiceDoc]) -> list[InvoiceDoc]:
    return [invoice for invoice in invoices if not check(invoice)]


def test_invoices_match_the_golden_file_and_read_back_by_header_name() -> None:
    invoices = exportable(sample_invoices())
    assert [invoice.number for invoice in invoices] == [10001, 10002, 10003, 10004]
    content = write(invoices, ())
    assert content == golden("qbo_csv.csv", content)

    read = read_invoices((GOLDEN / "qbo_csv.csv").read_bytes())
    assert list(read) == [str(invoice.number) for invoice in invoices]
    for invoice in invoices:
        rows = read[str(invoice.number)]
        assert len(rows) == expected_rows(invoice)
        assert total(rows) == invoice.total
        taxed = sum((Decimal(r["ItemTaxAmount"] or "0") for r in rows), Decimal(0))
        assert taxed == invoice.tax_amount


def test_golden_rows_carry_freight_deposit_and_cleaned_text() -> None:
    read = read_invoices((GOLDEN / "qbo_csv.csv").read_bytes())
    freight = read["10001"][-1]
    assert (freight["Item(Product/Service)"], freight["ItemAmount"], freight["ItemTaxCode"]) == (
        "Freight", "125.00", "NON",
    )  # fmt: skip
    deposit = read["10002"][-1]
    assert (deposit["Item(Product/Service)"], deposit["ItemAmount"]) == (
        "Deposit applied", "-5000.00",
    )  # fmt: skip
    odd = read["10003"]
    assert odd[0]["Customer"] == "CAFE"
    assert odd[0]["ItemDescription"] == 'HYPERLINK("x") pipe, 2" conduit'
    assert odd[1]["ItemDescription"] == "Électricien journeyman; night shift"
    assert odd[0]["Memo"] == 'Job 24-0117 Riverside Lift Station, PO PO "A,1"'


def test_customers_file_matches_its_golden_file() -> None:
    content = write_customers(sample_customers())
    assert content == golden("qbo_csv-customers.csv", content)
    header, rows = read_csv((GOLDEN / "qbo_csv-customers.csv").read_bytes())
    assert header[:2] == ["Name", "Company"]
    assert [row["Name"] for row in rows] == ["ACME", "CITY-RR", "CAFE"]
    assert rows[0]["Street"] == "100 Main St, Suite 4"
    assert rows[2]["Company"] == 'Café "Réunion", Ltd =SUM(A1)'
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())


def test_empty_exports_hold_only_the_header() -> None:
    assert read_csv(write([], ())) == (COLUMNS, [])
    assert read_csv(write_customers([]))[1] == []


def test_format_is_registered_with_a_hundred_invoices_a_file() -> None:
    fmt = get_format("qbo_csv")
    assert (fmt.label, fmt.extension, fmt.max_invoices_per_file) == (
        "QuickBooks Online",
        "csv",
        100,
    )
    assert (fmt.carries_customers, fmt.write_customers, fmt.check) == (
        False,
        write_customers,
        check,
    )


def test_check_refuses_a_credit_with_the_reason() -> None:
    assert check(sample_invoices()[4]) == [
        "Invoice 10005 is a credit (-315.01); QuickBooks Online's invoice import takes only "
        "totals of 0 or more — enter it as a credit memo by hand or use another format"
    ]


def test_check_refuses_long_numbers_sub_customer_codes_and_untaxable_tax() -> None:
    invoice = sample_invoices()[0]
    assert "longer than the 21 characters" in check(dataclasses.replace(invoice, number=10**21))[0]
    customer = dataclasses.replace(invoice.customer, code="ACME:WEST")
    assert "customer:sub-customer" in check(dataclasses.replace(invoice, customer=customer))[0]
    untaxed = tuple(dataclasses.replace(line, taxable=False) for line in invoice.lines)
    assert "no taxable line" in check(dataclasses.replace(invoice, lines=untaxed))[0]


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
