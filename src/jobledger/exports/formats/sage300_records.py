"""The Sage 300 A/R invoice batch as records, for the CSV and the workbook alike.

Views and field names are those of Sage 300's A/R invoice views: Invoice_Batches (ARIBC),
Invoices (ARIBH), Invoice_Details (ARIBD), Invoice_Payment_Schedules (ARIBS), and the
A/R Customers view (ARCUS). Choices:
- one batch per file, numbered 1 (Sage gives the imported batch its own number); entries
  1..n in the order given; detail lines 20, 40, 60 … as Sage's own exports number them;
- summary entries (G/L distribution details, no A/R items): an invoice is document type 1
  with transaction type 12 (Invoice - Summary Entered); a credit, document type 3 with 32
  (Credit Note - Summary Entered) applied to the invoice it corrects;
- amounts are positive and the document type gives the direction; each invoice line goes
  to its revenue account, then freight, sales tax and a deposit applied (negative) as
  detail lines to their own accounts, so the details add up to the document total (the tax
  is posted as the invoice states it rather than recalculated by Sage's tax engine);
- an invoice has one payment schedule line: its due date and total (credit notes have
  no schedule);
- text keeps what the Windows code page holds (é stays, other characters are folded)
  and is cut to the view's field lengths; a leading formula character is dropped.
"""

import datetime
import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from jobledger.exports.formats.base import AccountDoc, CustomerDoc, InvoiceDoc, import_text

Cell = str | int | Decimal | datetime.date
Record = tuple[Cell, ...]

BATCH_VIEW = "Invoice_Batches"
INVOICE_VIEW = "Invoices"
DETAIL_VIEW = "Invoice_Details"
SCHEDULE_VIEW = "Invoice_Payment_Schedules"
CUSTOMER_VIEW = "Customers"

BATCH_FIELDS = ("CNTBTCH", "DATEBTCH", "BTCHDESC", "INVCTYPE", "CNTINVCENT", "AMTENTR")
INVOICE_FIELDS = (
    "CNTBTCH", "CNTITEM", "IDCUST", "IDINVC", "TEXTTRX", "IDTRX", "INVCDESC", "INVCAPPLTO",
    "CUSTPO", "DATEINVC", "DATEDUE",
)  # fmt: skip
DETAIL_FIELDS = ("CNTBTCH", "CNTITEM", "CNTLINE", "IDACCTREV", "TEXTDESC", "AMTEXTN")
SCHEDULE_FIELDS = ("CNTBTCH", "CNTITEM", "CNTPAYM", "DATEDUE", "AMTDUE")
CUSTOMER_FIELDS = (
    "IDCUST", "TEXTSNAM", "SWACTV", "NAMECUST", "TEXTSTRE1", "TEXTSTRE2", "TEXTSTRE3",
    "TEXTSTRE4", "NAMECITY", "CODESTTE", "CODEPSTL", "CODECTRY", "NAMECTAC", "TEXTPHON1",
)  # fmt: skip

BATCH_NUMBER = 1
SUMMARY = 2  # the batch's default invoice type
INVOICE_DOCUMENT, CREDIT_DOCUMENT = 1, 3
INVOICE_SUMMARY, CREDIT_SUMMARY = 12, 32
LINE_STEP = 20
CUSTOMER_LENGTH, DOCUMENT_LENGTH, ACCOUNT_LENGTH = 12, 22, 45


@dataclass(frozen=True)
class Entry:
    """One invoice or credit note with its detail and payment schedule records."""

    invoice: Record
    details: tuple[Record, ...]
    schedules: tuple[Record, ...]
    invoice_date: datetime.date
    total: Decimal  # as the invoice states it: negative for a credit


@dataclass(frozen=True)
class Detail:
    part: str  # "line 2", "freight" … for messages
    description: str
    account: AccountDoc | None
    amount: Decimal  # positive charges the customer


def entries(invoices: Iterable[InvoiceDoc]) -> Iterator[Entry]:
    """Each invoice as a batch entry, reading the invoices once."""
    for number, invoice in enumerate(invoices, start=1):
        yield _entry(number, invoice)


