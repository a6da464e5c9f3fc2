"""A Project Manager raises invoices from a job page in the browser: a deposit by percent,
then a progress bill whose generated line is edited before saving, with the remaining
amount following the edit."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from jobledger.core.roles import PROJECT_MANAGER, ensure_role_groups
from jobledger.invoicing.models import Invoice, InvoicingPolicy
from jobledger.jobs.models import BillingType, Job
from tests.e2e.conftest import LoginAs
from tests.factories import JobFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def job(logged_in_page: LoginAs) -> tuple[Page, Job]:
    ensure_role_groups()
    page = logged_in_page(PROJECT_MANAGER)
    job = JobFactory(
        number="J-5150",
        name="Lift station",
        project_manager=User.objects.get(username="project-manager"),
        billing_type=BillingType.FIXED_PRICE,
        contract_price=Decimal("20000.00"),
        customer__taxable=False,
    )
    return page, job


def test_deposit_then_an_edited_progress_bill(job: tuple[Page, Job]) -> None:
    page, the_job = job
    page.goto("/")
    page.get_by_role("link", name="Jobs", exact=True).click()
    page.get_by_role("link", name="J-5150").click()
    expect(page.locator("[data-figure=suggested]")).to_have_text("20,000.00")

    page.get_by_role("link", name="New invoice").click()
    page.get_by_label("Deposit", exact=True).check()
    page.get_by_label("Percent").fill("10")
    page.get_by_role("button", name="Generate lines").click()
    expect(page.get_by_label("Rate, line 1")).to_have_value("2000.00")
    page.get_by_role("button", name="Save invoice").click()
    expect(page.get_by_role("alert")).to_contain_text("saved as a draft: Deposit, total 2,000.00")
    expect(page.locator("[data-figure=deposit-balance]")).to_have_text("2,000.00")

    page.get_by_role("link", name="New invoice").click()
    page.get_by_label("Progress, Summary").check()
    page.get_by_label("Percent").fill("25")
    page.get_by_role("button", name="Generate lines").click()
    expect(page.get_by_label("Rate, line 1")).to_have_value("5000.00")
    expect(page.get_by_label("Deposit applied")).to_have_value("2000.00")
    expect(page.locator("#remaining-after")).to_have_text("15,000.00")
    page.get_by_label("Rate, line 1").fill("4500")
    expect(page.locator("#lines-subtotal")).to_have_text("4,500.00")
    expect(page.locator("#remaining-after")).to_have_text("15,500.00")
    page.get_by_label("Description, line 2").fill("Mobilization")
    page.get_by_label("Rate, line 2").fill("500")
    expect(page.locator("#remaining-after")).to_have_text("15,000.00")
    page.get_by_label("Rate, line 1").fill("19600")
    expect(page.locator("#over-target")).to_be_visible()
    page.get_by_label("Rate, line 1").fill("4500")
    expect(page.locator("#over-target")).to_be_hidden()
    page.get_by_role("button", name="Save invoice").click()

    expect(page.get_by_role("alert")).to_contain_text("total 3,000.00")
    expect(page.locator("[data-figure=invoiced]")).to_have_text("5,000.00")
    expect(page.locator("[data-figure=remaining]")).to_have_text("15,000.00")
    expect(page.locator("[data-figure=deposit-balance]")).to_have_text("0.00")
    progress = Invoice.objects.get(job=the_job, policy=InvoicingPolicy.PROGRESS_SUMMARY)
    assert [line.description for line in progress.lines.order_by("position")][1] == "Mobilization"
