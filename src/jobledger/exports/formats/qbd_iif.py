"""QuickBooks Desktop: invoices and credit memos as an IIF file, with customers when asked.

The file (format reference, section 2):
- tab-separated, CRLF line ends, ASCII only (accents folded: é → e), no byte-order mark;
- an optional `!CUST` section first, so the invoices can name its customers; then the
  `!TRNS`/`!SPL`/`!ENDTRNS` header lines once, then one block per invoice;
- a block is a TRNS line on the receivable account with the total, one SPL per invoice
  line (income account, minus the amount, QNTY minus the quantity), an SPL for freight,
  a plus SPL on the deposit account for a deposit applied, the sales tax SPL last
  (`EXTRA` = `AUTOSTAX`), then ENDTRNS; every block sums to exactly 0.00;
- an invoice with a negative total is a `CREDIT MEMO`: the same lines, so the signs flip
  (TRNS negative, income SPLs positive);
- accounts, items and classes are written by *name*, since QuickBooks matches them by
  name and silently creates the ones it does not know;
- the customer is `customer code:job number`, QuickBooks' customer:job naming.
Values never carry a tab, line break, `;` (QuickBooks stops reading the transaction there)
or `"` (written as two single quotes).
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from jobledger.exports.formats.base import (
    AccountDoc,
    CustomerDoc,
    ExportFormat,
    InvoiceDoc,
    LineDoc,
    import_text,
    money,
)

TRNS_HEADER = (
    "!TRNS", "TRNSID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "CLASS", "AMOUNT", "DOCNUM",
    "MEMO", "CLEAR", "TOPRINT", "NAMEISTAXABLE", "ADDR1", "ADDR2", "ADDR3", "ADDR4", "ADDR5",
    "DUEDATE", "TERMS", "PONUM",
)  # fmt: skip
SPL_HEADER = (
    "!SPL", "SPLID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "CLASS", "AMOUNT", "DOCNUM", "MEMO",
    "CLEAR", "QNTY", "PRICE", "INVITEM", "TAXABLE", "EXTRA",
)  # fmt: skip
ENDTRNS_HEADER = ("!ENDTRNS",)
CUST_HEADER = (
    "!CUST", "NAME", "BADDR1", "BADDR2", "BADDR3", "BADDR4", "BADDR5", "PHONE1", "EMAIL",
    "CONT1", "COMPANYNAME", "TERMS", "TAXABLE", "SALESTAXCODE", "TAXITEM",
)  # fmt: skip

# Field lengths QuickBooks Desktop takes (reference 2.2 and 2.6).
NAME_LEVEL = 41  # a customer or job name
ACCOUNT_LEVEL = 31  # each level of an account, item or class name
DOCNUM = 11
ADDRESS_LINE = 41
TERMS = 31
PONUM = 25
MEMO = 4095
PHONE = 21
EMAIL = 1023

_BLANK = {
    header[0]: dict.fromkeys(header[1:], "") for header in (TRNS_HEADER, SPL_HEADER, CUST_HEADER)
}
CENT = Decimal("0.01")
INVOICE = "INVOICE"
CREDIT_MEMO = "CREDIT MEMO"


@dataclass(frozen=True)
class Split:
    """One SPL line: what it is, where it books, how much (debit +, credit -), its columns."""

    label: str
    account: AccountDoc | None
    amount: Decimal
    columns: dict[str, str]


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The IIF file: `!CUST` for the customers given, then every invoice as a balanced block.

    The export leaves out first the invoices `check` refuses."""
    out = io.StringIO()
    if customers:
        _write_rows(out, [CUST_HEADER, *(_customer_row(customer) for customer in customers)])
    _write_rows(out, [TRNS_HEADER, SPL_HEADER, ENDTRNS_HEADER])
    for invoice in invoices:
        _write_rows(out, _block(invoice, splits_for(invoice)))
    return out.getvalue().encode("ascii")


def write_customers(customers: Iterable[CustomerDoc]) -> bytes:
    """A customers-only IIF: the `!CUST` header and one CUST line per customer."""
    out = io.StringIO()
    _write_rows(out, [CUST_HEADER, *(_customer_row(customer) for customer in customers)])
    return out.getvalue().encode("ascii")


