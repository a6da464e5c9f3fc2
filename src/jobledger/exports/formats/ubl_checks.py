"""Pre-flight for e-invoices: what the EN 16931 and Peppol rules need that an invoice, its
customer or the company lacks, each said as what to do about it.

These mirror the rules a receiving access point applies (the rule ids are in the
comments), so an invoice is held back here instead of being rejected there.
"""

from decimal import Decimal

from jobledger.core.einvoice import (
    BUYER_VAT_REQUIRED,
    COUNTRIES,
    CURRENCIES,
    REASON_REQUIRED,
    endpoint_problem,
)
from jobledger.exports.formats.base import CustomerDoc, InvoiceDoc, SellerDoc, clean_text
from jobledger.exports.formats.ubl_tax import categories_used, untaxed_class, whole_invoice_class

SMALLEST_RATE = Decimal("0.5")
HALF = Decimal("0.50")
COMPANY_PAGE = "on the Company settings page"
CUSTOMER_PAGE = "on the customer's page"


def problems(doc: InvoiceDoc) -> list[str]:
    """Everything that keeps this invoice from being a valid Peppol BIS 3 document."""
    found = _seller_problems(doc.seller, doc)
    found += _customer_problems(doc.customer)
    found += _document_problems(doc)
    return found


# Countries whose national Peppol rules need what jobledger does not hold (payment means,
# bank details, national registration numbers, Greek invoice numbering), for the seller.
NATIONAL_RULES = {
    "DK": "payment means and a CVR number",
    "GR": "Greek invoice numbering and a MARK number",
    "IS": "an Icelandic kennitala and payment means",
    "IT": "an Italian tax registration number",
    "NL": "payment means and a KVK or OIN number",
    "SE": "the F-skatt statement and a Swedish organisation number",
}
# …and for a seller and a customer both in the country.
DOMESTIC_RULES = {"DE": "payment instructions and a seller contact (XRechnung)"}


def _seller_problems(seller: SellerDoc | None, doc: InvoiceDoc) -> list[str]:
    if seller is None:
        return [f"the company has no e-invoice details; fill them in {COMPANY_PAGE}"]
    found = _party_problems("the company", seller, COMPANY_PAGE)
    if doc.currency not in CURRENCIES:  # BR-CL-04
        found.append(f"the currency {doc.currency} is not an ISO 4217 code; set it {COMPANY_PAGE}")
    taxed = categories_used(doc) - {"O"}
    if taxed and not seller.vat_number:  # BR-S-02, BR-Z-02, BR-E-02, BR-AE-02 …
        found.append(f"the company has no VAT/GST number, which e-invoices with tax category "
                     f"{', '.join(sorted(taxed))} need; enter it {COMPANY_PAGE}")  # fmt: skip
    found += _national_problems(seller, doc.customer)
    untaxed = untaxed_class(doc)
    if untaxed.category in REASON_REQUIRED and not (untaxed.reason or untaxed.reason_code):
        found.append(_reason_missing(doc, untaxed.category))  # BR-E-10 …
    return found


def _customer_problems(customer: CustomerDoc) -> list[str]:
    who = f"customer {customer.code}"
    found = _party_problems(who, customer, CUSTOMER_PAGE)
    if customer.tax_category in BUYER_VAT_REQUIRED and not customer.vat_number:
        found.append(f"{who} has no VAT number, which tax category {customer.tax_category} "
                     f"needs; enter it {CUSTOMER_PAGE}")  # fmt: skip
    return found


def _party_problems(who: str, party: SellerDoc | CustomerDoc, where: str) -> list[str]:
    found = []
    if not clean_text(party.name):  # BR-06, BR-07
        found.append(f"{who} has no name; enter it {where}")
    if not party.endpoint_scheme or not party.endpoint_id:  # PEPPOL-EN16931-R010, R020
        found.append(f"{who} has no Peppol endpoint ID; enter it {where}")
    else:
        wrong = endpoint_problem(party.endpoint_scheme, party.endpoint_id)
        if wrong:
            reason = wrong[0].lower() + wrong[1:].rstrip(".")
            found.append(f"the Peppol endpoint ID of {who} is wrong ({reason}); correct it {where}")
    if party.country not in COUNTRIES:  # BR-09, BR-11
        found.append(f"the country of {who} is not an ISO 3166 code; correct it {where}")
    return found


def _document_problems(doc: InvoiceDoc) -> list[str]:
    found = []
    # The same cleaned text the writer sends: a PO of control characters is no PO.
    if not clean_text(doc.po_number) and not clean_text(doc.customer.buyer_reference):
        found.append(  # PEPPOL-EN16931-R003
            f"it has no PO number and customer {doc.customer.code} has no buyer reference; "
            f"enter the PO on the invoice or the buyer reference {CUSTOMER_PAGE}"
        )
    if doc.tax_amount and whole_invoice_class(doc) is not None:
        found.append(
            f"it charges tax, but the tax code of customer {doc.customer.code} is in category "
            f"{doc.customer.tax_category}, which charges none; correct the tax code or the invoice"
        )
    if 0 < doc.tax_rate < SMALLEST_RATE and abs(doc.tax_amount) >= HALF:
        found.append(  # BR-CO-17 rounds the rate to a whole percent before checking the tax
            f"its tax rate of {doc.tax_rate.normalize()} % is under the 0.5 % the e-invoice "
            "rules accept on tax of 0.50 or more; send this invoice in another format"
        )
    unnamed = [str(n) for n, line in enumerate(doc.lines, 1) if not clean_text(line.description)]
    if unnamed:  # BR-25
        found.append(f"line {', '.join(unnamed)} has no description; describe what was billed")
    return found


def _reason_missing(doc: InvoiceDoc, category: str) -> str:
    if whole_invoice_class(doc) is not None:
        return (
            f"the tax code of customer {doc.customer.code} (category {category}) has no "
            "exemption reason; add one to the tax code"
        )
    return f"untaxed lines are exempt (E) but have no exemption reason; enter one {COMPANY_PAGE}"


def _national_problems(seller: SellerDoc, customer: CustomerDoc) -> list[str]:
    # The rules take the seller's country from its VAT number, else from its address.
    country = seller.vat_number[:2] or seller.country
    needs = NATIONAL_RULES.get(country)
    if needs is None and country == customer.country:
        needs = DOMESTIC_RULES.get(country)
    if needs is None:
        return []
    return [
        f"the Peppol rules for invoices from {country} need {needs}, which jobledger does "
        "not hold; send this invoice in another format"
    ]
