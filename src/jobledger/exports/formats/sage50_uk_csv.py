"""Sage 50 (UK): the "Audit Trail Transactions" import.

Layout (positional; the heading row carries Sage's field names — tell the import the file
has one):
- one row per split: each invoice line to its nominal code, then freight and a deposit
  applied to theirs; Sage groups consecutive rows with the same type and reference into
  one multi-line invoice;
- `Type` SI (sales invoice) or SC (sales credit); amounts are always positive and the type
  gives the direction, so a credit (a correction that credits the customer) is written as
  SC rows and a deposit applied on an invoice as an SC row after the invoice's SI rows;
- the invoice's tax is shared over its taxable lines in proportion to their amounts (to
  the penny, the remainder to the largest shares) so the rows add up to the invoice total;
- tax codes are fixed: T1 on taxable lines, T0 on lines without tax and on freight, T9
  (outside the scope of VAT) on a deposit applied;
- dates DD/MM/YYYY; text folded to ASCII and cut to Sage's field lengths.
"""

import csv
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jobledger.exports.formats.base import (
    AccountDoc,
    CustomerDoc,
    ExportFormat,
    InvoiceDoc,
    import_text,
)

COLUMNS = (
    "Type", "Account Reference", "Nominal A/C Ref", "Department Code", "Date", "Reference",
    "Details", "Net Amount", "Tax Code", "Tax Amount", "Exchange Rate", "Extra Reference",
    "User Name", "Project Refn", "Cost Code Refn",
)  # fmt: skip

CUSTOMER_COLUMNS = (
    "A/C", "Name", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
    "Address Line 5", "Contact Name", "Telephone", "Fax", "Analysis 1", "Analysis 2",
    "Analysis 3", "Department", "VAT Number", "M.T.D.", "Y.T.D.", "Prior Y.T.D.",
    "Credit Limit", "Trading Terms Text", "Settlement Due Days", "Sett. Discount (%)",
    "Default Nominal Code", "Default Tax Code",
)  # fmt: skip

INVOICE, CREDIT = "SI", "SC"
TAXABLE_CODE, NOT_TAXABLE_CODE, DEPOSIT_CODE = "T1", "T0", "T9"
ACCOUNT_LENGTH = 8  # customer A/C references and nominal codes
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Split:
    part: str  # "line 2", "freight" … for messages
    details: str
    account: AccountDoc | None
    net: Decimal  # positive charges the customer, negative credits them
    tax: Decimal
    tax_code: str


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """Audit trail rows, one per split, every invoice in the order given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for invoice in invoices:
        header = _header(invoice)
        for split in _document_order(invoice, splits(invoice)):
            fields = header | {
                "Type": split_type(invoice, split),
                "Nominal A/C Ref": _account(split.account),
                "Details": _text(split.details, 60),
                "Net Amount": f"{abs(split.net):.2f}",
                "Tax Code": split.tax_code,
                "Tax Amount": f"{abs(split.tax):.2f}",
            }
            writer.writerow([fields.get(column, "") for column in COLUMNS])
    return out.getvalue().encode("ascii", errors="replace")


def splits(invoice: InvoiceDoc) -> list[Split]:
    """The invoice's parts with their share of the tax, signed as the invoice charges them."""
    shares = tax_shares(invoice)
    rows = [
        Split(f"line {number}", line.description, line.account, line.amount, share,
              TAXABLE_CODE if line.taxable or share else NOT_TAXABLE_CODE)
        for number, (line, share) in enumerate(zip(invoice.lines, shares, strict=True), 1)
    ]  # fmt: skip
    unshared = invoice.tax_amount - sum(shares, ZERO)
    if unshared:
        # No line carries tax in the tax's direction: the tax goes on a row of its own.
        rows.append(Split("sales tax", "Sales tax", invoice.tax_account, ZERO, unshared,
                          TAXABLE_CODE))  # fmt: skip
    if invoice.freight:
        rows.append(Split("freight", "Freight", invoice.freight_account, invoice.freight, ZERO,
                          NOT_TAXABLE_CODE))  # fmt: skip
    if invoice.deposit_applied:
        rows.append(Split("the deposit applied", "Deposit applied", invoice.deposit_account,
                          -invoice.deposit_applied, ZERO, DEPOSIT_CODE))  # fmt: skip
    return rows