def check(invoice: InvoiceDoc) -> list[str]:
    """What keeps this invoice out of a QuickBooks Desktop file, in words to act on."""
    return _problems(invoice, splits_for(invoice))


# --- one invoice ---------------------------------------------------------------------


def transaction_type(invoice: InvoiceDoc) -> str:
    return CREDIT_MEMO if invoice.is_credit else INVOICE


def splits_for(invoice: InvoiceDoc) -> list[Split]:
    """The SPL lines in file order: invoice lines, freight, deposit applied, sales tax."""
    splits = [_line_split(n, line) for n, line in enumerate(invoice.lines, start=1)]
    department = {"CLASS": _path(invoice.department, ACCOUNT_LEVEL)}
    if invoice.freight:
        freight = department | {"MEMO": "Freight", "TAXABLE": "N"}
        splits.append(Split("freight", invoice.freight_account, -invoice.freight, freight))
    if invoice.deposit_applied:
        deposit = department | {"MEMO": "Deposit applied", "TAXABLE": "N"}
        splits.append(
            Split("the deposit applied", invoice.deposit_account, invoice.deposit_applied, deposit)
        )
    if _has_tax_line(invoice):
        splits.append(
            Split("sales tax", invoice.tax_account, -invoice.tax_amount, _tax_columns(invoice))
        )
    return splits


def _line_split(position: int, line: LineDoc) -> Split:
    columns = {
        "CLASS": _path(line.department, ACCOUNT_LEVEL),
        "MEMO": iif_text(line.description, MEMO),
        "INVITEM": _path(line.item_code, ACCOUNT_LEVEL),
        "TAXABLE": _yes_no(line.taxable),
    }
    if _quantity_times_rate(line) == line.amount:
        # Quantity carries the sign of the amount; the price stays positive, as
        # QuickBooks wants for a negative line (reference 2.2, QNTY).
        sign = -1 if line.rate >= 0 else 1
        columns |= {"QNTY": number(sign * line.quantity), "PRICE": number(abs(line.rate))}
    return Split(f"line {position}", line.account, -line.amount, columns)


def _has_tax_line(invoice: InvoiceDoc) -> bool:
    # A taxable customer gets the tax line even at 0.00, as QuickBooks' own exports do.
    return bool(invoice.tax_amount) or invoice.customer.taxable


def _tax_columns(invoice: InvoiceDoc) -> dict[str, str]:
    return {
        "MEMO": "Sales tax",
        "PRICE": f"{number(invoice.tax_rate)}%",
        "INVITEM": _path(invoice.customer.tax_code, ACCOUNT_LEVEL),
        "TAXABLE": "N",
        "EXTRA": "AUTOSTAX",
    }


def _block(invoice: InvoiceDoc, splits: list[Split]) -> list[tuple[str, ...]]:
    kind = transaction_type(invoice)
    date = iif_date(invoice.invoice_date)
    trns = _row(TRNS_HEADER, _trns_columns(invoice) | {"TRNSTYPE": kind, "DATE": date})
    spl_rows = [
        _row(SPL_HEADER, split.columns | {
            "TRNSTYPE": kind, "DATE": date, "ACCNT": _account_name(split.account),
            "AMOUNT": amount(split.amount), "CLEAR": "N",
        })
        for split in splits
    ]  # fmt: skip
    return [trns, *spl_rows, ("ENDTRNS",)]


def _trns_columns(invoice: InvoiceDoc) -> dict[str, str]:
    memo = f"Job {invoice.job_number} {invoice.job_name}"
    if invoice.corrects_number:
        memo += f", corrects invoice {invoice.corrects_number}"
    address = bill_to(invoice.customer)
    return {
        "ACCNT": _account_name(invoice.receivable_account),
        "NAME": customer_job(invoice),
        "CLASS": _path(invoice.department, ACCOUNT_LEVEL),
        "AMOUNT": amount(invoice.total),
        "DOCNUM": str(invoice.number),
        "MEMO": iif_text(memo, MEMO),
        "CLEAR": "N",
        "TOPRINT": "N",
        "NAMEISTAXABLE": _yes_no(invoice.customer.taxable),
        **{f"ADDR{n}": line for n, line in enumerate(address, start=1)},
        "DUEDATE": iif_date(invoice.due_date),
        "TERMS": iif_text(invoice.terms_label, TERMS),
        "PONUM": iif_text(invoice.po_number, PONUM),
    }


