"""E-invoices through the real export: company and customer details read from the database,
one document per invoice zipped together with the invoice PDF inside, pre-flight refusals
before anything is written, the command line, and the format suggested for customers who
want e-invoices."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from jobledger.core.models import CompanySettings
from jobledger.customers.models import Customer
from jobledger.exports.models import ExportBatch
from jobledger.exports.selectors import suggested_format
from jobledger.exports.services import ExportBlocked, export_batch_create
from jobledger.invoicing.models import Invoice, LineKind
from jobledger.invoicing.services import LineInput
from tests.exports.test_format_ubl_kit import verdict
from tests.factories import (
    CustomerFactory,
    JobFactory,
    approve_simple_distribution,
    labor_line,
    make_admin_invoice,
)

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


@pytest.fixture
def einvoicing_company(company: CompanySettings) -> CompanySettings:
    CompanySettings.objects.filter(pk=1).update(
        name="Ridgeline Site & Electric", address="4180 Industrial Parkway\nLoveland, CO",
        city="Loveland", region="CO", postal_code="80538", country="US",
        vat_number="US841234567", peppol_scheme="0088", peppol_id="0614141000012",
    )  # fmt: skip
    return CompanySettings.load()


@pytest.fixture
def buyer(db: None) -> Customer:
    return CustomerFactory(code="CITYGF", name="City of Granite Falls", wants_einvoices=True,
                           peppol_scheme="0088", peppol_id="0614141000029",
                           buyer_reference="PW-AP-2201")  # fmt: skip


@pytest.fixture
def approved(administrator, project_manager, accounts, buyer):
    job = JobFactory(project_manager=project_manager, customer=buyer)

    def make(**kwargs) -> Invoice:
        invoice = make_admin_invoice(actor=project_manager, job=job, **kwargs)
        return approve_simple_distribution(administrator, invoice, accounts)

    return make


def materials(quantity: str = "12.5", rate: str = "28.50") -> LineInput:
    return LineInput(
        kind=LineKind.MATERIALS, description="Class 6 Road Base", quantity=Decimal(quantity),
        rate=Decimal(rate), taxable=True, unit="TON",
    )  # fmt: skip


def documents(batch: ExportBatch) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bytes(batch.content))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_an_export_zips_one_valid_e_invoice_per_invoice_with_its_pdf(
    administrator, einvoicing_company, approved
) -> None:
    first = approved(lines=[labor_line(), materials()], freight=Decimal("75.00"))
    second = approved(lines=[labor_line("2.5", "98.50")])

    batch = export_batch_create(actor=administrator, format_key="ubl_peppol",
                                invoice_ids=[first.pk, second.pk]).batch  # fmt: skip

    assert batch.file_name.endswith(".zip")
    files = documents(batch)
    assert len(files) == 2
    for xml in files.values():
        assert verdict(xml) == []
    roots = sorted((etree.fromstring(xml) for xml in files.values()),
                   key=lambda root: int(root.findtext("cbc:ID", namespaces=NS)))  # fmt: skip
    root = roots[0]
    assert root.findtext("cbc:ID", namespaces=NS) == str(first.number)
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "PW-AP-2201"
    supplier = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    assert supplier.findtext("cbc:EndpointID", namespaces=NS) == "0614141000012"
    assert supplier.findtext("cac:PostalAddress/cbc:StreetName", namespaces=NS) == (
        "4180 Industrial Parkway"
    )
    payable = root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS)
    assert Decimal(payable) == first.total
    pdf = root.find("cac:AdditionalDocumentReference/cac:Attachment/", NS)
    assert pdf.get("filename") == f"Invoice-{first.number}.pdf"
    assert pdf.text.startswith("JVBERi0")  # %PDF-, base64


def test_the_company_can_leave_the_pdf_out(administrator, einvoicing_company, approved) -> None:
    CompanySettings.objects.filter(pk=1).update(einvoice_pdf=False)
    invoice = approved()

    batch = export_batch_create(actor=administrator, format_key="ubl_peppol",
                                invoice_ids=[invoice.pk]).batch  # fmt: skip

    root = etree.fromstring(bytes(batch.content))
    assert root.find("cac:AdditionalDocumentReference", NS) is None
    assert verdict(bytes(batch.content)) == []


def test_pre_flight_refuses_before_anything_is_written(
    administrator, einvoicing_company, approved, buyer, refused
) -> None:
    ready = approved()
    Customer.objects.filter(pk=buyer.pk).update(peppol_id="", buyer_reference="")
    invoice = Invoice.objects.get(pk=ready.pk)

    with refused(f"Invoice {invoice.number}: customer CITYGF has no Peppol endpoint ID; "
                 "enter it on the customer's page.", invoice, error=ExportBlocked):  # fmt: skip
        export_batch_create(actor=administrator, format_key="ubl_peppol", invoice_ids=[ready.pk])


def test_the_command_line_exports_e_invoices(
    administrator, einvoicing_company, approved, tmp_path
) -> None:
    invoice = approved()
    out = tmp_path / "einvoice.xml"

    call_command("export_invoices", "--format", "ubl_peppol", "--out", str(out),
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip

    assert verdict(out.read_bytes()) == []
    assert ExportBatch.objects.get().invoices.get() == invoice


def test_e_invoices_are_suggested_when_every_customer_wants_them(buyer) -> None:
    other = CustomerFactory(code="ACME")
    assert suggested_format(Customer.objects.filter(pk=buyer.pk)) == "ubl_peppol"
    assert suggested_format(Customer.objects.filter(pk__in=[buyer.pk, other.pk])) is None
    assert suggested_format(Customer.objects.none()) is None
