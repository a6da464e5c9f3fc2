"""Plain-text journal (Beancount): the golden file, read back by Beancount's own loader.

The loader runs the same checks as `bean-check`: syntax, accounts opened before use,
currencies allowed by their `open`, and every transaction balancing.
Regenerate the golden file with `JOBLEDGER_UPDATE_GOLDEN=1 pytest tests/exports/...`,
then read the diff by eye before keeping it.
"""

import dataclasses
import datetime
import os
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data as bc

from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import GLDoc
from jobledger.exports.formats.journal_beancount import FORMAT, check, write
from tests.exports.samples import sample_invoices

GOLDEN = Path(__file__).parent / "golden"
RECEIVABLE = "Assets:Receivable:"


def golden(name: str, content: bytes) -> bytes:
    path = GOLDEN / name
    if os.environ.get("JOBLEDGER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    return path.read_bytes()


def load(data: bytes) -> tuple[list[bc.Transaction], list[bc.Open], dict]:  # type: ignore[type-arg]
    """The journal as Beancount loads it, refusing any error the loader reports."""
    entries, errors, options = loader.load_string(data.decode("utf-8"))
    assert errors == [], [error.message for error in errors]
    transactions = [e for e in entries if isinstance(e, bc.Transaction)]
    opens = [e for e in entries if isinstance(e, bc.Open)]
    return transactions, opens, options


def journal_totals(data: bytes) -> dict[int, Decimal]:
    """Per invoice number: what its transaction debits to receivables, after checking that
    every transaction balances to zero and every account used is opened before it."""
    transactions, opens, _ = load(data)
    opened = {o.account: o.date for o in opens}
    totals: dict[int, Decimal] = {}
    for txn in transactions:
        assert sum(p.units.number for p in txn.postings) == 0, txn
        assert all(opened[p.account] <= txn.date for p in txn.postings)
        number = int(txn.meta["invoice"])
        assert number not in totals, "one transaction per invoice"
        assert f"invoice-{number}" in txn.links
        assert f"Invoice {number}" in txn.narration
        receivable = [p.units.number for p in txn.postings if p.account.startswith(RECEIVABLE)]
        totals[number] = sum(receivable, Decimal("0.00"))
    return totals


def test_journal_matches_golden() -> None:
    content = write(sample_invoices(), ())
    assert content == golden("journal_beancount.beancount", content)


def test_golden_loads_with_one_balanced_transaction_per_invoice() -> None:
    data = (GOLDEN / "journal_beancount.beancount").read_bytes()
    invoices = sample_invoices()
    assert journal_totals(data) == {invoice.number: invoice.total for invoice in invoices}
    _, _, options = load(data)
    assert options["operating_currency"] == ["USD"]


def test_golden_opens_every_account_once_on_the_first_invoice_date() -> None:
    transactions, opens, _ = load((GOLDEN / "journal_beancount.beancount").read_bytes())
    used = {p.account for txn in transactions for p in txn.postings}
    assert sorted(o.account for o in opens) == sorted(used)
    assert {o.date for o in opens} == {datetime.date(2025, 3, 14)}
    assert {o.account: o.meta["name"] for o in opens} == {
        "Assets:Receivable:A1100": "Accounts Receivable",
        "Liabilities:L2100": "Sales Tax Payable",
        "Liabilities:L2200": "Customer Deposits",
        "Income:I4000": "Contract Income",
        "Income:I4010": "Labor Income",
        "Income:I4020": "Equipment Income",
        "Income:I4030": "Materials Income",
        "Income:I4800": "Freight Income",
    }


def test_golden_carries_customer_job_and_the_corrected_invoice() -> None:
    transactions, _, _ = load((GOLDEN / "journal_beancount.beancount").read_bytes())
    by_number = {int(txn.meta["invoice"]): txn for txn in transactions}
    odd = by_number[10003]
    assert odd.payee == 'Café "Réunion", Ltd =SUM(A1)'
    assert (odd.meta["customer"], odd.meta["job"]) == ("=CAFE", "24-0117")
    credit = by_number[10005]
    assert credit.links == {"invoice-10005", "invoice-10001"}
    assert credit.meta["corrects"] == "10001"
    assert credit.meta["due"] == datetime.date(2025, 4, 13)
    assert [(p.account, p.units.number) for p in credit.postings] == [
        ("Assets:Receivable:A1100", Decimal("-315.01")),
        ("Income:I4020", Decimal("291.00")),
        ("Liabilities:L2100", Decimal("24.01")),
    ]
    deposit = by_number[10002].postings[-1]
    assert (deposit.account, deposit.meta["memo"]) == ("Liabilities:L2200", "Deposit applied")


def test_accounts_outside_the_invoice_parts_get_a_root_from_their_code() -> None:
    invoice = sample_invoices()[1]
    extra = (
        GLDoc("6100", "Discounts given", Decimal("10.00"), "Discount"),
        GLDoc("rev.misc", "Other income", Decimal("-10.00"), 'Rounding: "odd" \\ text'),
    )
    odd = dataclasses.replace(invoice, distribution=invoice.distribution + extra)
    transactions, opens, _ = load(write([odd], ()))
    assert {"Expenses:E6100", "Income:Irev-misc"} <= {o.account for o in opens}
    assert transactions[0].postings[-1].meta["memo"] == 'Rounding: "odd" \\ text'


def test_check_refuses_a_distribution_that_does_not_balance() -> None:
    invoice = sample_invoices()[0]
    unbalanced = dataclasses.replace(invoice, distribution=invoice.distribution[:-1])
    assert check(unbalanced) == [
        "Invoice 10001: its GL distribution is off by 125.00 — correct it on the invoice's "
        "Distribution tab"
    ]
    empty = dataclasses.replace(invoice, distribution=(), currency="us$")
    assert check(empty) == [
        "Invoice 10001 has no GL distribution — distribute and approve it first",
        "Invoice 10001: “us$” is not a currency code a journal can carry — set the company "
        "currency (e.g. USD)",
    ]
    assert check(invoice) == []
    zero = dataclasses.replace(invoice, distribution=(), total=Decimal("0.00"))
    assert check(zero) == []
    assert journal_totals(write([zero], ())) == {10001: Decimal("0.00")}


def test_registered_with_its_label_and_file_type() -> None:
    fmt = get_format("journal_beancount")
    assert fmt is FORMAT
    assert (fmt.label, fmt.extension, fmt.media_type) == (
        "Plain-text journal (Beancount)", "beancount", "text/plain",
    )  # fmt: skip
