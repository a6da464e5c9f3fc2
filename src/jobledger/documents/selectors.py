"""Invoices read into the plain data their documents print, CHUNK at a time.

Every figure is formatted here, once, as the screens show it, so the PDF template, the
Word template and a process-pool worker all receive strings and never touch the database.
A chunk takes four queries whatever its size: invoices, lines, signatures, and the
cached PDFs already made for them.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import PurePosixPath
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jobledger.core.models import CompanySettings
from jobledger.core.money import money_sum
from jobledger.customers.models import terms_label
from jobledger.documents.engine import template_version
from jobledger.documents.models import DocumentJob, WordTemplate
from jobledger.invoicing.models import (
    GROUPED_POLICIES,
    Invoice,
    InvoiceLine,
    InvoiceType,
    InvoicingPolicy,
    LineKind,
    Stage,
)

CHUNK = 200
Values = Mapping[str, Any]
SUMMARY_POLICIES = frozenset({InvoicingPolicy.DEPOSIT, InvoicingPolicy.PROGRESS_SUMMARY})
TYPE_LABELS = {str(choice.value): str(choice.label) for choice in InvoiceType}
POLICY_LABELS = {str(choice.value): str(choice.label) for choice in InvoicingPolicy}
KIND_LABELS = {str(choice.value): str(choice.label) for choice in LineKind}

INVOICE_FIELDS = (
    "pk", "number", "type", "policy", "stage", "invoice_date", "due_date", "terms_days",
    "po_number", "accounting_reference", "notes", "subtotal", "tax_rate", "tax_amount",
    "freight", "deposit_applied", "total", "corrects__number", "job__number", "job__name",
    "job__site_address", "customer__code", "customer__name", "customer__address1",
    "customer__address2", "customer__city", "customer__region", "customer__postal_code",
    "customer__contact_name",
)  # fmt: skip
LINE_FIELDS = ("invoice_id", "kind", "description", "quantity", "unit", "rate", "amount")
SIGNATURE_FIELDS = (
    "invoice_id", "dwr_line__dwr__representative_name",
    "dwr_line__dwr__representative_signature", "dwr_line__dwr__signed_at",
)  # fmt: skip


@dataclass(frozen=True)
class PrintDoc:
    """One invoice as its documents print it."""

    pk: int
    number: int
    customer_code: str
    data: dict[str, Any]
    # Image paths named in `data` → their files in Django's storage.
    images: dict[str, str]
    # A hash of everything printed and of the template: the PDF cache's key.
    key: str

    @property
    def file_stem(self) -> str:
        return file_stem(self.number, self.customer_code)


def print_docs(ids: Sequence[int]) -> Iterator[PrintDoc]:
    """The invoices `ids`, in that order, read CHUNK at a time."""
    company = company_data()
    for start in range(0, len(ids), CHUNK):
        yield from _chunk(ids[start : start + CHUNK], company)


def print_doc(invoice: Invoice) -> PrintDoc:
    return next(print_docs([invoice.pk]))


def sample_print_doc() -> PrintDoc:
    """A made-up invoice, printed as a real one is: what a new template is tried on."""
    today = timezone.localdate()
    row = {
        "pk": 0, "number": 1001, "type": InvoiceType.PARTIAL,
        "policy": InvoicingPolicy.PROGRESS_ITEMIZED, "stage": Stage.ADMIN,
        "invoice_date": today, "due_date": today, "terms_days": 30, "po_number": "PO-1",
        "accounting_reference": "", "notes": "Sample notes.", "subtotal": Decimal("680.00"),
        "tax_rate": Decimal("0"), "tax_amount": Decimal("0.00"), "freight": Decimal("0.00"),
        "deposit_applied": Decimal("0.00"), "total": Decimal("680.00"),
        "corrects__number": None, "job__number": "J-1", "job__name": "Sample job",
        "job__site_address": "1 Site Rd", "customer__code": "SAMPLE",
        "customer__name": "Sample Customer", "customer__address1": "1 Main St",
        "customer__address2": "", "customer__city": "Austin", "customer__region": "TX",
        "customer__postal_code": "78701", "customer__contact_name": "",
    }  # fmt: skip
    line = {"kind": LineKind.LABOR, "description": "Foreman", "quantity": Decimal("8"),
            "unit": "HR", "rate": Decimal("85"), "amount": Decimal("680.00")}  # fmt: skip
    signature = {
        "dwr_line__dwr__representative_name": "Sam Sample",
        "dwr_line__dwr__representative_signature": "",
        "dwr_line__dwr__signed_at": timezone.now(),
    }
    return _doc(row, [line], signature, company_data())


def invoice_ids_in_order(invoices: QuerySet[Invoice] | Iterable[Invoice]) -> list[int]:
    """The chosen invoices' ids in invoice number order, each once."""
    if isinstance(invoices, QuerySet):
        query = Invoice.objects.filter(pk__in=invoices.values("pk"))
    else:
        query = Invoice.objects.filter(pk__in=[invoice.pk for invoice in invoices])
    return list(query.order_by("number").values_list("pk", flat=True))


