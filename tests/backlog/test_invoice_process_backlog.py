"""The Invoice Process Backlog page: tabs, filters, quick filter, sort, pagination, rows."""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobledger.invoicing.models import Invoice, InvoiceLine, Stage
from jobledger.jobs.models import DWR, ChargeKind, DWRLine, Job
from tests.factories import CustomerFactory, JobFactory

URL = "/backlogs/invoice-process/"


def numbers(page: str) -> list[int]:
    """The invoice numbers of the grid's rows, in order."""
    links = re.findall(r'<a href="/invoices/\d+/\?back=[^"]*" class="fw-semibold">(\d+)</a>', page)
    return [int(number) for number in links]


def tab_count(page: str, key: str) -> int:
    found = re.search(rf'data-tab-count="{key}">([\d,]+)<', page)
    assert found, f"no tab {key}"
    return int(found.group(1).replace(",", ""))


def test_admin_tab_is_the_default_and_lists_admin_invoices(
    admin_client: Client, job: Job, add_invoice: Callable[..., Invoice]
) -> None:
    add_invoice(job, number=1001)
    add_invoice(job, number=1002)
    add_invoice(job, Stage.PROCESSED, number=1003)
    add_invoice(job, Stage.PAID, number=1004)
    add_invoice(job, Stage.DRAFT, number=1005)

    response = admin_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert numbers(page) == [1002, 1001]
    assert tab_count(page, "admin") == 2
    assert tab_count(page, "processed") == 1
    assert tab_count(page, "paid") == 1
    assert tab_count(page, "all") == 4


def test_each_tab_lists_its_invoices(
    admin_client: Client,
    administrator: User,
    project_manager: User,
    job: Job,
    add_invoice: Callable[..., Invoice],
) -> None:
    add_invoice(job, number=1001)
    add_invoice(job, Stage.PROCESSED, number=1002)
    add_invoice(job, Stage.PAID, number=1003)
    add_invoice(job, Stage.PROCESSED, number=1004, created_by=project_manager)

    def tab(key: str) -> list[int]:
        return numbers(admin_client.get(URL, {"tab": key}).content.decode())

    assert tab("processed") == [1004, 1002]
    assert tab("paid") == [1003]
    assert tab("mine") == [1003, 1002, 1001]  # the administrator created these three
    assert tab("all") == [1004, 1003, 1002, 1001]
    assert tab("no-such-tab") == [1001]  # an unknown tab falls back to Admin


def test_filter_settings_narrow_the_list_and_the_counts(
    admin_client: Client,
    other_project_manager: User,
    job: Job,
    add_invoice: Callable[..., Invoice],
) -> None:
    other = JobFactory(number="J-9000", project_manager=other_project_manager)
    add_invoice(job, number=1001, day=datetime.date(2025, 3, 3))
    add_invoice(job, number=1002, day=datetime.date(2025, 3, 10))
    add_invoice(other, number=1003, day=datetime.date(2025, 3, 11))
    add_invoice(other, Stage.PROCESSED, number=1004, day=datetime.date(2025, 3, 11))
    exported = add_invoice(job, number=1005, day=datetime.date(2025, 3, 12))
    when = datetime.datetime(2025, 3, 13, tzinfo=datetime.UTC)
    Invoice.objects.filter(pk=exported.pk).update(last_exported_at=when)

    def listed(**params: str) -> list[int]:
        return numbers(admin_client.get(URL, params).content.decode())

    assert listed(client=str(other.customer_id)) == [1003]
    assert listed(job="9000") == [1003]
    assert listed(date_from="2025-03-09", date_to="2025-03-11") == [1003, 1002]
    assert listed(export="exported") == [1005]
    assert listed(export="not_exported") == [1003, 1002, 1001]
    assert listed(pm=str(other_project_manager.pk)) == [1003]
    page = admin_client.get(URL, {"pm": str(other_project_manager.pk)}).content.decode()
    assert tab_count(page, "admin") == 1
    assert tab_count(page, "processed") == 1
    assert tab_count(page, "all") == 2


def test_a_filter_that_makes_no_sense_is_named_and_left_out(
    admin_client: Client, job: Job, add_invoice: Callable[..., Invoice]
) -> None:
    add_invoice(job, number=1001)

    page = admin_client.get(URL, {"date_from": "14/03/2025", "client": "x"}).content.decode()

    assert "Invoice Date from: “14/03/2025” is not a date. That filter was left out." in page
    assert "Client: “x” is not one of the choices." in page
    assert numbers(page) == [1001]


