"""The invoice page: what the office checks, and Edit, Delete, Post and Back."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jobledger.exports.services import export_batch_create
from jobledger.invoicing.models import Invoice, Stage
from jobledger.invoicing.services import invoice_process
from jobledger.jobs.models import Job
from jobledger.ledger.models import GLAccount
from tests.factories import approve_simple_distribution, make_admin_invoice, make_invoice

BACK = "/backlogs/invoice-process/?tab=admin&q=J-&size=25"


@pytest.fixture
def admin_client(administrator: User) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def invoice(administrator: User, job: Job) -> Invoice:
    return make_admin_invoice(actor=administrator, job=job, po_number="PO-77")


def page_of(client: Client, invoice: Invoice, **params: str) -> str:
    response = client.get(reverse("invoice_detail", args=[invoice.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def edit(client: Client, invoice: Invoice, **fields: str) -> object:
    url = reverse("invoice_edit", args=[invoice.pk])
    return client.post(url, {"back": BACK, "accounting_reference": "", **fields})


def stage(invoice: Invoice) -> str:
    return Invoice.objects.get(pk=invoice.pk).stage


def test_page_shows_the_invoice_its_buttons_and_the_admin_tab_banner(
    admin_client: Client, invoice: Invoice
) -> None:
    page = page_of(admin_client, invoice, back=BACK)

    assert f"<h1>Invoice {invoice.number}</h1>" in page
    for label in ("Edit", "Export to PDF", "Export to Word", "Delete", "Back"):
        assert f"</i>{label}</a>" in page
    assert f'href="{BACK.replace("&", "&amp;")}"' in page  # Back keeps the backlog's filters
    assert 'id="admin-tab-banner"' in page
    assert "check the Processed box" in page
    assert "Foreman" in page
    assert "680.00" in page  # eight hours at 85.00
    assert "PO-77" in page
    assert "Not Ready for Approval" in page
    assert "invoice approved" in page  # the audit trail
    assert 'id="exported-warning"' not in page


def test_an_exported_invoice_warns_that_accounting_may_hold_it(
    admin_client: Client, administrator: User, invoice: Invoice, accounts: dict[str, GLAccount]
) -> None:
    approve_simple_distribution(administrator, invoice, accounts)
    export_batch_create(actor=administrator, invoice_ids=[invoice.pk], format_key="csv")

    page = page_of(admin_client, invoice)

    assert 'id="exported-warning"' in page
    assert "Accounting may already hold this invoice" in page
    assert "Approved" in page


def test_back_never_leads_off_the_site(admin_client: Client, invoice: Invoice) -> None:
    page = page_of(admin_client, invoice, back="https://evil.example/")
    assert 'href="https://evil.example/"' not in page
    assert f'href="{reverse("invoice_process_backlog")}"' in page


def test_edit_records_the_reference_and_processed_then_returns_to_the_invoice(
    admin_client: Client, invoice: Invoice
) -> None:
    form = admin_client.get(reverse("invoice_edit", args=[invoice.pk])).content.decode()
    assert "Accounting Reference" in form
    assert ">Save</button>" in form

    response = edit(admin_client, invoice, accounting_reference=" QB-1001 ", processed="on")

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == (  # type: ignore[index]
        f"{reverse('invoice_detail', args=[invoice.pk])}?back={quote(BACK, safe='')}"
    )
    saved = Invoice.objects.get(pk=invoice.pk)
    assert saved.accounting_reference == "QB-1001"
    assert saved.stage == Stage.PROCESSED


def test_paid_moves_to_paid_and_unchecking_processed_returns_to_admin(
    admin_client: Client, invoice: Invoice
) -> None:
    edit(admin_client, invoice, processed="on", paid="on")
    assert stage(invoice) == Stage.PAID

    edit(admin_client, invoice, processed="on")
    assert stage(invoice) == Stage.PROCESSED

    edit(admin_client, invoice)
    assert stage(invoice) == Stage.ADMIN


def test_paid_without_processed_is_refused_and_nothing_changes(
    admin_client: Client, invoice: Invoice
) -> None:
    response = edit(admin_client, invoice, accounting_reference="QB-9", paid="on")

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "An invoice must be Processed to be Paid" in response.content.decode()  # type: ignore[attr-defined]
    saved = Invoice.objects.get(pk=invoice.pk)
    assert (saved.stage, saved.accounting_reference) == (Stage.ADMIN, "")


def test_delete_asks_first_then_deletes(admin_client: Client, invoice: Invoice) -> None:
    url = reverse("invoice_delete", args=[invoice.pk])
    confirm = admin_client.get(url, {"back": BACK}).content.decode()
    assert "Delete invoice" in confirm
    assert Invoice.objects.filter(pk=invoice.pk).exists()

    response = admin_client.post(url, {"back": BACK})

    assert response["Location"] == BACK
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_delete_of_an_exported_invoice_is_refused_with_the_reason(
    admin_client: Client, administrator: User, invoice: Invoice, accounts: dict[str, GLAccount]
) -> None:
    approve_simple_distribution(administrator, invoice, accounts)
    export_batch_create(actor=administrator, invoice_ids=[invoice.pk], format_key="csv")

    response = admin_client.post(reverse("invoice_delete", args=[invoice.pk]))

    assert response.status_code == 400
    assert "has been exported to accounting and cannot be deleted" in response.content.decode()
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_post_locks_the_invoice(
    admin_client: Client, administrator: User, invoice: Invoice, accounts: dict[str, GLAccount]
) -> None:
    approve_simple_distribution(administrator, invoice, accounts)
    export_batch_create(actor=administrator, invoice_ids=[invoice.pk], format_key="csv")
    invoice_process(actor=administrator, invoice=invoice)

    admin_client.post(reverse("invoice_post", args=[invoice.pk]))
    refused = edit(admin_client, invoice)

    assert Invoice.objects.get(pk=invoice.pk).is_posted
    assert "is posted and can no longer be changed" in refused.content.decode()  # type: ignore[attr-defined]
    assert stage(invoice) == Stage.PROCESSED


def test_posted_invoice_can_still_be_marked_paid(
    admin_client: Client, administrator: User, invoice: Invoice, accounts: dict[str, GLAccount]
) -> None:
    approve_simple_distribution(administrator, invoice, accounts)
    export_batch_create(actor=administrator, invoice_ids=[invoice.pk], format_key="csv")
    invoice_process(actor=administrator, invoice=invoice)
    admin_client.post(reverse("invoice_post", args=[invoice.pk]))

    edit(admin_client, invoice, processed="on", paid="on")

    assert stage(invoice) == Stage.PAID


def test_the_job_manager_sees_the_invoice_but_cannot_edit_it(
    project_manager: User, other_project_manager: User, administrator: User, invoice: Invoice
) -> None:
    own = Client()
    own.force_login(project_manager)  # the `job` fixture's manager
    other = Client()
    other.force_login(other_project_manager)

    page = page_of(own, invoice)
    assert "</i>Edit</a>" not in page
    assert (
        own.post(reverse("invoice_edit", args=[invoice.pk]), {"processed": "on"}).status_code == 403
    )
    assert other.get(reverse("invoice_detail", args=[invoice.pk])).status_code == 403
    assert stage(invoice) == Stage.ADMIN


def test_a_draft_is_not_edited_from_the_office(
    admin_client: Client, administrator: User, job: Job
) -> None:
    draft = make_invoice(actor=administrator, job=job)

    response = edit(admin_client, draft, processed="on")

    assert "it reaches the office once its Project Manager approves it" in response.content.decode()  # type: ignore[attr-defined]
    assert stage(draft) == Stage.DRAFT
