"""A print of many invoices, as a person watches it: the progress bar moves by itself until
the download link appears."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from jobledger.documents.models import DocumentJob, JobKind, JobStatus
from tests.e2e.conftest import LoginAs

pytestmark = pytest.mark.e2e


def test_a_print_shows_its_progress_then_offers_the_download(
    logged_in_page: LoginAs,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    page = logged_in_page("Administrator")
    job = DocumentJob.objects.create(
        kind=JobKind.ZIP,
        status=JobStatus.RUNNING,
        invoice_ids=[],
        total=25,
        rendered=12,
        file_name="Invoices_20250314_103000.zip",
        created_by=User.objects.get(username="administrator"),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    page.goto(f"/documents/jobs/{job.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zip of PDFs of 25 invoices")
    bar = page.get_by_role("progressbar", name="Invoices rendered")
    expect(bar).to_have_attribute("aria-valuenow", "12")
    expect(page.get_by_text("Rendered 12 of 25")).to_be_visible()

    DocumentJob.objects.filter(pk=job.pk).update(rendered=20)
    expect(page.get_by_text("Rendered 20 of 25")).to_be_visible()  # no reload: it polls

    job.file.save(job.file_name, ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, rendered=25, file=job.file.name
    )
    link = page.get_by_role("link", name="Download Invoices_20250314_103000.zip")
    expect(link).to_be_visible()
    expect(page.get_by_text("Rendered 25 of 25")).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Invoices_20250314_103000.zip"
