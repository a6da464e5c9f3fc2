"""QuickBooks Desktop IIF: golden files, read back as TRNS/SPL blocks by a parser of our own.

Regenerate the golden files with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`,
then read the diff by eye before keeping it.
"""

import dataclasses
import os
import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import AccountDoc, CustomerDoc, GLDoc, InvoiceDoc
from jobledger.exports.formats.qbd_iif import FORMAT, check, write, write_customers
from tests.exports.samples import sample_customers, sample_invoices
from tests.exports.strategies import customer_docs, export_batches, invoice_lists

GOLDEN = Path(__file__).parent / "golden"
DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
FORBIDDEN = re.compile(r'[\t\r\n;"]')
CODES = {"ACME": "ACME", "CITY-RR": "CITY-RR", "=CAFE": "CAFE"}  # a leading '=' is dropped


def golden(name: str, content: bytes) -> bytes:
    """The golden file's bytes; with JOBLEDGER_UPDATE_GOLDEN set, `content` replaces it first."""
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


@dataclasses.dataclass
class Block:
    trns: dict[str, str]
    splits: list[dict[str, str]]


@dataclasses.dataclass
class IIF:
    headers: list[str]  # keywords of the header lines, in file order
    customers: list[dict[str, str]]
    blocks: list[Block]


def parse_iif(data: bytes) -> IIF:
    """Read an IIF file the way QuickBooks does: each data line by the latest header of its
    type, TRNS opening a block, SPL lines inside it, ENDTRNS closing it."""
    assert not data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    text = data.decode("ascii")
    assert text.endswith("\r\n")
    lines = text[:-2].split("\r\n")
    assert not any("\r" in line or "\n" in line for line in lines), "CRLF line ends only"
    columns: dict[str, list[str]] = {}
    result = IIF(headers=[], customers=[], blocks=[])
    block: Block | None = None
    for line in lines:
        keyword, *values = line.split("\t")
        if keyword.startswith("!"):
            assert keyword[1:] not in columns, f"{keyword} appears once"
            columns[keyword[1:]] = values
            result.headers.append(keyword[1:])
            continue
        assert keyword in columns, f"{keyword} data before its header"
        assert len(values) <= len(columns[keyword]), f"{keyword} has more values than columns"
        for value in values:
            assert not FORBIDDEN.search(value), value
        record = dict(zip(columns[keyword], values, strict=False))
        if keyword == "CUST":
            result.customers.append(record)
        elif keyword == "TRNS":
            assert block is None, "TRNS inside an open transaction"
            block = Block(record, [])
        elif keyword == "SPL":
            assert block is not None, "SPL outside a transaction"
            block.splits.append(record)
        else:
            assert keyword == "ENDTRNS"
            assert block is not None
            assert block.splits, "a transaction has at least one SPL"
            result.blocks.append(block)
            block = None
    assert block is None, "every transaction is closed by ENDTRNS"
    return result


def golden_invoices() -> IIF:
    return parse_iif((GOLDEN / "qbd_iif.iif").read_bytes())


def assert_block_sound(block: Block) -> None:
    """Balanced to the cent, signed by its type, dated and numbered as QuickBooks takes."""
    amounts = [Decimal(block.trns["AMOUNT"])] + [Decimal(s["AMOUNT"]) for s in block.splits]
    assert sum(amounts) == Decimal("0.00")
    assert all(re.fullmatch(r"-?\d+\.\d\d", s["AMOUNT"]) for s in block.splits)
    total = amounts[0]
    if block.trns["TRNSTYPE"] == "INVOICE":
        assert total >= 0
    else:
        assert block.trns["TRNSTYPE"] == "CREDIT MEMO"
        assert total < 0
    assert len(block.trns["DOCNUM"]) <= 11
    assert all(0 < len(level) <= 41 for level in block.trns["NAME"].split(":"))
    for record in (block.trns, *block.splits):
        assert record["TRNSTYPE"] == block.trns["TRNSTYPE"]
        assert DATE.match(record["DATE"])
        assert record["ACCNT"]
    assert DATE.match(block.trns["DUEDATE"])


def expected_accounts(invoice: InvoiceDoc) -> list[str]:
    names = [line.account.name for line in invoice.lines if line.account]
    names += ["Freight Income"] if invoice.freight else []
    names += ["Customer Deposits"] if invoice.deposit_applied else []
    return [*names, "Sales Tax Payable"] if invoice.customer.taxable else names


