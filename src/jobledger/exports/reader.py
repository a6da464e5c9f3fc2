"""Invoices and customers read into the plain documents the writers take.

An export reads its invoices CHUNK at a time as plain values, not model objects (building
objects for 100,000 lines takes longer than writing the file), with a fixed number of
queries per chunk: the invoices with their job, their lines, their GL distribution, and
the customers not met earlier in the export. Memory stays flat however many go out.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import QuerySet

from jobledger.core.models import CompanySettings
from jobledger.customers.models import Customer, terms_label
from jobledger.exports.formats.base import (
    AccountDoc,
    CustomerDoc,
    GLDoc,
    InvoiceDoc,
    LineDoc,
    SellerDoc,
)
from jobledger.invoicing.models import Invoice, InvoiceLine, InvoiceType, InvoicingPolicy, LineKind
from jobledger.ledger import policies
from jobledger.ledger.models import DistributionLine, LedgerSettings
from jobledger.ledger.selectors import category_accounts, default_distribution, line_part

CHUNK = 500
Values = Mapping[str, Any]

INVOICE_FIELDS = (
    "pk", "number", "stage", "distribution_approved_at", "last_exported_at", "type", "policy",
    "invoice_date", "due_date", "terms_days", "customer_id", "po_number", "notes", "subtotal",
    "tax_rate", "tax_amount", "freight", "deposit_applied", "total", "distribution_policy",
    "job__number", "job__name", "job__department__code", "job__department__name",
    "corrects__number",
)  # fmt: skip
LINE_FIELDS = (
    "invoice_id", "kind", "description", "quantity", "unit", "rate", "amount", "taxable",
    "task__code", "department__code", "department__name",
    "task__default_department__code", "task__default_department__name",
)  # fmt: skip
GL_FIELDS = ("invoice_id", "account__code", "account__name", "amount", "memo")
CUSTOMER_FIELDS = (
    "pk", "code", "name", "address1", "address2", "city", "region", "postal_code", "country",
    "contact_name", "email", "phone", "terms_days", "taxable", "tax_code__code", "tax_code__rate",
    "vat_number", "peppol_scheme", "peppol_id", "buyer_reference", "wants_einvoices",
    "tax_code__category", "tax_code__exemption_reason", "tax_code__exemption_reason_code",
)  # fmt: skip
TYPE_LABELS = {str(choice.value): str(choice.label) for choice in InvoiceType}
POLICY_LABELS = {str(choice.value): str(choice.label) for choice in InvoicingPolicy}
KIND_LABELS = {str(choice.value): str(choice.label) for choice in LineKind}


@dataclass(frozen=True)
class ExportRow:
    """One invoice read for export: the document a writer takes and what pre-flight checks."""

    pk: int
    stage: str
    approved: bool
    exported: bool
    doc: InvoiceDoc
    # Categories the default policy found no account for (accounting integration off).
    unmapped: tuple[tuple[policies.Category, Decimal], ...]


@dataclass
class ExportContext:
    """What the invoices of one export share, read once: settings, mappings, customers."""

    currency: str
    integration: bool
    default_policy: str
    _mappings: dict[str, dict[str, policies.Account]] = field(default_factory=dict)
    _accounts: dict[tuple[str, str], AccountDoc | None] = field(default_factory=dict)
    _customers: dict[int, CustomerDoc] = field(default_factory=dict)
    seller: SellerDoc | None = None

    @classmethod
    def load(cls) -> "ExportContext":
        company = CompanySettings.load()
        default_policy = LedgerSettings.load().default_policy
        return cls(
            company.currency,
            company.accounting_integration,
            default_policy,
            seller=seller_doc(company),
        )

    def mapping(self, policy: str) -> dict[str, policies.Account]:
        """Category → account mappings of one policy."""
        if policy not in self._mappings:
            self._mappings[policy] = category_accounts(policy)
        return self._mappings[policy]

    def account(self, policy: str, category: str) -> AccountDoc | None:
        key = (policy, category)
        if key not in self._accounts:
            found = self.mapping(policy).get(category)
            self._accounts[key] = AccountDoc(found.code, found.name) if found else None
        return self._accounts[key]

    def customer(self, pk: int) -> CustomerDoc:
        return self._customers[pk]

    def read_customers(self, ids: Iterable[int]) -> None:
        missing = set(ids) - set(self._customers)
        if missing:
            for values in Customer.objects.filter(pk__in=missing).values(*CUSTOMER_FIELDS):
                self._customers[values["pk"]] = customer_doc_of(values)


def export_rows(ids: Sequence[int], context: ExportContext | None = None) -> Iterator[ExportRow]:
    """The invoices `ids` (in number order) read for export, CHUNK at a time."""
    context = context or ExportContext.load()
    for start in range(0, len(ids), CHUNK):
        yield from _chunk(ids[start : start + CHUNK], context)


def invoice_docs(invoices: QuerySet[Invoice]) -> Iterator[InvoiceDoc]:
    """Documents for the invoices, in number order, read in chunks (no pre-flight)."""
    ids = list(invoices.order_by("number").values_list("pk", flat=True))
    return (row.doc for row in export_rows(ids))


def customer_doc(customer: Customer) -> CustomerDoc:
    tax_code = customer.tax_code
    values = {name: getattr(customer, name) for name in CUSTOMER_FIELDS if "__" not in name}
    for name in CUSTOMER_FIELDS:
        if name.startswith("tax_code__"):
            values[name] = getattr(tax_code, name.removeprefix("tax_code__"), None)
    return customer_doc_of(values)


def seller_doc(company: CompanySettings) -> SellerDoc:
    """The company as e-invoices name it; the printed address's first line is the street."""
    return SellerDoc(
        name=company.name,
        legal_name=company.legal_name,
        street=next(iter(company.address.splitlines()), "").strip(),
        city=company.city,
        region=company.region,
        postal_code=company.postal_code,
        country=company.country,
        phone=company.phone,
        email=company.email,
        vat_number=company.vat_number,
        endpoint_scheme=company.peppol_scheme,
        endpoint_id=company.peppol_id,
        untaxed_category=company.untaxed_category,
        untaxed_reason=company.untaxed_reason,
    )


