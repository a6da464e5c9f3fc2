"""CSV (other systems): our own documented layout, for any system without its own writer.

The file (docs/export-formats.md says the same for the people who import it):
- RFC 4180: comma, `"` quoting, CRLF, a header row; UTF-8 without a byte-order mark;
- one LINE row per invoice line, then one GL row per line of the invoice's approved GL
  distribution; every row repeats the invoice's columns, so each row stands on its own;
- dates are ISO (YYYY-MM-DD); amounts have two decimals, no grouping, and a minus sign
  when negative;
- a credit keeps its signs (negative lines and total) and says CREDIT in `document_type`,
  so sums over the file stay right; everything else says INVOICE;
- on a LINE row, `account_code`/`account_name` are the line's income account, `tax_code`
  and `tax_rate` the tax it bears (blank code and 0 when the line is not taxable); on a GL
  row they are the distribution line's account, `description` its memo;
- checks a reader can make: per invoice, the LINE amounts add up to `subtotal`;
  `subtotal + tax + freight - deposit_applied = invoice_total`; the GL amounts add up to
  0.00 (debits positive, credits negative).
This file is meant to be opened by people: a text cell that begins with = + - or @ is
written behind a `'` so a spreadsheet shows it and never runs it; numbers stay numbers.

The customers file has one row per customer, the same text rules, and the columns of
CUSTOMER_HEADER.
"""

import csv
import io
import operator
from collections.abc import Iterable, Sequence
from decimal import Decimal

from jobledger.exports.formats.base import (
    CustomerDoc,
    ExportFormat,
    GLDoc,
    InvoiceDoc,
    LineDoc,
    spreadsheet_text,
)

HEADER = (
    "record", "invoice_number", "document_type", "invoice_type", "invoice_date", "due_date",
    "terms_days", "terms", "customer_code", "customer_name", "job_number", "job_name",
    "po_number", "currency", "line_number", "item_code", "description", "kind", "quantity",
    "unit", "rate", "amount", "taxable", "tax_code", "tax_rate", "department",
    "account_code", "account_name", "subtotal", "tax", "freight", "deposit_applied",
    "invoice_total", "corrects_invoice",
)  # fmt: skip

CUSTOMER_HEADER = (
    "customer_code", "customer_name", "address_line_1", "address_line_2", "city", "region",
    "postal_code", "country", "contact_name", "email", "phone", "terms_days", "terms",
    "taxable", "tax_code", "tax_rate",
)  # fmt: skip


# Every column blank, and a picker of the values in column order (quicker than DictWriter).
BLANK = dict.fromkeys(HEADER, "")
IN_ORDER = operator.itemgetter(*HEADER)


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """LINE rows, then GL rows, for each invoice in turn."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for invoice in invoices:
        header = BLANK | _invoice_columns(invoice)
        for number, line in enumerate(invoice.lines, start=1):
            row = header | _line_columns(invoice, line)
            writer.writerow(IN_ORDER(row | {"record": "LINE", "line_number": str(number)}))
        for number, gl in enumerate(invoice.distribution, start=1):
            row = header | _gl_columns(gl)
            writer.writerow(IN_ORDER(row | {"record": "GL", "line_number": str(number)}))
    return out.getvalue().encode("utf-8")


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """One row per customer, with the codes the invoice file's `customer_code` uses."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CUSTOMER_HEADER, lineterminator="\r\n")
    writer.writeheader()
    for customer in customers:
        writer.writerow(_customer_columns(customer))
    return out.getvalue().encode("utf-8")


def _invoice_columns(invoice: InvoiceDoc) -> dict[str, str]:
    return {
        "invoice_number": str(invoice.number),
        "document_type": "CREDIT" if invoice.is_credit else "INVOICE",
        "invoice_type": invoice.type,
        "invoice_date": invoice.invoice_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "terms_days": str(invoice.terms_days),
        "terms": spreadsheet_text(invoice.terms_label),
        "customer_code": spreadsheet_text(invoice.customer.code),
        "customer_name": spreadsheet_text(invoice.customer.name),
        "job_number": spreadsheet_text(invoice.job_number),
        "job_name": spreadsheet_text(invoice.job_name),
        "po_number": spreadsheet_text(invoice.po_number),
        "currency": invoice.currency,
        "subtotal": f"{invoice.subtotal:.2f}",
        "tax": f"{invoice.tax_amount:.2f}",
        "freight": f"{invoice.freight:.2f}",
        "deposit_applied": f"{invoice.deposit_applied:.2f}",
        "invoice_total": f"{invoice.total:.2f}",
        "corrects_invoice": str(invoice.corrects_number or ""),
    }


def _line_columns(invoice: InvoiceDoc, line: LineDoc) -> dict[str, str]:
    account = line.account
    return {
        "item_code": spreadsheet_text(line.item_code),
        "description": spreadsheet_text(line.description),
        "kind": line.kind,
        "quantity": _number(line.quantity),
        "unit": spreadsheet_text(line.unit),
        "rate": _number(line.rate),
        "amount": f"{line.amount:.2f}",
        "taxable": "Y" if line.taxable else "N",
        "tax_code": spreadsheet_text(invoice.customer.tax_code) if line.taxable else "",
        "tax_rate": _number(invoice.tax_rate) if line.taxable else "0",
        "department": spreadsheet_text(line.department),
        "account_code": spreadsheet_text(account.code) if account else "",
        "account_name": spreadsheet_text(account.name) if account else "",
    }


def _gl_columns(gl: GLDoc) -> dict[str, str]:
    return {
        "description": spreadsheet_text(gl.memo),
        "amount": f"{gl.amount:.2f}",
        "account_code": spreadsheet_text(gl.account_code),
        "account_name": spreadsheet_text(gl.account_name),
    }


def _customer_columns(customer: CustomerDoc) -> dict[str, str]:
    street = [spreadsheet_text(line) for line in customer.address_lines]
    return {
        "customer_code": spreadsheet_text(customer.code),
        "customer_name": spreadsheet_text(customer.name),
        "address_line_1": street[0] if street else "",
        # Any further lines join the second, so no part of the address is lost.
        "address_line_2": ", ".join(street[1:]),
        "city": spreadsheet_text(customer.city),
        "region": spreadsheet_text(customer.region),
        "postal_code": spreadsheet_text(customer.postal_code),
        "country": spreadsheet_text(customer.country),
        "contact_name": spreadsheet_text(customer.contact_name),
        "email": spreadsheet_text(customer.email),
        "phone": spreadsheet_text(customer.phone),
        "terms_days": str(customer.terms_days),
        "terms": spreadsheet_text(customer.terms_label),
        "taxable": "Y" if customer.taxable else "N",
        "tax_code": spreadsheet_text(customer.tax_code),
        "tax_rate": _number(customer.tax_rate),
    }


def _number(value: Decimal) -> str:
    """A quantity, rate or percentage as written: no trailing zeros, no exponent."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


FORMAT = ExportFormat(
    key="csv",
    label="CSV (other systems)",
    extension="csv",
    media_type="text/csv",
    write=write,
    write_customers=write_customers,
    customers_extension="csv",
)