def _entry(number: int, invoice: InvoiceDoc) -> Entry:
    credit = invoice.is_credit
    direction = -1 if credit else 1
    key = (BATCH_NUMBER, number)
    header = (
        *key,
        text(invoice.customer.code, CUSTOMER_LENGTH),
        text(str(invoice.number), DOCUMENT_LENGTH),
        CREDIT_DOCUMENT if credit else INVOICE_DOCUMENT,
        CREDIT_SUMMARY if credit else INVOICE_SUMMARY,
        text(f"Job {invoice.job_number} {invoice.job_name}", 60),
        str(invoice.corrects_number) if credit and invoice.corrects_number else "",
        text(invoice.po_number, DOCUMENT_LENGTH),
        invoice.invoice_date,
        invoice.due_date,
    )
    lines = tuple(
        (*key, LINE_STEP * line, _account(detail.account), text(detail.description, 60),
         detail.amount * direction)
        for line, detail in enumerate(details(invoice), start=1)
    )  # fmt: skip
    schedules = () if credit else ((*key, 1, invoice.due_date, invoice.total),)
    return Entry(header, lines, schedules, invoice.invoice_date, invoice.total)


def details(invoice: InvoiceDoc) -> list[Detail]:
    """The invoice's parts as it charges them; they add up to the invoice total."""
    parts = [
        Detail(f"line {number}", line.description, line.account, line.amount)
        for number, line in enumerate(invoice.lines, start=1)
    ]
    extras = (
        ("freight", "Freight", invoice.freight_account, invoice.freight),
        ("sales tax", "Sales tax", invoice.tax_account, invoice.tax_amount),
        ("the deposit applied", "Deposit applied", invoice.deposit_account,
         -invoice.deposit_applied),
    )  # fmt: skip
    parts += [Detail(*extra) for extra in extras if extra[3]]
    return parts


def batch_record(description: str, batch_date: datetime.date, count: int,
                 total: Decimal) -> Record:  # fmt: skip
    """The batch: its description, date, number of entries and total."""
    return (BATCH_NUMBER, batch_date, text(description, 60), SUMMARY, count, total)


def default_batch_description(first_invoice_date: datetime.date) -> str:
    """The default batch description, dated by the batch's first invoice."""
    return f"jobledger {first_invoice_date.isoformat()}"


def customer_record(customer: CustomerDoc) -> Record:
    street = [text(line) for line in customer.address_lines if text(line)]
    if len(street) > 4:
        street = [*street[:3], ", ".join(street[3:])]
    street += [""] * (4 - len(street))
    return (
        text(customer.code, CUSTOMER_LENGTH),
        text(customer.name, 10),
        1,  # active
        text(customer.name, 60),
        *(line[:60] for line in street),
        text(customer.city, 30),
        text(customer.region, 30),
        text(customer.postal_code, 20),
        text(customer.country, 30),
        text(customer.contact_name, 60),
        text(customer.phone, 30),
    )


def check(invoice: InvoiceDoc) -> list[str]:
    """What keeps an invoice out of a Sage 300 batch, in words a person can act on."""
    name = f"Invoice {invoice.number}"
    problems = []
    code = text(invoice.customer.code)
    if not code:
        problems.append(f"{name}: the customer has no code; give the customer its Sage 300 ID.")
    elif len(code) > CUSTOMER_LENGTH:
        problems.append(
            f"{name}: customer code {code} is longer than the {CUSTOMER_LENGTH} characters "
            "Sage 300 takes; shorten it on the customer."
        )
    if len(str(invoice.number)) > DOCUMENT_LENGTH:
        problems.append(
            f"Invoice number {invoice.number} is longer than the {DOCUMENT_LENGTH} characters "
            "Sage 300 takes."
        )
    for detail in details(invoice):
        problems += _account_problems(f"{name}: {detail.part}", detail.account)
    return problems


def _account_problems(subject: str, account: AccountDoc | None) -> list[str]:
    if account is None or not text(account.code):
        return [f"{subject} has no G/L account: map its category on the Distribution settings."]
    if len(text(account.code)) > ACCOUNT_LENGTH:
        return [
            f"{subject} goes to account {text(account.code)}, longer than the "
            f"{ACCOUNT_LENGTH} characters of a Sage 300 G/L account."
        ]
    return []


@functools.lru_cache(maxsize=4096)  # codes and names repeat on every record
def text(value: str, max_length: int | None = None) -> str:
    """Text Sage 300 stores: characters of the Windows code page kept, others folded."""
    cleaned = import_text(value)
    if not _windows(cleaned):
        cleaned = import_text("".join(ch if _windows(ch) else _fold(ch) for ch in cleaned))
    return cleaned[:max_length] if max_length is not None else cleaned


def _windows(value: str) -> bool:
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _fold(ch: str) -> str:
    return unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")


def _account(account: AccountDoc | None) -> str:
    return text(account.code, ACCOUNT_LENGTH) if account else ""
