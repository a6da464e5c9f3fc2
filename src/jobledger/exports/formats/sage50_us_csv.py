"""Sage 50 (US): the Sales Journal import (`SALES.CSV`, the Peachtree layout).

Sage 50 maps columns by position, so the file carries every Sales Journal field in Sage's
default template order with a heading row: on import tick "First Row Contains Headings" and
keep the default template. Layout:
- one row per distribution, the invoice's header fields repeated on every row;
  `Number of Distributions` counts the invoice's rows and `Invoice/CM Distribution`
  numbers them 1..n;
- distributions: each invoice line to its income account, then freight, sales tax (with
  the customer's tax code as Sales Tax ID and agency) and a deposit applied, each to its
  own G/L account;
- `Amount` is a debit when positive and a credit when negative: an invoice credits income
  (negative amounts) and a deposit applied debits Customer Deposits (positive), so the
  amounts of an invoice sum to minus its total; a credit memo (`Credit Memo` TRUE, applied
  to the corrected invoice) carries the same amounts with the opposite sign;
- dates MM/DD/YY, the due date always written; text folded to ASCII and cut to Sage's
  field lengths; a leading formula character is dropped from text.
"""

import csv
import datetime
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
    "Customer ID", "Invoice/CM #", "Apply to Invoice Number", "Credit Memo",
    "Progress Billing Invoice", "Date", "Ship By", "Quote", "Quote #", "Quote Good Thru Date",
    "Drop Ship", "Ship to Name", "Ship to Address-Line One", "Ship to Address-Line Two",
    "Ship to City", "Ship to State", "Ship to Zipcode", "Ship to Country", "Customer PO",
    "Ship Via", "Ship Date", "Date Due", "Discount Amount", "Discount Date", "Displayed Terms",
    "Sales Representative ID", "Accounts Receivable Account", "Sales Tax ID", "Invoice Note",
    "Note Prints After Line Items", "Statement Note", "Stmt Note Prints Before Ref",
    "Internal Note", "Beginning Balance Transaction", "Number of Distributions",
    "Invoice/CM Distribution", "Apply to Invoice Distribution", "Apply To Sales Order",
    "Apply to Proposal", "Quantity", "SO/Proposal Number", "Item ID", "Serial Number",
    "SO/Proposal Distribution", "Description", "G/L Account", "Unit Price", "Tax Type",
    "UPC / SKU", "Weight", "Amount", "Job ID", "Sales Tax Agency ID", "Transaction Period",
    "Transaction Number", "Return Authorization", "Voided by Transaction", "Recur Number",
    "Recur Frequency",
)  # fmt: skip

CUSTOMER_COLUMNS = (
    "Customer ID", "Customer Name", "Prospect", "Inactive", "Bill to Contact First Name",
    "Bill to Contact Last Name", "Bill to Address-Line One", "Bill to Address-Line Two",
    "Bill to City", "Bill to State", "Bill to Zip", "Bill to Country", "Bill to Sales Tax ID",
    "Telephone 1", "Customer E-mail", "Use Standard Terms", "Due Days",
)  # fmt: skip

POSITION = {column: position for position, column in enumerate(COLUMNS)}

# Sage 50's field lengths (Sales Journal and Customer List field help).
ID_LENGTH = 20
ACCOUNT_LENGTH = 15
TAX_ID_LENGTH = 8
MAX_DISTRIBUTIONS = 154
# Item tax types of Sage 50's default setup: 1 regular (taxable), 2 exempt.
TAXABLE, EXEMPT = "1", "2"


@dataclass(frozen=True)
class Distribution:
    description: str
    account: AccountDoc | None
    amount: Decimal  # debit positive, credit negative
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    tax_type: str = ""
    tax_agency: str = ""


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The Sales Journal CSV: one row per distribution, every invoice in the order given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for invoice in invoices:
        rows = distributions(invoice)
        header = _cells(_header(invoice) | {"Number of Distributions": str(len(rows))})
        for number, row in enumerate(rows, start=1):
            cells = header.copy()
            for column, value in _distribution(row).items():
                cells[POSITION[column]] = value
            cells[POSITION["Invoice/CM Distribution"]] = str(number)
            writer.writerow(cells)
    return out.getvalue().encode("ascii", errors="replace")


