"""Sage 300 A/R invoice batch, as a multi-record CSV and as a workbook: golden files, read
back by record type and view field names, and the workbook with openpyxl.

Regenerate the golden files with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`
and review the difference by eye before keeping it (the workbook: open it).
"""

import csv
import dataclasses
import datetime
import io
import itertools
import os
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings

from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import InvoiceDoc
from jobledger.exports.formats.sage300_csv import write, write_customers
from jobledger.exports.formats.sage300_records import check
from jobledger.exports.formats.sage300_xlsx import write as write_workbook
from jobledger.exports.formats.sage300_xlsx import write_customers as write_customer_workbook
from tests.exports.samples import sample_customers, sample_invoices
from tests.exports.strategies import invoice_lists

GOLDEN = Path(__file__).parent / "golden"
D = Decimal
Records = dict[str, list[dict[str, str]]]

# Record types of an A/R invoice-entry CSV (format reference 5.1) and the fields each must
# carry (5.2-5.4); the views' sheet names in a workbook.
RECORD_TYPES = {"1": "Invoices", "2": "Invoice_Details", "3": "Invoice_Payment_Schedules",
                "4": "Invoice_Optional_Fields", "5": "Invoice_Detail_Optional_Fields"}  # fmt: skip
REQUIRED = {
    "Invoices": {"CNTBTCH", "CNTITEM", "IDCUST", "IDINVC", "TEXTTRX", "IDTRX", "DATEINVC",
                 "DATEDUE"},
    "Invoice_Details": {"CNTBTCH", "CNTITEM", "CNTLINE", "IDACCTREV", "TEXTDESC", "AMTEXTN"},
    "Invoice_Payment_Schedules": {"CNTBTCH", "CNTITEM", "CNTPAYM", "DATEDUE", "AMTDUE"},
    "Invoice_Optional_Fields": {"CNTBTCH", "CNTITEM", "OPTFIELD", "VALUE"},
    "Invoice_Detail_Optional_Fields": {"CNTBTCH", "CNTITEM", "CNTLINE", "OPTFIELD", "VALUE"},
}  # fmt: skip
SHEETS = ["Invoice_Batches", "Invoices", "Invoice_Details", "Invoice_Payment_Schedules"]
DATE_FIELDS = {"DATEINVC", "DATEDUE", "DATEBTCH"}
AMOUNT_FIELDS = {"AMTEXTN", "AMTDUE", "AMTENTR"}
LIMITS = {"IDCUST": 12, "IDINVC": 22, "INVCDESC": 60, "INVCAPPLTO": 22, "CUSTPO": 22,
          "IDACCTREV": 45, "TEXTDESC": 60, "BTCHDESC": 60}  # fmt: skip
TRANSACTION_TYPES = {"1": range(11, 16), "3": range(31, 36)}
CUSTOMER_LIMITS = {"IDCUST": 12, "TEXTSNAM": 10, "NAMECUST": 60, "TEXTSTRE1": 60,
                   "TEXTSTRE2": 60, "TEXTSTRE3": 60, "TEXTSTRE4": 60, "NAMECITY": 30,
                   "CODESTTE": 30, "CODEPSTL": 20, "CODECTRY": 30, "NAMECTAC": 60,
                   "TEXTPHON1": 30}  # fmt: skip
YYYYMMDD = re.compile(r"^\d{8}$")


def golden(name: str, content: bytes) -> bytes:
    """The stored golden file; with JOBLEDGER_UPDATE_GOLDEN=1 it is rewritten first."""
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


# Reading the CSV as Sage does: the RECTYPE headings first, then records by type.


def read_csv_batch(content: bytes) -> Records:
    rows = list(csv.reader(io.StringIO(content.decode("cp1252"), newline="")))
    headings = [row[1:] for row in rows if row[0] == "RECTYPE"]
    assert [row[0] for row in rows[: len(headings)]] == ["RECTYPE"] * len(RECORD_TYPES)
    views = list(RECORD_TYPES.values())
    for view, fields in zip(views, headings, strict=True):
        assert REQUIRED[view] <= set(fields), view
    records: Records = {view: [] for view in views}
    for row in rows[len(headings) :]:
        assert row[0] in RECORD_TYPES, row
        fields = headings[int(row[0]) - 1]
        assert len(row) == len(fields) + 1
        records[RECORD_TYPES[row[0]]].append(dict(zip(fields, row[1:], strict=True)))
    return records


# Reading the workbook with openpyxl: typed cells, turned into the CSV's text for comparison.


def read_workbook(content: bytes) -> Records:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    records: Records = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows())
        fields = [cell.value for cell in rows[0]]
        records[sheet.title] = [
            {
                str(field): _cell_text(str(field), cell)
                for field, cell in zip(fields, row, strict=True)
            }
            for row in rows[1:]
        ]
    return records


