"""Sage 50 (UK) audit trail transactions: golden files, read back by Sage's field names.

Regenerate the golden files with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`
and review the difference by eye before keeping it.
"""

import csv
import dataclasses
import io
import os
import re
from decimal import Decimal
from itertools import groupby
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import InvoiceDoc
from jobledger.exports.formats.sage50_uk_csv import check, tax_shares, write, write_customers
from tests.exports.samples import (
    ACME,
    EQUIPMENT,
    LABOR,
    invoice,
    line,
    sample_customers,
    sample_invoices,
)
from tests.exports.strategies import invoice_lists

GOLDEN = Path(__file__).parent / "golden"
D = Decimal

# Sage's audit trail field names (format reference 4.5), written out for the test.
HEADINGS = [
    "Type", "Account Reference", "Nominal A/C Ref", "Department Code", "Date", "Reference",
    "Details", "Net Amount", "Tax Code", "Tax Amount", "Exchange Rate", "Extra Reference",
    "User Name", "Project Refn", "Cost Code Refn",
]  # fmt: skip
CUSTOMER_HEADINGS = [
    "A/C", "Name", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
    "Address Line 5", "Contact Name", "Telephone", "Fax", "Analysis 1", "Analysis 2",
    "Analysis 3", "Department", "VAT Number", "M.T.D.", "Y.T.D.", "Prior Y.T.D.",
    "Credit Limit", "Trading Terms Text", "Settlement Due Days", "Sett. Discount (%)",
    "Default Nominal Code", "Default Tax Code",
]  # fmt: skip
UK_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
AMOUNT = re.compile(r"^\d+\.\d{2}$")  # positive, two places
LIMITS = {"Account Reference": 8, "Nominal A/C Ref": 8, "Reference": 30, "Details": 60,
          "Extra Reference": 30}  # fmt: skip
DIRECTION = {"SI": 1, "SC": -1}


def golden(name: str, content: bytes) -> bytes:
    """The stored golden file; with JOBLEDGER_UPDATE_GOLDEN=1 it is rewritten first."""
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


def read_audit_trail(content: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(content.decode("ascii"), newline=""))
    assert reader.fieldnames == HEADINGS
    rows = list(reader)
    for row in rows:
        assert row["Type"] in DIRECTION
        assert UK_DATE.match(row["Date"])
        assert AMOUNT.match(row["Net Amount"])
        assert AMOUNT.match(row["Tax Amount"])
        assert row["Tax Code"] in {"T0", "T1", "T9"}
        assert " " not in row["Account Reference"]
        for heading, limit in LIMITS.items():
            assert len(row[heading]) <= limit, heading
    return rows


def documents(rows: list[dict[str, str]]) -> list[tuple[str, str, list[dict[str, str]]]]:
    """Sage groups consecutive rows of the same type and reference into one document."""
    keyed = groupby(rows, key=lambda row: (row["Reference"], row["Type"]))
    return [(reference, kind, list(group)) for (reference, kind), group in keyed]


def charged(rows: list[dict[str, str]], field: str | None = None) -> Decimal:
    """What the rows charge the customer: SI adds, SC takes away."""
    fields = [field] if field else ["Net Amount", "Tax Amount"]
    return sum(
        (DIRECTION[row["Type"]] * D(row[name]) for row in rows for name in fields), D("0.00")
    )


def by_reference(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["Reference"], []).append(row)
    return grouped


def test_invoice_file_matches_golden() -> None:
    content = write(sample_invoices(), ())

    assert content == golden("sage50_uk_csv.csv", content)
    assert content == write(iter(sample_invoices()), ())  # read once, as a stream


def test_customer_file_matches_golden() -> None:
    content = write_customers(sample_customers())

    assert content == golden("sage50_uk_csv-customers.csv", content)


def test_golden_reads_back_to_the_invoice_totals_and_tax() -> None:
    invoices = {str(inv.number): inv for inv in sample_invoices()}
    rows = read_audit_trail((GOLDEN / "sage50_uk_csv.csv").read_bytes())

    grouped = by_reference(rows)
    assert list(grouped) == list(invoices)
    for reference, group in grouped.items():
        assert charged(group) == invoices[reference].total
        assert charged(group, "Tax Amount") == invoices[reference].tax_amount
        assert {row["Date"] for row in group} == {"14/03/2025"}
    kinds = [(reference, kind, len(group)) for reference, kind, group in documents(rows)]
    assert kinds == [("10001", "SI", 4), ("10002", "SI", 1), ("10002", "SC", 1),
                     ("10003", "SI", 3), ("10004", "SI", 2), ("10005", "SC", 1)]  # fmt: skip


