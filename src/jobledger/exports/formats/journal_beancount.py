"""Plain-text journal (Beancount): every invoice as one balanced transaction.

The file loads on its own (`bean-check invoices.beancount` reports nothing):
- `option "operating_currency"` for each currency the invoices are in;
- an `open` for every account used, dated on the earliest invoice date, restricted to
  those currencies, with the GL account's name as `name:` metadata;
- one transaction per invoice, dated on the invoice date, flagged `*` (the invoice is
  approved), the customer as payee, "Invoice N, job J Name" as narration, a link
  `^invoice-N` (and `^invoice-M` on a correction of invoice M, so the two show together),
  and `invoice`, `customer`, `type`, `job`, `due` (and `corrects`) as metadata;
- one posting per line of the approved GL distribution, in its order, with its memo:
  debits positive, credits negative, so the postings sum to zero as Beancount requires.
  A credit (negative total) is the same transaction with the signs the distribution has.

Beancount account names: a root, then components that begin with a capital letter or a
digit and hold letters, digits and dashes. A GL account becomes ROOT:[Receivable:]<L><code>
(anything else in the code becomes a dash), the letter keeping the name valid whatever
the code begins with. Its root comes from the part the account plays on the invoice:
- the receivable account: Assets:Receivable:A1100;
- the tax account and the customer-deposits account: Liabilities:L2100;
- a line's income account and the freight account: Income:I4010;
- any other account, by the first digit of its code (the usual chart numbering):
  1 Assets:A…, 2 Liabilities:L…, 3 Equity:E…, 4 Income:I…, any other Expenses:E…;
- any other account whose code starts with no digit: Assets:A… when debited, Income:I…
  when credited.
An account keeps the first name it gets for the whole file.

Appending several exports to one ledger: keep one set of `open` lines (Beancount refuses
an account opened twice), e.g. move them to the ledger's accounts file.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from jobledger.exports.formats.base import (
    CustomerDoc,
    ExportFormat,
    GLDoc,
    InvoiceDoc,
    clean_text,
    money,
)

# Beancount's own rule for a currency (commodity) name.
CURRENCY = re.compile(r"[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]")
BY_FIRST_DIGIT = {
    "1": ("Assets", "A"),
    "2": ("Liabilities", "L"),
    "3": ("Equity", "E"),
    "4": ("Income", "I"),
}
EXPENSES = ("Expenses", "E")
POSTING_WIDTH = 40


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The journal: options, `open` lines, then one transaction per invoice.

    The invoices are read once; the transactions are kept until the end because the
    `open` lines and options they need come first in the file.
    """
    names = _AccountNames()
    transactions: list[str] = []
    currencies: list[str] = []
    first_day: datetime.date | None = None
    for invoice in invoices:
        transactions.append(_transaction(invoice, names))
        if invoice.currency not in currencies:
            currencies.append(invoice.currency)
        first_day = min(first_day or invoice.invoice_date, invoice.invoice_date)
    head = ["; Invoices exported from jobledger, one balanced transaction per invoice."]
    head += [f"option {_quote('operating_currency')} {_quote(c)}" for c in currencies]
    opens = [_open(first_day, name, gl_name, currencies) for name, gl_name in names.opened()]
    blocks = ["\n".join(head), *(["\n".join(opens)] if opens else []), *transactions]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def check(invoice: InvoiceDoc) -> list[str]:
    number = invoice.number
    problems = []
    # A zero invoice may carry no GL lines; any other needs its distribution.
    if not invoice.distribution and invoice.total:
        problems.append(
            f"Invoice {number} has no GL distribution — distribute and approve it first"
        )
    off = sum((gl.amount for gl in invoice.distribution), Decimal("0.00"))
    if off:
        problems.append(
            f"Invoice {number}: its GL distribution is off by {money(off)} — correct it on "
            "the invoice's Distribution tab"
        )
    if not CURRENCY.fullmatch(invoice.currency):
        problems.append(
            f"Invoice {number}: “{invoice.currency}” is not a currency code a journal can "
            "carry — set the company currency (e.g. USD)"
        )
    return problems


class _AccountNames:
    """GL code → Beancount account, fixed the first time a code is seen in the file."""

    def __init__(self) -> None:
        self.by_code: dict[str, str] = {}
        self.gl_names: dict[str, str] = {}

    def name(self, invoice: InvoiceDoc, gl: GLDoc) -> str:
        if gl.account_code not in self.by_code:
            self.by_code[gl.account_code] = _account_name(invoice, gl)
            self.gl_names[self.by_code[gl.account_code]] = gl.account_name
        return self.by_code[gl.account_code]

    def opened(self) -> list[tuple[str, str]]:
        return sorted(self.gl_names.items())


def _account_name(invoice: InvoiceDoc, gl: GLDoc) -> str:
    code = gl.account_code
    component = re.sub(r"[^A-Za-z0-9-]", "-", code)
    if invoice.receivable_account and code == invoice.receivable_account.code:
        return f"Assets:Receivable:A{component}"
    liabilities = (invoice.tax_account, invoice.deposit_account)
    if any(account and code == account.code for account in liabilities):
        return f"Liabilities:L{component}"
    income = (invoice.freight_account, *(line.account for line in invoice.lines))
    if any(account and code == account.code for account in income):
        return f"Income:I{component}"
    if code[:1].isdigit():
        root, letter = BY_FIRST_DIGIT.get(code[0], EXPENSES)
    else:
        root, letter = ("Assets", "A") if gl.amount > 0 else ("Income", "I")
    return f"{root}:{letter}{component}"


def _transaction(invoice: InvoiceDoc, names: _AccountNames) -> str:
    number = invoice.number
    narration = f"Invoice {number}, job {invoice.job_number} {invoice.job_name}"
    links = [f"^invoice-{number}"]
    if invoice.corrects_number is not None:
        links.append(f"^invoice-{invoice.corrects_number}")
    lines = [
        f"{invoice.invoice_date.isoformat()} * {_quote(invoice.customer.name)} "
        f"{_quote(narration)} {' '.join(links)}",
        f"  invoice: {_quote(str(number))}",
        f"  customer: {_quote(invoice.customer.code)}",
        f"  type: {_quote(invoice.type)}",
        f"  job: {_quote(invoice.job_number)}",
        f"  due: {invoice.due_date.isoformat()}",
    ]
    if invoice.corrects_number is not None:
        lines.append(f"  corrects: {_quote(str(invoice.corrects_number))}")
    for gl in invoice.distribution:
        account = names.name(invoice, gl)
        lines.append(f"  {account:<{POSTING_WIDTH}} {money(gl.amount):>14} {invoice.currency}")
        if clean_text(gl.memo):
            lines.append(f"    memo: {_quote(gl.memo)}")
    return "\n".join(lines)


def _open(day: datetime.date | None, account: str, gl_name: str, currencies: list[str]) -> str:
    assert day is not None  # an account is only opened for an invoice's posting
    return f"{day.isoformat()} open {account} {','.join(currencies)}\n  name: {_quote(gl_name)}"


def _quote(text: str) -> str:
    """A Beancount string: one line, backslash and double quote escaped."""
    cleaned = clean_text(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{cleaned}"'


FORMAT = ExportFormat(
    key="journal_beancount",
    label="Plain-text journal (Beancount)",
    extension="beancount",
    media_type="text/plain",
    write=write,
    check=check,
)