def _cell_text(field: str, cell: openpyxl.cell.cell.Cell) -> str:
    value = cell.value
    assert cell.data_type != "f", f"{field} holds a formula"
    if field in DATE_FIELDS:
        assert isinstance(value, datetime.datetime), field
        return f"{value:%Y%m%d}"
    if field in AMOUNT_FIELDS:
        assert isinstance(value, int | float), field
        return f"{D(str(value)):.2f}"
    if field.startswith("CNT") or field in {"TEXTTRX", "IDTRX", "INVCTYPE", "SWACTV"}:
        assert isinstance(value, int), field
        return str(value)
    assert value is None or isinstance(value, str), field
    return value or ""


def check_batch(records: Records) -> dict[str, Decimal]:
    """Every record in its place; returns each document's total as it charges the customer."""
    headers = {(h["CNTBTCH"], h["CNTITEM"]): h for h in records["Invoices"]}
    assert len(headers) == len(records["Invoices"])
    lines: dict[tuple[str, str], list[int]] = {}
    for detail in records["Invoice_Details"]:
        key = (detail["CNTBTCH"], detail["CNTITEM"])
        assert key in headers, "a detail without its invoice"
        lines.setdefault(key, []).append(int(detail["CNTLINE"]))
    for numbers in lines.values():
        assert all(a < b for a, b in itertools.pairwise(numbers)), numbers
    for schedule in records["Invoice_Payment_Schedules"]:
        assert (schedule["CNTBTCH"], schedule["CNTITEM"]) in headers
    for view in ("Invoices", "Invoice_Details", "Invoice_Payment_Schedules"):
        for record in records[view]:
            _check_fields(record)
    totals = {}
    for key, header in headers.items():
        assert int(header["IDTRX"]) in TRANSACTION_TYPES[header["TEXTTRX"]]
        sign = 1 if header["TEXTTRX"] == "1" else -1
        amounts = [D(d["AMTEXTN"]) for d in records["Invoice_Details"]
                   if (d["CNTBTCH"], d["CNTITEM"]) == key]  # fmt: skip
        totals[header["IDINVC"]] = sign * sum(amounts, D("0.00"))
        due = [D(s["AMTDUE"]) for s in records["Invoice_Payment_Schedules"]
               if (s["CNTBTCH"], s["CNTITEM"]) == key]  # fmt: skip
        assert due == ([] if sign < 0 else [totals[header["IDINVC"]]])
    return totals


def _check_fields(record: dict[str, str]) -> None:
    for field, value in record.items():
        if field in DATE_FIELDS:
            assert YYYYMMDD.match(value), field
            datetime.datetime.strptime(value, "%Y%m%d")
        elif field in AMOUNT_FIELDS:
            D(value)
        else:
            assert not value.startswith(("=", "+", "-", "@")), field
        assert len(value) <= LIMITS.get(field, 60), field


def test_batch_csv_matches_golden() -> None:
    content = write(sample_invoices(), ())

    assert content == golden("sage300_csv.csv", content)
    assert content == write(iter(sample_invoices()), ())  # read once, as a stream


def test_customers_csv_matches_golden() -> None:
    content = write_customers(sample_customers())

    assert content == golden("sage300_csv-customers.csv", content)


def test_workbook_matches_golden_cell_for_cell() -> None:
    content = write_workbook(iter(sample_invoices()), ())

    stored = golden("sage300_xlsx.xlsx", content)
    assert read_workbook(content) == read_workbook(stored)
    assert content == write_workbook(sample_invoices(), ())  # the same bytes every time


def test_golden_batch_reads_back_with_the_invoice_totals() -> None:
    records = read_csv_batch((GOLDEN / "sage300_csv.csv").read_bytes())

    totals = check_batch(records)
    assert totals == {str(inv.number): inv.total for inv in sample_invoices()}
    assert records["Invoice_Optional_Fields"] == []
    assert records["Invoice_Detail_Optional_Fields"] == []


def test_golden_documents_details_and_schedule() -> None:
    records = read_csv_batch((GOLDEN / "sage300_csv.csv").read_bytes())
    headers = {h["IDINVC"]: h for h in records["Invoices"]}

    assert [(h["CNTITEM"], h["IDCUST"], h["TEXTTRX"], h["IDTRX"]) for h in headers.values()] == [
        ("1", "ACME", "1", "12"), ("2", "CITY-RR", "1", "12"), ("3", "CAFE", "1", "12"),
        ("4", "ACME", "1", "12"), ("5", "ACME", "3", "32"),
    ]  # fmt: skip
    assert headers["10005"]["INVCAPPLTO"] == "10001"
    assert (headers["10001"]["DATEINVC"], headers["10001"]["DATEDUE"]) == ("20250314", "20250413")
    first = [(d["CNTLINE"], d["IDACCTREV"], d["TEXTDESC"], d["AMTEXTN"])
             for d in records["Invoice_Details"] if d["CNTITEM"] == "1"]  # fmt: skip
    assert first == [
        ("20", "4010", "Foreman", "760.00"),
        ("40", "4020", "Excavator, 20t", "945.75"),
        ("60", "4030", "Gravel 3/4in", "467.03"),
        ("80", "4800", "Freight", "125.00"),
        ("100", "2100", "Sales tax", "140.72"),
    ]
    deposit = [d for d in records["Invoice_Details"] if d["CNTITEM"] == "2"][-1]
    assert (deposit["IDACCTREV"], deposit["AMTEXTN"]) == ("2200", "-5000.00")
    credit = [d["AMTEXTN"] for d in records["Invoice_Details"] if d["CNTITEM"] == "5"]
    assert credit == ["291.00", "24.01"]  # positive: the document type says credit
    odd = [d["TEXTDESC"] for d in records["Invoice_Details"] if d["CNTITEM"] == "3"]
    assert odd[:2] == ['HYPERLINK("x") pipe, 2" conduit', "Électricien journeyman; night shift"]


