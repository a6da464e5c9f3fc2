"""The Invoice Process Backlog's bulk actions: process, undo, export (inline and as a task)."""

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jobledger.backlog import invoice_export_views
from jobledger.documents.models import DocumentJob
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import Invoice, ProcessBatch, Stage
from jobledger.invoicing.services import invoice_mark_paid, invoices_process
from jobledger.jobs.models import Job
from jobledger.ledger.models import GLAccount
from tests.factories import approve_simple_distribution, make_admin_invoice

HTMX = {"HX-Request": "true"}
PROCESS = "/backlogs/invoice-process/process/"
UNDO = "/backlogs/invoice-process/undo/"
EXPORT = "/backlogs/invoice-process/export/"
PDFS = "/backlogs/invoice-process/pdfs/"


@pytest.fixture
def ready(administrator: User, job: Job, category_mappings: dict[str, GLAccount]) -> list[Invoice]:
    """Three Admin-tab invoices with approved distributions, ready to export."""
    invoices = [make_admin_invoice(actor=administrator, job=job) for _ in range(3)]
    return [approve_simple_distribution(administrator, inv, category_mappings) for inv in invoices]


def ids(*invoices: Invoice) -> dict[str, object]:
    return {"selection": "ids", "ids": [inv.pk for inv in invoices], "state": "tab=admin"}


def stages(*invoices: Invoice) -> list[str]:
    return [Invoice.objects.get(pk=inv.pk).stage for inv in invoices]


def test_process_asks_with_the_count_then_processes_as_one_batch(
    admin_client: Client, ready: list[Invoice]
) -> None:
    first, second, third = ready

    confirm = admin_client.get(PROCESS, ids(first, second), headers=HTMX).content.decode()
    assert "You are about to process <strong>2 invoices</strong>." in confirm
    assert ">OK</button>" in confirm

    response = admin_client.post(PROCESS, ids(first, second), headers=HTMX)

    assert response["HX-Retarget"] == "#grid-results"
    page = response.content.decode()
    assert "2 invoices processed." in page
    assert re.search(r'data-tab-count="admin">1<', page)
    assert re.search(r'data-tab-count="processed">2<', page)
    assert stages(first, second, third) == [Stage.PROCESSED, Stage.PROCESSED, Stage.ADMIN]
    assert ProcessBatch.objects.get().invoices.count() == 2


def test_select_all_matching_is_sent_as_the_filter(
    admin_client: Client, ready: list[Invoice]
) -> None:
    first, second, third = ready
    state = f"tab=admin&q={third.number}"

    confirm = admin_client.get(PROCESS, {"selection": "all", "state": state}).content.decode()
    admin_client.post(PROCESS, {"selection": "all", "state": state})

    assert "<strong>1 invoice</strong>" in confirm
    assert stages(first, second, third) == [Stage.ADMIN, Stage.ADMIN, Stage.PROCESSED]


def test_processing_twice_is_refused_and_changes_nothing(
    admin_client: Client, administrator: User, ready: list[Invoice]
) -> None:
    invoices_process(actor=administrator, invoice_ids=[ready[0].pk])

    page = admin_client.post(PROCESS, ids(*ready), headers=HTMX).content.decode()

    assert f"Invoice {ready[0].number} is no longer in the Admin tab" in page
    assert stages(*ready) == [Stage.PROCESSED, Stage.ADMIN, Stage.ADMIN]
    assert ProcessBatch.objects.count() == 1


def test_a_project_manager_cannot_process_or_undo(
    project_manager: User, administrator: User, ready: list[Invoice]
) -> None:
    invoices_process(actor=administrator, invoice_ids=[ready[0].pk])
    client = Client()
    client.force_login(project_manager)

    assert client.post(PROCESS, ids(ready[1])).status_code == 403
    assert client.post(UNDO, {"state": ""}).status_code == 403

    assert stages(*ready) == [Stage.PROCESSED, Stage.ADMIN, Stage.ADMIN]
    assert ProcessBatch.objects.filter(undone_at__isnull=True).count() == 1


def test_undo_asks_with_the_count_and_skips_paid_invoices_by_name(
    admin_client: Client, administrator: User, ready: list[Invoice]
) -> None:
    first, second, _third = ready
    invoices_process(actor=administrator, invoice_ids=[first.pk, second.pk])
    invoice_mark_paid(actor=administrator, invoice=second)

    confirm = admin_client.get(UNDO, {"state": "tab=admin"}, headers=HTMX).content.decode()
    response = admin_client.post(UNDO, {"state": "tab=admin"}, headers=HTMX)

    assert "You are about to unprocess <strong>2 invoices</strong>" in confirm
    page = response.content.decode()
    assert (
        f"1 invoice returned to the Admin tab. Skipped: Invoice {second.number} (paid since)."
        in page
    )
    assert stages(first, second) == [Stage.ADMIN, Stage.PAID]
    # Nothing is left to undo: the button is inactive.
    assert re.search(r'id="undo-last-process-batch"[^>]*disabled', page, re.S)


def test_undo_button_is_inactive_with_nothing_to_undo(admin_client: Client) -> None:
    page = admin_client.get(reverse("invoice_process_backlog")).content.decode()
    assert re.search(r'id="undo-last-process-batch"[^>]*disabled', page, re.S)
    confirm = admin_client.get(UNDO, headers=HTMX).content.decode()
    assert "There is no process batch to undo." in confirm