def customer_job(invoice: InvoiceDoc) -> str:
    """`CUSTOMER:JOB`: the customer's code and the job number, one name level each."""
    levels = [name_level(invoice.customer.code), name_level(invoice.job_number)]
    return ":".join(level for level in levels if level)


# --- checks --------------------------------------------------------------------------


def _problems(invoice: InvoiceDoc, splits: list[Split]) -> list[str]:
    where = f"Invoice {invoice.number}"
    problems = []
    if len(str(invoice.number)) > DOCNUM:
        problems.append(
            f"{where}: its number is longer than the {DOCNUM} characters QuickBooks Desktop takes"
        )
    problems += _name_problems(where, "customer code", invoice.customer.code)
    problems += _name_problems(where, "job number", invoice.job_number)
    problems += _account_problems(invoice, splits)
    if _has_tax_line(invoice) and not _path(invoice.customer.tax_code, ACCOUNT_LEVEL):
        problems.append(
            f"{where}: customer {invoice.customer.code} is taxable but has no tax code; "
            "QuickBooks needs the sales tax item — set the customer's tax code"
        )
    unbalanced = invoice.total + sum((split.amount for split in splits), Decimal("0"))
    if unbalanced:
        problems.append(
            f"{where} does not balance: its lines, tax, freight and deposit differ from its "
            f"total by {amount(unbalanced)}; recalculate the invoice"
        )
    if not problems:
        problems += _distribution_problems(invoice, splits)
    return problems


def _name_problems(where: str, what: str, value: str) -> list[str]:
    text = iif_text(value)
    if ":" in text:
        return [
            f"{where}: {what} “{text}” contains “:”, which QuickBooks Desktop reads as "
            f"customer:job; change the {what}"
        ]
    if len(text) > NAME_LEVEL:
        return [
            f"{where}: {what} “{text}” is longer than the {NAME_LEVEL} characters "
            "QuickBooks Desktop takes for a name"
        ]
    if what == "customer code" and not text:
        return [f"{where}: the customer has no code; give the customer a code"]
    return []


def _account_problems(invoice: InvoiceDoc, splits: list[Split]) -> list[str]:
    where = f"Invoice {invoice.number}"
    labelled = [("the receivable", invoice.receivable_account)]
    labelled += [(split.label, split.account) for split in splits]
    problems = []
    for label, account in labelled:
        if account is None or not _account_name(account):
            problems.append(
                f"{where}: {label} has no account; map its category on the Distribution settings"
            )
        elif any(len(iif_text(level)) > ACCOUNT_LEVEL for level in account.name.split(":")):
            problems.append(
                f"{where}: account name “{account.name}” ({label}) is longer than the "
                f"{ACCOUNT_LEVEL} characters QuickBooks Desktop takes; shorten it"
            )
    return problems


def _distribution_problems(invoice: InvoiceDoc, splits: list[Split]) -> list[str]:
    """The file must book what the approved GL distribution books, account by account."""
    booked: dict[str, Decimal] = {}
    parts = [(invoice.receivable_account, invoice.total)]
    parts += [(split.account, split.amount) for split in splits]
    for account, value in parts:
        if account is not None:
            booked[account.code] = booked.get(account.code, Decimal("0")) + value
    approved: dict[str, Decimal] = {}
    for gl in invoice.distribution:
        approved[gl.account_code] = approved.get(gl.account_code, Decimal("0")) + gl.amount
    differing = sorted(
        code for code in booked.keys() | approved.keys()
        if booked.get(code, 0) != approved.get(code, 0)
    )  # fmt: skip
    if not differing:
        return []
    detail = ", ".join(
        f"{code}: {amount(booked.get(code, Decimal(0)))} in the file, "
        f"{amount(approved.get(code, Decimal(0)))} approved"
        for code in differing
    )
    return [
        f"Invoice {invoice.number}: its lines' accounts do not match the approved GL "
        f"distribution ({detail}); re-apply the distribution or fix the category mappings"
    ]


