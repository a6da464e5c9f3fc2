"""MYOB AccountRight: the Service Sales import (File > Import Data > Sales > Service).

The file, as MYOB's own exports and import help lay it out:
- the first line is `{}`, the second the column names (AU service-sale layout; MYOB's
  import assistant matches them, and lets the user map any it does not);
- TAB between fields, CRLF line ends, one line per invoice line, and an extra empty line
  after each invoice's lines, which is how MYOB tells one sale from the next;
- Windows-1252 text with no byte-order mark (a desktop product); a character outside it
  is folded to its plain letter where it has one (ő becomes o) and dropped otherwise;
- dates DD/MM/YYYY (an AU/NZ company file), amounts with two decimals and a minus sign.

What each invoice becomes:
- every invoice line is a line (its income account as `Account #`); freight is a line on
  the freight account, a deposit applied a negative "Deposit applied" line on the
  customer-deposits account, so the lines plus their tax equal the invoice total;
- amounts are tax-exclusive (`Inclusive` blank); the invoice's tax is spread over its
  taxable lines (`GST Amount`, each rounded, the last taxable line taking the cent left
  over) with tax code TAXABLE_CODE, and every other line carries NOT_TAXED_CODE;
- a credit (negative total) is the same sale with negative amounts, which MYOB records
  as a customer credit;
- the customer is matched by `Co./Last Name` (the name, 50 characters) or `Card ID` (the
  customer code, 15 characters), cut exactly as the customer cards file cuts them;
- `Job` stays blank: MYOB rejects a job number its company file does not have; the job
  goes into the journal memo instead;
- terms are "in a given number of days" with the days between invoice and due date, so
  MYOB's due date is ours.
An invoice is kept out when MYOB would refuse it: a number longer than 8 characters, or
an account that is missing or not a MYOB account number (five digits, optionally with a
separator after the first: 4-1100 or 41100).
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jobledger.exports.formats.base import (
    AccountDoc,
    CustomerDoc,
    ExportFormat,
    InvoiceDoc,
    import_text,
    money,
)

ENCODING = "cp1252"
CENT = Decimal("0.01")
EOL = "\r\n"
# MYOB's standard AU tax codes: goods and services tax, and GST-free.
TAXABLE_CODE = "GST"
NOT_TAXED_CODE = "FRE"
# Terms > Payment is Due: 2 = "In a Given # of Days".
TERMS_IN_DAYS = "2"
# Delivery Status A = already printed or sent: jobledger sends the invoice itself.
ALREADY_SENT = "A"
# Sale Status: O is an order and Q a quote; I (or blank) is an invoice.
INVOICE_STATUS = "I"
INVOICE_NUMBER_LENGTH = 8
NAME_LENGTH = 50
CARD_ID_LENGTH = 15
TEXT_LENGTH = 255
ACCOUNT_NUMBER = re.compile(r"\d[^\d\s]?\d{4}")
# The continuation columns really begin with spaces and a dash, as in MYOB's exports.
CONT = "           - "

SALES_HEADER = (
    "Co./Last Name", "First Name", "Addr 1 - Line 1", f"{CONT}Line 2", f"{CONT}Line 3",
    f"{CONT}Line 4", "Inclusive", "Invoice #", "Date", "Customer PO", "Ship Via",
    "Delivery Status", "Description", "Account #", "Amount", "Inc-Tax Amount", "Job",
    "Comment", "Journal Memo", "Salesperson Last Name", "Salesperson First Name",
    "Shipping Date", "Referral Source", "Tax Code", "Non-GST Amount", "GST Amount",
    "LCT Amount", "Freight Amount", "Inc-Tax Freight Amount", "Freight Tax Code",
    "Freight Non-GST Amount", "Freight GST Amount", "Freight LCT Amount", "Sale Status",
    "Currency Code", "Exchange Rate", "Terms - Payment is Due", f"{CONT}Discount Days",
    f"{CONT}Balance Due Days", f"{CONT}% Discount", f"{CONT}% Monthly Charge", "Amount Paid",
    "Payment Method", "Payment Notes", "Name on Card", "Card Number", "Expiry Date",
    "Authorisation Code", "BSB", "Account Number", "Drawer/Account Name", "Cheque Number",
    "Category", "Location ID", "Card ID", "Record ID",
)  # fmt: skip

CARDS_HEADER = (
    "Co./Last Name", "First Name", "Card ID", "Card Status", "Currency Code",
    "Addr 1 - Line 1", f"{CONT}Line 2", f"{CONT}Line 3", f"{CONT}Line 4", f"{CONT}City",
    f"{CONT}State", f"{CONT}Postcode", f"{CONT}Country", f"{CONT}Phone # 1", f"{CONT}Email",
    f"{CONT}Contact Name", "Terms - Payment is Due", f"{CONT}Discount Days",
    f"{CONT}Balance Due Days", "Tax Code", "Sales/Purchase Layout",
)  # fmt: skip


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The Service Sales file: `{}`, the header, then each invoice's lines and an empty line."""
    out = ["{}", _row(SALES_HEADER)]
    for invoice in invoices:
        sale = _sale_columns(invoice)  # the same on every line of the sale
        out += [_row((sale | _line_columns(line)).values()) for line in _sale_lines(invoice)]
        out.append("")
    return _encode(out)


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """Customer Cards (File > Import Data > Cards > Customer Cards), one card per line."""
    out = ["{}", _row(CARDS_HEADER)]
    out += [_row(_card_row(customer).values()) for customer in customers]
    return _encode(out)