def test_golden_nominal_codes_and_tax_codes() -> None:
    rows = by_reference(read_audit_trail((GOLDEN / "sage50_uk_csv.csv").read_bytes()))

    first = [(r["Nominal A/C Ref"], r["Net Amount"], r["Tax Code"], r["Tax Amount"])
             for r in rows["10001"]]  # fmt: skip
    assert first == [
        ("4010", "760.00", "T1", "62.70"),
        ("4020", "945.75", "T1", "78.02"),
        ("4030", "467.03", "T0", "0.00"),
        ("4800", "125.00", "T0", "0.00"),
    ]
    deposit = rows["10002"][1]
    assert (deposit["Type"], deposit["Nominal A/C Ref"], deposit["Net Amount"]) == (
        "SC", "2200", "5000.00",
    )  # fmt: skip
    assert deposit["Tax Code"] == "T9"
    odd = rows["10003"][0]
    assert (odd["Account Reference"], odd["Details"], odd["Extra Reference"]) == (
        "CAFE", 'HYPERLINK("x") pipe, 2" conduit', 'PO "A,1"',
    )  # fmt: skip


def test_customer_file_reads_back_by_heading() -> None:
    text = (GOLDEN / "sage50_uk_csv-customers.csv").read_bytes().decode("ascii")
    reader = csv.DictReader(io.StringIO(text, newline=""))

    assert reader.fieldnames == CUSTOMER_HEADINGS
    rows = list(reader)
    assert [row["A/C"] for row in rows] == ["ACME", "CITY-RR", "CAFE"]
    assert [rows[0][f"Address Line {n}"] for n in range(1, 6)] == [
        "100 Main St", "Suite 4", "Austin", "TX", "78701",
    ]  # fmt: skip
    assert rows[2]["Name"] == 'Cafe "Reunion", Ltd =SUM(A1)'
    for row in rows:
        assert len(row["A/C"]) <= 8
        assert " " not in row["A/C"]
        assert all(len(row[f"Address Line {n}"]) <= 60 for n in range(1, 6))
        assert len(row["Contact Name"]) <= 30


def test_tax_is_shared_over_taxable_lines_to_the_penny() -> None:
    lines = [line("A", "labor", "1", "0.10", True, LABOR, "A"),
             line("B", "labor", "1", "0.10", True, LABOR, "B"),
             line("C", "labor", "1", "0.10", True, LABOR, "C"),
             line("D", "labor", "1", "5.00", False, LABOR, "D")]  # fmt: skip
    doc = dataclasses.replace(invoice(1, ACME, lines), tax_amount=D("0.02"))

    assert tax_shares(doc) == [D("0.01"), D("0.01"), D("0.00"), D("0.00")]


def test_tax_follows_the_lines_that_run_its_way() -> None:
    lines = [line("Charge", "labor", "1", "100.00", True, LABOR, "A"),
             line("Credit", "equipment", "-3", "100.00", True, EQUIPMENT, "B")]  # fmt: skip
    credit = invoice(1, ACME, lines, kind="Correction", corrects=9)

    assert credit.tax_amount == D("-16.50")
    assert tax_shares(credit) == [D("0.00"), D("-16.50")]
    rows = read_audit_trail(write([credit], ()))
    assert [(r["Type"], r["Net Amount"], r["Tax Amount"]) for r in rows] == [
        ("SC", "300.00", "16.50"), ("SI", "100.00", "0.00"),
    ]  # fmt: skip
    assert charged(rows) == credit.total


def test_empty_input_writes_the_headings_alone() -> None:
    assert write([], ()).decode().splitlines() == [",".join(HEADINGS)]
    assert write_customers([]).decode().splitlines() == [",".join(CUSTOMER_HEADINGS)]


def test_clean_invoices_pass_the_check() -> None:
    assert [check(doc) for doc in sample_invoices()] == [[]] * 5


def test_check_names_references_sage_cannot_take() -> None:
    doc = sample_invoices()[1]
    customer = dataclasses.replace(doc.customer, code="ROUND ROCK CITY")
    lines = (dataclasses.replace(doc.lines[0], account=None),)
    long_nominal = dataclasses.replace(doc.deposit_account, code="220000001")

    problems = check(dataclasses.replace(doc, customer=customer, lines=lines,
                                         deposit_account=long_nominal))  # fmt: skip

    assert problems == [
        "Invoice 10002: customer code ROUND ROCK CITY is not a Sage 50 A/C reference (at most "
        "8 characters, no spaces); change it on the customer.",
        "Invoice 10002: line 1 has no nominal code: map its category on the Distribution settings.",
        "Invoice 10002: the deposit applied goes to account 220000001, longer than the 8 "
        "characters of a Sage 50 nominal code.",
    ]


def test_registered_with_its_label() -> None:
    fmt = get_format("sage50_uk_csv")

    assert (fmt.label, fmt.extension, fmt.write, fmt.check) == ("Sage 50 (UK)", "csv", write, check)
    assert fmt.write_customers is write_customers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_lists())
def test_random_invoices_keep_count_totals_and_balance(invoices: list[InvoiceDoc]) -> None:
    grouped = by_reference(read_audit_trail(write(iter(invoices), ())))

    assert list(grouped) == [str(doc.number) for doc in invoices]
    for doc in invoices:
        rows = grouped[str(doc.number)]
        assert charged(rows) == doc.total
        assert charged(rows, "Tax Amount") == doc.tax_amount
        # At most one document of each type per invoice, its own type first.
        kinds = [kind for _, kind, _ in documents(rows)]
        assert kinds[0] == ("SC" if doc.is_credit else "SI")
        assert len(kinds) == len(set(kinds))
