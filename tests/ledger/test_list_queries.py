"""The job list, the job page, Distribution search, Invoice Find and Post Invoices read a
fixed number of queries per page, whatever the number of rows on it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobledger.invoicing.models import Invoice
from tests.factories import JobFactory, approved_charge, make_admin_invoice


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(project_manager, job, count: int) -> None:
    for _ in range(count):
        JobFactory(project_manager=project_manager)
        approved_charge(job)
        make_admin_invoice(actor=project_manager, job=job)
    Invoice.objects.update(stage="processed", last_exported_at="2025-01-01T00:00Z")


@pytest.mark.parametrize(
    "url",
    [
        reverse("job_list"),
        reverse("distribution_search") + "?q=",
        reverse("invoice_find"),
        reverse("post_invoices"),
        "job_detail",
    ],
)
def test_query_count_does_not_grow_with_the_rows(client, administrator, project_manager, job, url):
    client.force_login(administrator)
    target = reverse("job_detail", args=[job.pk]) if url == "job_detail" else url
    grow(project_manager, job, 2)
    small = queries(client, target)
    grow(project_manager, job, 12)
    assert queries(client, target) == small
