"""QuickBooks Online: the invoice import CSV (Settings > Import data > Invoices).

The file (format reference, section 3):
- UTF-8 without a byte-order mark, comma-separated, CRLF line ends, a header row;
- the column names are the compact spelling of Intuit's sample file (`InvoiceNo`,
  `Item(Product/Service)`, `ItemAmount`, …), so the import wizard maps them by itself;
- one row per invoice line, the invoice's own columns repeated on every row; then a
  `Freight` row and a negative `Deposit applied` row, each an item that must exist in
  QuickBooks Online (service items, which may carry a negative amount);
- dates are MM/DD/YYYY: pick that format in the wizard;
- tax: every row says `TAX` or `NON` in `ItemTaxCode`; the invoice's sales tax is spread
  over its taxable rows in `ItemTaxAmount`, in proportion to their amounts with the last
  cent on the last taxable row, so ItemAmount + ItemTaxAmount over an invoice's rows is
  its total to the cent. Choose "Exclusive of tax" in the wizard.
QuickBooks Online's invoice import refuses a negative total, so credits are left out
(`check`), to be entered by hand as credit memos.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from jobledger.core.money import round_money
from jobledger.exports.formats.base import (
    CustomerDoc,
    ExportFormat,
    InvoiceDoc,
    LineDoc,
    cached_import_text,
    csv_file,
    money,
    plain_number,
)

HEADER = (
    "InvoiceNo", "Customer", "InvoiceDate", "DueDate", "Terms", "Location", "Memo",
    "Item(Product/Service)", "ItemDescription", "ItemQuantity", "ItemRate", "ItemAmount",
    "ItemTaxCode", "ItemTaxAmount",
)  # fmt: skip
CUSTOMER_HEADER = (
    "Name", "Company", "Email", "Phone", "Street", "City", "State", "ZIP", "Country",
)  # fmt: skip

# Items the freight and deposit rows name; create them in QuickBooks Online.
FREIGHT_ITEM = "Freight"
DEPOSIT_ITEM = "Deposit applied"
TAXABLE = "TAX"
NON_TAXABLE = "NON"

# Field lengths (reference 3.2; the rest follow QuickBooks Online's own limits).
DOC_NUMBER = 21
NAME = 100
ITEM = 100
DESCRIPTION = 4000
MEMO = 1000
TERMS = 31


clean = cached_import_text


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The invoice CSV. The export leaves out first the invoices `check` refuses."""
    return csv_file(HEADER, (row for invoice in invoices for row in invoice_rows(invoice)))


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """The customers CSV for Settings > Import data > Customers."""
    return csv_file(CUSTOMER_HEADER, map(_customer_row, customers))


def check(invoice: InvoiceDoc) -> list[str]:
    """What keeps this invoice out of a QuickBooks Online import, in words to act on."""
    where = f"Invoice {invoice.number}"
    if invoice.is_credit:
        return [
            f"{where} is a credit ({money(invoice.total)}); QuickBooks Online's invoice import "
            "takes only totals of 0 or more — enter it as a credit memo by hand or use "
            "another format"
        ]
    problems = []
    if len(str(invoice.number)) > DOC_NUMBER:
        problems.append(
            f"{where}: its number is longer than the {DOC_NUMBER} characters "
            "QuickBooks Online takes"
        )
    customer = clean(invoice.customer.code)
    if not customer:
        problems.append(f"{where}: the customer has no code; give the customer a code")
    elif ":" in customer:
        problems.append(
            f"{where}: customer code “{customer}” contains “:”, which QuickBooks Online "
            "reads as customer:sub-customer; change the code"
        )
    if invoice.tax_amount and not any(line.taxable for line in invoice.lines):
        problems.append(
            f"{where} carries sales tax but no taxable line; QuickBooks Online puts tax on "
            "taxable lines only — mark the taxed lines taxable"
        )
    return problems


