"""Random invoices that pass the e-invoice pre-flight all pass the official rules: mixed tax
categories, freight, deposits applied, credits, odd characters, long descriptions and
amounts on half a cent, for companies and customers in several countries."""

import dataclasses
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobledger.exports.formats import ubl_checks, ubl_peppol
from jobledger.exports.formats.base import CustomerDoc, InvoiceDoc, SellerDoc
from tests.exports.strategies import LONG_TEXT, WIDE_TEXT, customer_docs, invoice_docs
from tests.exports.test_format_ubl_kit import verdict

PROPERTY = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# (country, endpoint scheme, endpoint ID, VAT/GST number): valid under the Peppol rules.
PARTIES = (
    ("US", "0088", "0614141000012", "US841234567"),
    ("AU", "0151", "51824753556", "AU51824753556"),
    ("NO", "0192", "987654325", "NO987654325MVA"),
    ("DE", "9930", "DE123456789", "DE123456789"),
    ("BE", "0208", "0123456749", "BE0123456749"),
    ("GB", "0088", "5400000000003", "GB123456789"),
)
# Customer tax categories, with the exemption reason the rules want for them.
CATEGORIES = (("", ""), ("S", ""), ("E", "Exempt public body"), ("Z", ""),
              ("AE", "Reverse charge"), ("G", "Export outside the EU"),
              ("K", "Intra-community supply"), ("O", "Not subject to VAT"))  # fmt: skip
ZERO_CATEGORIES = {"E", "Z", "AE", "G", "K", "O"}


@st.composite
def sellers(draw: st.DrawFn) -> SellerDoc:
    country, scheme, endpoint, vat = draw(st.sampled_from(PARTIES))
    untaxed = draw(st.sampled_from(("E", "Z")))
    return SellerDoc(
        name=draw(WIDE_TEXT.filter(ubl_checks.clean_text)),
        legal_name=draw(st.sampled_from(("", "Ridgeline Site & Electric, Inc."))),
        street=draw(WIDE_TEXT),
        city=draw(WIDE_TEXT),
        region=draw(st.sampled_from(("CO", "NSW", ""))),
        postal_code=draw(st.sampled_from(("80538", "2000", ""))),
        country=country,
        phone=draw(st.sampled_from(("(970) 555-0142", ""))),
        email=draw(st.sampled_from(("billing@ridgeline.example", ""))),
        vat_number=vat,
        endpoint_scheme=scheme,
        endpoint_id=endpoint,
        untaxed_category=untaxed,
        untaxed_reason="Not subject to sales tax" if untaxed == "E" else "",
    )


@st.composite
def einvoice_customers(draw: st.DrawFn) -> CustomerDoc:
    customer = draw(customer_docs(wide=True))
    # Sellers and buyers both in Germany fall under XRechnung's rules (pre-flight refuses).
    country, scheme, endpoint, vat = draw(st.sampled_from(PARTIES[:3] + PARTIES[4:]))
    category, reason = draw(st.sampled_from(CATEGORIES))
    rate = Decimal("0") if category in ZERO_CATEGORIES else customer.tax_rate
    if 0 < rate < Decimal("0.5"):  # the rules' rounding cannot take such rates (pre-flight)
        rate += Decimal("0.5")
    return dataclasses.replace(
        customer,
        name=customer.name if ubl_checks.clean_text(customer.name) else "Acme Builders",
        country=country,
        endpoint_scheme=scheme,
        endpoint_id=endpoint,
        vat_number=vat if category in {"AE", "K"} or draw(st.booleans()) else "",
        buyer_reference=draw(st.sampled_from(("", "Cost centre 4410"))),
        tax_category=category,
        tax_exemption_reason=reason,
        tax_rate=rate,
    )


@st.composite
def einvoices(draw: st.DrawFn) -> InvoiceDoc:
    customer = draw(einvoice_customers())
    doc = draw(invoice_docs(customer=customer, wide=True, currency=draw(st.sampled_from(
        ("USD", "AUD", "EUR", "NOK")))))  # fmt: skip
    lines = []
    for line in doc.lines:
        description = draw(st.one_of(LONG_TEXT, st.just(line.description)))
        named = description if ubl_checks.clean_text(description) else "Foreman"
        lines.append(dataclasses.replace(line, description=named))
    po = doc.po_number if ubl_checks.clean_text(doc.po_number) else ""
    if not po and not customer.buyer_reference:
        po = "PO-7781"
    return dataclasses.replace(doc, seller=draw(sellers()), lines=tuple(lines), po_number=po)


@PROPERTY
@given(doc=einvoices())
def test_random_invoices_pass_the_official_rules(doc: InvoiceDoc) -> None:
    assert ubl_checks.problems(doc) == []
    assert verdict(ubl_peppol.write(iter([doc]))) == []
