"""CSV (other systems): golden files, read back by column name as docs/export-formats.md
describes the layout.

Regenerate the golden files with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`,
then read the diff by eye before keeping it.
"""

import csv
import io
import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from jobledger.exports.formats import get_format
from jobledger.exports.formats.csv_generic import FORMAT, write, write_customers
from tests.exports.samples import sample_customers, sample_invoices

GOLDEN = Path(__file__).parent / "golden"
# The documented columns (docs/export-formats.md), typed here rather than imported.
COLUMNS = (
    "record", "invoice_number", "document_type", "invoice_type", "invoice_date", "due_date",
    "terms_days", "terms", "customer_code", "customer_name", "job_number", "job_name",
    "po_number", "currency", "line_number", "item_code", "description", "kind", "quantity",
    "unit", "rate", "amount", "taxable", "tax_code", "tax_rate", "department",
    "account_code", "account_name", "subtotal", "tax", "freight", "deposit_applied",
    "invoice_total", "corrects_invoice",
)  # fmt: skip
INVOICE_COLUMNS = (
    "document_type", "invoice_type", "invoice_date", "due_date", "terms", "customer_code",
    "customer_name", "subtotal", "tax", "freight", "deposit_applied", "invoice_total",
)  # fmt: skip
NUMBERS = {
    "invoice_number", "terms_days", "line_number", "quantity", "rate", "amount", "tax_rate",
    "subtotal", "tax", "freight", "deposit_applied", "invoice_total", "corrects_invoice",
}  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@")


def golden(name: str, content: bytes) -> bytes:
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


def read_rows(data: bytes) -> list[dict[str, str]]:
    """Rows by column name, after the file-level rules: UTF-8 without a byte-order mark,
    CRLF, the documented header, no text cell a spreadsheet would run."""
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = list(reader)
    for row in rows:
        for column, value in row.items():
            assert not any(ch in value for ch in "\t\r\n"), (column, value)
            if column in NUMBERS:
                assert value == "" or Decimal(value).is_finite(), (column, value)
            else:
                assert not value.startswith(FORMULA_STARTS), (column, value)
    return rows


def read_invoices(data: bytes) -> dict[int, list[dict[str, str]]]:
    """Each invoice's rows, checked: header columns repeated alike, LINE rows adding up to
    the subtotal, the total adding up, the GL rows summing to zero."""
    invoices: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row in read_rows(data):
        invoices[int(row["invoice_number"])].append(row)
    for rows in invoices.values():
        assert len({tuple(row[c] for c in INVOICE_COLUMNS) for row in rows}) == 1
        head = rows[0]
        lines = [Decimal(row["amount"]) for row in rows if row["record"] == "LINE"]
        gl = [Decimal(row["amount"]) for row in rows if row["record"] == "GL"]
        assert [row["record"] for row in rows] == ["LINE"] * len(lines) + ["GL"] * len(gl)
        assert sum(lines) == Decimal(head["subtotal"])
        total = sum(Decimal(head[c]) for c in ("subtotal", "tax", "freight"))
        assert total - Decimal(head["deposit_applied"]) == Decimal(head["invoice_total"])
        assert sum(gl) == 0
        credit = Decimal(head["invoice_total"]) < 0
        assert head["document_type"] == ("CREDIT" if credit else "INVOICE")
    return dict(invoices)


def csv_totals(data: bytes) -> dict[int, Decimal]:
    return {n: Decimal(rows[0]["invoice_total"]) for n, rows in read_invoices(data).items()}


def test_invoice_file_matches_golden() -> None:
    content = write(sample_invoices(), ())
    assert content == golden("csv.csv", content)


def test_customers_file_matches_golden() -> None:
    content = write_customers(sample_customers())
    assert content == golden("csv-customers.csv", content)


def test_golden_reads_back_every_invoice_with_its_total() -> None:
    data = (GOLDEN / "csv.csv").read_bytes()
    assert csv_totals(data) == {invoice.number: invoice.total for invoice in sample_invoices()}


def test_golden_line_rows_carry_account_tax_and_terms() -> None:
    invoices = read_invoices((GOLDEN / "csv.csv").read_bytes())
    gravel = invoices[10001][2]
    assert (gravel["description"], gravel["account_code"], gravel["account_name"]) == (
        "Gravel 3/4in", "4030", "Materials Income",
    )  # fmt: skip
    assert (gravel["quantity"], gravel["rate"], gravel["amount"]) == ("12.25", "38.125", "467.03")
    foreman = invoices[10001][0]
    assert (foreman["taxable"], foreman["tax_code"], foreman["tax_rate"]) == ("Y", "TX", "8.25")
    assert (gravel["taxable"], gravel["tax_code"], gravel["tax_rate"]) == ("N", "", "0")
    assert {row["terms"] for row in invoices[10002]} == {"Net 45"}
    receivable = invoices[10002][1]
    assert (receivable["record"], receivable["account_code"], receivable["amount"]) == (
        "GL", "1100", "43000.00",
    )  # fmt: skip


def test_golden_credit_keeps_its_signs_and_says_credit() -> None:
    credit = read_invoices((GOLDEN / "csv.csv").read_bytes())[10005]
    assert {row["document_type"] for row in credit} == {"CREDIT"}
    assert (credit[0]["quantity"], credit[0]["amount"]) == ("-2", "-291.00")
    assert credit[0]["invoice_total"] == "-315.01"
    assert credit[0]["corrects_invoice"] == "10001"


def test_golden_text_shows_formulas_without_running_them() -> None:
    odd = read_invoices((GOLDEN / "csv.csv").read_bytes())[10003]
    assert odd[0]["description"] == '\'=HYPERLINK("x") pipe, 2" conduit'
    assert odd[1]["description"] == "Électricien journeyman; night shift"
    assert odd[2]["description"] == "'-Negative-looking note"
    assert odd[0]["customer_code"] == "'=CAFE"
    assert odd[0]["customer_name"] == 'Café "Réunion", Ltd =SUM(A1)'


def test_customers_read_back_by_column_name() -> None:
    data = (GOLDEN / "csv-customers.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    by_code = {row["customer_code"]: row for row in rows}
    assert list(by_code) == ["ACME", "CITY-RR", "'=CAFE"]
    acme = by_code["ACME"]
    assert (acme["address_line_1"], acme["address_line_2"]) == ("100 Main St", "Suite 4")
    assert (acme["terms_days"], acme["terms"], acme["taxable"], acme["tax_rate"]) == (
        "30", "Net 30", "Y", "8.25",
    )  # fmt: skip
    assert by_code["'=CAFE"]["phone"] == "'+1 514 555 0199"
    assert by_code["CITY-RR"]["tax_code"] == ""


def test_registered_with_its_label_and_file_type() -> None:
    fmt = get_format("csv")
    assert fmt is FORMAT
    assert (fmt.label, fmt.extension, fmt.media_type) == ("CSV (other systems)", "csv", "text/csv")
    assert fmt.write_customers is write_customers
