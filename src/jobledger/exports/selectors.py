"""Reading invoices into the plain documents the writers take."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from jobledger.core.models import CompanySettings
from jobledger.customers.models import Customer
from jobledger.exports.formats.base import CustomerDoc, GLDoc, InvoiceDoc, LineDoc
from jobledger.invoicing.models import Invoice, InvoiceLine
from jobledger.ledger.selectors import export_distribution


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
        taxable=customer.taxable,
        tax_code=customer.tax_code.code if customer.tax_code else "",
    )


def invoices_for_export(ids: Iterable[int]) -> QuerySet[Invoice]:
    lines = InvoiceLine.objects.select_related("task__default_department", "department")
    return (
        Invoice.objects.filter(pk__in=list(ids))
        .select_related("customer__tax_code", "job__department", "corrects")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("number")
    )


def invoice_doc(invoice: Invoice, currency: str) -> InvoiceDoc:
    return InvoiceDoc(
        number=invoice.number,
        type=invoice.get_type_display(),
        policy=invoice.get_policy_display(),
        invoice_date=invoice.invoice_date,
        due_date=invoice.due_date,
        terms_days=invoice.terms_days,
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
        lines=tuple(_line_doc(line, invoice) for line in invoice.lines.all()),
        distribution=tuple(
            GLDoc(e.account.code, e.account.name, e.amount, e.memo)
            for e in export_distribution(invoice)
        ),
        corrects_number=invoice.corrects.number if invoice.corrects else None,
    )


def invoice_docs(invoices: Iterable[Invoice]) -> list[InvoiceDoc]:
    currency = CompanySettings.load().currency
    return [invoice_doc(invoice, currency) for invoice in invoices]


def _line_doc(line: InvoiceLine, invoice: Invoice) -> LineDoc:
    department = line.department or (line.task.default_department if line.task else None)
    return LineDoc(
        description=line.description,
        kind=line.kind,
        quantity=line.quantity,
        unit=line.unit,
        rate=line.rate,
        amount=line.amount,
        taxable=line.taxable,
        item_code=line.task.code if line.task else line.get_kind_display(),
        department=(department or invoice.job.department).code,
    )