def invoice_rows(invoice: InvoiceDoc) -> Iterator[dict[str, str]]:
    header = _invoice_columns(invoice)
    taxes = line_taxes(invoice)
    for line, tax in zip(invoice.lines, taxes, strict=True):
        yield header | _line_columns(line, tax)
    if invoice.freight:
        yield header | _charge_columns(FREIGHT_ITEM, invoice.freight)
    if invoice.deposit_applied:
        yield header | _charge_columns(DEPOSIT_ITEM, -invoice.deposit_applied)


def line_taxes(invoice: InvoiceDoc) -> list[Decimal | None]:
    """The invoice's tax spread over its taxable lines (None for a non-taxable line):
    in proportion to their amounts, the rounding cents on the last taxable line."""
    taxable = [line.amount for line in invoice.lines if line.taxable]
    base = sum(taxable, Decimal("0"))
    shares: list[Decimal | None] = []
    left = invoice.tax_amount
    remaining = len(taxable)
    for line in invoice.lines:
        if not line.taxable:
            shares.append(None)
            continue
        remaining -= 1
        if remaining == 0:
            share = left
        elif base:
            share = round_money(invoice.tax_amount * line.amount / base)
        else:
            share = Decimal("0.00")
        shares.append(share)
        left -= share
    return shares


def _invoice_columns(invoice: InvoiceDoc) -> dict[str, str]:
    memo = f"Job {invoice.job_number} {invoice.job_name}"
    if invoice.po_number:
        memo += f", PO {invoice.po_number}"
    return {
        "InvoiceNo": str(invoice.number),
        "Customer": clean(invoice.customer.code, max_length=NAME),
        "InvoiceDate": qbo_date(invoice.invoice_date),
        "DueDate": qbo_date(invoice.due_date),
        "Terms": clean(invoice.terms_label, max_length=TERMS),
        "Location": clean(invoice.department, max_length=NAME),
        "Memo": clean(memo, max_length=MEMO),
    }


def _line_columns(line: LineDoc, tax: Decimal | None) -> dict[str, str]:
    columns = {
        "Item(Product/Service)": clean(line.item_code, max_length=ITEM),
        "ItemDescription": clean(line.description, max_length=DESCRIPTION),
        "ItemAmount": money(line.amount),
        "ItemTaxCode": TAXABLE if line.taxable else NON_TAXABLE,
        "ItemTaxAmount": "" if tax is None else money(tax),
    }
    # Quantity and rate only when they give the amount; otherwise QuickBooks Online
    # would recompute a different line amount from them.
    if round_money(line.quantity * line.rate) == line.amount:
        columns |= {
            "ItemQuantity": plain_number(line.quantity),
            "ItemRate": plain_number(line.rate),
        }
    return columns


def _charge_columns(item: str, value: Decimal) -> dict[str, str]:
    return {
        "Item(Product/Service)": item,
        "ItemDescription": item,
        "ItemQuantity": "1",
        "ItemRate": money(value),
        "ItemAmount": money(value),
        "ItemTaxCode": NON_TAXABLE,
        "ItemTaxAmount": "",
    }


def _customer_row(customer: CustomerDoc) -> dict[str, str]:
    street = ", ".join(filter(None, map(clean, customer.address_lines)))
    return {
        "Name": clean(customer.code, max_length=NAME),
        "Company": clean(customer.name, max_length=NAME),
        "Email": clean(customer.email, max_length=NAME),
        "Phone": clean(customer.phone, max_length=30),
        "Street": clean(street, max_length=500),
        "City": clean(customer.city, max_length=255),
        "State": clean(customer.region, max_length=255),
        "ZIP": clean(customer.postal_code, max_length=30),
        "Country": clean(customer.country, max_length=255),
    }


def qbo_date(value: datetime.date) -> str:
    return f"{value:%m/%d/%Y}"


FORMAT = ExportFormat(
    key="qbo_csv",
    label="QuickBooks Online",
    extension="csv",
    media_type="text/csv",
    write=write,
    max_invoices_per_file=100,
    write_customers=write_customers,
    check=check,
)
