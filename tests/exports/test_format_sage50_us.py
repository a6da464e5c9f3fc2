"""Sage 50 (US) Sales Journal: golden files, read back by column position as Sage reads them.

Regenerate the golden files with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`
and review the difference by eye before keeping it.
"""

import csv
import dataclasses
import io
import os
import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import InvoiceDoc
from jobledger.exports.formats.sage50_us_csv import check, write, write_customers
from tests.exports.samples import LABOR, sample_customers, sample_invoices
from tests.exports.strategies import invoice_lists

GOLDEN = Path(__file__).parent / "golden"
D = Decimal

# Sage 50's default Sales Journal template order (format reference 4.2), written out here
# rather than imported so the test does not trust the writer's own list.
TEMPLATE = """Customer ID|Invoice/CM #|Apply to Invoice Number|Credit Memo|Progress Billing Invoice|
Date|Ship By|Quote|Quote #|Quote Good Thru Date|Drop Ship|Ship to Name|Ship to Address-Line One|
Ship to Address-Line Two|Ship to City|Ship to State|Ship to Zipcode|Ship to Country|Customer PO|
Ship Via|Ship Date|Date Due|Discount Amount|Discount Date|Displayed Terms|
Sales Representative ID|Accounts Receivable Account|Sales Tax ID|Invoice Note|
Note Prints After Line Items|Statement Note|Stmt Note Prints Before Ref|Internal Note|
Beginning Balance Transaction|Number of Distributions|Invoice/CM Distribution|
Apply to Invoice Distribution|Apply To Sales Order|Apply to Proposal|Quantity|SO/Proposal Number|
Item ID|Serial Number|SO/Proposal Distribution|Description|G/L Account|Unit Price|Tax Type|
UPC / SKU|Weight|Amount|Job ID|Sales Tax Agency ID|Transaction Period|Transaction Number|
Return Authorization|Voided by Transaction|Recur Number|Recur Frequency"""
TEMPLATE_COLUMNS = TEMPLATE.replace("\n", "").split("|")

# Positions (0-based) in that template, as Sage maps them.
CUSTOMER_ID, INVOICE_NO, APPLY_TO, CREDIT_MEMO, DATE = 0, 1, 2, 3, 5
SHIP_NAME, SHIP_LINE_1, SHIP_LINE_2, SHIP_CITY, SHIP_STATE, SHIP_ZIP, SHIP_COUNTRY = range(11, 18)
DATE_DUE, AR_ACCOUNT = 21, 26
DISTRIBUTIONS, DISTRIBUTION = 34, 35
QUANTITY, DESCRIPTION, GL_ACCOUNT, UNIT_PRICE, AMOUNT = 39, 44, 45, 46, 50
TAX_AGENCY = 52
LIMITS = {CUSTOMER_ID: 20, INVOICE_NO: 20, APPLY_TO: 20, SHIP_NAME: 30, SHIP_LINE_1: 30,
          SHIP_LINE_2: 30, SHIP_CITY: 20, SHIP_STATE: 2, SHIP_ZIP: 12, SHIP_COUNTRY: 15,
          AR_ACCOUNT: 15, GL_ACCOUNT: 15, DESCRIPTION: 160}  # fmt: skip
NUMERIC = {QUANTITY, UNIT_PRICE, AMOUNT}
SAGE_DATE = re.compile(r"^\d{2}/\d{2}/\d{2}$")

CUSTOMER_HEADINGS = [
    "Customer ID", "Customer Name", "Prospect", "Inactive", "Bill to Contact First Name",
    "Bill to Contact Last Name", "Bill to Address-Line One", "Bill to Address-Line Two",
    "Bill to City", "Bill to State", "Bill to Zip", "Bill to Country", "Bill to Sales Tax ID",
    "Telephone 1", "Customer E-mail", "Use Standard Terms", "Due Days",
]  # fmt: skip
CUSTOMER_LIMITS = {"Customer ID": 20, "Customer Name": 39, "Bill to Contact First Name": 15,
                   "Bill to Contact Last Name": 20, "Bill to Address-Line One": 30,
                   "Bill to Address-Line Two": 30, "Bill to City": 20, "Bill to State": 2,
                   "Bill to Zip": 12, "Bill to Country": 15, "Bill to Sales Tax ID": 8}  # fmt: skip


def golden(name: str, content: bytes) -> bytes:
    """The stored golden file; with JOBLEDGER_UPDATE_GOLDEN=1 it is rewritten first."""
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