def test_golden_workbook_holds_the_same_batch_with_its_description() -> None:
    content = (GOLDEN / "sage300_xlsx.xlsx").read_bytes()
    workbook = read_workbook(content)

    assert list(workbook) == SHEETS
    assert {view: workbook[view] for view in SHEETS[1:]} == {
        view: records
        for view, records in read_csv_batch((GOLDEN / "sage300_csv.csv").read_bytes()).items()
        if view in SHEETS
    }
    assert workbook["Invoice_Batches"] == [
        {"CNTBTCH": "1", "DATEBTCH": "20250314", "BTCHDESC": "jobledger 2025-03-14",
         "INVCTYPE": "2", "CNTINVCENT": "5",
         "AMTENTR": f"{sum(inv.total for inv in sample_invoices()):.2f}"},
    ]  # fmt: skip


def test_workbook_takes_a_batch_description() -> None:
    content = write_workbook(sample_invoices(), (), batch_description="=Month end, March")

    batch = read_workbook(content)["Invoice_Batches"]
    assert batch[0]["BTCHDESC"] == "Month end, March"


def test_customers_read_back_by_arcus_field_names() -> None:
    text = (GOLDEN / "sage300_csv-customers.csv").read_bytes().decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    assert [(row["IDCUST"], row["NAMECUST"], row["SWACTV"]) for row in rows] == [
        ("ACME", "Acme Builders, Inc.", "1"),
        ("CITY-RR", "City of Round Rock", "1"),
        ("CAFE", 'Café "Réunion", Ltd =SUM(A1)', "1"),
    ]
    for row in rows:
        for field, limit in CUSTOMER_LIMITS.items():
            assert len(row[field]) <= limit, field
    workbook = read_workbook(write_customer_workbook(sample_customers()))
    assert workbook == {"Customers": rows}


def test_empty_input_writes_headings_alone() -> None:
    assert read_csv_batch(write([], ())) == {view: [] for view in RECORD_TYPES.values()}
    assert read_workbook(write_workbook([], ())) == {view: [] for view in SHEETS}
    assert write_customers([]).decode().count("\r\n") == 1


def test_clean_invoices_pass_the_check() -> None:
    assert [check(invoice) for invoice in sample_invoices()] == [[]] * 5


def test_check_names_what_sage_would_refuse() -> None:
    doc = sample_invoices()[1]
    customer = dataclasses.replace(doc.customer, code="CITY-OF-ROUND-ROCK")
    lines = (dataclasses.replace(doc.lines[0], account=None),)

    problems = check(dataclasses.replace(doc, number=10**22, customer=customer, lines=lines,
                                         deposit_account=None))  # fmt: skip

    assert problems == [
        "Invoice 10000000000000000000000: customer code CITY-OF-ROUND-ROCK is longer than the "
        "12 characters Sage 300 takes; shorten it on the customer.",
        "Invoice number 10000000000000000000000 is longer than the 22 characters Sage 300 takes.",
        "Invoice 10000000000000000000000: line 1 has no G/L account: map its category on the "
        "Distribution settings.",
        "Invoice 10000000000000000000000: the deposit applied has no G/L account: map its "
        "category on the Distribution settings.",
    ]


def test_registered_with_labels_and_types() -> None:
    batch, workbook = get_format("sage300_csv"), get_format("sage300_xlsx")

    assert (batch.label, batch.extension, batch.media_type) == (
        "Sage 300", "csv", "text/csv; charset=windows-1252",
    )  # fmt: skip
    assert (workbook.label, workbook.extension, workbook.customers_extension) == (
        "Sage 300 (Excel)", "xlsx", "xlsx",
    )  # fmt: skip
    assert workbook.media_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert batch.check is check
    assert workbook.check is check


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_lists())
def test_random_invoices_keep_count_totals_and_balance_in_the_csv(
    invoices: list[InvoiceDoc],
) -> None:
    totals = check_batch(read_csv_batch(write(iter(invoices), ())))

    assert totals == {str(doc.number): doc.total for doc in invoices}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_lists())
def test_random_invoices_keep_count_totals_and_balance_in_the_workbook(
    invoices: list[InvoiceDoc],
) -> None:
    records = read_workbook(write_workbook(iter(invoices), ()))

    assert check_batch(records) == {str(doc.number): doc.total for doc in invoices}
    batch = records["Invoice_Batches"]
    if invoices:
        assert batch[0]["CNTINVCENT"] == str(len(invoices))
        assert D(batch[0]["AMTENTR"]) == sum(doc.total for doc in invoices)
    else:
        assert batch == []