def test_quick_filter_finds_number_job_client_po_and_accounting_reference(
    admin_client: Client, job: Job, add_invoice: Callable[..., Invoice]
) -> None:
    customer = CustomerFactory(name="Granite Homes", code="GRANITE")
    other = JobFactory(number="J-7777", name="Depot", customer=customer)
    add_invoice(job, number=1001, po_number="PO-55123")
    add_invoice(job, number=1002, accounting_reference="QB-8841")
    add_invoice(other, number=1003)

    def quick(text: str) -> list[int]:
        return numbers(admin_client.get(URL, {"q": text}).content.decode())

    assert quick("1002") == [1002]
    assert quick("7777") == [1003]
    assert quick("granite") == [1003]
    assert quick("55123") == [1001]
    assert quick("qb-88") == [1002]
    assert quick("nothing like it") == []


def test_quick_filter_through_htmx_returns_the_results_and_counts_alone(
    admin_client: Client, job: Job, add_invoice: Callable[..., Invoice]
) -> None:
    add_invoice(job, number=1001)
    add_invoice(job, number=1002)

    response = admin_client.get(URL, {"q": "1002"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert numbers(page) == [1002]
    assert 'id="grid-tabs" hx-swap-oob="true"' in page
    assert tab_count(page, "admin") == 1


def test_columns_sort_both_ways(
    admin_client: Client, job: Job, add_invoice: Callable[..., Invoice]
) -> None:
    add_invoice(job, number=1001, total="300.00")
    add_invoice(job, number=1002, total="100.00")
    add_invoice(job, number=1003, total="200.00")

    def sorted_by(sort: str) -> list[int]:
        return numbers(admin_client.get(URL, {"sort": sort}).content.decode())

    assert sorted_by("total") == [1002, 1003, 1001]
    assert sorted_by("-total") == [1001, 1003, 1002]
    assert sorted_by("number") == [1001, 1002, 1003]
    assert sorted_by("no_such_column") == [1003, 1002, 1001]
    page = admin_client.get(URL, {"sort": "total"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "sort=-total" in page  # the header now sorts the other way


def test_pages_and_page_size(
    admin_client: Client, job: Job, add_invoice: Callable[..., Invoice]
) -> None:
    for number in range(1001, 1031):
        add_invoice(job, number=number)

    first = admin_client.get(URL, {"size": "25"}).content.decode()
    second = admin_client.get(URL, {"size": "25", "page": "2"}).content.decode()
    odd_size = admin_client.get(URL, {"size": "7"}).content.decode()

    assert numbers(first) == list(range(1030, 1005, -1))
    assert numbers(second) == list(range(1005, 1000, -1))
    assert "26\N{EN DASH}30 of 30" in second
    assert len(numbers(odd_size)) == 30  # not a page size on offer: the default, 50


def test_the_page_reads_a_fixed_number_of_queries_whatever_its_size(
    admin_client: Client,
    job: Job,
    add_invoice: Callable[..., Invoice],
    django_assert_num_queries: Callable[..., object],
) -> None:
    for number in range(1001, 1101):
        add_invoice(job, number=number)
    admin_client.get(URL)  # the session and the company settings row settle first

    def queries(size: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(URL, {"size": size})
        assert len(numbers(response.content.decode())) == int(size)
        return len(captured)

    assert queries("25") == queries("100")
    with django_assert_num_queries(queries("25")):  # type: ignore[operator]
        admin_client.get(URL, {"size": "50", "sort": "client", "q": "J-"})


def test_warnings_column(
    admin_client: Client, administrator: User, job: Job, add_invoice: Callable[..., Invoice]
) -> None:
    clean = add_invoice(job, number=1001)
    flagged = add_invoice(job, number=1002)
    dwr = DWR.objects.create(job=job, work_date=datetime.date(2025, 3, 12), author=administrator)
    receipt = DWRLine.objects.create(
        dwr=dwr, kind=ChargeKind.EXPENSES, quantity=Decimal("1"), rate=Decimal("40.00")
    )
    forty = Decimal("40.00")
    InvoiceLine.objects.create(
        invoice=flagged,
        kind="expenses",
        description="Permit",
        rate=forty,
        amount=forty,
        dwr_line=receipt,
    )

    page = admin_client.get(URL).content.decode()

    def warnings(invoice: Invoice) -> str:
        row = page[page.index(f'<tr data-row="{invoice.pk}">') :]
        return row[row.index("grid-warnings") : row.index("</tr>")]

    assert "No signature" in warnings(flagged)
    assert "Unprocessed expenses" in warnings(flagged)
    assert "No signature" not in warnings(clean)
    for invoice in (clean, flagged):
        assert "Distribution not approved" in warnings(invoice)
        assert "Customer not yet exported" in warnings(invoice)


@pytest.mark.parametrize("role", ["project_manager", "field_user", "outsider"])
def test_only_administrators_see_the_backlog(role: str, request: pytest.FixtureRequest) -> None:
    client = Client()
    client.force_login(request.getfixturevalue(role))
    for url in (URL, reverse("invoice_process_export"), reverse("invoice_process_undo")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only Administrators can process and export invoices." in response.content.decode()