# --- customers -----------------------------------------------------------------------


def _customer_row(customer: CustomerDoc) -> tuple[str, ...]:
    taxable = customer.taxable
    return _row(CUST_HEADER, {
        "NAME": name_level(customer.code),
        **{f"BADDR{n}": line for n, line in enumerate(bill_to(customer), start=1)},
        "PHONE1": iif_text(customer.phone, PHONE),
        "EMAIL": iif_text(customer.email, EMAIL),
        "CONT1": iif_text(customer.contact_name, NAME_LEVEL),
        "COMPANYNAME": iif_text(customer.name, NAME_LEVEL),
        "TERMS": iif_text(customer.terms_label, TERMS),
        "TAXABLE": _yes_no(taxable),
        # QuickBooks' own sales tax codes; the tax item must exist in QuickBooks.
        "SALESTAXCODE": "Tax" if taxable else "Non",
        "TAXITEM": _path(customer.tax_code, ACCOUNT_LEVEL) if taxable else "",
    })  # fmt: skip


def bill_to(customer: CustomerDoc) -> list[str]:
    """Up to five address lines: name, street lines, "City, ST ZIP", country."""
    region_zip = " ".join(filter(None, map(iif_text, (customer.region, customer.postal_code))))
    city_line = ", ".join(filter(None, (iif_text(customer.city), region_zip)))
    lines = [customer.name, *customer.address_lines, city_line, customer.country]
    return [text for text in (iif_text(line, ADDRESS_LINE) for line in lines) if text][:5]


# --- text and numbers ----------------------------------------------------------------


# Text is cleaned through small caches: account, item, class and customer names repeat on
# nearly every line of an export, and cleaning is most of a writer's work.
@lru_cache(maxsize=4096)
def iif_text(value: str, max_length: int | None = None) -> str:
    """ASCII text with no tab, line break, `;` or `"`, no leading formula sign, cut to length."""
    text = import_text(value, ascii_only=True).replace(";", ",").replace('"', "''")
    return text[:max_length].rstrip() if max_length is not None else text


@lru_cache(maxsize=4096)
def name_level(value: str) -> str:
    """One level of a customer:job name: no `:` inside it, at most 41 characters."""
    return iif_text(value).replace(":", "-")[:NAME_LEVEL].rstrip()


@lru_cache(maxsize=4096)
def _path(value: str, level_length: int) -> str:
    """A `Parent:Child` list name (account, item, class), each level cut to its length."""
    levels = (iif_text(level)[:level_length].rstrip() for level in value.split(":"))
    return ":".join(level for level in levels if level)


def _account_name(account: AccountDoc | None) -> str:
    return _path(account.name, ACCOUNT_LEVEL) if account else ""


def iif_date(value: datetime.date) -> str:
    return f"{value:%m/%d/%Y}"


def amount(value: Decimal) -> str:
    """Two places with a leading '-' when negative; never '-0.00'."""
    return money(value) if value else "0.00"


def number(value: Decimal) -> str:
    """A quantity or price without trailing zeros: 6.5, 38.125, -2."""
    return f"{value.normalize():f}" if value else "0"


def _quantity_times_rate(line: LineDoc) -> Decimal:
    return (line.quantity * line.rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _yes_no(flag: bool) -> str:
    return "Y" if flag else "N"


def _row(header: tuple[str, ...], values: dict[str, str]) -> tuple[str, ...]:
    """A data line in its header's column order: keyword first, one value per column."""
    row = _BLANK[header[0]] | values  # the header's order; a stray column would be added
    if len(row) != len(header) - 1:
        raise ValueError(f"{header[0]} has no column for {set(row) - set(header)}")
    return (header[0][1:], *row.values())


def _write_rows(out: io.StringIO, rows: list[tuple[str, ...]]) -> None:
    out.write("".join("\t".join(row) + "\r\n" for row in rows))


FORMAT = ExportFormat(
    key="qbd_iif",
    label="QuickBooks Desktop",
    extension="iif",
    media_type="text/plain",
    write=write,
    carries_customers=True,
    write_customers=write_customers,
    customers_extension="iif",
    check=check,
)
