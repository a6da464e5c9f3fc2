"""MYOB AccountRight Service Sales: golden files, read back by a parser of our own.

MYOB takes only its own account numbers (five digits, 4-1100), so the golden invoices are
the fixed samples with their GL accounts numbered the MYOB way; the samples as they are
must be refused by the check, with a reason.
Regenerate the golden files with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`,
then read the diff by eye before keeping it.
"""

import dataclasses
import os
import re
from decimal import Decimal
from pathlib import Path

from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import AccountDoc, InvoiceDoc
from jobledger.exports.formats.myob_txt import FORMAT, check, write, write_customers
from tests.exports.samples import sample_customers, sample_invoices

GOLDEN = Path(__file__).parent / "golden"
MYOB_NUMBERS = {
    "1100": "1-1100", "2100": "2-1100", "2200": "2-1200", "4000": "4-1000",
    "4010": "4-1010", "4020": "4-1020", "4030": "4-1030", "4800": "4-1800",
}  # fmt: skip
# Column names from the reference's Service Sales layout (AU), not from the writer.
SALES_COLUMNS = (
    "Co./Last Name", "Inclusive", "Invoice #", "Date", "Customer PO", "Delivery Status",
    "Description", "Account #", "Amount", "Inc-Tax Amount", "Job", "Comment", "Journal Memo",
    "Tax Code", "GST Amount", "Sale Status", "Terms - Payment is Due", "Card ID",
)  # fmt: skip
CARD_COLUMNS = ("Co./Last Name", "First Name", "Card ID", "Addr 1 - Line 1", "Tax Code")
AMOUNT = re.compile(r"^-?\d{1,12}\.\d{2}$")
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def golden(name: str, content: bytes) -> bytes:
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


def myob_numbered(invoice: InvoiceDoc) -> InvoiceDoc:
    """The same invoice in a company whose GL accounts carry their MYOB numbers."""

    def renumber(account: AccountDoc | None) -> AccountDoc | None:
        return account and AccountDoc(MYOB_NUMBERS[account.code], account.name)

    return dataclasses.replace(
        invoice,
        lines=tuple(dataclasses.replace(ln, account=renumber(ln.account)) for ln in invoice.lines),
        distribution=tuple(
            dataclasses.replace(gl, account_code=MYOB_NUMBERS[gl.account_code])
            for gl in invoice.distribution
        ),
        receivable_account=renumber(invoice.receivable_account),
        tax_account=renumber(invoice.tax_account),
        freight_account=renumber(invoice.freight_account),
        deposit_account=renumber(invoice.deposit_account),
    )


def myob_samples() -> list[InvoiceDoc]:
    return [myob_numbered(invoice) for invoice in sample_invoices()]


def read_file(data: bytes) -> tuple[list[str], str]:
    """The file as MYOB reads it: `{}`, then the column names, then the body."""
    assert not data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    text = data.decode("cp1252")
    assert "\n" not in text.replace("\r\n", ""), "CRLF line ends only"
    first, header_line, body = text.split("\r\n", 2)
    assert first == "{}"
    header = header_line.split("\t")
    assert len(set(header)) == len(header), "column names are unique"
    return header, body


def rows_of(header: list[str], lines: list[str]) -> list[dict[str, str]]:
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == len(header) for row in rows), "one value per column"
    return [dict(zip(header, row, strict=True)) for row in rows]


def read_records(data: bytes) -> tuple[list[str], list[list[dict[str, str]]]]:
    """Records separated by an empty line: the header and, per record, its rows."""
    header, body = read_file(data)
    if not body:
        return header, []
    assert body.endswith("\r\n\r\n"), "an empty line closes the last record"
    blocks = body[: -len("\r\n\r\n")].split("\r\n\r\n")
    return header, [rows_of(header, block.split("\r\n")) for block in blocks]


def read_sales(data: bytes) -> dict[int, list[dict[str, str]]]:
    """Each sale's rows by invoice number, after checking what MYOB insists on."""
    header, records = read_records(data)
    assert set(SALES_COLUMNS) <= set(header)
    sales = {}
    for rows in records:
        numbers = {row["Invoice #"] for row in rows}
        assert len(numbers) == 1, "one invoice per record"
        number = numbers.pop()
        assert 1 <= len(number) <= 8
        assert len({(r["Co./Last Name"], r["Date"], r["Card ID"]) for r in rows}) == 1
        for row in rows:
            assert row["Inclusive"] == "", "amounts are tax-exclusive"
            assert DATE.match(row["Date"]), row["Date"]
            assert AMOUNT.match(row["Amount"]), row
            assert AMOUNT.match(row["GST Amount"]), row
            assert Decimal(row["Inc-Tax Amount"]) == Decimal(row["Amount"]) + Decimal(
                row["GST Amount"]
            )
            assert row["Tax Code"] in ("GST", "FRE")
            assert row["Account #"], "every line names its account"
        assert int(number) not in sales, "an invoice appears once"
        sales[int(number)] = rows
    return sales


def sale_totals(data: bytes) -> dict[int, Decimal]:
    """Per invoice: its lines with their tax, which MYOB adds up to the sale's total."""
    return {
        number: sum((Decimal(r["Inc-Tax Amount"]) for r in rows), Decimal("0.00"))
        for number, rows in read_sales(data).items()
    }


def test_sales_file_matches_golden() -> None:
    content = write(myob_samples(), ())
    assert content == golden("myob_txt.txt", content)