def test_invoices_match_the_golden_file_and_read_back_as_balanced_blocks() -> None:
    invoices = sample_invoices()
    content = write(invoices, sample_customers())
    assert content == golden("qbd_iif.iif", content)

    iif = parse_iif(golden("qbd_iif.iif", content))
    assert iif.headers == ["CUST", "TRNS", "SPL", "ENDTRNS"]
    assert [c["NAME"] for c in iif.customers] == ["ACME", "CITY-RR", "CAFE"]
    assert [b.trns["DOCNUM"] for b in iif.blocks] == [str(inv.number) for inv in invoices]
    for block, invoice in zip(iif.blocks, invoices, strict=True):
        assert_block_sound(block)
        assert Decimal(block.trns["AMOUNT"]) == invoice.total
        assert block.trns["ACCNT"] == "Accounts Receivable"
        assert block.trns["NAME"] == f"{CODES[invoice.customer.code]}:24-0117"
        assert [s["ACCNT"] for s in block.splits] == expected_accounts(invoice)


def test_golden_blocks_carry_the_customer_job_class_and_credit_memo() -> None:
    blocks = golden_invoices().blocks
    by_number = {block.trns["DOCNUM"]: block for block in blocks}
    assert by_number["10001"].trns["NAME"] == "ACME:24-0117"
    assert by_number["10001"].trns["CLASS"] == "CIVIL"
    assert by_number["10003"].trns["NAME"] == "CAFE:24-0117"  # the leading '=' dropped
    assert [s["CLASS"] for s in by_number["10003"].splits[:3]] == ["ELEC"] * 3
    credit = by_number["10005"]
    assert credit.trns["TRNSTYPE"] == "CREDIT MEMO"
    assert credit.trns["AMOUNT"] == "-315.01"
    assert [(s["AMOUNT"], s["QNTY"]) for s in credit.splits] == [("291.00", "2"), ("24.01", "")]
    tax = by_number["10001"].splits[-1]
    assert (tax["ACCNT"], tax["AMOUNT"], tax["EXTRA"]) == (
        "Sales Tax Payable",
        "-140.72",
        "AUTOSTAX",
    )
    deposit = by_number["10002"].splits[-1]
    assert (deposit["ACCNT"], deposit["AMOUNT"]) == ("Customer Deposits", "5000.00")


def test_odd_characters_are_folded_to_safe_ascii() -> None:
    block = golden_invoices().blocks[2]
    memos = [s["MEMO"] for s in block.splits]
    assert memos[:3] == [
        "HYPERLINK(''x'') pipe, 2'' conduit",  # leading '=' dropped, " as two single quotes
        "Electricien journeyman, night shift",  # accent folded, tab and ';' gone
        "Negative-looking note",
    ]
    assert block.trns["ADDR1"] == "Cafe ''Reunion'', Ltd =SUM(A1)"
    assert block.trns["PONUM"] == "PO ''A,1''"


def test_customers_file_matches_its_golden_file() -> None:
    content = write_customers(sample_customers())
    assert content == golden("qbd_iif-customers.iif", content)
    iif = parse_iif(golden("qbd_iif-customers.iif", content))
    assert iif.headers == ["CUST"]
    assert not iif.blocks
    acme, city, cafe = iif.customers
    assert (acme["NAME"], acme["BADDR4"], acme["TAXABLE"], acme["SALESTAXCODE"]) == (
        "ACME", "Austin, TX 78701", "Y", "Tax",
    )  # fmt: skip
    assert (city["TAXABLE"], city["SALESTAXCODE"], city["TAXITEM"]) == ("N", "Non", "")
    assert cafe["BADDR3"] == "Montreal, QC H2X 1Y4"
    assert all(len(value) <= 41 for c in iif.customers for value in c.values())


def test_empty_exports_hold_only_the_headers() -> None:
    assert parse_iif(write([], ())).headers == ["TRNS", "SPL", "ENDTRNS"]
    assert write([], ()).count(b"\r\n") == 3
    customers = parse_iif(write_customers([]))
    assert (customers.headers, customers.customers) == (["CUST"], [])
    assert write_customers([]).count(b"\r\n") == 1


def test_format_is_registered_with_customers() -> None:
    fmt = get_format("qbd_iif")
    assert (fmt.label, fmt.extension, fmt.carries_customers) == ("QuickBooks Desktop", "iif", True)
    assert fmt.write_customers is write_customers
    assert fmt.check is check


def _invoice(**changes: object) -> InvoiceDoc:
    return dataclasses.replace(sample_invoices()[0], **changes)  # type: ignore[arg-type]


def test_check_passes_the_samples() -> None:
    assert [check(invoice) for invoice in sample_invoices()] == [[]] * 5