def tax_shares(invoice: InvoiceDoc) -> list[Decimal]:
    """The invoice's tax over its taxable lines that run the same way as the tax (or, with
    none, over any such line), in proportion to their amounts, summing to the tax exactly."""
    lines = invoice.lines
    tax = invoice.tax_amount
    shares = [ZERO] * len(lines)
    if not tax:
        return shares
    same_way = [i for i, line in enumerate(lines) if line.amount * tax > 0]
    picked = [i for i in same_way if lines[i].taxable] or same_way
    weights = [int(abs(lines[i].amount) / CENT) for i in picked]
    whole = sum(weights)
    cents = int(abs(tax) / CENT)
    if not whole:
        return shares
    floors = [cents * w // whole for w in weights]
    by_remainder = sorted(range(len(picked)), key=lambda k: (-(cents * weights[k] % whole), k))
    for k in by_remainder[: cents - sum(floors)]:
        floors[k] += 1
    sign = 1 if tax > 0 else -1
    for k, i in enumerate(picked):
        shares[i] = sign * floors[k] * CENT
    return shares


def split_type(invoice: InvoiceDoc, split: Split) -> str:
    """SC for a split that credits the customer, SI for one that charges them; a split of
    nothing follows the document."""
    value = split.net + split.tax
    if value:
        return CREDIT if value < 0 else INVOICE
    return CREDIT if invoice.is_credit else INVOICE


def _document_order(invoice: InvoiceDoc, rows: list[Split]) -> list[Split]:
    # The document's own type first, so its rows stay together as one transaction.
    own = CREDIT if invoice.is_credit else INVOICE
    return sorted(rows, key=lambda split: split_type(invoice, split) != own)


def _header(invoice: InvoiceDoc) -> dict[str, str]:
    return {
        "Account Reference": account_reference(invoice.customer.code),
        "Date": f"{invoice.invoice_date:%d/%m/%Y}",
        "Reference": _text(str(invoice.number), 30),
        "Extra Reference": _text(invoice.po_number, 30),
    }


def check(invoice: InvoiceDoc) -> list[str]:
    """What keeps an invoice out of the audit trail import, in words a person can act on."""
    name = f"Invoice {invoice.number}"
    problems = []
    code = _text(invoice.customer.code)
    if not code:
        problems.append(f"{name}: the customer has no code; give the customer its Sage A/C.")
    elif len(code) > ACCOUNT_LENGTH or " " in code:
        problems.append(
            f"{name}: customer code {code} is not a Sage 50 A/C reference (at most "
            f"{ACCOUNT_LENGTH} characters, no spaces); change it on the customer."
        )
    for split in splits(invoice):
        problems += _account_problems(f"{name}: {split.part}", split.account)
    return problems


def _account_problems(subject: str, account: AccountDoc | None) -> list[str]:
    if account is None or not _text(account.code):
        return [f"{subject} has no nominal code: map its category on the Distribution settings."]
    if len(_text(account.code)) > ACCOUNT_LENGTH:
        return [
            f"{subject} goes to account {_text(account.code)}, longer than the "
            f"{ACCOUNT_LENGTH} characters of a Sage 50 nominal code."
        ]
    return []


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """Customer records in Sage's customer import layout."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CUSTOMER_COLUMNS)
    for customer in customers:
        fields = _customer(customer)
        writer.writerow([fields.get(column, "") for column in CUSTOMER_COLUMNS])
    return out.getvalue().encode("ascii", errors="replace")


def _customer(customer: CustomerDoc) -> dict[str, str]:
    fields = {
        "A/C": account_reference(customer.code),
        "Name": _text(customer.name, 60),
        "Contact Name": _text(customer.contact_name, 30),
        "Telephone": _text(customer.phone, 30),
        "Trading Terms Text": _text(customer.terms_label, 30),
        "Settlement Due Days": str(customer.terms_days),
    }
    for number, line in enumerate(_address(customer), start=1):
        fields[f"Address Line {number}"] = line
    return fields


def _address(customer: CustomerDoc) -> list[str]:
    """Street lines, town, county and postcode in Sage's five address lines."""
    parts = [_text(part) for part in (*customer.address_lines, customer.city,
                                      customer.region, customer.postal_code)]  # fmt: skip
    parts = [part for part in parts if part]
    if len(parts) > 5:
        parts = [*parts[:4], ", ".join(parts[4:])]
    return [part[:60] for part in parts]


def account_reference(code: str) -> str:
    """Sage 50 keeps customer references in capitals, without spaces."""
    return _text(code).replace(" ", "").upper()[:ACCOUNT_LENGTH]


def _account(account: AccountDoc | None) -> str:
    return _text(account.code, ACCOUNT_LENGTH) if account else ""


@functools.lru_cache(maxsize=4096)  # codes and names repeat on every row
def _text(value: str, max_length: int | None = None) -> str:
    return import_text(value, max_length=max_length, ascii_only=True)


FORMAT = ExportFormat(
    key="sage50_uk_csv",
    label="Sage 50 (UK)",
    extension="csv",
    media_type="text/csv",
    write=write,
    write_customers=write_customers,
    check=check,
)