def company_data() -> dict[str, Any]:
    company = CompanySettings.load()
    logo = company.logo.name if company.logo else ""
    return {
        "name": company.name,
        "address_lines": [line.strip() for line in company.address.splitlines() if line.strip()],
        "phone": company.phone,
        "email": company.email,
        "currency": company.currency,
        "logo": image_path(logo),
        "_logo_file": logo,
    }


def word_template() -> WordTemplate | None:
    """The company's own Word template, or None when the default is in use."""
    return WordTemplate.objects.select_related("uploaded_by").first()


def document_job(pk: int) -> DocumentJob | None:
    return DocumentJob.objects.select_related("created_by").filter(pk=pk).first()


def image_path(storage_name: str) -> str:
    """Where an image sits beside the template: named by the file, so a new logo or
    signature (a new stored file) changes the cache key."""
    if not storage_name:
        return ""
    digest = hashlib.sha256(storage_name.encode()).hexdigest()[:24]
    return f"img/{digest}{PurePosixPath(storage_name).suffix.lower()}"


def file_stem(number: int, customer_code: str) -> str:
    """An invoice's document name without extension: `{number}_{customer code}`."""
    return f"{number}_{safe_file_part(customer_code)}"


def safe_file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "invoice"


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def quantity(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def rate(value: Decimal) -> str:
    # Two places at least; more only when the rate has them (12.3456 an hour).
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 2)
    return f"{value:,.{places}f}"


def _chunk(ids: Sequence[int], company: dict[str, Any]) -> Iterator[PrintDoc]:
    rows = {row["pk"]: row for row in Invoice.objects.filter(pk__in=ids).values(*INVOICE_FIELDS)}
    lines = InvoiceLine.objects.filter(invoice_id__in=ids).order_by("invoice_id", "position", "id")
    lines_of = _by_invoice(lines.values(*LINE_FIELDS))
    signatures = (
        InvoiceLine.objects.filter(invoice_id__in=ids, dwr_line__dwr__signed_at__isnull=False)
        .exclude(dwr_line__dwr__representative_name="")
        .order_by("invoice_id", "-dwr_line__dwr__signed_at")
        .values(*SIGNATURE_FIELDS)
        .distinct()  # a row per signed DWR, not per line
    )
    signature_of = {pk: group[0] for pk, group in _by_invoice(signatures).items()}
    for pk in ids:
        if pk in rows:
            yield _doc(rows[pk], lines_of.get(pk, []), signature_of.get(pk), company)


def _by_invoice(rows: Iterable[Values]) -> dict[int, list[Values]]:
    return {pk: list(group) for pk, group in groupby(rows, key=lambda row: row["invoice_id"])}


def _doc(
    row: Values, lines: list[Values], signature: Values | None, company: dict[str, Any]
) -> PrintDoc:
    layout = _layout(row["policy"])
    printed_lines = [_line(line, itemized=layout != "summary") for line in lines]
    data: dict[str, Any] = {
        "company": {name: value for name, value in company.items() if not name.startswith("_")},
        "invoice": _invoice(row),
        "customer": _customer(row),
        "lines": printed_lines,
        "sections": _sections(layout, lines, printed_lines),
        "totals": _totals(row),
        "signature": _signature(signature),
    }
    images = {company["logo"]: company["_logo_file"]} if company["logo"] else {}
    if data["signature"] and data["signature"]["image"]:
        assert signature is not None
        images[data["signature"]["image"]] = signature["dwr_line__dwr__representative_signature"]
    # The data is built in a fixed order, so its JSON is the same for the same invoice.
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    key = hashlib.sha256((template_version() + text).encode()).hexdigest()
    return PrintDoc(row["pk"], row["number"], row["customer__code"], data, images, key)