def distributions(invoice: InvoiceDoc) -> list[Distribution]:
    """The invoice's parts as Sage distributions: income, freight and tax are credits,
    a deposit applied a debit; a credit memo's quantities count back."""
    direction = -1 if invoice.is_credit else 1
    rows = [
        Distribution(
            description=line.description,
            account=line.account,
            amount=-line.amount,
            quantity=line.quantity * direction,
            unit_price=line.rate,
            tax_type=TAXABLE if line.taxable else EXEMPT,
        )
        for line in invoice.lines
    ]
    if invoice.freight:
        rows.append(Distribution("Freight", invoice.freight_account, -invoice.freight))
    if invoice.tax_amount:
        agency = _text(invoice.customer.tax_code, TAX_ID_LENGTH)
        rows.append(
            Distribution("Sales tax", invoice.tax_account, -invoice.tax_amount, tax_agency=agency)
        )
    if invoice.deposit_applied:
        rows.append(
            Distribution("Deposit applied", invoice.deposit_account, invoice.deposit_applied)
        )
    return rows


def _header(invoice: InvoiceDoc) -> dict[str, str]:
    customer = invoice.customer
    street = customer.address_lines
    credit = invoice.is_credit
    applies_to = str(invoice.corrects_number) if credit and invoice.corrects_number else ""
    return {
        "Customer ID": _text(customer.code, ID_LENGTH),
        "Invoice/CM #": _text(str(invoice.number), ID_LENGTH),
        "Apply to Invoice Number": applies_to,
        "Credit Memo": _flag(credit),
        "Progress Billing Invoice": _flag(False),
        "Date": _date(invoice.invoice_date),
        "Quote": _flag(False),
        "Drop Ship": _flag(False),
        "Ship to Name": _text(customer.name, 30),
        "Ship to Address-Line One": _text(street[0] if street else "", 30),
        "Ship to Address-Line Two": _text(", ".join(street[1:]), 30),
        "Ship to City": _text(customer.city, 20),
        "Ship to State": _text(customer.region, 2),
        "Ship to Zipcode": _text(customer.postal_code, 12),
        "Ship to Country": _text(customer.country, 15),
        "Customer PO": _text(invoice.po_number, ID_LENGTH),
        "Date Due": _date(invoice.due_date),
        "Displayed Terms": _text(invoice.terms_label, 30),
        "Accounts Receivable Account": _account(invoice.receivable_account),
        "Sales Tax ID": _text(customer.tax_code, TAX_ID_LENGTH),
        "Beginning Balance Transaction": _flag(False),
    }


def _cells(fields: dict[str, str]) -> list[str]:
    cells = [""] * len(COLUMNS)
    for column, value in fields.items():
        cells[POSITION[column]] = value
    return cells


def _distribution(row: Distribution) -> dict[str, str]:
    return {
        "Quantity": _number(row.quantity),
        "Description": _text(row.description, 160),
        "G/L Account": _account(row.account),
        "Unit Price": _number(row.unit_price),
        "Tax Type": row.tax_type,
        "Amount": f"{row.amount:.2f}",
        "Sales Tax Agency ID": row.tax_agency,
    }


def check(invoice: InvoiceDoc) -> list[str]:
    """What keeps an invoice out of the Sales Journal import, in words a person can act on."""
    name = f"Invoice {invoice.number}"
    problems = [
        *_length_problems(invoice),
        *_account_problems(invoice.receivable_account, f"{name}: the receivable",
                           "map Accounts Receivable"),
    ]  # fmt: skip
    for number, line in enumerate(invoice.lines, start=1):
        problems += _account_problems(
            line.account, f"{name}: line {number}", "map its category", income=True
        )
    parts = (
        (invoice.freight, invoice.freight_account, "freight"),
        (invoice.tax_amount, invoice.tax_account, "sales tax"),
        (invoice.deposit_applied, invoice.deposit_account, "the deposit applied"),
    )
    for amount, account, part in parts:
        if amount:
            problems += _account_problems(account, f"{name}: {part}", f"map {part}")
    count = len(distributions(invoice))
    if count > MAX_DISTRIBUTIONS:
        problems.append(
            f"{name} has {count} distributions; Sage 50 takes at most {MAX_DISTRIBUTIONS} "
            "on one invoice — split it or group its charges."
        )
    return problems


