"""Xero: the sales invoice import CSV (Business > Invoices > Import).

The file (format reference, section 7):
- UTF-8 without a byte-order mark, comma-separated, CRLF line ends, the template's column
  names with `*` on the required ones;
- one row per invoice line, the invoice's columns repeated; then a `Freight` row and a
  negative `Deposit applied` row, each on its own account code;
- the contact is the customer's code (the name the accounting system knows);
- `*TaxType` is a tax rate's display name as the Xero organisation shows it; the names
  and the date order below are a US organisation's (MM/DD/YYYY, "Tax on Sales",
  "Tax Exempt"), since jobledger charges US sales tax. An organisation in another region
  changes these constants together;
- `TaxAmount` carries the invoice's sales tax spread over its taxable rows (in proportion
  to their amounts, the last cent on the last taxable row), so the rows add up to the
  invoice total to the cent; choose "Tax exclusive" when importing.
Xero takes credit notes through a separate import with its own template, so a credit is
left out here (`check`) rather than written as negative lines.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from jobledger.core.money import round_money
from jobledger.exports.formats.base import (
    AccountDoc,
    CustomerDoc,
    ExportFormat,
    InvoiceDoc,
    LineDoc,
    cached_import_text,
    csv_file,
    money,
    plain_number,
)
from jobledger.exports.formats.qbo_csv import line_taxes

HEADER = (
    "*ContactName", "EmailAddress", "POAddressLine1", "POAddressLine2", "POAddressLine3",
    "POAddressLine4", "POCity", "PORegion", "POPostalCode", "POCountry", "*InvoiceNumber",
    "Reference", "*InvoiceDate", "*DueDate", "Total", "InventoryItemCode", "*Description",
    "*Quantity", "*UnitAmount", "Discount", "*AccountCode", "*TaxType", "TaxAmount",
    "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2", "Currency",
    "BrandingTheme",
)  # fmt: skip
CONTACT_HEADER = (
    "*ContactName", "AccountNumber", "EmailAddress", "POAttentionTo", "POAddressLine1",
    "POAddressLine2", "POAddressLine3", "POAddressLine4", "POCity", "PORegion",
    "POPostalCode", "POCountry", "PhoneNumber", "AccountsReceivableTaxCodeName",
    "DueDateSalesDay", "DueDateSalesTerm",
)  # fmt: skip

# The Xero organisation's profile: its date order and its tax rates' display names.
DATE_FORMAT = "%m/%d/%Y"
TAX_ON_SALES = "Tax on Sales"
TAX_EXEMPT = "Tax Exempt"

FREIGHT = "Freight"
DEPOSIT = "Deposit applied"
TEXT = 255  # Xero's length for names, references and address lines
DESCRIPTION = 4000
ACCOUNT_NUMBER = 50


clean = cached_import_text


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The sales invoice CSV. The export leaves out first the invoices `check` refuses."""
    return csv_file(HEADER, (row for invoice in invoices for row in invoice_rows(invoice)))


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """The contacts CSV for Contacts > Import."""
    return csv_file(CONTACT_HEADER, map(_contact_row, customers))


def check(invoice: InvoiceDoc) -> list[str]:
    """What keeps this invoice out of a Xero import, in words to act on."""
    where = f"Invoice {invoice.number}"
    if invoice.is_credit:
        return [
            f"{where} is a credit ({money(invoice.total)}); Xero imports credit notes through "
            "its separate credit note import, not with invoices — enter it in Xero as a "
            "credit note or use another format"
        ]
    problems = []
    if not clean(invoice.customer.code):
        problems.append(f"{where}: the customer has no code; give the customer a code")
    for label, account in _accounts(invoice):
        if account is None or not clean(account.code):
            problems.append(
                f"{where}: {label} has no account; map its category on the Distribution settings"
            )
    if invoice.tax_amount and not any(line.taxable for line in invoice.lines):
        problems.append(
            f"{where} carries sales tax but no taxable line; Xero puts tax on lines only — "
            "mark the taxed lines taxable"
        )
    return problems