def test_check_names_each_missing_account() -> None:
    invoice = _invoice(receivable_account=None, freight_account=None, tax_account=None)
    line = dataclasses.replace(invoice.lines[1], account=None)
    invoice = dataclasses.replace(invoice, lines=(invoice.lines[0], line, invoice.lines[2]))
    assert check(invoice) == [
        f"Invoice 10001: {part} has no account; map its category on the Distribution settings"
        for part in ("the receivable", "line 2", "freight", "sales tax")
    ]


def test_check_refuses_numbers_and_names_quickbooks_cannot_take() -> None:
    assert check(_invoice(number=123456789012)) == [
        "Invoice 123456789012: its number is longer than the 11 characters QuickBooks Desktop takes"
    ]
    customer = dataclasses.replace(sample_customers()[0], code="ACME:WEST")
    assert "contains “:”" in check(_invoice(customer=customer))[0]
    assert "longer than the 41 characters" in check(_invoice(job_number="J" * 42))[0]


def test_check_refuses_a_long_account_name_and_a_taxable_customer_without_tax_item() -> None:
    long_name = AccountDoc("1100", "Receivables from customers in Texas")
    assert "longer than the 31 characters" in check(_invoice(receivable_account=long_name))[0]
    customer = dataclasses.replace(sample_customers()[0], tax_code="")
    assert "no tax code" in check(_invoice(customer=customer))[0]


def test_check_refuses_lines_that_would_not_book_the_approved_distribution() -> None:
    invoice = _invoice(lines=(dataclasses.replace(sample_invoices()[0].lines[0],
                                                  account=AccountDoc("4099", "Other")),
                              *sample_invoices()[0].lines[1:]))  # fmt: skip
    (problem,) = check(invoice)
    assert problem.startswith("Invoice 10001: its lines' accounts do not match")
    assert "4010: 0.00 in the file, -760.00 approved" in problem


def test_credit_memo_without_tax_is_balanced_with_flipped_signs() -> None:
    customer = sample_customers()[1]  # not taxable
    distribution = (
        GLDoc("1100", "Accounts Receivable", Decimal("-291.00"), "Invoice total"),
        GLDoc("4020", "Equipment Income", Decimal("291.00"), "Equipment"),
    )
    credit = dataclasses.replace(sample_invoices()[4], customer=customer, tax_amount=Decimal(0),
                                 total=Decimal("-291.00"), distribution=distribution)  # fmt: skip
    (block,) = parse_iif(write([credit], ())).blocks
    assert_block_sound(block)
    assert [(s["ACCNT"], s["AMOUNT"]) for s in block.splits] == [("Equipment Income", "291.00")]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_lists(), st.lists(customer_docs(), max_size=3))
def test_random_invoices_keep_count_totals_and_balance(
    invoices: list[InvoiceDoc], customers: list[CustomerDoc]
) -> None:
    exportable = [invoice for invoice in invoices if not FORMAT.check(invoice)]
    assert exportable == invoices  # the strategy's invoices are all exportable
    iif = parse_iif(write(iter(exportable), customers))
    assert len(iif.customers) == len(customers)
    assert [b.trns["DOCNUM"] for b in iif.blocks] == [str(inv.number) for inv in exportable]
    for block, invoice in zip(iif.blocks, exportable, strict=True):
        assert_block_sound(block)
        assert Decimal(block.trns["AMOUNT"]) == invoice.total
        assert block.trns["TRNSTYPE"] == ("CREDIT MEMO" if invoice.is_credit else "INVOICE")


def test_check_refuses_an_invoice_whose_parts_do_not_add_up_to_its_total() -> None:
    (problem,) = check(_invoice(total=Decimal("2438.49")))
    assert problem == (
        "Invoice 10001 does not balance: its lines, tax, freight and deposit differ from its "
        "total by -0.01; recalculate the invoice"
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export_batches())
def test_awkward_batches_read_back_balanced(batch: list[InvoiceDoc]) -> None:
    """Control characters, leading formulas, other charts of accounts, long numbers."""
    ready = [invoice for invoice in batch if not check(invoice)]
    assert all(len(str(invoice.number)) > 11 for invoice in batch if invoice not in ready)
    iif = parse_iif(write(iter(ready), [invoice.customer for invoice in ready]))
    assert len(iif.blocks) == len(ready)
    for block, invoice in zip(iif.blocks, ready, strict=True):
        assert_block_sound(block)
        assert Decimal(block.trns["AMOUNT"]) == invoice.total
