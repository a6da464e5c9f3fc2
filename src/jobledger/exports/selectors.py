"""Reading invoices into the plain documents the writers take."""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from jobledger.core.models import CompanySettings
from jobledger.customers.models import Customer
from jobledger.exports.formats.base import AccountDoc, CustomerDoc, GLDoc, InvoiceDoc, LineDoc
from jobledger.invoicing.models import Invoice, InvoiceLine
from jobledger.ledger import policies
from jobledger.ledger.models import LedgerSettings
from jobledger.ledger.selectors import category_accounts, export_distribution, invoice_parts

CHUNK = 500


def customer_doc(customer: Customer) -> CustomerDoc:
    return CustomerDoc(
        code=customer.code,
        name=customer.name,
        address_lines=tuple(line for line in (customer.address1, customer.address2) if line),
        city=customer.city,
        region=customer.region,
        postal_code=customer.postal_code,
        country=customer.country,
        contact_name=customer.contact_name,
        email=customer.email,
        phone=customer.phone,
        terms_days=customer.terms_days,
        terms_label=customer.terms_label,
        taxable=customer.taxable,
        tax_code=customer.tax_code.code if customer.tax_code else "",
        tax_rate=customer.tax_rate,
    )


def invoices_for_export(ids: Iterable[int]) -> QuerySet[Invoice]:
    lines = InvoiceLine.objects.select_related("task__default_department", "department")
    return (
        Invoice.objects.filter(pk__in=list(ids))
        .select_related("customer__tax_code", "job__department", "corrects")
        .prefetch_related(Prefetch("lines", queryset=lines), "distribution__account")
        .order_by("number")
    )


def invoice_docs(invoices: QuerySet[Invoice]) -> Iterator[InvoiceDoc]:
    """Documents for the invoices, read in chunks so a large export keeps memory flat."""
    currency = CompanySettings.load().currency
    mappings = _Mappings()
    for invoice in invoices.iterator(chunk_size=CHUNK):
        yield invoice_doc(invoice, currency, mappings.for_policy(invoice.distribution_policy))


def invoice_doc(
    invoice: Invoice, currency: str, accounts: dict[str, policies.Account]
) -> InvoiceDoc:
    policy = invoice.distribution_policy or LedgerSettings.load().default_policy
    parts = invoice_parts(invoice)
    line_accounts = [
        _account(accounts, policies.line_category(part, policy).key) for part in parts.lines
    ]
    return InvoiceDoc(
        number=invoice.number,
        type=invoice.get_type_display(),
        policy=invoice.get_policy_display(),
        invoice_date=invoice.invoice_date,
        due_date=invoice.due_date,
        terms_days=invoice.terms_days,
        terms_label=invoice.terms_label,
        customer=customer_doc(invoice.customer),
        job_number=invoice.job.number,
        job_name=invoice.job.name,
        department=invoice.job.department.code,
        po_number=invoice.po_number,
        notes=invoice.notes,
        currency=currency,
        subtotal=invoice.subtotal,
        tax_rate=invoice.tax_rate,
        tax_amount=invoice.tax_amount,
        freight=invoice.freight,
        deposit_applied=invoice.deposit_applied,
        total=invoice.total,
        lines=tuple(
            _line_doc(line, part, account)
            for line, part, account in zip(
                invoice.lines.all(), parts.lines, line_accounts, strict=True
            )
        ),
        distribution=tuple(
            GLDoc(e.account.code, e.account.name, e.amount, e.memo)
            for e in export_distribution(invoice)
        ),
        corrects_number=invoice.corrects.number if invoice.corrects else None,
        receivable_account=_account(accounts, policies.RECEIVABLE),
        tax_account=_account(accounts, policies.TAX),
        freight_account=_account(accounts, policies.FREIGHT),
        deposit_account=_account(accounts, policies.DEPOSIT),
    )


class _Mappings:
    """Category → account mappings per policy, read once per export."""

    def __init__(self) -> None:
        self.default = LedgerSettings.load().default_policy
        self.cache: dict[str, dict[str, policies.Account]] = {}

    def for_policy(self, policy: str) -> dict[str, policies.Account]:
        key = policy or self.default
        if key not in self.cache:
            self.cache[key] = category_accounts(key)
        return self.cache[key]


def _account(accounts: dict[str, policies.Account], key: str) -> AccountDoc | None:
    account = accounts.get(key)
    return AccountDoc(account.code, account.name) if account else None


def _line_doc(line: InvoiceLine, part: policies.LinePart, account: AccountDoc | None) -> LineDoc:
    return LineDoc(
        description=line.description,
        kind=line.kind,
        quantity=line.quantity,
        unit=line.unit,
        rate=line.rate,
        amount=line.amount,
        taxable=line.taxable,
        item_code=line.task.code if line.task else line.get_kind_display(),
        department=part.department_code,
        account=account,
    )