def _length_problems(invoice: InvoiceDoc) -> list[str]:
    name = f"Invoice {invoice.number}"
    code = import_text(invoice.customer.code, ascii_only=True)
    problems = []
    if not code:
        problems.append(f"{name}: the customer has no code; give the customer its Sage 50 ID.")
    elif len(code) > ID_LENGTH:
        problems.append(
            f"{name}: customer code {code} is longer than the {ID_LENGTH} characters Sage 50 "
            "takes; shorten it on the customer."
        )
    if len(str(invoice.number)) > ID_LENGTH:
        problems.append(
            f"Invoice number {invoice.number} is longer than the {ID_LENGTH} characters "
            "Sage 50 takes."
        )
    tax_code = import_text(invoice.customer.tax_code, ascii_only=True)
    if invoice.tax_amount and len(tax_code) > TAX_ID_LENGTH:
        problems.append(
            f"{name}: tax code {tax_code} is longer than the {TAX_ID_LENGTH} characters of a "
            "Sage 50 Sales Tax ID; shorten it on the customer."
        )
    return problems


def _account_problems(
    account: AccountDoc | None, subject: str, fix: str, *, income: bool = False
) -> list[str]:
    kind = "income account" if income else "account"
    if account is None or not import_text(account.code):
        return [f"{subject} has no {kind}: {fix} on the Distribution settings."]
    code = import_text(account.code, ascii_only=True)
    if len(code) > ACCOUNT_LENGTH:
        return [
            f"{subject} goes to account {code}, longer than the {ACCOUNT_LENGTH} characters "
            "of a Sage 50 G/L account."
        ]
    return []


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """The Customer List import (`CUSTOMER.CSV`), in the column order written here."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CUSTOMER_COLUMNS)
    for customer in customers:
        fields = _customer(customer)
        writer.writerow([fields.get(column, "") for column in CUSTOMER_COLUMNS])
    return out.getvalue().encode("ascii", errors="replace")


def _customer(customer: CustomerDoc) -> dict[str, str]:
    first, _, last = _text(customer.contact_name).partition(" ")
    street = customer.address_lines
    return {
        "Customer ID": _text(customer.code, ID_LENGTH),
        "Customer Name": _text(customer.name, 39),
        "Prospect": _flag(False),
        "Inactive": _flag(False),
        "Bill to Contact First Name": _text(first, 15),
        "Bill to Contact Last Name": _text(last, 20),
        "Bill to Address-Line One": _text(street[0] if street else "", 30),
        "Bill to Address-Line Two": _text(", ".join(street[1:]), 30),
        "Bill to City": _text(customer.city, 20),
        "Bill to State": _text(customer.region, 2),
        "Bill to Zip": _text(customer.postal_code, 12),
        "Bill to Country": _text(customer.country, 15),
        "Bill to Sales Tax ID": _text(customer.tax_code, TAX_ID_LENGTH),
        "Telephone 1": _text(customer.phone, 20),
        "Customer E-mail": _text(customer.email),
        "Use Standard Terms": _flag(False),
        "Due Days": str(customer.terms_days),
    }


@functools.lru_cache(maxsize=4096)  # codes and names repeat on every row
def _text(value: str, max_length: int | None = None) -> str:
    return import_text(value, max_length=max_length, ascii_only=True)


def _account(account: AccountDoc | None) -> str:
    return _text(account.code, ACCOUNT_LENGTH) if account else ""


def _flag(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def _date(day: datetime.date) -> str:
    return f"{day:%m/%d/%y}"


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


FORMAT = ExportFormat(
    key="sage50_us_csv",
    label="Sage 50 (US)",
    extension="csv",
    media_type="text/csv",
    write=write,
    write_customers=write_customers,
    check=check,
)
