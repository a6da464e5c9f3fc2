"""How an e-invoice classifies each part of an invoice for tax (UNCL5305 categories).

An invoice charges one rate on its taxable lines. Those lines take the category of the
customer's tax code (S, standard, when it has none); everything else (untaxed lines,
freight, deposits applied) takes the company's category for untaxed lines. A customer
whose tax code is itself a zero category (exempt, reverse charge, export, not subject to
VAT) has every part of its invoices in that category.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jobledger.core.einvoice import RATED_CATEGORIES, REASON_REQUIRED
from jobledger.exports.formats.base import InvoiceDoc, LineDoc

NO_RATE = Decimal("0")
NOT_SUBJECT = "O"


@dataclass(frozen=True)
class TaxClass:
    category: str
    # None for "not subject to VAT" (O), which states no rate at all.
    percent: Decimal | None
    reason: str = ""
    reason_code: str = ""


@dataclass(frozen=True)
class Subtotal:
    tax_class: TaxClass
    taxable: Decimal
    tax: Decimal


def whole_invoice_class(doc: InvoiceDoc) -> TaxClass | None:
    customer = doc.customer
    category = customer.tax_category
    if not category or category in RATED_CATEGORIES:
        return None
    return _zero_class(category, customer.tax_exemption_reason, customer.tax_exemption_reason_code)


def untaxed_class(doc: InvoiceDoc) -> TaxClass:
    """The class of whatever carries no tax."""
    whole = whole_invoice_class(doc)
    if whole is not None:
        return whole
    seller = doc.seller
    category = seller.untaxed_category if seller else "E"
    return _zero_class(category, seller.untaxed_reason if seller else "", "")


def line_class(doc: InvoiceDoc, line: LineDoc, untaxed: TaxClass) -> TaxClass:
    if line.taxable and doc.tax_rate > 0 and whole_invoice_class(doc) is None:
        return TaxClass(doc.customer.tax_category or "S", doc.tax_rate)
    return untaxed


def line_classes(doc: InvoiceDoc) -> Iterator[tuple[LineDoc, TaxClass]]:
    untaxed = untaxed_class(doc)
    for line in doc.lines:
        yield line, line_class(doc, line, untaxed)


def categories_used(doc: InvoiceDoc) -> set[str]:
    used = {tax_class.category for _line, tax_class in line_classes(doc)}
    if doc.freight or doc.deposit_applied:
        used.add(untaxed_class(doc).category)
    return used


def subtotals(doc: InvoiceDoc, sign: int) -> list[Subtotal]:
    """The tax breakdown, one subtotal per class in the order the classes first appear;
    amounts multiplied by `sign` (-1 on a credit note)."""
    taxable: dict[TaxClass, Decimal] = {}
    for line, tax_class in line_classes(doc):
        taxable[tax_class] = taxable.get(tax_class, NO_RATE) + sign * line.amount
    untaxed = untaxed_class(doc)
    for amount in (doc.freight, -doc.deposit_applied):
        if amount:
            taxable[untaxed] = taxable.get(untaxed, NO_RATE) + sign * amount
    return [
        Subtotal(tax_class, amount, sign * doc.tax_amount if tax_class.percent else NO_RATE)
        for tax_class, amount in taxable.items()
    ]


def _zero_class(category: str, reason: str, reason_code: str) -> TaxClass:
    percent = None if category == NOT_SUBJECT else NO_RATE
    if category not in REASON_REQUIRED:
        return TaxClass(category, percent)
    return TaxClass(category, percent, reason.strip(), reason_code)