def check(invoice: InvoiceDoc) -> list[str]:
    number = invoice.number
    problems = []
    if len(str(number)) > INVOICE_NUMBER_LENGTH:
        problems.append(
            f"Invoice {number}: MYOB takes invoice numbers of at most "
            f"{INVOICE_NUMBER_LENGTH} characters — export it with another format or enter "
            "it by hand"
        )
    not_myob: dict[str, list[str]] = {}
    for where, account in _accounts_written(invoice):
        if account is None:
            problems.append(
                f"Invoice {number}: {where} has no account — map its category on the "
                "Distribution settings"
            )
        elif not ACCOUNT_NUMBER.fullmatch(account.code):
            not_myob.setdefault(account.code, []).append(where)
    for code, places in not_myob.items():
        where = " and ".join([", ".join(places[:-1]), places[-1]] if places[1:] else places)
        goes = "goes" if len(places) == 1 else "go"
        problems.append(
            f"Invoice {number}: {where} {goes} to account {code}, which is not a "
            "MYOB account number (five digits, such as 4-1100) — give the GL account its "
            "MYOB number"
        )
    return problems


def _accounts_written(invoice: InvoiceDoc) -> list[tuple[str, AccountDoc | None]]:
    accounts = [(f"line {n}", line.account) for n, line in enumerate(invoice.lines, start=1)]
    if invoice.freight:
        accounts.append(("freight", invoice.freight_account))
    if invoice.deposit_applied:
        accounts.append(("the deposit applied", invoice.deposit_account))
    return accounts


@dataclass
class _SaleLine:
    """One line of the sale as MYOB sees it: text, account, ex-tax amount and its tax."""

    description: str
    account: AccountDoc | None
    amount: Decimal
    taxable: bool
    tax: Decimal = Decimal("0.00")


def _sale_lines(invoice: InvoiceDoc) -> list[_SaleLine]:
    lines = [
        _SaleLine(line.description, line.account, line.amount, line.taxable)
        for line in invoice.lines
    ]
    _spread_tax(lines, invoice.tax_amount, invoice.tax_rate)
    if invoice.freight:
        lines.append(_SaleLine("Freight", invoice.freight_account, invoice.freight, False))
    if invoice.deposit_applied:
        lines.append(
            _SaleLine("Deposit applied", invoice.deposit_account, -invoice.deposit_applied, False)
        )
    return lines


