"""The job list, the job page and the New invoice flow, as people use them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobledger.core.models import CompanySettings
from jobledger.invoicing.models import Invoice, InvoicingPolicy, LineKind
from jobledger.jobs.models import BillingType, JobStatus
from tests.factories import (
    CustomerFactory,
    JobFactory,
    approved_charge,
    approved_request,
    invoice_by_policy,
)

D = Decimal
P = InvoicingPolicy


@pytest.fixture
def fixed_job(project_manager):
    return JobFactory(
        number="J-7001",
        name="Pump station",
        project_manager=project_manager,
        billing_type=BillingType.FIXED_PRICE,
        contract_price=D("10000.00"),
        customer__taxable=False,
    )


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def test_a_project_manager_lists_only_their_jobs(client, project_manager, other_project_manager):
    mine = JobFactory(project_manager=project_manager, name="Mine")
    theirs = JobFactory(project_manager=other_project_manager, name="Theirs")
    _, text = page(client, project_manager, reverse("job_list"))
    assert mine.number in text
    assert theirs.number not in text


def test_job_list_filters_and_quick_search(client, administrator, project_manager):
    open_job = JobFactory(project_manager=project_manager, name="Bridge deck")
    closed = JobFactory(project_manager=project_manager, name="Culvert", status=JobStatus.CLOSED)
    fixed = JobFactory(
        project_manager=project_manager,
        billing_type=BillingType.FIXED_PRICE,
        contract_price=D("5"),
        customer=CustomerFactory(code="ZED"),
    )
    url = reverse("job_list")
    _, text = page(client, administrator, url, status="closed")
    assert closed.number in text
    assert open_job.number not in text
    _, text = page(client, administrator, url, q="bridge")
    assert open_job.number in text
    assert closed.number not in text
    _, text = page(client, administrator, url, billing_type="fixed")
    assert fixed.number in text
    assert open_job.number not in text
    _, text = page(client, administrator, url, customer="zed")
    assert fixed.number in text
    _, text = page(client, administrator, url, project_manager="pm")
    assert all(job.number in text for job in (open_job, closed, fixed))
    response = client.get(url, {"q": "culvert"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert closed.number in fragment
    assert "<html" not in fragment


def test_field_users_and_other_managers_are_refused(
    client, field_user, other_project_manager, fixed_job
):
    response, _ = page(client, field_user, reverse("job_list"))
    assert response.status_code == 403
    response, text = page(client, other_project_manager, reverse("job_detail", args=[fixed_job.pk]))
    assert response.status_code == 403
    assert "managed by another Project Manager" in text


def test_job_page_shows_price_billing_and_invoiceables(client, project_manager):
    job = JobFactory(project_manager=project_manager, customer__taxable=False)
    charge = approved_charge(job, quantity="8", rate="85.00", description="Foreman")
    approved_charge(job, kind="materials", quantity="2", rate="10.00", description="Bolts")
    invoice = invoice_by_policy(
        actor=project_manager,
        job=job,
        policy=P.PROGRESS_ITEMIZED,
        charge_keys={f"charge:{charge.pk}"},
    )
    response, text = page(client, project_manager, reverse("job_detail", args=[job.pk]))
    assert response.status_code == 200
    assert 'data-figure="suggested">700.00' in text
    assert 'data-figure="invoiced">680.00' in text
    assert 'data-figure="remaining">20.00' in text
    assert "Labor 1 charge 680.00; Materials 1 charge 20.00" in text
    assert f"#{invoice.number}" in text
    assert "Not yet" in text  # the bolts
    assert "Close job" in text


def test_closing_and_reopening_a_job_from_its_page(client, project_manager, fixed_job):
    client.force_login(project_manager)
    url = reverse("job_status", args=[fixed_job.pk])
    response = client.post(url, {"action": "close"}, follow=True)
    assert "Job J-7001 is Closed." in response.content.decode()
    fixed_job.refresh_from_db()
    assert fixed_job.status == JobStatus.CLOSED
    client.post(url, {"action": "reopen"})
    fixed_job.refresh_from_db()
    assert fixed_job.status == JobStatus.OPEN


def test_new_invoice_offers_only_the_policies_the_status_allows(client, project_manager, fixed_job):
    url = reverse("invoice_new", args=[fixed_job.pk])
    _, text = page(client, project_manager, url)
    assert "Progress, Summary" in text
    assert "Complete (Final)" not in text
    fixed_job.status = JobStatus.BILLED
    fixed_job.save()
    _, text = page(client, project_manager, url)
    assert "Correction, Charges Grouped" in text
    assert "Deposit" not in text.split("Invoicing policy")[1].split("Generate lines")[0]


def test_generated_lines_are_shown_for_editing_with_the_target(client, project_manager, fixed_job):
    url = reverse("invoice_new", args=[fixed_job.pk])
    response, text = page(client, project_manager, url, policy=P.PROGRESS_SUMMARY, percent="25")
    assert response.status_code == 200
    assert 'data-figure="suggested">10,000.00' in text
    assert 'name="lines-0-description" value="Progress billing: 25.00% of Pump station"' in text
    assert 'name="lines-0-rate" value="2500.00"' in text
    assert "Save invoice" in text


def test_a_bad_choice_is_explained_and_nothing_is_generated(client, project_manager, fixed_job):
    url = reverse("invoice_new", args=[fixed_job.pk])
    _, text = page(client, project_manager, url, policy=P.PROGRESS_SUMMARY, percent="250")
    assert "The percent must be more than 0 and at most 100." in text
    assert "Save invoice" not in text


def _save(client, job, rows, **fields):
    data = {
        "policy": P.PROGRESS_SUMMARY,
        "invoice_date": timezone.localdate().isoformat(),
        "line_count": str(len(rows)),
        "deposit_applied": "0.00",
        "freight": "0.00",
    } | fields
    for index, row in enumerate(rows):
        data |= {f"lines-{index}-{key}": value for key, value in row.items()}
    return client.post(reverse("invoice_new", args=[job.pk]), data)


def test_edited_lines_are_saved_as_the_invoice(client, project_manager, fixed_job):
    client.force_login(project_manager)
    rows = [
        {"kind": "fixed_price", "description": "Progress billing: 25%", "rate": "2500.00"},
        {"kind": "adjustment", "description": "Discount", "quantity": "1", "rate": "-100"},
        {"kind": "labor", "description": "Removed", "rate": "5", "remove": "on"},
        {"kind": "labor", "description": "", "rate": ""},
    ]
    response = _save(client, fixed_job, rows, notes="First progress bill")
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.total == D("2400.00")
    assert [line.description for line in invoice.lines.order_by("position")] == [
        "Progress billing: 25%",
        "Discount",
    ]
    assert invoice.notes == "First progress bill"
    page_text = client.get(response["Location"]).content.decode()
    assert f"{invoice} saved as a draft" in page_text


def test_saving_keeps_the_charge_matched_so_it_is_never_billed_twice(client, project_manager):
    job = JobFactory(project_manager=project_manager, customer__taxable=False)
    charge = approved_charge(job, quantity="8", rate="85.00")
    client.force_login(project_manager)
    row = {"kind": "labor", "description": "Foreman", "quantity": "8", "rate": "85",
           "dwr_line": str(charge.pk)}  # fmt: skip
    assert _save(client, job, [row], policy=P.PROGRESS_ITEMIZED).status_code == 302
    assert Invoice.objects.get().lines.get().dwr_line == charge
    again = _save(client, job, [row], policy=P.PROGRESS_ITEMIZED)
    assert again.status_code == 400
    assert "is already billed" in again.content.decode()
    assert Invoice.objects.count() == 1


def test_a_backdated_invoice_outside_the_window_is_refused_and_the_lines_kept(
    client, project_manager, fixed_job
):
    CompanySettings.objects.filter(pk=CompanySettings.load().pk).update(backdating_days=5)
    client.force_login(project_manager)
    old = timezone.localdate() - datetime.timedelta(days=6)
    rows = [{"kind": "fixed_price", "description": "Kept as typed", "rate": "10"}]
    response = _save(client, fixed_job, rows, invoice_date=old.isoformat())
    assert response.status_code == 400
    text = response.content.decode()
    assert "is too far back" in text
    assert 'value="Kept as typed"' in text
    earliest = timezone.localdate() - datetime.timedelta(days=5)
    assert f'min="{earliest.isoformat()}"' in text  # the date picker stops there too
    assert Invoice.objects.count() == 0


def test_a_complete_invoice_from_the_page_bills_the_job(client, project_manager, fixed_job):
    invoice_by_policy(actor=project_manager, job=fixed_job, policy=P.DEPOSIT, amount=D("1000"))
    fixed_job.status = JobStatus.CLOSED
    fixed_job.save()
    url = reverse("invoice_new", args=[fixed_job.pk])
    _, text = page(client, project_manager, url, policy=P.COMPLETE)
    assert 'name="lines-0-rate" value="10000.00"' in text
    assert 'name="deposit_applied" inputmode="decimal" value="1000.00"' in text
    rows = [{"kind": LineKind.FIXED_PRICE, "description": "Balance", "rate": "10000.00"}]
    response = _save(client, fixed_job, rows, policy=P.COMPLETE, deposit_applied="1000.00")
    assert response.status_code == 302
    fixed_job.refresh_from_db()
    assert fixed_job.status == JobStatus.BILLED
    assert Invoice.objects.get(policy=P.COMPLETE).total == D("9000.00")


def test_a_correction_names_the_invoice_it_corrects(client, project_manager, fixed_job):
    earlier = invoice_by_policy(
        actor=project_manager, job=fixed_job, policy=P.PROGRESS_SUMMARY, amount=D("300")
    )
    url = reverse("invoice_new", args=[fixed_job.pk])
    _, text = page(client, project_manager, url, policy=P.CORRECTION, corrects=earlier.pk)
    assert f"Corrects invoice #{earlier.number}" in text
    assert 'name="lines-0-quantity" value="-1' in text
    rows = [{"kind": "fixed_price", "description": "Credit", "quantity": "-1", "rate": "300"}]
    client.force_login(project_manager)
    assert (
        _save(client, fixed_job, rows, policy=P.CORRECTION, corrects=earlier.pk).status_code == 302
    )
    credit = Invoice.objects.get(policy=P.CORRECTION)
    assert (credit.corrects, credit.total) == (earlier, D("-300.00"))


def test_fixed_price_requests_are_offered_and_billed_from_the_page(
    client, project_manager, fixed_job
):
    request = approved_request(fixed_job, amount="1200.00", note="Wet well set")
    url = reverse("invoice_new", args=[fixed_job.pk])
    _, text = page(client, project_manager, url)
    assert "Approved fixed-price requests to bill" in text
    assert f'value="request:{request.pk}"' in text
    _, text = page(
        client,
        project_manager,
        url,
        policy=P.PROGRESS_ITEMIZED,
        choose_charges="1",
        charges=f"request:{request.pk}",
    )
    assert f'name="lines-0-fixed_price_request" value="{request.pk}"' in text
    row = {"kind": "fixed_price", "description": "Wet well set", "rate": "1200.00",
           "fixed_price_request": str(request.pk)}  # fmt: skip
    assert _save(client, fixed_job, [row], policy=P.PROGRESS_ITEMIZED).status_code == 302
    assert Invoice.objects.get().lines.get().fixed_price_request == request
    _, text = page(client, project_manager, reverse("job_detail", args=[fixed_job.pk]))
    assert f'data-invoiceable="request:{request.pk}"' in text
    assert "Wet well set" in text
