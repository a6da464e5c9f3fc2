"""The invoice's Export to PDF and Export to Word downloads, the settings link, and the
command-line print runs."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from tests.documents.conftest import docx_text, lines, pdf_text
from tests.factories import JobFactory, make_admin_invoice


def test_export_to_pdf_and_word_download_the_invoice(client, project_manager, invoice):
    made = invoice(lines=lines(2))
    client.force_login(project_manager)
    pdf = client.get(reverse("invoice_pdf", args=[made.pk]))
    name = f"{made.number}_{made.customer.code}"
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{name}.pdf"'
    assert f"No. {made.number}" in pdf_text(pdf.content)
    word = client.get(reverse("invoice_docx", args=[made.pk]))
    assert word["Content-Disposition"] == f'attachment; filename="{name}.docx"'
    assert f"No. {made.number}" in docx_text(word.content)


def test_a_project_manager_cannot_download_another_managers_invoice(
    client, project_manager, other_project_manager
):
    theirs = make_admin_invoice(
        actor=other_project_manager, job=JobFactory(project_manager=other_project_manager)
    )
    client.force_login(project_manager)
    for name in ("invoice_pdf", "invoice_docx"):
        response = client.get(reverse(name, args=[theirs.pk]))
        assert response.status_code == 403
        assert "managed by another Project Manager" in response.content.decode()
    assert client.get(reverse("invoice_pdf", args=[999999])).status_code == 404


def test_administrators_find_the_documents_settings_in_the_menu(client, administrator, field_user):
    client.force_login(administrator)
    assert (
        f'href="{reverse("document_settings")}"'
        in client.get(reverse("dashboard")).content.decode()
    )
    client.force_login(field_user)
    assert (
        f'href="{reverse("document_settings")}"'
        not in client.get(reverse("dashboard")).content.decode()
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("invoice_documents", *args, stdout=out)
    return out.getvalue()


def test_print_runs_from_the_command_line(invoice, administrator, tmp_path):
    made = [invoice(lines=lines(n)) for n in (1, 2, 3)]
    names = {f"{i.number}_{i.customer.code}" for i in made}

    folder = tmp_path / "pdfs"
    folder.mkdir()
    assert "Wrote 3 invoices" in run("--format", "pdf", "--out", str(folder))
    assert {p.stem for p in folder.glob("*.pdf")} == names

    run("--format", "docx", "--out", str(tmp_path / "word.zip"))
    with zipfile.ZipFile(tmp_path / "word.zip") as archive:
        assert {n.removesuffix(".docx") for n in archive.namelist()} == names

    run("--format", "merged", "--out", str(tmp_path / "print.pdf"), "--job", made[0].job.number)
    merged = PdfReader(tmp_path / "print.pdf")
    assert len(merged.pages) == 3
    assert f"No. {made[2].number}" in merged.pages[2].extract_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--client", "NOBODY"), "No invoice matches"),
        (("--from", "2025-02-01", "--to", "2025-01-01"), "--from is after --to"),
        (("--user", "field"), "Only Administrators or Project Managers"),
    ],
)
def test_print_runs_refuse_with_a_reason(
    invoice, administrator, field_user, tmp_path, args, message
):
    invoice(lines=lines(1))
    with pytest.raises(CommandError, match=message):
        run("--format", "pdf", "--out", str(tmp_path), *args)
