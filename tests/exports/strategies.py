"""Random invoice documents for the writers' property tests.

Every invoice built here balances the way real ones do: each line is quantity times rate
rounded half-up to cents, tax is the rate on the taxable lines rounded once, and
total = subtotal + tax + freight - deposit applied. The GL distribution debits the
receivable with the total and sums to 0.00. Text fields carry the characters that break
files: accents, quotes, commas, semicolons, colons, tabs, line breaks and formula signs.
A correction credits the customer (negative quantities, so a negative total); filter
with `InvoiceDoc.is_credit` where a format refuses credits.

`export_batches()` draws what one export receives, wider still: one currency and one
chart of accounts per batch (US-style codes, MYOB-style codes, or codes with dots and
spaces, so a format that insists on its own numbering still gets invoices it accepts),
customers shared between invoices, invoice numbers sometimes longer than a target takes,
long descriptions, control characters, characters outside Windows-1252, a leading
formula character, and rates that put a line exactly on the half-cent.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import strategies as st

from jobledger.exports.formats.base import AccountDoc, CustomerDoc, GLDoc, InvoiceDoc, LineDoc

CENT = Decimal("0.01")
AR = AccountDoc("1100", "Accounts Receivable")
TAX = AccountDoc("2100", "Sales Tax Payable")
DEPOSITS = AccountDoc("2200", "Customer Deposits")
FREIGHT = AccountDoc("4800", "Freight Income")
INCOME = (
    AccountDoc("4000", "Contract Income"),
    AccountDoc("4010", "Labor Income"),
    AccountDoc("4020", "Equipment Income"),
    AccountDoc("4030", "Materials Income"),
)
KINDS = ("labor", "equipment", "materials", "expenses", "fixed_price", "adjustment")


@dataclass(frozen=True)
class Chart:
    """The accounts an invoice's parts are mapped to."""

    receivable: AccountDoc
    tax: AccountDoc
    deposits: AccountDoc
    freight: AccountDoc
    income: tuple[AccountDoc, ...]


US_CHART = Chart(AR, TAX, DEPOSITS, FREIGHT, INCOME)
MYOB_CHART = Chart(
    AccountDoc("1-1200", "Trade Debtors"),
    AccountDoc("2-1310", "GST Collected"),
    AccountDoc("2-1500", "Deposits Received"),
    AccountDoc("4-2000", "Freight Charged"),
    (
        AccountDoc("4-1010", "Labour Income"),
        AccountDoc("41020", "Equipment Hire"),
        AccountDoc("4-1030", 'Matériaux "Chantier"'),
    ),
)
ODD_CHART = Chart(
    AccountDoc("AR", "Receivables — Trade"),
    AccountDoc("tax.payable", "Sales Tax, State"),
    AccountDoc("DEP 2200", "Deposits; held"),
    AccountDoc("Freight/1", "Freight"),
    (AccountDoc("4000.10", "Contract Income — Progress"), AccountDoc("rev_labor", "Labor")),
)
CHARTS = (US_CHART, MYOB_CHART, ODD_CHART)

# Free text: letters (accented too), digits and the characters that break import files.
ODD = st.sampled_from(list("\"',;:\t\r\n=+-@ éÉçøß€—/&#%"))
FREE_TEXT = st.lists(st.one_of(st.characters(categories=("L", "Nd")), ODD), max_size=40).map(
    "".join
)
# Codes the accounting system knows (customer codes, job numbers, departments, items).
CODE = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=12)

# Wider text for export_batches(): control characters, characters outside Windows-1252,
# a leading formula, and descriptions longer than most targets keep.
AWKWARD = "\x00\x1b\x7f\\|\u201c\u201d\u2019\u2026\u4e2d\U0001f642\u0151"
FORMULA_START = st.sampled_from(("", "", "=", "+", "-", "@", "=SUM(A1)", '=HYPERLINK("x")'))
# A fixed alphabet draws a whole string at once, many times faster than a list of characters.
WIDE_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 " + "\"',;:\t\r\n=+-@ éÉçøß€—/&#%" + AWKWARD
)
WIDE_TEXT = st.builds(str.__add__, FORMULA_START, st.text(WIDE_ALPHABET, max_size=40))
# Long text is awkward text repeated (drawing 400 characters one by one is slow).
LONG_TEXT = st.builds(lambda text, times: (text * times)[:400], WIDE_TEXT.filter(len),
                      st.integers(250, 400))  # fmt: skip
