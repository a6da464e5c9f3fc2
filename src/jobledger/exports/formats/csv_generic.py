"""CSV (other systems): one row per invoice line with the header repeated, then the GL lines.

Layout, documented for the people who import it:
- `record` is LINE for an invoice line and GL for a line of the invoice's GL distribution;
- dates are ISO (YYYY-MM-DD); amounts have two decimals and a minus sign when negative;
- the header columns repeat on every row so each row stands on its own.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from jobledger.exports.formats.base import (
    CustomerDoc,
    ExportFormat,
    GLDoc,
    InvoiceDoc,
    LineDoc,
    spreadsheet_text,
)

HEADER = (
    "record", "invoice_number", "invoice_type", "invoice_date", "due_date", "terms_days",
    "customer_code", "customer_name", "job_number", "job_name", "po_number", "currency",
    "line_number", "item_code", "description", "kind", "quantity", "unit", "rate", "amount",
    "taxable", "department", "account_code", "account_name", "subtotal", "tax", "freight",
    "deposit_applied", "invoice_total", "corrects_invoice",
)  # fmt: skip


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    for invoice in invoices:
        header = _invoice_columns(invoice)
        for number, line in enumerate(invoice.lines, start=1):
            writer.writerow(
                header | _line_columns(line) | {"record": "LINE", "line_number": number}
            )
        for number, gl in enumerate(invoice.distribution, start=1):
            writer.writerow(header | _gl_columns(gl) | {"record": "GL", "line_number": str(number)})
    return out.getvalue().encode("utf-8")


def _invoice_columns(invoice: InvoiceDoc) -> dict[str, str]:
    return {
        "invoice_number": str(invoice.number),
        "invoice_type": invoice.type,
        "invoice_date": invoice.invoice_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "terms_days": str(invoice.terms_days),
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


def _line_columns(line: LineDoc) -> dict[str, str]:
    return {
        "item_code": spreadsheet_text(line.item_code),
        "description": spreadsheet_text(line.description),
        "kind": line.kind,
        "quantity": f"{line.quantity.normalize():f}",
        "unit": spreadsheet_text(line.unit),
        "rate": f"{line.rate.normalize():f}",
        "amount": f"{line.amount:.2f}",
        "taxable": "Y" if line.taxable else "N",
        "department": spreadsheet_text(line.department),
    }


def _gl_columns(gl: GLDoc) -> dict[str, str]:
    return {
        "description": spreadsheet_text(gl.memo),
        "amount": f"{gl.amount:.2f}",
        "account_code": spreadsheet_text(gl.account_code),
        "account_name": spreadsheet_text(gl.account_name),
    }


FORMAT = ExportFormat(
    key="csv",
    label="CSV (other systems)",
    extension="csv",
    media_type="text/csv",
    write=write,
)