def test_export_modal_offers_every_format_and_names_invoices_exported_before(
    admin_client: Client, administrator: User, ready: list[Invoice]
) -> None:
    first, second, _third = ready
    admin_client.post(EXPORT, ids(first) | {"format": "csv"}, headers=HTMX)

    modal = admin_client.get(EXPORT, ids(first, second), headers=HTMX).content.decode()

    for label in ("QuickBooks Desktop", "QuickBooks Online", "Sage 50 (US)", "Sage 300",
                  "CSV (other systems)", "Xero", "MYOB AccountRight"):  # fmt: skip
        assert f">{label}</option>" in modal
    assert '<option value="csv" selected>' in modal  # the format used last
    for label in ("File Name Prefix", "Internal Note", "Include Already Exported Invoices"):
        assert label in modal
    assert (
        'name="include_already_exported"\n             data-reveals="export-exported-before">'
        in modal
    )
    assert "1 of the selected invoices went to accounting before" in modal
    batch = ExportBatch.objects.get()
    assert f"<tr><td>{first.number}</td>" in modal
    assert batch.file_name in modal


def test_export_writes_the_batch_and_offers_the_download(
    admin_client: Client, ready: list[Invoice]
) -> None:
    first, second, third = ready
    form = ids(first, second) | {"format": "qbd_iif", "prefix": "ACME_", "note": "Week 11"}

    response = admin_client.post(EXPORT, form, headers=HTMX)

    page = response.content.decode()
    batch = ExportBatch.objects.get()
    assert batch.file_name.startswith("ACME_")
    assert batch.file_name.endswith(".iif")
    assert batch.note == "Week 11"
    assert set(batch.invoices.values_list("number", flat=True)) == {first.number, second.number}
    assert (
        f'href="{reverse("export_batch_download", args=[batch.pk])}" download data-autodownload'
        in page
    )
    assert "Exported <strong>2 invoices</strong>" in page
    assert response["HX-Trigger"] == '{"grid-changed": true}'
    assert Invoice.objects.get(pk=third.pk).last_exported_at is None


def test_export_names_the_problems_then_exports_the_ready_ones_on_request(
    admin_client: Client, administrator: User, job: Job, ready: list[Invoice]
) -> None:
    unapproved = make_admin_invoice(actor=administrator, job=job)
    form = ids(ready[0], unapproved) | {"format": "csv"}

    page = admin_client.post(EXPORT, form, headers=HTMX).content.decode()

    assert f"Invoice {unapproved.number}: the distribution is not approved" in page
    assert "Export the 1 ready invoice" in page
    assert not ExportBatch.objects.exists()

    admin_client.post(EXPORT, form | {"only_ready": "1"}, headers=HTMX)

    assert list(ExportBatch.objects.get().invoices.all()) == [ready[0]]


def test_export_with_no_format_says_so_and_writes_nothing(
    admin_client: Client, ready: list[Invoice]
) -> None:
    page = admin_client.post(EXPORT, ids(ready[0]) | {"format": "nope"}, headers=HTMX)

    assert "Choose the file format your accounting system imports." in page.content.decode()
    assert not ExportBatch.objects.exists()


def test_a_large_export_runs_as_a_task(
    admin_client: Client, ready: list[Invoice], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invoice_export_views, "INLINE_LIMIT", 2)
    form = {"selection": "all", "state": "tab=admin", "format": "xero_csv"}

    page = admin_client.post(EXPORT, form, headers=HTMX).content.decode()

    # The tests' task backend runs the task at once; a worker would show progress first.
    batch = ExportBatch.objects.get()
    assert batch.invoices.count() == 3
    assert f"Download {batch.file_name}" in page


def test_row_details_show_lines_accounts_history_and_audit_trail(
    admin_client: Client, ready: list[Invoice]
) -> None:
    invoice = ready[0]
    admin_client.post(EXPORT, ids(invoice) | {"format": "csv"}, headers=HTMX)

    page = admin_client.get(reverse("invoice_process_details", args=[invoice.pk])).content.decode()

    assert "Foreman" in page
    assert "Approved" in page  # the distribution status
    assert "1200 Accounts receivable" in page
    assert ExportBatch.objects.get().file_name in page
    assert "invoice exported" in page
    assert "Net 30" in page


def test_download_selected_pdfs_makes_one_zip_of_them(
    admin_client: Client, ready: list[Invoice]
) -> None:
    first, second, _third = ready

    page = admin_client.post(PDFS, ids(first, second), headers=HTMX).content.decode()

    job = DocumentJob.objects.get()
    assert job.invoice_ids == [first.pk, second.pk]
    assert job.status == "done"
    assert f'href="{reverse("document_job_download", args=[job.pk])}" download' in page
    download = admin_client.get(reverse("document_job_download", args=[job.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:  # type: ignore[attr-defined]
        names = archive.namelist()
    assert len(names) == 2
    assert all(name.endswith(".pdf") for name in names)


def test_without_javascript_each_action_is_a_page_and_a_plain_form_post(
    admin_client: Client, ready: list[Invoice]
) -> None:
    first = ready[0]
    state = {"selection": "ids", "ids": [first.pk], "state": "tab=admin&sort=total"}

    export_page = admin_client.get(EXPORT, state).content.decode()
    confirm_page = admin_client.get(PROCESS, state).content.decode()
    response = admin_client.post(PROCESS, state)

    assert "<html" in export_page
    assert 'name="prefix"' in export_page
    assert "<html" in confirm_page
    assert "Back to the backlog" in confirm_page
    assert response.status_code == 302
    assert response["Location"] == "/backlogs/invoice-process/?tab=admin&sort=total"
    assert stages(first) == [Stage.PROCESSED]
    assert "1 invoice processed." in admin_client.get(response["Location"]).content.decode()