def _invoice(row: Values) -> dict[str, Any]:
    credit = row["total"] < 0
    return {
        "number": str(row["number"]),
        "credit": credit,
        "type": TYPE_LABELS[row["type"]],
        "policy": POLICY_LABELS[row["policy"]],
        "layout": _layout(row["policy"]),
        "invoice_date": f"{row['invoice_date']:%m/%d/%Y}",
        "due_date": f"{row['due_date']:%m/%d/%Y}",
        "terms": terms_label(row["terms_days"]),
        "po_number": row["po_number"],
        "corrects": f"Invoice {row['corrects__number']}" if row["corrects__number"] else "",
        "accounting_reference": row["accounting_reference"],
        "job_number": row["job__number"],
        "job_name": row["job__name"],
        "site_address": row["job__site_address"],
        "notes": row["notes"],
    }


def _layout(policy: str) -> str:
    if policy in SUMMARY_POLICIES:
        return "summary"
    return "grouped" if policy in GROUPED_POLICIES else "itemized"


def _customer(row: Values) -> dict[str, Any]:
    place = " ".join(
        part
        for part in (
            f"{row['customer__city']}," if row["customer__city"] else "",
            row["customer__region"],
            row["customer__postal_code"],
        )
        if part
    )
    address = (row["customer__address1"], row["customer__address2"], place.strip(","))
    return {
        "code": row["customer__code"],
        "name": row["customer__name"],
        "address_lines": [line for line in address if line],
        "contact_name": row["customer__contact_name"],
    }


def _line(line: Values, *, itemized: bool) -> dict[str, str]:
    return {
        "kind": KIND_LABELS[line["kind"]],
        "description": line["description"],
        "quantity": quantity(line["quantity"]) if itemized else "",
        "unit": line["unit"] if itemized else "",
        "rate": rate(line["rate"]) if itemized else "",
        "amount": money(line["amount"]),
    }


def _sections(
    layout: str, lines: list[Values], printed: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """The lines in one section, or, when charges are grouped, one section a category
    (labor, equipment, …) in the order they first appear, each with its subtotal."""
    if layout != "grouped":
        return [{"label": "", "lines": printed, "subtotal": ""}]
    order: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        order.setdefault(line["kind"], []).append(index)
    return [
        {
            "label": KIND_LABELS[kind],
            "lines": [printed[i] for i in indexes],
            "subtotal": money(money_sum(lines[i]["amount"] for i in indexes)),
        }
        for kind, indexes in order.items()
    ]


def _totals(row: Values) -> list[dict[str, Any]]:
    parts: list[tuple[str, Decimal, bool]] = [("Subtotal", row["subtotal"], False)]
    if row["tax_amount"] or row["tax_rate"]:
        parts.append((f"Tax ({row['tax_rate'].normalize():f}%)", row["tax_amount"], False))
    if row["freight"]:
        parts.append(("Freight", row["freight"], False))
    if row["deposit_applied"]:
        parts.append(("Deposits applied", -row["deposit_applied"], False))
    parts.append(("Total", row["total"], True))
    due = Decimal("0.00") if row["stage"] == Stage.PAID else row["total"]
    parts.append(("Credit due" if due < 0 else "Amount due", due, True))
    return [{"label": label, "amount": money(amount), "strong": strong} for label, amount, strong
            in parts]  # fmt: skip


def _signature(signature: Values | None) -> dict[str, str] | None:
    if signature is None:
        return None
    signed_at = signature["dwr_line__dwr__signed_at"]
    return {
        "name": signature["dwr_line__dwr__representative_name"],
        "image": image_path(signature["dwr_line__dwr__representative_signature"]),
        "signed_on": f"{timezone.localtime(signed_at):%m/%d/%Y}",
    }
