"""The fixed invoices every format's golden file is written from.

They cover: a taxable partial with freight, a non-taxable customer, a deposit applied,
a multi-line invoice with odd characters (accents, commas, quotes, tabs, a leading '='),
a complete invoice, and a correction that credits the customer (negative total).
Every invoice balances: lines + tax + freight - deposit = total, and its GL distribution
sums to 0.00 with the receivable debited by the total.
"""

import datetime
from decimal import Decimal

from jobledger.exports.formats.base import AccountDoc, CustomerDoc, GLDoc, InvoiceDoc, LineDoc

D = Decimal
AR = AccountDoc("1100", "Accounts Receivable")
TAX = AccountDoc("2100", "Sales Tax Payable")
DEPOSITS = AccountDoc("2200", "Customer Deposits")
FREIGHT = AccountDoc("4800", "Freight Income")
LABOR = AccountDoc("4010", "Labor Income")
EQUIPMENT = AccountDoc("4020", "Equipment Income")
MATERIALS = AccountDoc("4030", "Materials Income")
CONTRACT = AccountDoc("4000", "Contract Income")

ACME = CustomerDoc(
    code="ACME",
    name="Acme Builders, Inc.",
    address_lines=("100 Main St", "Suite 4"),
    city="Austin",
    region="TX",
    postal_code="78701",
    country="US",
    contact_name="Jo Marsh",
    email="ap@acme.example",
    phone="512-555-0100",
    terms_days=30,
    terms_label="Net 30",
    taxable=True,
    tax_code="TX",
    tax_rate=D("8.2500"),
)
CITY = CustomerDoc(
    code="CITY-RR",
    name="City of Round Rock",
    address_lines=("221 E Main St",),
    city="Round Rock",
    region="TX",
    postal_code="78664",
    country="US",
    contact_name="",
    email="payables@roundrock.example",
    phone="",
    terms_days=45,
    terms_label="Net 45",
    taxable=False,
    tax_code="",
    tax_rate=D("0"),
)
ODD = CustomerDoc(
    code="=CAFE",
    name='Café "Réunion", Ltd\t=SUM(A1)',
    address_lines=("12, Rue de l'Église",),
    city="Montréal",
    region="QC",
    postal_code="H2X 1Y4",
    country="CA",
    contact_name="Zoë O'Brien",
    email="zoe@cafe.example",
    phone="+1 514 555 0199",
    terms_days=0,
    terms_label="Due on receipt",
    taxable=True,
    tax_code="TX",
    tax_rate=D("8.2500"),
)


def line(desc: str, kind: str, qty: str, rate: str, taxable: bool, account: AccountDoc,
         item: str, unit: str = "HR", dept: str = "CIVIL") -> LineDoc:  # fmt: skip
    amount = (D(qty) * D(rate)).quantize(D("0.01"))
    return LineDoc(desc, kind, D(qty), unit, D(rate), amount, taxable, item, dept, account)


def gl(account: AccountDoc, amount: str, memo: str) -> GLDoc:
    return GLDoc(account.code, account.name, D(amount), memo)


def invoice(number: int, customer: CustomerDoc, lines: list[LineDoc], *, kind: str = "Partial",
            policy: str = "Progress, Itemized", freight: str = "0.00", deposit: str = "0.00",
            corrects: int | None = None, po: str = "PO-7781") -> InvoiceDoc:  # fmt: skip
    subtotal = sum((ln.amount for ln in lines), D("0.00"))
    taxable = sum((ln.amount for ln in lines if ln.taxable), D("0.00"))
    tax = (taxable * customer.tax_rate / 100).quantize(D("0.01"))
    total = subtotal + tax + D(freight) - D(deposit)
    per_account: dict[AccountDoc, Decimal] = {}
    for ln in lines:
        assert ln.account is not None
        per_account[ln.account] = per_account.get(ln.account, D("0.00")) - ln.amount
    distribution = [gl(AR, f"{total:.2f}", "Invoice total")]
    distribution += [gl(acct, f"{amt:.2f}", acct.name) for acct, amt in per_account.items()]
    if tax:
        distribution.append(gl(TAX, f"{-tax:.2f}", "Sales tax"))
    if D(freight):
        distribution.append(gl(FREIGHT, f"{-D(freight):.2f}", "Freight"))
    if D(deposit):
        distribution.append(gl(DEPOSITS, deposit, "Deposit applied"))
    day = datetime.date(2025, 3, 14)
    return InvoiceDoc(
        number=number,
        type=kind,
        policy=policy,
        invoice_date=day,
        due_date=day + datetime.timedelta(days=customer.terms_days),
        terms_days=customer.terms_days,
        terms_label=customer.terms_label,
        customer=customer,
        job_number="24-0117",
        job_name="Riverside Lift Station",
        department="CIVIL",
        po_number=po,
        notes="Thank you for your business.",
        currency="USD",
        subtotal=subtotal,
        tax_rate=customer.tax_rate,
        tax_amount=tax,
        freight=D(freight),
        deposit_applied=D(deposit),
        total=total,
        lines=tuple(lines),
        distribution=tuple(distribution),
        corrects_number=corrects,
        receivable_account=AR,
        tax_account=TAX,
        freight_account=FREIGHT,
        deposit_account=DEPOSITS,
    )


def sample_invoices() -> list[InvoiceDoc]:
    return [
        invoice(10001, ACME, [
            line("Foreman", "labor", "8", "95.00", True, LABOR, "FOREMAN"),
            line("Excavator, 20t", "equipment", "6.5", "145.50", True, EQUIPMENT, "EXC-20"),
            line("Gravel 3/4in", "materials", "12.25", "38.1250", False, MATERIALS, "GRAVEL",
                 "TON"),
        ], freight="125.00"),
        invoice(10002, CITY, [
            line("Progress billing: 40% complete", "fixed_price", "1", "48000.00", False,
                 CONTRACT, "Fixed price", "EA"),
        ], policy="Progress, Summary", deposit="5000.00"),
        invoice(10003, ODD, [
            line('=HYPERLINK("x") pipe, 2" conduit', "materials", "100", "2.675", True,
                 MATERIALS, "CONDUIT-2", "FT", "ELEC"),
            line("Électricien\tjourneyman; night shift", "labor", "3.333", "101.10", True,
                 LABOR, "ELECTRICIAN", "HR", "ELEC"),
            line("-Negative-looking note", "expenses", "1", "42.10", False, MATERIALS, "Expenses",
                 "EA", "ELEC"),
        ], po='PO "A,1"'),
        invoice(10004, ACME, [
            line("Final: remaining contract", "fixed_price", "1", "12500.00", False, CONTRACT,
                 "Fixed price", "EA"),
            line("Laborer", "labor", "16", "52.00", True, LABOR, "LABORER"),
        ], kind="Complete", policy="Complete (Final)"),
        invoice(10005, ACME, [
            line("Credit: excavator hours billed twice", "equipment", "-2", "145.50", True,
                 EQUIPMENT, "EXC-20"),
        ], kind="Correction", policy="Correction", corrects=10001),
    ]  # fmt: skip


def sample_customers() -> list[CustomerDoc]:
    return [ACME, CITY, ODD]
