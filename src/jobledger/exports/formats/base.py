"""What every writer reads: plain dataclasses, no ORM, so a writer is tested on its own."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal


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
    taxable: bool
    tax_code: str


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


@dataclass(frozen=True)
class GLDoc:
    account_code: str
    account_name: str
    amount: Decimal
    memo: str


@dataclass(frozen=True)
class InvoiceDoc:
    number: int
    type: str
    policy: str
    invoice_date: datetime.date
    due_date: datetime.date
    terms_days: int
    customer: CustomerDoc
    job_number: str
    job_name: str
    department: str
    po_number: str
    notes: str
    currency: str
    subtotal: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    freight: Decimal
    deposit_applied: Decimal
    total: Decimal
    lines: tuple[LineDoc, ...]
    distribution: tuple[GLDoc, ...]
    corrects_number: int | None


InvoiceWriter = Callable[[Sequence[InvoiceDoc]], bytes]


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    extension: str
    media_type: str
    write: InvoiceWriter
    max_invoices_per_file: int | None = None
    carries_customers: bool = False


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A text cell a spreadsheet will show, never run: formula triggers get a leading quote."""
    cleaned = "".join(ch for ch in value if ch >= " " or ch == "\t").replace("\t", " ")
    if cleaned.startswith(FORMULA_TRIGGERS):
        return "'" + cleaned
    return cleaned