WIDE_CODE = st.builds(str.__add__, st.sampled_from(("", "=", "-")), CODE).map(
    lambda code: code if len(code) < 6 else f"{code[:3]}-{code[3:]}"
)
# Rates that put quantity times rate exactly on half a cent, with the quantities that do it.
EDGE_RATES = st.sampled_from(tuple(map(Decimal, ("2.675", "0.005", "1.005", "10.125", "0.015"))))
EDGE_QUANTITIES = st.sampled_from(tuple(map(Decimal, ("1", "0.5", "3", "0.001"))))


def money(value: Decimal) -> Decimal:
    """Half-up to cents, the project's one rounding rule."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimals(low: str, high: str, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(low), Decimal(high), places=places)


@st.composite
def customer_docs(draw: st.DrawFn, *, wide: bool = False) -> CustomerDoc:
    taxable = draw(st.booleans())
    terms_days = draw(st.sampled_from((0, 15, 30, 45, 60)))
    text = WIDE_TEXT if wide else FREE_TEXT
    return CustomerDoc(
        code=draw(WIDE_CODE if wide else CODE),
        name=draw(text),
        address_lines=tuple(draw(st.lists(text, max_size=2))),
        city=draw(text),
        region=draw(st.sampled_from(("TX", "CA", "QC", ""))),
        postal_code=draw(st.sampled_from(("78701", "H2X 1Y4", ""))),
        country=draw(st.sampled_from(("US", "CA", ""))),
        contact_name=draw(text),
        email=draw(st.sampled_from(("ap@example.com", ""))),
        phone=draw(st.sampled_from(("512-555-0100", "+1 514 555 0199", ""))),
        terms_days=terms_days,
        terms_label="Due on receipt" if terms_days == 0 else f"Net {terms_days}",
        taxable=taxable,
        tax_code="TX" if taxable else "",
        tax_rate=draw(_decimals("0", "15", 4)) if taxable else Decimal("0"),
    )


@st.composite
def line_docs(draw: st.DrawFn, *, credit: bool = False, income: tuple[AccountDoc, ...] = INCOME,
              wide: bool = False) -> LineDoc:  # fmt: skip
    quantity = draw(_decimals("0.001", "999", 3))
    rate = draw(_decimals("0", "9999", 4))
    if wide and draw(st.booleans()):
        quantity, rate = draw(EDGE_QUANTITIES), draw(EDGE_RATES)
    quantity = -quantity if credit else quantity
    return LineDoc(
        description=draw(st.one_of(WIDE_TEXT, LONG_TEXT) if wide else FREE_TEXT),
        kind=draw(st.sampled_from(KINDS)),
        quantity=quantity,
        unit=draw(st.sampled_from(("HR", "EA", "TON", "FT", ""))),
        rate=rate,
        amount=money(quantity * rate),
        taxable=draw(st.booleans()),
        item_code=draw(CODE),
        department=draw(CODE),
        account=draw(st.sampled_from(income)),
    )


@st.composite
def invoice_docs(draw: st.DrawFn, number: int | None = None, *, chart: Chart = US_CHART,
                 customer: CustomerDoc | None = None, currency: str = "USD",
                 wide: bool = False) -> InvoiceDoc:  # fmt: skip
    """One invoice; a correction (about one in five) credits the customer."""
    customer = customer or draw(customer_docs())
    text = WIDE_TEXT if wide else FREE_TEXT
    credit = draw(st.integers(0, 4)) == 0
    each_line = line_docs(credit=credit, income=chart.income, wide=wide)
    lines = draw(st.lists(each_line, min_size=1, max_size=6))
    subtotal = sum((line.amount for line in lines), Decimal("0.00"))
    taxable = sum((line.amount for line in lines if line.taxable), Decimal("0.00"))
    tax = money(taxable * customer.tax_rate / 100)
    freight = Decimal("0.00") if credit else draw(st.sampled_from(("0.00", "0.01", "125.00")))
    freight = Decimal(freight)
    deposit = Decimal("0.00")
    if not credit and subtotal > 0 and draw(st.booleans()):
        deposit = money(subtotal * draw(_decimals("0.01", "1", 2)))
    total = subtotal + tax + freight - deposit
    day = draw(st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)))
    return InvoiceDoc(
        number=number if number is not None else draw(st.integers(1, 99_999_999)),
        type="Correction" if credit else draw(st.sampled_from(("Partial", "Complete"))),
        policy="Correction" if credit else "Progress, Itemized",
        invoice_date=day,
        due_date=day + datetime.timedelta(days=customer.terms_days),
        terms_days=customer.terms_days,
        terms_label=customer.terms_label,
        customer=customer,
        job_number=draw(CODE),
        job_name=draw(text),
        department=draw(CODE),
        po_number=draw(text),
        notes=draw(text),
        currency=currency,
        subtotal=subtotal,
        tax_rate=customer.tax_rate,
        tax_amount=tax,
        freight=freight,
        deposit_applied=deposit,
        total=total,
        lines=tuple(lines),
        distribution=_distribution(lines, total, tax, freight, deposit, chart),
        corrects_number=draw(st.integers(1, 99_999_999)) if credit else None,
        receivable_account=chart.receivable,
        tax_account=chart.tax,
        freight_account=chart.freight,
        deposit_account=chart.deposits,
    )


def _distribution(lines: list[LineDoc], total: Decimal, tax: Decimal, freight: Decimal,
                  deposit: Decimal, chart: Chart = US_CHART) -> tuple[GLDoc, ...]:  # fmt: skip
    """Receivable debited with the total; income, tax and freight credited; deposit debited."""
    per_account: dict[AccountDoc, Decimal] = {}
    for line in lines:
        assert line.account is not None
        per_account[line.account] = per_account.get(line.account, Decimal("0.00")) - line.amount
    parts = [(chart.receivable, total, "Invoice total")]
    parts += [(account, amount, account.name) for account, amount in per_account.items()]
    parts += [(chart.tax, -tax, "Sales tax"), (chart.freight, -freight, "Freight")]
    parts += [(chart.deposits, deposit, "Deposit applied")]
    return tuple(
        GLDoc(acct.code, acct.name, amount, memo) for acct, amount, memo in parts if amount
    )


@st.composite
def invoice_lists(draw: st.DrawFn, max_size: int = 6) -> list[InvoiceDoc]:
    """Invoices with distinct numbers, in number order, as an export reads them."""
    numbers = draw(st.lists(st.integers(1, 99_999_999), max_size=max_size, unique=True))
    return [draw(invoice_docs(number)) for number in sorted(numbers)]


@st.composite
def export_batches(draw: st.DrawFn, max_size: int = 4) -> list[InvoiceDoc]:
    """What one export receives, with the wider data: one currency and one chart of
    accounts, a few customers shared between the invoices, numbers in order and unique,
    some longer than 8 digits."""
    chart = draw(st.sampled_from(CHARTS))
    currency = draw(st.sampled_from(("USD", "AUD", "CAD", "EUR")))
    cast = draw(st.lists(customer_docs(wide=True), min_size=1, max_size=3))
    numbers = draw(st.lists(st.integers(1, 99_999_999), min_size=1, max_size=max_size))
    # About one in five gets three more digits: longer than some targets take.
    numbers = [n * 1000 if draw(st.integers(0, 4)) == 0 else n for n in numbers]
    batch = []
    for n in sorted(set(numbers)):
        customer = draw(st.sampled_from(cast))
        batch.append(draw(invoice_docs(n, chart=chart, customer=customer, currency=currency,
                                       wide=True)))  # fmt: skip
    return batch
