"""Print jobs: at once for a few invoices, in the background with progress for many,
kept for a day; and the pages that show them."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobledger.core.errors import PermissionRefused
from jobledger.core.models import AuditEvent
from jobledger.documents import services, tasks
from jobledger.documents.errors import DocumentError
from jobledger.documents.models import DocumentJob, JobStatus
from jobledger.documents.services import (
    INLINE_LIMIT,
    document_job_file,
    document_job_start,
    documents_cleanup,
    invoices_pdf_zip,
)
from tests.documents.conftest import lines, zip_members

RENDER_TASK = tasks.render_document_job


class TaskSpy:
    """Stands in for the task: records each enqueued job, then runs it as the tests'
    immediate backend would (or fails the test, when no task is expected)."""

    def __init__(self, *, fail: bool = False) -> None:
        self.calls: list[int] = []
        self.fail = fail

    def enqueue(self, job_id: int) -> None:
        if self.fail:
            pytest.fail("a background task was started")
        self.calls.append(job_id)
        RENDER_TASK.enqueue(job_id)


@pytest.fixture
def batch(invoice):
    return lambda count: [invoice(lines=lines(1 + n % 3)) for n in range(count)]


def test_a_25_invoice_zip_reports_progress_from_0_to_25(batch):
    invoices = batch(25)
    seen: list[tuple[int, int]] = []
    path = invoices_pdf_zip(invoices, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 25) for n in range(26)]
    assert len(zip_members(path)) == 25


def test_a_25_invoice_job_runs_in_the_background_writing_its_progress(
    batch, administrator, monkeypatch, client
):
    invoices = batch(25)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 0)
    enqueued = TaskSpy()
    monkeypatch.setattr(tasks, "render_document_job", enqueued)
    with CaptureQueriesContext(connection) as queries:
        job = document_job_start(administrator, invoices, "zip")
    written = [
        int(m.group(1))
        for q in queries.captured_queries
        if (m := re.search(r'UPDATE "documents_documentjob" SET "rendered" = (\d+)', q["sql"]))
    ]
    assert enqueued.calls == [job.pk]
    assert written == list(range(26))
    assert (job.status, job.rendered, job.total) == (JobStatus.DONE, 25, 25)

    client.force_login(administrator)
    page = client.get(reverse("document_job", args=[job.pk])).content.decode()
    assert "Rendered 25 of 25" in page
    assert f'href="{reverse("document_job_download", args=[job.pk])}"' in page
    response = client.get(reverse("document_job_download", args=[job.pk]))
    assert response["Content-Type"] == "application/zip"
    assert job.file_name in response["Content-Disposition"]
    names = zip_members(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(names) == sorted(f"{i.number}_{i.customer.code}.pdf" for i in invoices)


def test_up_to_20_invoices_render_at_once_without_a_task(batch, project_manager, monkeypatch):
    monkeypatch.setattr(tasks, "render_document_job", TaskSpy(fail=True))
    job = document_job_start(project_manager, batch(INLINE_LIMIT), "merged")
    assert job.status == JobStatus.DONE
    assert job.file_name.endswith(".pdf")
    assert document_job_file(project_manager, job).read().startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="invoice documents requested")
    assert event.to_value == "Merged print, 20 invoices"


def test_a_failing_render_marks_the_job_failed_with_a_message(batch, administrator, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("typst crashed")

    monkeypatch.setattr(services, "invoices_pdf_zip", broken)
    job = document_job_start(administrator, batch(2), "zip")
    assert job.status == JobStatus.FAILED
    assert "Start the print again" in job.error
    with pytest.raises(DocumentError, match="not ready"):
        document_job_file(administrator, job)


def test_progress_fragment_polls_until_done_then_offers_the_download(batch, administrator, client):
    job = document_job_start(administrator, batch(1), "zip")
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, rendered=12, total=25)
    client.force_login(administrator)
    url = reverse("document_job", args=[job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "Rendered 12 of 25" in fragment
    assert 'aria-valuenow="12"' in fragment
    assert 'aria-valuemax="25"' in fragment
    assert 'style="width: 48%"' in fragment
    assert f'hx-get="{url}"' in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert "Download" not in fragment

    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, rendered=25)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in fragment
    assert f"Download {job.file_name}" in fragment


def test_posting_invoices_starts_a_print_and_leads_to_its_page(batch, administrator, client):
    invoices = batch(2)
    client.force_login(administrator)
    data = {"invoice": [i.pk for i in invoices], "kind": "zip"}
    response = client.post(reverse("document_job_create"), data)
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("document_job", args=[job.pk])
    assert job.invoice_ids == [i.pk for i in sorted(invoices, key=lambda i: i.number)]

    fragment = client.post(reverse("document_job_create"), data, headers={"HX-Request": "true"})
    assert "Rendered 2 of 2" in fragment.content.decode()

    refused = client.post(reverse("document_job_create"), {"invoice": ["x"], "kind": "zip"})
    assert refused.status_code == 400
    assert "could not be read" in refused.content.decode()
    missing = client.post(reverse("document_job_create"), {"invoice": [999999], "kind": "zip"})
    assert "no longer exist" in missing.content.decode()


@pytest.mark.parametrize(
    ("kind", "count", "message"),
    [("pdf", 1, "is not a kind of print"), ("zip", 0, "Choose at least one invoice.")],
)
def test_a_print_of_nothing_or_of_an_unknown_kind_is_refused(
    refused, batch, administrator, kind, count, message
):
    invoices = batch(count)
    with refused(message):
        document_job_start(administrator, invoices, kind)
    assert not DocumentJob.objects.exists()


def test_only_the_person_who_started_a_print_and_administrators_see_it(
    batch, project_manager, other_project_manager, administrator, client
):
    job = document_job_start(project_manager, batch(1), "zip")
    document_job_file(administrator, job).close()
    with pytest.raises(PermissionRefused, match="started by someone else"):
        document_job_file(other_project_manager, job)
    client.force_login(other_project_manager)
    assert client.get(reverse("document_job", args=[job.pk])).status_code == 403


def test_prints_are_kept_for_a_day_then_cleaned_away(batch, administrator, media, client):
    invoices = batch(1)
    old = document_job_start(administrator, invoices, "zip")
    path = media / old.file.name
    assert path.exists()
    DocumentJob.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    old.refresh_from_db()
    with pytest.raises(DocumentError, match="kept for a day"):
        document_job_file(administrator, old)
    client.force_login(administrator)
    page = client.get(reverse("document_job", args=[old.pk])).content.decode()
    assert "this one has been removed" in page
    assert "Download" not in page
    assert documents_cleanup() == (1, 0)
    assert not DocumentJob.objects.exists()
    assert not path.exists()

    expired = document_job_start(administrator, invoices, "zip")
    DocumentJob.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    fresh = document_job_start(administrator, invoices, "zip")  # starting one cleans up
    assert list(DocumentJob.objects.all()) == [fresh]

    later = timezone.now() + datetime.timedelta(days=31)
    assert documents_cleanup(later) == (1, 1)  # the fresh print, and the cached PDF
    assert not DocumentJob.objects.exists()
    assert not list((media / "documents" / "cache").rglob("*.pdf"))
