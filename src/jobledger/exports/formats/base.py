"""What every writer reads: plain dataclasses, no ORM, so a writer is tested on its own.

A writer takes the invoices once, in order (an iterable, so a large export streams from
the database) plus the customers to carry in the same file where its format can, and
returns the file's bytes. Amounts are Decimal with two places; debits positive.
"""

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache


@dataclass(frozen=True)
class AccountDoc:
    code: str
    name: str


@dataclass(frozen=True)
class CustomerDoc:
    code: str
    name: str
    address_lines: tuple[str, ...]
    city: str
    region: str
    postal_code: str
    country: str
    contact_name: str
    email: str
    phone: str
    terms_days: int
    terms_label: str
    taxable: bool
    tax_code: str
    tax_rate: Decimal
    # E-invoice details (UBL / Peppol); blank where the customer has none.
    vat_number: str = ""
    endpoint_scheme: str = ""
    endpoint_id: str = ""
    buyer_reference: str = ""
    wants_einvoices: bool = False
    # The UNCL5305 category of the customer's tax code ("" without a tax code).
    tax_category: str = ""
    tax_exemption_reason: str = ""
    tax_exemption_reason_code: str = ""


@dataclass(frozen=True)
class SellerDoc:
    """The company as e-invoices name it."""

    name: str
    legal_name: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: str
    email: str
    vat_number: str
    endpoint_scheme: str
    endpoint_id: str
    # How lines, freight and deposits without tax are classified (E or Z), and why.
    untaxed_category: str
    untaxed_reason: str


@dataclass(frozen=True)
class LineDoc:
    description: str
    kind: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    taxable: bool
    item_code: str
    department: str
    # The income account this line is booked to (None when no mapping covers it).
    account: AccountDoc | None


@dataclass(frozen=True)
class GLDoc:
    account_code: str
    account_name: str
    amount: Decimal
    memo: str


@dataclass(frozen=True)
class InvoiceDoc:
    number: int
    type: str  # Partial, Complete, Correction
    policy: str
    invoice_date: datetime.date
    due_date: datetime.date
    terms_days: int
    terms_label: str
    customer: CustomerDoc
    job_number: str
    job_name: str
    department: str
    po_number: str
    notes: str
    currency: str
    subtotal: Decimal
    tax_rate: Decimal  # percent
    tax_amount: Decimal
    freight: Decimal
    deposit_applied: Decimal
    total: Decimal
    lines: tuple[LineDoc, ...]
    # The approved GL distribution: debits positive, credits negative, summing to 0.00.
    distribution: tuple[GLDoc, ...]
    corrects_number: int | None
    # Accounts of the invoice-level parts, from the category mappings (None when unmapped).
    receivable_account: AccountDoc | None
    tax_account: AccountDoc | None
    freight_account: AccountDoc | None
    deposit_account: AccountDoc | None
    # The issuing company, for formats that name it (e-invoices).
    seller: SellerDoc | None = None
    # The invoice's PDF, for formats that embed it.
    pdf: bytes | None = None

    @property
    def is_credit(self) -> bool:
        """A credit note in the target system: a negative total."""
        return self.total < 0


InvoiceWriter = Callable[[Iterable[InvoiceDoc], Sequence[CustomerDoc]], bytes]
CustomerWriter = Callable[[Iterable[CustomerDoc]], bytes]
InvoiceCheck = Callable[[InvoiceDoc], list[str]]


def no_problems(invoice: InvoiceDoc) -> list[str]:
    return []


@dataclass(frozen=True)
class ExportFormat:
    """One accounting target: its writer and what the export modal needs to know."""

    key: str
    label: str
    extension: str
    media_type: str
    write: InvoiceWriter
    # How a text file's bytes are encoded (None for a binary file such as a workbook).
    encoding: str | None = "utf-8"
    # Invoices one file may hold; more are split into several files inside a zip.
    max_invoices_per_file: int | None = None
    # The invoice file can also carry customer records (QuickBooks Desktop's !CUST).
    carries_customers: bool = False
    # The customer export in this target's own layout, if it has one.
    write_customers: CustomerWriter | None = None
    customers_extension: str = "csv"
    # Problems that keep one invoice out of this format, in words a person can act on.
    check: InvoiceCheck = no_problems
    # The format carries each invoice's PDF (InvoiceDoc.pdf), which the export fetches.
    embeds_pdf: bool = False


CONTROL_REPLACEMENTS = {"\t": " ", "\r": " ", "\n": " "}
FORMULA_TRIGGERS = ("=", "+", "-", "@")


def clean_text(value: str, *, max_length: int | None = None, ascii_only: bool = False) -> str:
    """Control characters out (tabs and line breaks become spaces), optionally folded to
    ASCII (é → e), then cut to the target's field length."""
    if value.isascii() and value.isprintable():
        text = " ".join(value.split()) if "  " in value or value != value.strip() else value
    else:
        text = "".join(
            CONTROL_REPLACEMENTS.get(ch, "") if unicodedata.category(ch)[0] == "C" else ch
            for ch in value
        )
        text = " ".join(text.split())
    if ascii_only and not text.isascii():
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        text = " ".join(folded.split())
    return text[:max_length] if max_length is not None else text


def import_text(value: str, *, max_length: int | None = None, ascii_only: bool = False) -> str:
    """Text for a file an accounting product imports: a leading formula character is dropped,
    since a quote would be imported literally."""
    text = clean_text(value, ascii_only=ascii_only)
    while text.startswith(FORMULA_TRIGGERS):
        text = text[1:].lstrip()
    return text[:max_length] if max_length is not None else text


# Items, accounts, customers and terms repeat on nearly every row of an export, and
# cleaning text is most of a writer's work, so the import text of a value is kept.
@lru_cache(maxsize=4096)
def cached_import_text(value: str, max_length: int | None = None) -> str:
    return import_text(value, max_length=max_length)


def csv_file(
    header: Sequence[str], rows: Iterable[dict[str, str]], encoding: str = "utf-8"
) -> bytes:
    """A CSV with a header row and CRLF line ends; each row's cells in the header's order,
    missing ones blank. Rows are encoded as they are written, so one copy of the file is held."""
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding=encoding, newline="")
    writer = csv.DictWriter(text, fieldnames=header, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    text.flush()
    return buffer.getvalue()


def spreadsheet_text(value: str, *, max_length: int | None = None) -> str:
    """Text for a file people open in a spreadsheet: a leading formula character is kept,
    behind a quote, so the cell shows it and never runs it."""
    text = clean_text(value)
    if text.startswith(FORMULA_TRIGGERS):
        text = "'" + text
    return text[:max_length] if max_length is not None else text


def money(value: Decimal) -> str:
    """Plain number: two places, '.' separator, no grouping, a leading '-' when negative
    (never '-0.00')."""
    return f"{value:.2f}" if value else "0.00"


def plain_number(value: Decimal) -> str:
    """A quantity or rate without trailing zeros: 8, 6.5, 38.125."""
    return f"{value.normalize():f}" if value else "0"
