"""One invoice as a PDF: what it prints, how long invoices paginate, and who may print it."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from jobledger.core.errors import PermissionRefused
from jobledger.core.models import CompanySettings
from jobledger.demo.signatures import signature_png
from jobledger.documents.services import invoice_pdf, require_document_access
from jobledger.invoicing.models import InvoicingPolicy, LineKind
from jobledger.invoicing.services import LineInput
from jobledger.jobs.models import DWR, DWRLine, DWRStatus
from tests.documents.conftest import lines, pdf_pages, pdf_text
from tests.factories import JobFactory, make_invoice


def test_pdf_holds_the_invoice_number_customer_every_line_and_the_total(invoice, job):
    made = invoice(lines=lines(12, rate="1234.5"), freight=Decimal("75.00"), notes="Gate code 4471")
    text = pdf_text(invoice_pdf(made))
    assert f"No. {made.number}" in text
    assert job.customer.name in text
    for n in range(1, 13):
        assert f"Labor charge {n:03d}" in text
    assert made.total == Decimal("118587.00")
    assert "118,587.00" in text  # as the screens format it
    assert "Freight" in text
    assert "Gate code 4471" in text
    assert "Net 30" in text
    assert job.number in text


def test_a_150_line_invoice_runs_over_pages_with_the_header_row_on_each(invoice):
    short = pdf_pages(invoice_pdf(invoice(lines=lines(5))))
    pages = pdf_pages(invoice_pdf(invoice(lines=lines(150))))
    assert len(short) == 1
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert "Description Quantity Unit Rate Amount" in text, f"page {number} has no header"
        assert f"page {number} of {len(pages)} pages" in text
    printed = "\n".join(pages)
    assert all(f"Labor charge {n:03d}" in printed for n in range(1, 151))
    assert "page 1 of" not in short[0]


def test_a_correction_invoice_reads_as_a_credit(invoice, project_manager, job):
    original = invoice(lines=lines(2))
    credit = make_invoice(
        actor=project_manager,
        job=job,
        policy=InvoicingPolicy.CORRECTION,
        corrects=original,
        lines=[
            LineInput(
                kind=LineKind.ADJUSTMENT, description="Overbilled hours", rate=Decimal("-340")
            )
        ],
    )
    text = pdf_text(invoice_pdf(credit))
    assert "CREDIT" in text
    assert "Credit due" in text
    assert "-340.00" in text
    assert f"Invoice {original.number}" in text  # what it corrects
    assert "CREDIT" not in pdf_text(invoice_pdf(original))


def test_charges_grouped_by_category_with_subtotals(invoice, job):
    job.status = "closed"
    job.save()
    grouped = invoice(
        policy=InvoicingPolicy.COMPLETE_GROUPED,
        lines=lines(2) + lines(3, kind=LineKind.MATERIALS, rate="10.00"),
    )
    text = pdf_text(invoice_pdf(grouped))
    assert "Labor subtotal" in text
    assert "1,360.00" in text
    assert "Materials subtotal" in text
    assert "240.00" in text


def test_a_summary_invoice_lists_amounts_without_quantities(invoice):
    summary = invoice(policy=InvoicingPolicy.PROGRESS_SUMMARY, lines=lines(1))
    text = pdf_text(invoice_pdf(summary))
    assert "Labor charge 001" in text
    assert "Quantity" not in text


def test_company_logo_and_the_representatives_signature_are_printed(invoice, job, project_manager):
    company = CompanySettings.load()
    company.name = "Northwind Electric"
    company.logo.save("logo.png", ContentFile(signature_png(random.Random(1))))
    dwr = DWR.objects.create(
        job=job,
        work_date=timezone.localdate(),
        author=project_manager,
        status=DWRStatus.APPROVED,
        representative_name="Dana Whitfield",
        signed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    dwr.representative_signature.save("sig.png", ContentFile(signature_png(random.Random(2))))
    charge = DWRLine.objects.create(
        dwr=dwr, kind="labor", quantity=Decimal("8"), rate=Decimal("85")
    )
    signed = invoice(
        lines=[
            LineInput(
                kind=LineKind.LABOR,
                description="Foreman",
                rate=Decimal("85"),
                quantity=Decimal("8"),
                dwr_line=charge,
            )
        ]
    )
    pdf = invoice_pdf(signed)
    text = pdf_text(pdf)
    assert "Northwind Electric" in text
    assert "Dana Whitfield" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 2  # the logo and the signature
    assert "Dana Whitfield" not in pdf_text(invoice_pdf(invoice(lines=lines(1))))


def test_an_administrator_prints_any_invoice_a_project_manager_only_their_jobs(
    invoice, administrator, project_manager, other_project_manager, field_user, outsider
):
    mine = invoice(lines=lines(1))
    other_job = JobFactory(project_manager=other_project_manager)
    theirs = make_invoice(actor=other_project_manager, job=other_job)
    require_document_access(administrator, [mine, theirs])
    require_document_access(project_manager, [mine])
    with pytest.raises(PermissionRefused, match=f"Invoice {theirs.number} is on a job managed"):
        require_document_access(project_manager, [mine, theirs])
    for user in (field_user, outsider):
        with pytest.raises(PermissionRefused, match="Only Administrators or Project Managers"):
            require_document_access(user, [mine])


def test_text_that_looks_like_markup_prints_as_written(invoice):
    typed = '#panic("x") *bold* $x$ <tag> @ref \\ [brackets]'
    made = invoice(
        lines=[LineInput(kind=LineKind.LABOR, description=typed, rate=Decimal("1"))],
        notes="Call #12 _before_ 9",
    )
    text = pdf_text(invoice_pdf(made))
    assert typed in text
    assert "Call #12 _before_ 9" in text
