"""E-invoice: UBL 2.1 under Peppol BIS Billing 3.0 (and so EN 16931), one document per invoice.

An invoice with a total of zero or more is an Invoice (type 380; Peppol keeps 384, the
corrected invoice, to German buyers and sellers, so a correction that bills more is a 380
referencing the invoice it corrects); a negative total is a CreditNote (381) whose amounts
are the invoice's with the sign turned, referencing the invoice it corrects. Freight is a
document-level charge and a deposit applied a document-level allowance; a line's sign
goes on its quantity, so that every price stays positive as the rules require.
An export of several invoices is a zip of documents (one invoice per file).
"""

import base64
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from decimal import Decimal

from jobledger.exports.formats import ubl_checks
from jobledger.exports.formats.base import (
    CustomerDoc,
    ExportFormat,
    InvoiceDoc,
    LineDoc,
    SellerDoc,
    clean_text,
    money,
    plain_number,
)
from jobledger.exports.formats.ubl_tax import Subtotal, TaxClass, line_classes, subtotals
from jobledger.exports.formats.ubl_tax import untaxed_class as untaxed_class_of
from jobledger.exports.formats.ubl_units import unit_code

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
COMMERCIAL_INVOICE, CREDIT_NOTE = "380", "381"
PROJECT_DOCUMENT = "50"  # UNCL1001: how a credit note names the project (BT-11)
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def _tag(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


_TAGS: dict[str, str] = {}


def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    tag = _TAGS.get(name) or _TAGS.setdefault(name, _tag(name))
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def optional(parent: ET.Element, name: str, value: str) -> ET.Element | None:
    """The element when the value has text to send: the rules forbid empty elements."""
    cleaned = clean_text(value)
    return sub(parent, name, cleaned) if cleaned else None


class _Document:
    """One invoice written as an Invoice or a CreditNote."""

    def __init__(self, doc: InvoiceDoc) -> None:
        self.doc = doc
        self.credit = doc.total < 0
        self.sign = -1 if self.credit else 1
        self.currency = doc.currency
        self.kind = "CreditNote" if self.credit else "Invoice"
        # The root is written unqualified with its namespace as the default, since
        # ElementTree's own default namespace cannot hold unqualified attributes.
        namespace = CREDIT_NOTE_NS if self.credit else INVOICE_NS
        self.root = ET.Element(self.kind, xmlns=namespace)

    def amount(self, parent: ET.Element, name: str, value: Decimal) -> None:
        sub(parent, name, money(value), currencyID=self.currency)

    def build(self) -> bytes:
        self.header()
        self.references()
        seller, customer = self.doc.seller, self.doc.customer
        if seller is None:
            raise ValueError("An e-invoice needs the company's details (InvoiceDoc.seller).")
        self.party(sub(self.root, "cac:AccountingSupplierParty"), seller, street=seller.street,
                   legal_name=seller.legal_name or seller.name, contact_name="")  # fmt: skip
        self.party(sub(self.root, "cac:AccountingCustomerParty"), customer,
                   street=next(iter(customer.address_lines), ""), legal_name=customer.name,
                   contact_name=customer.contact_name)  # fmt: skip
        self.delivery()
        if not self.credit:
            sub(sub(self.root, "cac:PaymentTerms"), "cbc:Note", clean_text(self.doc.terms_label))
        allowances, charges = self.allowances_and_charges()
        breakdown = subtotals(self.doc, self.sign)
        self.tax_total(breakdown)
        self.totals(allowances, charges)
        for position, (line, tax_class) in enumerate(line_classes(self.doc), 1):
            self.line(position, line, tax_class)
        body = ET.tostring(self.root, encoding="unicode")
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body.encode("utf-8")

    def header(self) -> None:
        doc, root = self.doc, self.root
        sub(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
        sub(root, "cbc:ProfileID", PROFILE_ID)
        sub(root, "cbc:ID", str(doc.number))
        sub(root, "cbc:IssueDate", doc.invoice_date.isoformat())
        if self.credit:
            sub(root, "cbc:CreditNoteTypeCode", CREDIT_NOTE)
        else:
            sub(root, "cbc:DueDate", doc.due_date.isoformat())
            sub(root, "cbc:InvoiceTypeCode", COMMERCIAL_INVOICE)
        optional(root, "cbc:Note", doc.notes)
        sub(root, "cbc:DocumentCurrencyCode", self.currency)
        optional(root, "cbc:BuyerReference", doc.customer.buyer_reference)

    def references(self) -> None:
        doc, root = self.doc, self.root
        po = clean_text(doc.po_number)
        if po:
            sub(sub(root, "cac:OrderReference"), "cbc:ID", po)
        if doc.corrects_number:
            billing = sub(root, "cac:BillingReference")
            sub(sub(billing, "cac:InvoiceDocumentReference"), "cbc:ID", str(doc.corrects_number))
        job = clean_text(doc.job_number)
        if job and self.credit:
            project = sub(root, "cac:AdditionalDocumentReference")
            sub(project, "cbc:ID", job)
            sub(project, "cbc:DocumentTypeCode", PROJECT_DOCUMENT)
        if doc.pdf:
            self.embedded_pdf(doc.pdf)
        if job and not self.credit:
            sub(sub(root, "cac:ProjectReference"), "cbc:ID", job)

    def embedded_pdf(self, pdf: bytes) -> None:
        reference = sub(self.root, "cac:AdditionalDocumentReference")
        sub(reference, "cbc:ID", str(self.doc.number))
        sub(reference, "cbc:DocumentDescription", f"Invoice {self.doc.number}")
        sub(
            sub(reference, "cac:Attachment"),
            "cbc:EmbeddedDocumentBinaryObject",
            base64.b64encode(pdf).decode("ascii"),
            mimeCode="application/pdf",
            filename=f"Invoice-{self.doc.number}.pdf",
        )

    def party(
        self,
        parent: ET.Element,
        who: SellerDoc | CustomerDoc,
        *,
        street: str,
        legal_name: str,
        contact_name: str,
    ) -> None:
        party = sub(parent, "cac:Party")
        sub(party, "cbc:EndpointID", who.endpoint_id, schemeID=who.endpoint_scheme)
        # The endpoint also identifies the party (BR-CO-26 wants an identifier when no VAT
        # number is given); its scheme is named only when it is an ISO 6523 one.
        identification = sub(party, "cac:PartyIdentification")
        if who.endpoint_scheme.startswith("0"):
            sub(identification, "cbc:ID", who.endpoint_id, schemeID=who.endpoint_scheme)
        else:
            sub(identification, "cbc:ID", who.endpoint_id)
        sub(sub(party, "cac:PartyName"), "cbc:Name", clean_text(who.name))
        self.address(party, street, who.city, who.postal_code, who.region, who.country)
        if who.vat_number and untaxed_class_of(self.doc).category != "O":
            scheme = sub(party, "cac:PartyTaxScheme")
            sub(scheme, "cbc:CompanyID", who.vat_number)
            sub(sub(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
        legal = sub(party, "cac:PartyLegalEntity")
        sub(legal, "cbc:RegistrationName", clean_text(legal_name))
        self.contact(party, contact_name, who.phone, who.email)

    def address(
        self, party: ET.Element, street: str, city: str, postal: str, region: str, country: str
    ) -> None:
        address = sub(party, "cac:PostalAddress")
        for name, value in (
            ("cbc:StreetName", street),
            ("cbc:CityName", city),
            ("cbc:PostalZone", postal),
            ("cbc:CountrySubentity", region),
        ):
            optional(address, name, value)
        sub(sub(address, "cac:Country"), "cbc:IdentificationCode", country)

    def contact(self, party: ET.Element, name: str, phone: str, email: str) -> None:
        if not any(clean_text(value) for value in (name, phone, email)):
            return
        contact = sub(party, "cac:Contact")
        for tag, value in (
            ("cbc:Name", name),
            ("cbc:Telephone", phone),
            ("cbc:ElectronicMail", email),
        ):
            optional(contact, tag, value)

    def delivery(self) -> None:
        """Intra-community supplies (K) must say where and when the work was delivered."""
        if untaxed_class_of(self.doc).category != "K":
            return
        delivery = sub(self.root, "cac:Delivery")
        sub(delivery, "cbc:ActualDeliveryDate", self.doc.invoice_date.isoformat())
        address = sub(sub(delivery, "cac:DeliveryLocation"), "cac:Address")
        country = self.doc.customer.country
        sub(sub(address, "cac:Country"), "cbc:IdentificationCode", country)

    def allowances_and_charges(self) -> tuple[Decimal, Decimal]:
        """Freight as a charge and a deposit applied as an allowance, each turned into the
        other when the sign of the document makes it negative."""
        allowances = charges = Decimal("0.00")
        untaxed = untaxed_class_of(self.doc)
        for reason, value in (
            ("Freight", self.doc.freight),
            ("Deposit applied", -self.doc.deposit_applied),
        ):
            signed = self.sign * value
            if not signed:
                continue
            charge = signed > 0
            element = sub(self.root, "cac:AllowanceCharge")
            sub(element, "cbc:ChargeIndicator", "true" if charge else "false")
            sub(element, "cbc:AllowanceChargeReason", reason)
            self.amount(element, "cbc:Amount", abs(signed))
            self.tax_category(element, "cac:TaxCategory", untaxed)
            if charge:
                charges += signed
            else:
                allowances -= signed
        return allowances, charges

    def tax_category(
        self, parent: ET.Element, name: str, tax_class: TaxClass, *, with_reason: bool = False
    ) -> None:
        """A tax category; only the breakdown states the exemption reason (UBL-CR-601)."""
        category = sub(parent, name)
        sub(category, "cbc:ID", tax_class.category)
        if tax_class.percent is not None:
            sub(category, "cbc:Percent", plain_number(tax_class.percent))
        if with_reason and tax_class.reason_code:
            sub(category, "cbc:TaxExemptionReasonCode", tax_class.reason_code)
        if with_reason and tax_class.reason:
            sub(category, "cbc:TaxExemptionReason", clean_text(tax_class.reason))
        sub(sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")

    def tax_total(self, breakdown: list[Subtotal]) -> None:
        total = sub(self.root, "cac:TaxTotal")
        self.amount(total, "cbc:TaxAmount", self.sign * self.doc.tax_amount)
        for subtotal in breakdown:
            element = sub(total, "cac:TaxSubtotal")
            self.amount(element, "cbc:TaxableAmount", subtotal.taxable)
            self.amount(element, "cbc:TaxAmount", subtotal.tax)
            self.tax_category(element, "cac:TaxCategory", subtotal.tax_class, with_reason=True)

    def totals(self, allowances: Decimal, charges: Decimal) -> None:
        doc, sign = self.doc, self.sign
        lines = sign * sum((line.amount for line in doc.lines), Decimal("0.00"))
        without_tax = lines - allowances + charges
        with_tax = without_tax + sign * doc.tax_amount
        total = sub(self.root, "cac:LegalMonetaryTotal")
        self.amount(total, "cbc:LineExtensionAmount", lines)
        self.amount(total, "cbc:TaxExclusiveAmount", without_tax)
        self.amount(total, "cbc:TaxInclusiveAmount", with_tax)
        if allowances:
            self.amount(total, "cbc:AllowanceTotalAmount", allowances)
        if charges:
            self.amount(total, "cbc:ChargeTotalAmount", charges)
        self.amount(total, "cbc:PayableAmount", with_tax)

    def line(self, position: int, line: LineDoc, tax_class: TaxClass) -> None:
        element = sub(self.root, f"cac:{self.kind}Line")
        sub(element, "cbc:ID", str(position))
        # The price stays positive (BR-27): a negative rate turns the quantity instead.
        quantity = self.sign * line.quantity * (-1 if line.rate < 0 else 1)
        quantity_name = "cbc:CreditedQuantity" if self.credit else "cbc:InvoicedQuantity"
        sub(element, quantity_name, plain_number(quantity), unitCode=unit_code(line.unit))
        self.amount(element, "cbc:LineExtensionAmount", self.sign * line.amount)
        item = sub(element, "cac:Item")
        sub(item, "cbc:Name", clean_text(line.description))
        code = clean_text(line.item_code)
        if code:
            sub(sub(item, "cac:SellersItemIdentification"), "cbc:ID", code)
        self.tax_category(item, "cac:ClassifiedTaxCategory", tax_class)
        price = sub(element, "cac:Price")
        sub(price, "cbc:PriceAmount", plain_number(abs(line.rate)), currencyID=self.currency)


def write(invoices: Iterable[InvoiceDoc], customers: Sequence[CustomerDoc] = ()) -> bytes:
    """The UBL document of the one invoice given (the format holds one invoice a file)."""
    docs = list(invoices)
    if len(docs) != 1:
        raise ValueError(f"An e-invoice file holds one invoice, not {len(docs)}.")
    return _Document(docs[0]).build()


FORMAT = ExportFormat(
    key="ubl_peppol",
    label="E-invoice (UBL / Peppol BIS 3)",
    extension="xml",
    media_type="application/xml",
    write=write,
    max_invoices_per_file=1,
    check=ubl_checks.problems,
    embeds_pdf=True,
)