def customer_doc_of(values: Values) -> CustomerDoc:
    taxable, rate = values["taxable"], values["tax_code__rate"]
    return CustomerDoc(
        code=values["code"],
        name=values["name"],
        address_lines=tuple(line for line in (values["address1"], values["address2"]) if line),
        city=values["city"],
        region=values["region"],
        postal_code=values["postal_code"],
        country=values["country"],
        contact_name=values["contact_name"],
        email=values["email"],
        phone=values["phone"],
        terms_days=values["terms_days"],
        terms_label=terms_label(values["terms_days"]),
        taxable=taxable,
        tax_code=values["tax_code__code"] or "",
        # As Customer.tax_rate: the tax code's rate for a taxable customer, else nothing.
        tax_rate=rate if taxable and rate is not None else Decimal("0"),
        vat_number=values["vat_number"],
        endpoint_scheme=values["peppol_scheme"],
        endpoint_id=values["peppol_id"],
        buyer_reference=values["buyer_reference"],
        wants_einvoices=values["wants_einvoices"],
        tax_category=values["tax_code__category"] or "",
        tax_exemption_reason=values["tax_code__exemption_reason"] or "",
        tax_exemption_reason_code=values["tax_code__exemption_reason_code"] or "",
    )


def _chunk(ids: Sequence[int], context: ExportContext) -> Iterator[ExportRow]:
    invoices = list(Invoice.objects.filter(pk__in=ids).order_by("number").values(*INVOICE_FIELDS))
    lines = InvoiceLine.objects.filter(invoice_id__in=ids).order_by("invoice_id", "position", "id")
    lines_of = _by_invoice(lines.values(*LINE_FIELDS))
    gl_of: dict[int, list[Values]] = {}
    if context.integration:
        gl = DistributionLine.objects.filter(invoice_id__in=ids)
        gl_of = _by_invoice(gl.order_by("invoice_id", "position", "id").values(*GL_FIELDS))
    context.read_customers(row["customer_id"] for row in invoices)
    for row in invoices:
        yield _row(row, lines_of.get(row["pk"], []), gl_of.get(row["pk"], []), context)


