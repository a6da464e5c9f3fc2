"""The Invoice Journal as a CSV file and as a PDF (Typst, from the template beside this file)."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import typst

from jobledger.ledger.reports import Journal

TEMPLATE = Path(__file__).resolve().parent / "typst" / "journal.typ"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def journal_csv(journal: Journal) -> bytes:
    """One row per GL line, then the totals per account and the grand totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Invoice", "Date", "Customer", "Job", "Code", "Account", "Amount", "Memo"])
    for entry in journal.entries:
        invoice = entry.invoice
        for line in entry.lines:
            writer.writerow(
                [
                    invoice.number,
                    invoice.invoice_date.isoformat(),
                    spreadsheet_cell(invoice.customer.code),
                    spreadsheet_cell(invoice.job.number),
                    spreadsheet_cell(line.code),
                    spreadsheet_cell(line.name),
                    f"{line.amount:.2f}",
                    spreadsheet_cell(line.memo),
                ]
            )
    writer.writerow([])
    writer.writerow(["Code", "Account", "Debits", "Credits", "Net"])
    for total in journal.totals:
        writer.writerow(
            [
                spreadsheet_cell(total.code),
                spreadsheet_cell(total.name),
                *_amounts(total.debits, total.credits),
            ]
        )
    writer.writerow(["", "Grand totals", *_amounts(journal.debits, journal.credits)])
    return out.getvalue().encode("utf-8")


def journal_pdf(journal: Journal, company: str) -> bytes:
    data = {
        "company": company,
        "from": f"{journal.date_from:%m/%d/%Y}",
        "to": f"{journal.date_to:%m/%d/%Y}",
        "count": len(journal.entries),
        "entries": [
            {
                "number": str(entry.invoice.number),
                "date": f"{entry.invoice.invoice_date:%m/%d/%Y}",
                "customer": entry.invoice.customer.code,
                "job": entry.invoice.job.number,
                "total": _money(entry.invoice.total),
                "lines": [
                    {"code": x.code, "name": x.name, "amount": _money(x.amount), "memo": x.memo}
                    for x in entry.lines
                ],
            }
            for entry in journal.entries
        ],
        "totals": [
            {
                "code": t.code,
                "name": t.name,
                "debits": _money(t.debits),
                "credits": _money(t.credits),
                "net": _money(t.net),
            }
            for t in journal.totals
        ],
        "debits": _money(journal.debits),
        "credits": _money(journal.credits),
        "net": _money(journal.debits - journal.credits),
    }
    pdf = typst.compile(
        str(TEMPLATE), sys_inputs={"data": json.dumps(data)}, ignore_system_fonts=True
    )
    assert isinstance(pdf, bytes)
    return pdf


def _amounts(debits: Decimal, credits: Decimal) -> list[str]:
    return [f"{debits:.2f}", f"{credits:.2f}", f"{debits - credits:.2f}"]


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def spreadsheet_cell(text: str) -> str:
    # A spreadsheet must never run a cell as a formula.
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
