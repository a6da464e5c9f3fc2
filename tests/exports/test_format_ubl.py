"""E-invoice (UBL / Peppol BIS 3): the fixed sample invoices, judged by the official rules
and read back with lxml, and the pre-flight that holds back what the rules would reject."""

import base64
import dataclasses
from decimal import Decimal

import pytest
from lxml import etree

from jobledger.exports.formats import ubl_checks, ubl_peppol
from jobledger.exports.formats.base import CustomerDoc, InvoiceDoc, SellerDoc
from jobledger.exports.formats.ubl_units import unit_code
from tests.exports.samples import sample_invoices
from tests.exports.test_format_ubl_kit import fired, verdict

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SELLER = SellerDoc(
    name="Ridgeline Site & Electric",
    legal_name="Ridgeline Site & Electric, Inc.",
    street="4180 Industrial Parkway",
    city="Loveland",
    region="CO",
    postal_code="80538",
    country="US",
    phone="(970) 555-0142",
    email="billing@ridgeline.example",
    vat_number="US841234567",
    endpoint_scheme="0088",
    endpoint_id="0614141000012",
    untaxed_category="E",
    untaxed_reason="Not subject to sales tax",
)
PDF = b"%PDF-1.7\n% an invoice\n"


def ready(doc: InvoiceDoc, **customer: object) -> InvoiceDoc:
    """A sample invoice with the company's and its customer's e-invoice details."""
    details: dict[str, object] = {
        "endpoint_scheme": "0088",
        "endpoint_id": "0614141000029",
        "tax_category": "S" if doc.customer.taxable else "",
    }
    details.update(customer)
    buyer = dataclasses.replace(doc.customer, **details)  # type: ignore[arg-type]
    return dataclasses.replace(doc, seller=SELLER, customer=buyer)


def write(doc: InvoiceDoc) -> bytes:
    return ubl_peppol.write(iter([doc]))


