"""The export log pages: who may see them, what they show, re-download, confirm import,
and the customer export form, with and without htmx."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobledger.customers.models import Customer
from jobledger.exports.formats import FORMATS
from jobledger.exports.formats.base import ExportFormat
from jobledger.exports.formats.csv_generic import write as csv_write
from jobledger.exports.models import ExportBatch
from jobledger.exports.services import export_batch_create
from jobledger.invoicing.models import Invoice
from tests.factories import approve_simple_distribution, make_admin_invoice

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def approved(administrator, project_manager, job, accounts):
    def make(**kwargs) -> Invoice:
        invoice = make_admin_invoice(actor=project_manager, job=job, **kwargs)
        return approve_simple_distribution(administrator, invoice, accounts)

    return make


@pytest.fixture
def batch(administrator, approved) -> ExportBatch:
    invoices = [approved(), approved()]
    ids = [invoice.pk for invoice in invoices]
    return export_batch_create(
        actor=administrator, invoice_ids=ids, format_key="csv", note="Month end"
    ).batch


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(user, name: str, *args) -> str:
    response = client_for(user).get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def row_of(text: str, batch: ExportBatch) -> str:
    found = re.search(rf'<tr id="batch-{batch.pk}">.*?</tr>', text, re.S)
    assert found, f"no row for batch {batch.pk}"
    return found.group(0)


# Who may see the pages


@pytest.mark.parametrize("name", ["export_log", "export_batch_detail", "export_batch_download"])
@pytest.mark.parametrize(
    ("user", "status"),
    [("administrator", 200), ("project_manager", 403), ("field_user", 403), ("outsider", 403)],
)
def test_only_administrators_see_the_export_log(request, batch, name, user, status) -> None:
    args = [] if name == "export_log" else [batch.pk]
    response = client_for(request.getfixturevalue(user)).get(reverse(name, args=args))

    assert response.status_code == status
    if status == 403:
        assert "Only Administrators can" in response.content.decode()


def test_anonymous_is_sent_to_log_in(batch) -> None:
    response = Client().get(reverse("export_log"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_missing_batch_is_not_found(administrator) -> None:
    client = client_for(administrator)

    assert client.get(reverse("export_batch_detail", args=[999])).status_code == 404
    assert client.get(reverse("export_batch_download", args=[999])).status_code == 404


# What the log shows


def test_the_log_lists_each_batch_with_its_facts(administrator, batch) -> None:
    row = row_of(page(administrator, "export_log"), batch)

    assert batch.file_name in row
    assert "CSV (other systems)" in row
    assert f'data-figure="count-{batch.pk}">2<' in row
    assert f'data-figure="total-{batch.pk}">1,360.00<' in row
    assert "Month end" in row
    assert administrator.username in row
    assert "Confirm imported" in row
    assert f'href="{reverse("export_batch_download", args=[batch.pk])}"' in row
    assert f'href="{reverse("export_batch_detail", args=[batch.pk])}"' in row


def test_the_log_is_newest_first_and_paginated(administrator, approved) -> None:
    batches = [
        export_batch_create(
            actor=administrator, invoice_ids=[approved().pk], format_key="csv"
        ).batch
        for _ in range(27)
    ]

    first = page(administrator, "export_log")
    second = client_for(administrator).get(reverse("export_log"), {"page": 2}).content.decode()

    ids = [int(pk) for pk in re.findall(r'<tr id="batch-(\d+)">', first)]
    assert ids == [b.pk for b in reversed(batches)][:25]
    assert re.findall(r'<tr id="batch-(\d+)">', second) == [str(batches[1].pk), str(batches[0].pk)]
    assert "Page 1 of 2" in first


def test_the_log_costs_the_same_queries_for_a_few_batches_or_a_full_page(
    administrator, approved
) -> None:
    client = client_for(administrator)

    def queries() -> int:
        client.get(reverse("export_log"))  # sessions and settings in place
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("export_log")).status_code == 200
        return len(captured)

    export_batch_create(actor=administrator, invoice_ids=[approved().pk], format_key="csv")
    few = queries()
    for _ in range(30):
        export_batch_create(actor=administrator, invoice_ids=[approved().pk], format_key="csv")

    assert queries() == few


def test_the_batch_page_lists_its_invoices(administrator, batch) -> None:
    text = page(administrator, "export_batch_detail", batch.pk)

    for invoice in batch.invoices.select_related("customer"):
        assert f">{invoice.number}<" in text
        assert invoice.customer.code in text
    assert "680.00" in text
    assert batch.checksum in text
    assert "Month end" in text


# Re-download


def test_download_returns_the_stored_bytes_as_an_attachment(administrator, batch) -> None:
    stored = bytes(ExportBatch.objects.get(pk=batch.pk).content)

    first = client_for(administrator).get(reverse("export_batch_download", args=[batch.pk]))
    again = client_for(administrator).get(reverse("export_batch_download", args=[batch.pk]))

    assert first.content == again.content == stored
    assert first["Content-Type"] == "text/csv"
    assert first["Content-Disposition"] == f'attachment; filename="{batch.file_name}"'


# Confirm imported


def test_confirm_import_with_a_plain_form_post(administrator, batch) -> None:
    client = client_for(administrator)

    response = client.post(reverse("export_batch_confirm_import", args=[batch.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("export_log")
    batch.refresh_from_db()
    assert batch.import_confirmed_by == administrator
    assert batch.import_confirmed_at is not None
    text = client.get(reverse("export_log")).content.decode()
    assert f"Import of {batch.file_name} confirmed." in text
    row = row_of(text, batch)
    assert "Confirmed" in row
    assert f"by {administrator.username}" in row
    assert "Confirm imported</button>" not in row


def test_confirm_import_with_htmx_returns_the_row(administrator, batch) -> None:
    response = client_for(administrator).post(
        reverse("export_batch_confirm_import", args=[batch.pk]), **HTMX
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert text.strip().startswith(f'<tr id="batch-{batch.pk}">')
    assert "<html" not in text
    assert f"by {administrator.username}" in text


def test_confirming_twice_says_so(administrator, batch) -> None:
    client = client_for(administrator)
    client.post(reverse("export_batch_confirm_import", args=[batch.pk]))

    response = client.post(reverse("export_batch_confirm_import", args=[batch.pk]), **HTMX)

    assert f"The import of {batch.file_name} was already confirmed." in response.content.decode()


@pytest.mark.parametrize("user", ["project_manager", "field_user", "outsider"])
def test_others_cannot_confirm_an_import(request, batch, user) -> None:
    response = client_for(request.getfixturevalue(user)).post(
        reverse("export_batch_confirm_import", args=[batch.pk])
    )

    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.import_confirmed_at is None


def test_confirm_import_needs_the_csrf_token(administrator, batch) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    url = reverse("export_batch_confirm_import", args=[batch.pk])

    assert client.post(url).status_code == 403
    text = client.get(reverse("export_log")).content.decode()
    assert "csrfmiddlewaretoken" in row_of(text, batch)
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    batch.refresh_from_db()
    assert batch.import_confirmed_at is not None


# The customer export form


@pytest.fixture
def people(monkeypatch) -> ExportFormat:
    fmt = ExportFormat(
        "people", "People list", "csv", "text/csv", csv_write,
        write_customers=lambda cs: "".join(f"{c.code}\n" for c in cs).encode(),
    )  # fmt: skip
    monkeypatch.setitem(FORMATS, fmt.key, fmt)
    return fmt


def test_the_log_offers_the_formats_with_a_customer_layout(administrator, people) -> None:
    text = page(administrator, "export_log")

    assert '<option value="people">People list</option>' in text
    assert '<option value="csv">' in text  # the generic CSV has a customer layout
    assert f'action="{reverse("customer_export")}"' in text


def test_customer_export_with_a_plain_form_post(administrator, people, job) -> None:
    client = client_for(administrator)

    response = client.post(reverse("customer_export"), {"format": "people"})

    assert response.status_code == 302
    batch = ExportBatch.objects.get(kind="customers")
    assert bytes(batch.content) == f"{job.customer.code}\n".encode()
    text = client.get(reverse("export_log")).content.decode()
    assert f"1 customer exported to {batch.file_name}." in text
    assert "1 customer<" in row_of(text, batch)


def test_customer_export_with_htmx_returns_the_log(administrator, people, job) -> None:
    response = client_for(administrator).post(
        reverse("customer_export"), {"format": "people", "all_customers": "on"}, **HTMX
    )

    text = response.content.decode()
    batch = ExportBatch.objects.get(kind="customers")
    assert text.strip().startswith('<div id="export-log">')
    assert f"1 customer exported to {batch.file_name}." in text
    assert batch.include_already_exported is True


def test_customer_export_with_nothing_changed_warns(administrator, people, job) -> None:
    Customer.objects.update(changed_since_export=False)
    client = client_for(administrator)

    response = client.post(reverse("customer_export"), {"format": "people"}, follow=True)

    assert "No customer is new or changed since the last customer export" in (
        response.content.decode()
    )
    assert not ExportBatch.objects.exists()


def test_others_cannot_export_customers(project_manager, people, job) -> None:
    response = client_for(project_manager).post(reverse("customer_export"), {"format": "people"})

    assert response.status_code == 403
    assert not ExportBatch.objects.exists()
    job.customer.refresh_from_db()
    assert job.customer.changed_since_export is True