def _by_invoice(rows: Iterable[Values]) -> dict[int, list[Values]]:
    return {pk: list(group) for pk, group in groupby(rows, key=lambda row: row["invoice_id"])}


def _row(row: Values, lines: list[Values], gl: list[Values], context: ExportContext) -> ExportRow:
    job_department = (row["job__department__code"], row["job__department__name"])
    parts = tuple(
        line_part(
            line["amount"], line["kind"], line["taxable"],
            _department(line, "department"), _department(line, "task__default_department"),
            job_department,
        )
        for line in lines
    )  # fmt: skip
    if context.integration:
        entries = tuple(GLDoc(g["account__code"], g["account__name"], g["amount"], g["memo"])
                        for g in gl)  # fmt: skip
        unmapped: tuple[tuple[policies.Category, Decimal], ...] = ()
    else:
        whole = policies.InvoiceParts(
            parts, row["tax_amount"], row["freight"], row["deposit_applied"], row["total"]
        )
        found = default_distribution(
            whole, context.default_policy, context.mapping(context.default_policy)
        )
        entries = tuple(
            GLDoc(e.account.code, e.account.name, e.amount, e.memo) for e in found.entries
        )
        unmapped = found.unmapped
    return ExportRow(
        pk=row["pk"],
        stage=row["stage"],
        approved=row["distribution_approved_at"] is not None,
        exported=row["last_exported_at"] is not None,
        doc=_invoice_doc(row, lines, parts, entries, context),
        unmapped=unmapped,
    )


def _invoice_doc(
    row: Values,
    lines: list[Values],
    parts: tuple[policies.LinePart, ...],
    entries: tuple[GLDoc, ...],
    context: ExportContext,
) -> InvoiceDoc:
    # Line and invoice-part accounts come from the mappings of the policy that distributed
    # the invoice (the default policy when it was distributed by hand).
    policy = row["distribution_policy"] or context.default_policy
    return InvoiceDoc(
        number=row["number"],
        type=TYPE_LABELS[row["type"]],
        policy=POLICY_LABELS[row["policy"]],
        invoice_date=row["invoice_date"],
        due_date=row["due_date"],
        terms_days=row["terms_days"],
        terms_label=terms_label(row["terms_days"]),
        customer=context.customer(row["customer_id"]),
        job_number=row["job__number"],
        job_name=row["job__name"],
        department=row["job__department__code"],
        po_number=row["po_number"],
        notes=row["notes"],
        currency=context.currency,
        subtotal=row["subtotal"],
        tax_rate=row["tax_rate"],
        tax_amount=row["tax_amount"],
        freight=row["freight"],
        deposit_applied=row["deposit_applied"],
        total=row["total"],
        lines=tuple(
            _line_doc(line, part, context.account(policy, policies.line_category(part, policy).key))
            for line, part in zip(lines, parts, strict=True)
        ),
        distribution=entries,
        corrects_number=row["corrects__number"],
        receivable_account=context.account(policy, policies.RECEIVABLE),
        tax_account=context.account(policy, policies.TAX),
        freight_account=context.account(policy, policies.FREIGHT),
        deposit_account=context.account(policy, policies.DEPOSIT),
        seller=context.seller,
    )


def _line_doc(line: Values, part: policies.LinePart, account: AccountDoc | None) -> LineDoc:
    return LineDoc(
        description=line["description"],
        kind=line["kind"],
        quantity=line["quantity"],
        unit=line["unit"],
        rate=line["rate"],
        amount=line["amount"],
        taxable=line["taxable"],
        item_code=line["task__code"] or KIND_LABELS[line["kind"]],
        department=part.department_code,
        account=account,
    )


def _department(line: Values, prefix: str) -> tuple[str, str] | None:
    code = line[f"{prefix}__code"]
    return (code, line[f"{prefix}__name"]) if code is not None else None