def read(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def amount(root: etree._Element, path: str) -> Decimal:
    return Decimal(root.findtext(path, namespaces=NS))


SAMPLES = {doc.number: ready(doc) for doc in sample_invoices()}


@pytest.mark.parametrize("number", list(SAMPLES))
def test_each_sample_invoice_passes_the_official_rules(number: int) -> None:
    doc = SAMPLES[number]
    assert ubl_checks.problems(doc) == []
    assert verdict(write(doc)) == []


@pytest.mark.parametrize("number", list(SAMPLES))
def test_the_amount_due_is_the_invoice_total(number: int) -> None:
    doc = SAMPLES[number]
    root = read(write(doc))
    payable = amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    assert payable == abs(doc.total)
    lines = root.findall("cac:InvoiceLine", NS) + root.findall("cac:CreditNoteLine", NS)
    assert len(lines) == len(doc.lines)
    assert root.findtext("cbc:CustomizationID", namespaces=NS) == ubl_peppol.CUSTOMIZATION_ID
    assert root.findtext("cbc:ProfileID", namespaces=NS) == ubl_peppol.PROFILE_ID


def test_an_invoice_with_freight_and_tax_shows_them_as_the_rules_want() -> None:
    doc = SAMPLES[10001]
    root = read(write(doc))
    assert etree.QName(root).localname == "Invoice"
    assert root.findtext("cbc:InvoiceTypeCode", namespaces=NS) == "380"
    assert root.findtext("cbc:DueDate", namespaces=NS) == doc.due_date.isoformat()
    assert root.findtext("cac:OrderReference/cbc:ID", namespaces=NS) == "PO-7781"
    assert root.findtext("cac:PaymentTerms/cbc:Note", namespaces=NS) == "Net 30"
    charge = root.find("cac:AllowanceCharge", NS)
    assert charge.findtext("cbc:ChargeIndicator", namespaces=NS) == "true"
    assert Decimal(charge.findtext("cbc:Amount", namespaces=NS)) == Decimal("125.00")
    rates = {
        sub.findtext("cac:TaxCategory/cbc:ID", namespaces=NS): sub
        for sub in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    }
    assert set(rates) == {"S", "E"}
    assert amount(rates["S"], "cbc:TaxAmount") == doc.tax_amount
    assert rates["S"].findtext("cac:TaxCategory/cbc:Percent", namespaces=NS) == "8.25"
    assert rates["E"].findtext("cac:TaxCategory/cbc:TaxExemptionReason", namespaces=NS) == (
        "Not subject to sales tax"
    )
    units = [q.get("unitCode") for q in root.iterfind("cac:InvoiceLine/cbc:InvoicedQuantity", NS)]
    assert units == ["HUR", "HUR", "STN"]


def test_a_deposit_applied_is_an_allowance() -> None:
    root = read(write(SAMPLES[10002]))
    allowance = root.find("cac:AllowanceCharge", NS)
    assert allowance.findtext("cbc:ChargeIndicator", namespaces=NS) == "false"
    assert allowance.findtext("cbc:AllowanceChargeReason", namespaces=NS) == "Deposit applied"
    assert amount(root, "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount") == Decimal("5000.00")


def test_a_negative_correction_is_a_credit_note_for_the_invoice_it_corrects() -> None:
    doc = SAMPLES[10005]
    root = read(write(doc))
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    billed = root.findtext(
        "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS
    )
    assert billed == "10001"
    line = root.find("cac:CreditNoteLine", NS)
    assert Decimal(line.findtext("cbc:CreditedQuantity", namespaces=NS)) == Decimal("2")
    assert amount(line, "cbc:LineExtensionAmount") == -doc.lines[0].amount
    assert amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == -doc.total


def test_a_correction_that_bills_more_is_an_invoice_for_the_invoice_it_corrects() -> None:
    doc = dataclasses.replace(SAMPLES[10004], corrects_number=10001, type="Correction")
    root = read(write(doc))
    assert root.findtext("cbc:InvoiceTypeCode", namespaces=NS) == "380"
    billed = root.findtext(
        "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS
    )
    assert billed == "10001"
    assert verdict(write(doc)) == []


def test_odd_characters_arrive_as_written() -> None:
    root = read(write(SAMPLES[10003]))
    names = [n.text for n in root.iterfind("cac:InvoiceLine/cac:Item/cbc:Name", NS)]
    assert names[0] == '=HYPERLINK("x") pipe, 2" conduit'
    assert names[1] == "Électricien journeyman; night shift"
    assert root.findtext("cac:OrderReference/cbc:ID", namespaces=NS) == 'PO "A,1"'


def test_the_invoice_pdf_is_embedded_when_there_is_one() -> None:
    doc = dataclasses.replace(SAMPLES[10001], pdf=PDF)
    xml = write(doc)
    root = read(xml)
    attached = root.find("cac:AdditionalDocumentReference/cac:Attachment/", NS)
    assert attached.get("mimeCode") == "application/pdf"
    assert attached.get("filename") == "Invoice-10001.pdf"
    assert base64.b64decode(attached.text) == PDF
    assert verdict(xml) == []


@pytest.mark.parametrize(
    ("category", "reason", "vat"),
    [("E", "Exempt public body", ""), ("AE", "Reverse charge", "DE123456789"),
     ("O", "Not subject to VAT", ""), ("Z", "", "")],
)  # fmt: skip
def test_a_customer_tax_category_covers_the_whole_invoice(
    category: str, reason: str, vat: str
) -> None:
    base = dataclasses.replace(SAMPLES[10002], tax_rate=Decimal("0"))
    doc = ready(base, tax_category=category, tax_exemption_reason=reason, vat_number=vat)
    assert ubl_checks.problems(doc) == []
    xml = write(doc)
    assert verdict(xml) == []
    used = {c.text for c in read(xml).iterfind(".//cac:ClassifiedTaxCategory/cbc:ID", NS)}
    assert used == {category}


def test_outside_the_scope_of_vat_names_no_vat_numbers() -> None:
    doc = ready(SAMPLES[10002], tax_category="O", tax_exemption_reason="Outside scope",
                vat_number="DE123456789")  # fmt: skip
    assert read(write(doc)).find(".//cac:PartyTaxScheme", NS) is None


def test_zero_rated_untaxed_lines_need_no_reason() -> None:
    seller = dataclasses.replace(SELLER, untaxed_category="Z", untaxed_reason="")
    doc = dataclasses.replace(SAMPLES[10001], seller=seller)
    assert ubl_checks.problems(doc) == []
    assert verdict(write(doc)) == []


# The kit catches broken documents: the tests above can fail.


def test_the_rules_catch_a_wrong_total() -> None:
    root = read(write(SAMPLES[10001]))
    payable = root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
    payable.text = str(Decimal(payable.text) + Decimal("0.10"))
    inclusive = root.find("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", NS)
    inclusive.text = payable.text
    assert "BR-CO-15" in fired(etree.tostring(root))


def test_the_rules_and_pre_flight_catch_a_missing_buyer_reference() -> None:
    doc = dataclasses.replace(SAMPLES[10001], po_number="")
    assert "PEPPOL-EN16931-R003" in fired(write(doc))
    assert ubl_checks.problems(doc) == [
        "it has no PO number and customer ACME has no buyer reference; enter the PO on the "
        "invoice or the buyer reference on the customer's page"
    ]
    with_reference = ready(doc, buyer_reference="Cost centre 4410")
    assert ubl_checks.problems(with_reference) == []
    root = read(write(with_reference))
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "Cost centre 4410"
    assert verdict(write(with_reference)) == []


# Pre-flight: each problem in words a person can act on, before anything is written.


def problems_with(doc: InvoiceDoc, *, seller: SellerDoc | None = SELLER,
                  **customer: object) -> list[str]:  # fmt: skip
    buyer: CustomerDoc = dataclasses.replace(doc.customer, **customer)  # type: ignore[arg-type]
    return ubl_checks.problems(dataclasses.replace(doc, seller=seller, customer=buyer))


def test_pre_flight_asks_for_the_company_details_first() -> None:
    assert problems_with(SAMPLES[10001], seller=None) == [
        "the company has no e-invoice details; fill them in on the Company settings page"
    ]


def test_pre_flight_names_a_missing_or_wrong_endpoint() -> None:
    doc = SAMPLES[10001]
    assert problems_with(doc, endpoint_id="") == [
        "customer ACME has no Peppol endpoint ID; enter it on the customer's page"
    ]
    assert problems_with(doc, endpoint_id="0614141000028") == [
        "the Peppol endpoint ID of customer ACME is wrong (a GLN (GS1 Global Location Number) "
        "is 13 digits with a valid GS1 check digit; “0614141000028” is not); correct it on the "
        "customer's page"
    ]
    seller = dataclasses.replace(SELLER, endpoint_scheme="9999")
    assert problems_with(doc, seller=seller) == [
        "the Peppol endpoint ID of the company is wrong (“9999” is not a Peppol endpoint scheme; "
        "choose one from the list); correct it on the Company settings page"
    ]


@pytest.mark.parametrize(
    ("seller_country", "vat", "customer_country", "needs"),
    [("NL", "NL123456789B01", "US", "payment means and a KVK or OIN number"),
     ("US", "DK12345678", "US", "payment means and a CVR number"),
     ("DE", "DE123456789", "DE", "payment instructions and a seller contact (XRechnung)")],
)  # fmt: skip
def test_pre_flight_names_national_rules_jobledger_cannot_meet(
    seller_country: str, vat: str, customer_country: str, needs: str
) -> None:
    seller = dataclasses.replace(SELLER, country=seller_country, vat_number=vat)
    country = vat[:2]
    assert problems_with(SAMPLES[10001], seller=seller, country=customer_country) == [
        f"the Peppol rules for invoices from {country} need {needs}, which jobledger does not "
        "hold; send this invoice in another format"
    ]


def test_a_german_seller_may_invoice_abroad() -> None:
    seller = dataclasses.replace(SELLER, country="DE", vat_number="DE123456789",
                                 endpoint_scheme="9930", endpoint_id="DE123456789")  # fmt: skip
    doc = ready(SAMPLES[10001])
    doc = dataclasses.replace(doc, seller=seller)
    assert ubl_checks.problems(doc) == []
    assert verdict(write(doc)) == []


def test_pre_flight_wants_the_company_vat_number_for_taxed_invoices() -> None:
    seller = dataclasses.replace(SELLER, vat_number="")
    assert problems_with(SAMPLES[10001], seller=seller) == [
        "the company has no VAT/GST number, which e-invoices with tax category E, S need; "
        "enter it on the Company settings page"
    ]
    not_subject = problems_with(SAMPLES[10002], seller=seller, tax_category="O",
                                tax_exemption_reason="Outside scope")  # fmt: skip
    assert not_subject == []


def test_pre_flight_wants_the_buyer_vat_number_for_reverse_charge() -> None:
    doc = dataclasses.replace(SAMPLES[10002], tax_rate=Decimal("0"))
    found = problems_with(doc, tax_category="AE", tax_exemption_reason="Reverse charge")
    assert found == [
        "customer CITY-RR has no VAT number, which tax category AE needs; enter it on the "
        "customer's page"
    ]


def test_pre_flight_refuses_tax_charged_to_an_exempt_customer() -> None:
    found = problems_with(SAMPLES[10001], tax_category="E", tax_exemption_reason="Exempt")
    assert found == [
        "it charges tax, but the tax code of customer ACME is in category E, which charges "
        "none; correct the tax code or the invoice"
    ]


def test_pre_flight_wants_an_exemption_reason() -> None:
    seller = dataclasses.replace(SELLER, untaxed_reason=" ")
    assert problems_with(SAMPLES[10001], seller=seller) == [
        "untaxed lines are exempt (E) but have no exemption reason; enter one on the Company "
        "settings page"
    ]
    doc = dataclasses.replace(SAMPLES[10002], tax_rate=Decimal("0"))
    assert problems_with(doc, tax_category="G", tax_exemption_reason="") == [
        "the tax code of customer CITY-RR (category G) has no exemption reason; add one to the "
        "tax code"
    ]


def test_pre_flight_refuses_a_rate_the_rules_round_away() -> None:
    doc = dataclasses.replace(SAMPLES[10001], tax_rate=Decimal("0.25"), tax_amount=Decimal("3.19"))
    assert problems_with(doc) == [
        "its tax rate of 0.25 % is under the 0.5 % the e-invoice rules accept on tax of 0.50 or "
        "more; send this invoice in another format"
    ]
    assert "BR-CO-17" in fired(write(doc))


def test_pre_flight_names_lines_without_a_description() -> None:
    doc = SAMPLES[10003]
    blank = dataclasses.replace(doc.lines[1], description="  ")
    found = problems_with(dataclasses.replace(doc, lines=(doc.lines[0], blank, doc.lines[2])))
    assert found == ["line 2 has no description; describe what was billed"]


@pytest.mark.parametrize(
    ("unit", "code"),
    [("HR", "HUR"), ("hours", "HUR"), ("DAY", "DAY"), ("ea", "EA"), ("EACH", "EA"),
     ("FT", "FOT"), ("TON", "STN"), ("CY", "YDQ"), ("LOAD", "NL"), ("", "C62"),
     ("KGM", "KGM"), ("m.", "MTR"), ("widgets", "C62")],
)  # fmt: skip
def test_units_become_rec_20_codes(unit: str, code: str) -> None:
    assert unit_code(unit) == code


def test_the_writer_takes_one_invoice_a_file() -> None:
    with pytest.raises(ValueError, match="one invoice, not 2"):
        ubl_peppol.write(iter([SAMPLES[10001], SAMPLES[10002]]))
