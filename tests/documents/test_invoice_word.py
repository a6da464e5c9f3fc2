"""One invoice as a Word file, and the replacement template an administrator uploads."""

import io
import random
from decimal import Decimal

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from jobledger.demo.signatures import signature_png
from jobledger.documents.errors import DocumentError
from jobledger.documents.models import WordTemplate
from jobledger.documents.services import (
    invoice_docx,
    invoice_pdf,
    word_template_content,
    word_template_reset,
    word_template_upload,
)
from jobledger.documents.word import DEFAULT_TEMPLATE
from tests.documents.conftest import docx_text, lines


def word_file(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(actor, content: bytes, name: str = "ours.docx") -> WordTemplate:
    return word_template_upload(actor=actor, upload=io.BytesIO(content), name=name)


def test_word_file_holds_the_same_facts_as_the_pdf(invoice, job):
    made = invoice(lines=lines(4, rate="1234.5"))
    text = docx_text(invoice_docx(made))
    assert f"No. {made.number}" in text
    assert job.customer.name in text
    assert all(f"Labor charge {n:03d}" in text for n in range(1, 5))
    assert made.total == Decimal("39504.00")
    assert "39,504.00" in text
    assert "{{" not in text
    assert "{%" not in text


def test_an_uploaded_template_replaces_the_default(invoice, administrator):
    made = invoice(lines=lines(2))
    upload(
        administrator, word_file("Custom layout for {{ invoice.number }} to {{ customer.name }}")
    )
    text = docx_text(invoice_docx(made))
    assert f"Custom layout for {made.number} to {made.customer.name}" in text
    assert word_template_content()[0] == "ours.docx"

    word_template_reset(actor=administrator)
    assert "Custom layout" not in docx_text(invoice_docx(made))
    assert word_template_content()[1] == DEFAULT_TEMPLATE.read_bytes()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (word_file("{{ invoice.number "), "broken.docx", "The template has a broken tag"),
        (word_file("{% for line in lines %}"), "open.docx", "The template has a broken tag"),
        (word_file("{{ salary }}"), "unknown.docx", "The template uses salary"),
        (b"plain text", "notes.docx", "That file is not a Word document"),
        (word_file("fine"), "template.pdf", "Upload a Word document (.docx)"),
        (
            word_file("{{ invoice.__class__.__mro__ }}"),
            "reach.docx",
            "The template cannot be filled in",
        ),
    ],
)
def test_a_broken_template_is_refused_with_the_reason(
    refused, administrator, content, name, message
):
    with refused(message, error=DocumentError):
        upload(administrator, content, name)
    assert not WordTemplate.objects.exists()


def test_only_administrators_replace_the_template(refused, project_manager):
    with refused("Only Administrators can replace the Word invoice template"):
        upload(project_manager, word_file("{{ invoice.number }}"))
    assert not WordTemplate.objects.exists()


def test_settings_page_uploads_refuses_and_restores(client, administrator, invoice):
    client.force_login(administrator)
    page = client.get(reverse("document_settings")).content.decode()
    assert "In use: the default template." in page

    bad = SimpleUploadedFile("bad.docx", word_file("{{ invoice.number "))
    response = client.post(reverse("word_template_upload"), {"template": bad})
    assert response.status_code == 400
    assert "The template has a broken tag" in response.content.decode()

    good = SimpleUploadedFile("house style.docx", word_file("House {{ invoice.number }}"))
    response = client.post(reverse("word_template_upload"), {"template": good}, follow=True)
    assert "Word invoices now use house style.docx." in response.content.decode()
    assert "In use: <strong>house style.docx</strong>" in response.content.decode()
    download = client.get(reverse("word_template_download"))
    assert "House {{ invoice.number }}" in docx_text(download.content)

    response = client.post(reverse("word_template_reset"), follow=True)
    assert "Word invoices use the default template again." in response.content.decode()
    assert not WordTemplate.objects.exists()


def test_the_logo_and_signature_go_into_the_word_file_an_svg_logo_only_into_the_pdf(
    invoice, company
):
    made = invoice(lines=lines(1))
    company.logo.save("logo.png", ContentFile(signature_png(random.Random(1))))
    assert len(docx.Document(io.BytesIO(invoice_docx(made))).inline_shapes) == 1

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10">'
        b'<rect width="40" height="10"/></svg>'
    )
    company.logo.save("logo.svg", ContentFile(svg))
    assert len(docx.Document(io.BytesIO(invoice_docx(made))).inline_shapes) == 0
    assert len(PdfReader(io.BytesIO(invoice_pdf(made))).pages) == 1