def _spread_tax(lines: list[_SaleLine], tax: Decimal, rate: Decimal) -> None:
    """Each taxable line gets its own rounded tax; the last one takes what rounding left,
    so the lines' tax adds up to the invoice's tax to the cent."""
    taxable = [line for line in lines if line.taxable]
    if not taxable:
        return
    for line in taxable:
        line.tax = (line.amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    taxable[-1].tax += tax - sum((line.tax for line in taxable), Decimal("0.00"))


def _sale_columns(invoice: InvoiceDoc) -> dict[str, str]:
    customer = invoice.customer
    row = dict.fromkeys(SALES_HEADER, "")
    row.update(zip(SALES_HEADER[2:6], _address(customer), strict=False))
    row |= {
        "Co./Last Name": _card_name(customer),
        "Invoice #": str(invoice.number),
        "Date": invoice.invoice_date.strftime("%d/%m/%Y"),
        "Customer PO": _text(invoice.po_number, max_length=20),
        "Delivery Status": ALREADY_SENT,
        "Comment": _text(invoice.notes, max_length=TEXT_LENGTH),
        "Journal Memo": _journal_memo(invoice),
        "Sale Status": INVOICE_STATUS,
        "Terms - Payment is Due": TERMS_IN_DAYS,
        f"{CONT}Balance Due Days": str(max((invoice.due_date - invoice.invoice_date).days, 0)),
        "Card ID": _card_id(customer),
    }
    return row


def _line_columns(line: _SaleLine) -> dict[str, str]:
    return {
        "Description": _text(line.description, max_length=TEXT_LENGTH),
        "Account #": line.account.code if line.account else "",
        "Amount": money(line.amount),
        "Inc-Tax Amount": money(line.amount + line.tax),
        "Tax Code": TAXABLE_CODE if line.taxable else NOT_TAXED_CODE,
        "GST Amount": money(line.tax),
    }


def _journal_memo(invoice: InvoiceDoc) -> str:
    memo = f"Invoice {invoice.number}; job {invoice.job_number} {invoice.job_name}"
    return _text(memo, max_length=TEXT_LENGTH)


def _card_row(customer: CustomerDoc) -> dict[str, str]:
    row = dict.fromkeys(CARDS_HEADER, "")
    row.update(zip(CARDS_HEADER[5:9], _street(customer), strict=False))
    row |= {
        "Co./Last Name": _card_name(customer),
        "Card ID": _card_id(customer),
        f"{CONT}City": _text(customer.city, max_length=TEXT_LENGTH),
        f"{CONT}State": _text(customer.region, max_length=TEXT_LENGTH),
        f"{CONT}Postcode": _text(customer.postal_code, max_length=10),
        f"{CONT}Country": _text(customer.country, max_length=TEXT_LENGTH),
        f"{CONT}Phone # 1": _text(customer.phone, max_length=21),
        f"{CONT}Email": _text(customer.email, max_length=TEXT_LENGTH),
        f"{CONT}Contact Name": _text(customer.contact_name, max_length=25),
        "Terms - Payment is Due": TERMS_IN_DAYS,
        f"{CONT}Balance Due Days": str(max(customer.terms_days, 0)),
        "Tax Code": TAXABLE_CODE if customer.taxable else NOT_TAXED_CODE,
        "Sales/Purchase Layout": "S",  # service layout, as these sales are imported
    }
    return row


def _card_name(customer: CustomerDoc) -> str:
    return _text(customer.name, max_length=NAME_LENGTH)


def _card_id(customer: CustomerDoc) -> str:
    return _text(customer.code, max_length=CARD_ID_LENGTH)


def _text(value: str, *, max_length: int | None = None) -> str:
    """Clean text in what MYOB reads, cut after folding so the cut counts real characters."""
    return import_text(_cp1252(value), max_length=max_length)


def _street(customer: CustomerDoc) -> list[str]:
    return [text for text in (_text(line) for line in customer.address_lines) if text][:4]


def _address(customer: CustomerDoc) -> list[str]:
    """The bill-to block: street lines, then town, then country; four lines, 255 in all."""
    town = " ".join(t for t in (customer.city, customer.region, customer.postal_code) if t)
    lines = [*_street(customer), _text(town), _text(customer.country)]
    kept: list[str] = []
    room = TEXT_LENGTH
    for line in (text for text in lines if text):
        if len(kept) == 4 or room <= 0:
            break
        kept.append(line[:room])
        room -= len(kept[-1])
    return kept


def _row(values: Iterable[str]) -> str:
    return "\t".join(values)


def _cp1252(text: str) -> str:
    """Keep what Windows-1252 can show; fold the rest to plain letters, else drop it."""
    if _fits(text):  # nearly always: one check for the whole text
        return text
    return "".join(ch if _fits(ch) else _fold(ch) for ch in text)


def _fits(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _fold(ch: str) -> str:
    return unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")


def _encode(lines: list[str]) -> bytes:
    return (EOL.join(lines) + EOL).encode(ENCODING, errors="replace")


FORMAT = ExportFormat(
    key="myob_txt",
    label="MYOB AccountRight",
    extension="txt",
    media_type="text/plain",
    write=write,
    encoding="cp1252",
    write_customers=write_customers,
    customers_extension="txt",
    check=check,
)