def test_customer_cards_match_golden() -> None:
    content = write_customers(sample_customers())
    assert content == golden("myob_txt-customers.txt", content)


def test_golden_reads_back_one_sale_per_invoice_with_its_total_and_tax() -> None:
    data = (GOLDEN / "myob_txt.txt").read_bytes()
    invoices = myob_samples()
    assert sale_totals(data) == {invoice.number: invoice.total for invoice in invoices}
    sales = read_sales(data)
    for invoice in invoices:
        tax = sum((Decimal(row["GST Amount"]) for row in sales[invoice.number]), Decimal(0))
        assert tax == invoice.tax_amount


def test_golden_lines_carry_accounts_freight_deposit_and_credit() -> None:
    sales = read_sales((GOLDEN / "myob_txt.txt").read_bytes())
    first = [(r["Description"], r["Account #"], r["Amount"]) for r in sales[10001]]
    assert first[0] == ("Foreman", "4-1010", "760.00")
    assert first[-1] == ("Freight", "4-1800", "125.00")
    assert [r["Tax Code"] for r in sales[10001]] == ["GST", "GST", "FRE", "FRE"]
    deposit = sales[10002][-1]
    assert (deposit["Description"], deposit["Account #"], deposit["Amount"]) == (
        "Deposit applied", "2-1200", "-5000.00",
    )  # fmt: skip
    credit = sales[10005]
    assert [(r["Amount"], r["GST Amount"]) for r in credit] == [("-291.00", "-24.01")]
    assert {r["Date"] for r in credit} == {"14/03/2025"}
    assert {r["Sale Status"] for rows in sales.values() for r in rows} == {"I"}


def test_tax_is_spread_over_the_taxable_lines_to_the_cent() -> None:
    first = myob_samples()[0]
    nickel = dataclasses.replace(first.lines[0], quantity=Decimal(1), rate=Decimal("0.05"),
                                 amount=Decimal("0.05"))  # fmt: skip
    # Each line's 10 % is half a cent, rounded up; the invoice's tax is 0.015, rounded once.
    invoice = dataclasses.replace(
        first, lines=(nickel,) * 3, subtotal=Decimal("0.15"), tax_rate=Decimal(10),
        tax_amount=Decimal("0.02"), freight=Decimal("0.00"), total=Decimal("0.17"),
    )  # fmt: skip
    content = write([invoice], ())
    assert [row["GST Amount"] for row in read_sales(content)[10001]] == ["0.01", "0.01", "0.00"]
    assert sale_totals(content) == {10001: Decimal("0.17")}


def test_golden_text_is_clean_and_in_windows_1252() -> None:
    data = (GOLDEN / "myob_txt.txt").read_bytes()
    assert "Électricien".encode("cp1252") in data
    odd = read_sales(data)[10003]
    assert odd[0]["Description"] == 'HYPERLINK("x") pipe, 2" conduit'
    assert odd[1]["Description"] == "Électricien journeyman; night shift"
    assert odd[2]["Description"] == "Negative-looking note"
    assert odd[0]["Co./Last Name"] == 'Café "Réunion", Ltd =SUM(A1)'
    assert odd[0]["Card ID"] == "CAFE"
    assert odd[0]["Customer PO"] == 'PO "A,1"'


def test_customer_cards_read_back_one_card_per_line() -> None:
    header, body = read_file((GOLDEN / "myob_txt-customers.txt").read_bytes())
    assert set(CARD_COLUMNS) <= set(header)
    assert body.endswith("\r\n")
    assert "\r\n\r\n" not in body
    cards = {row["Card ID"]: row for row in rows_of(header, body[:-2].split("\r\n"))}
    assert list(cards) == ["ACME", "CITY-RR", "CAFE"]
    assert cards["ACME"]["Co./Last Name"] == "Acme Builders, Inc."
    assert cards["ACME"]["           - Balance Due Days"] == "30"
    assert cards["CITY-RR"]["Tax Code"] == "FRE"
    assert cards["CAFE"]["Co./Last Name"] == 'Café "Réunion", Ltd =SUM(A1)'
    assert cards["CAFE"]["           - Phone # 1"] == "1 514 555 0199"


def test_check_refuses_long_numbers_and_accounts_myob_does_not_have() -> None:
    plain = sample_invoices()[3]
    assert check(plain) == [
        f"Invoice 10004: line {n} goes to account {code}, which is not a MYOB account number "
        "(five digits, such as 4-1100) — give the GL account its MYOB number"
        for n, code in ((1, "4000"), (2, "4010"))
    ]
    odd = sample_invoices()[2]
    assert check(odd)[0].startswith("Invoice 10003: line 1 and line 3 go to account 4030,")
    plain = sample_invoices()[0]
    assert check(myob_numbered(plain)) == []
    long_number = dataclasses.replace(myob_numbered(plain), number=123456789)
    assert check(long_number) == [
        "Invoice 123456789: MYOB takes invoice numbers of at most 8 characters — export it "
        "with another format or enter it by hand"
    ]
    unmapped = dataclasses.replace(myob_numbered(plain), freight_account=None)
    assert check(unmapped) == [
        "Invoice 10001: freight has no account — map its category on the Distribution settings"
    ]


def test_registered_with_its_label_and_file_type() -> None:
    fmt = get_format("myob_txt")
    assert fmt is FORMAT
    assert (fmt.label, fmt.extension, fmt.media_type) == ("MYOB AccountRight", "txt", "text/plain")
    assert fmt.write_customers is write_customers
    assert fmt.customers_extension == "txt"