def invoice_rows(invoice: InvoiceDoc) -> Iterator[dict[str, str]]:
    header = _invoice_columns(invoice)
    for line, tax in zip(invoice.lines, line_taxes(invoice), strict=True):
        yield header | _line_columns(line, tax)
    if invoice.freight:
        yield header | _charge_columns(FREIGHT, invoice.freight, invoice.freight_account)
    if invoice.deposit_applied:
        yield header | _charge_columns(DEPOSIT, -invoice.deposit_applied, invoice.deposit_account)


def _accounts(invoice: InvoiceDoc) -> Iterator[tuple[str, AccountDoc | None]]:
    for position, line in enumerate(invoice.lines, start=1):
        yield f"line {position}", line.account
    if invoice.freight:
        yield "freight", invoice.freight_account
    if invoice.deposit_applied:
        yield "the deposit applied", invoice.deposit_account


def _invoice_columns(invoice: InvoiceDoc) -> dict[str, str]:
    reference = f"Job {invoice.job_number} {invoice.job_name}"
    if invoice.po_number:
        reference += f", PO {invoice.po_number}"
    return _address(invoice.customer) | {
        "*ContactName": clean(invoice.customer.code, max_length=TEXT),
        "EmailAddress": clean(invoice.customer.email, max_length=TEXT),
        "*InvoiceNumber": str(invoice.number),
        "Reference": clean(reference, max_length=TEXT),
        "*InvoiceDate": xero_date(invoice.invoice_date),
        "*DueDate": xero_date(invoice.due_date),
        "Currency": clean(invoice.currency, max_length=3),
    }


def _line_columns(line: LineDoc, tax: Decimal | None) -> dict[str, str]:
    # Xero computes each line as quantity x unit amount; when that would not give the
    # line's own amount, the line goes in as 1 x its amount.
    exact = round_money(line.quantity * line.rate) == line.amount
    description = clean(line.description, max_length=DESCRIPTION)
    return {
        "*Description": description or clean(line.item_code, max_length=DESCRIPTION),
        "*Quantity": plain_number(line.quantity) if exact else "1",
        "*UnitAmount": plain_number(line.rate) if exact else money(line.amount),
        "*AccountCode": clean(line.account.code, max_length=TEXT) if line.account else "",
        "*TaxType": TAX_ON_SALES if line.taxable else TAX_EXEMPT,
        "TaxAmount": money(tax) if tax is not None else "",
    }


def _charge_columns(description: str, value: Decimal, account: AccountDoc | None) -> dict[str, str]:
    return {
        "*Description": description,
        "*Quantity": "1",
        "*UnitAmount": money(value),
        "*AccountCode": clean(account.code, max_length=TEXT) if account else "",
        "*TaxType": TAX_EXEMPT,
        "TaxAmount": "",
    }


def _address(customer: CustomerDoc) -> dict[str, str]:
    """The postal address; the contact is named by its code, so the company's own name
    heads the address, as on a QuickBooks bill-to."""
    lines = [customer.name, *customer.address_lines]
    lines = [text for text in map(clean, lines) if text][:4]
    return {
        **{f"POAddressLine{n}": text[:TEXT] for n, text in enumerate(lines, start=1)},
        "POCity": clean(customer.city, max_length=TEXT),
        "PORegion": clean(customer.region, max_length=TEXT),
        "POPostalCode": clean(customer.postal_code, max_length=TEXT),
        "POCountry": clean(customer.country, max_length=TEXT),
    }


def _contact_row(customer: CustomerDoc) -> dict[str, str]:
    return _address(customer) | {
        "*ContactName": clean(customer.code, max_length=TEXT),
        "AccountNumber": clean(customer.code, max_length=ACCOUNT_NUMBER),
        "EmailAddress": clean(customer.email, max_length=TEXT),
        "POAttentionTo": clean(customer.contact_name, max_length=TEXT),
        "PhoneNumber": clean(customer.phone, max_length=50),
        "AccountsReceivableTaxCodeName": TAX_ON_SALES if customer.taxable else TAX_EXEMPT,
        "DueDateSalesDay": str(customer.terms_days),
        "DueDateSalesTerm": "Days After",
    }


def xero_date(value: datetime.date) -> str:
    return f"{value:{DATE_FORMAT}}"


FORMAT = ExportFormat(
    key="xero_csv",
    label="Xero",
    extension="csv",
    media_type="text/csv",
    write=write,
    max_invoices_per_file=500,
    write_customers=write_customers,
    check=check,
)