def read_journal(content: bytes) -> dict[str, list[list[str]]]:
    """Sage's reading: a heading row, then rows by position grouped into transactions by
    Number of Distributions, each row of a transaction with the same customer and number."""
    rows = list(csv.reader(io.StringIO(content.decode("ascii"), newline="")))
    assert rows[0] == TEMPLATE_COLUMNS
    transactions: dict[str, list[list[str]]] = {}
    body = rows[1:]
    while body:
        count = int(body[0][DISTRIBUTIONS])
        group, body = body[:count], body[count:]
        assert len(group) == count
        assert [row[DISTRIBUTION] for row in group] == [str(n) for n in range(1, count + 1)]
        assert {(row[CUSTOMER_ID], row[INVOICE_NO], row[DISTRIBUTIONS]) for row in group} == {
            (group[0][CUSTOMER_ID], group[0][INVOICE_NO], str(count))
        }
        assert group[0][INVOICE_NO] not in transactions
        transactions[group[0][INVOICE_NO]] = group
    return transactions


def amount_sum(group: list[list[str]]) -> Decimal:
    return sum((D(row[AMOUNT]) for row in group), D("0.00"))


def test_invoice_file_matches_golden() -> None:
    content = write(sample_invoices(), ())

    assert content == golden("sage50_us_csv.csv", content)
    assert content == write(iter(sample_invoices()), ())  # read once, as a stream


def test_customer_list_matches_golden() -> None:
    content = write_customers(sample_customers())

    assert content == golden("sage50_us_csv-customers.csv", content)


def test_golden_reads_back_as_one_transaction_per_invoice_netting_the_total() -> None:
    invoices = {str(inv.number): inv for inv in sample_invoices()}
    transactions = read_journal((GOLDEN / "sage50_us_csv.csv").read_bytes())

    assert transactions.keys() == invoices.keys()
    for number, group in transactions.items():
        invoice = invoices[number]
        # Debits positive, credits negative: the distributions net to minus the A/R amount.
        assert amount_sum(group) == -invoice.total
        assert {row[CREDIT_MEMO] for row in group} == {"TRUE" if invoice.is_credit else "FALSE"}
        assert {row[AR_ACCOUNT] for row in group} == {"1100"}


def test_golden_signs_accounts_and_credit_memo() -> None:
    transactions = read_journal((GOLDEN / "sage50_us_csv.csv").read_bytes())

    freight_taxed = [(r[DESCRIPTION], r[GL_ACCOUNT], r[AMOUNT]) for r in transactions["10001"]]
    assert freight_taxed == [
        ("Foreman", "4010", "-760.00"),
        ("Excavator, 20t", "4020", "-945.75"),
        ("Gravel 3/4in", "4030", "-467.03"),
        ("Freight", "4800", "-125.00"),
        ("Sales tax", "2100", "-140.72"),
    ]
    assert transactions["10001"][4][TAX_AGENCY] == "TX"
    deposit = transactions["10002"][-1]
    assert (deposit[DESCRIPTION], deposit[GL_ACCOUNT], deposit[AMOUNT]) == (
        "Deposit applied", "2200", "5000.00",
    )  # fmt: skip
    credit = transactions["10005"]
    assert {row[APPLY_TO] for row in credit} == {"10001"}
    assert [(row[QUANTITY], row[AMOUNT]) for row in credit] == [("2", "291.00"), ("", "24.01")]
    assert amount_sum(credit) == D("315.01")


def test_golden_dates_lengths_and_text() -> None:
    content = (GOLDEN / "sage50_us_csv.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(content.decode("ascii"), newline="")))[1:]

    assert content.count(b"\r\n") == len(rows) + 1
    for row in rows:
        assert len(row) == len(TEMPLATE_COLUMNS)
        assert SAGE_DATE.match(row[DATE])
        assert SAGE_DATE.match(row[DATE_DUE])
        for position, limit in LIMITS.items():
            assert len(row[position]) <= limit, TEMPLATE_COLUMNS[position]
        for position, value in enumerate(row):
            if position not in NUMERIC:
                assert not value.startswith(("=", "+", "-", "@")), TEMPLATE_COLUMNS[position]
    odd = next(row for row in rows if row[INVOICE_NO] == "10003")
    assert odd[CUSTOMER_ID] == "CAFE"
    assert odd[SHIP_NAME] == 'Cafe "Reunion", Ltd =SUM(A1)'
    assert odd[DATE] == "03/14/25"
    assert odd[DATE_DUE] == "03/14/25"


def test_customer_list_reads_back_by_heading() -> None:
    text = (GOLDEN / "sage50_us_csv-customers.csv").read_bytes().decode("ascii")
    reader = csv.DictReader(io.StringIO(text, newline=""))

    assert reader.fieldnames == CUSTOMER_HEADINGS
    rows = list(reader)
    assert [row["Customer ID"] for row in rows] == ["ACME", "CITY-RR", "CAFE"]
    assert (rows[0]["Bill to Contact First Name"], rows[0]["Bill to Contact Last Name"]) == (
        "Jo", "Marsh",
    )  # fmt: skip
    assert rows[2]["Customer Name"] == 'Cafe "Reunion", Ltd =SUM(A1)'
    for row in rows:
        for heading, limit in CUSTOMER_LIMITS.items():
            assert len(row[heading]) <= limit, heading


def test_empty_input_writes_the_headings_alone() -> None:
    assert write([], ()) == (",".join(TEMPLATE_COLUMNS) + "\r\n").encode()
    assert write_customers([]).decode().splitlines() == [",".join(CUSTOMER_HEADINGS)]


def test_clean_invoices_pass_the_check() -> None:
    assert [check(invoice) for invoice in sample_invoices()] == [[]] * 5


def test_check_names_missing_accounts() -> None:
    invoice = sample_invoices()[0]
    lines = (dataclasses.replace(invoice.lines[0], account=None), *invoice.lines[1:])
    broken = dataclasses.replace(
        invoice, lines=lines, freight_account=None, tax_account=None, receivable_account=None
    )

    assert check(broken) == [
        "Invoice 10001: the receivable has no account: map Accounts Receivable on the "
        "Distribution settings.",
        "Invoice 10001: line 1 has no income account: map its category on the Distribution "
        "settings.",
        "Invoice 10001: freight has no account: map freight on the Distribution settings.",
        "Invoice 10001: sales tax has no account: map sales tax on the Distribution settings.",
    ]


def test_check_names_what_is_too_long_for_sage() -> None:
    invoice = sample_invoices()[0]
    customer = dataclasses.replace(invoice.customer, code="A" * 21, tax_code="TEXAS-STATE")
    long_account = dataclasses.replace(LABOR, code="4010-000-000-0001")
    lines = (dataclasses.replace(invoice.lines[0], account=long_account), *invoice.lines[1:])

    problems = check(dataclasses.replace(invoice, customer=customer, lines=lines))

    assert problems == [
        f"Invoice 10001: customer code {'A' * 21} is longer than the 20 characters Sage 50 "
        "takes; shorten it on the customer.",
        "Invoice 10001: tax code TEXAS-STATE is longer than the 8 characters of a Sage 50 "
        "Sales Tax ID; shorten it on the customer.",
        "Invoice 10001: line 1 goes to account 4010-000-000-0001, longer than the 15 "
        "characters of a Sage 50 G/L account.",
    ]


def test_check_refuses_more_distributions_than_sage_takes() -> None:
    invoice = sample_invoices()[3]
    many = dataclasses.replace(invoice, lines=invoice.lines * 77)  # 154 lines + tax

    assert check(many) == [
        "Invoice 10004 has 155 distributions; Sage 50 takes at most 154 on one invoice — "
        "split it or group its charges."
    ]


def test_registered_with_its_label() -> None:
    fmt = get_format("sage50_us_csv")

    assert (fmt.label, fmt.extension, fmt.write, fmt.check) == ("Sage 50 (US)", "csv", write, check)
    assert fmt.write_customers is write_customers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_lists())
def test_random_invoices_keep_count_totals_and_balance(invoices: list[InvoiceDoc]) -> None:
    transactions = read_journal(write(iter(invoices), ()))

    assert list(transactions) == [str(invoice.number) for invoice in invoices]
    for invoice in invoices:
        group = transactions[str(invoice.number)]
        assert amount_sum(group) + invoice.total == 0
        assert {row[CREDIT_MEMO] for row in group} == {"TRUE" if invoice.is_credit else "FALSE"}
        for row in group:
            assert SAGE_DATE.match(row[DATE_DUE])
            for position, limit in LIMITS.items():
                assert len(row[position]) <= limit
