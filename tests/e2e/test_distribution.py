"""An administrator distributes an invoice in the browser: finds it from the Distribution
entry, looks accounts up as they type (and with `*`), watches the Unbalanced and
Undistributed amounts, approves once the distribution is satisfactory, and saves."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from jobledger.core.roles import ADMINISTRATOR, ensure_role_groups
from jobledger.invoicing.models import Invoice
from jobledger.ledger.models import DistributionCategory, DistributionPolicy, GLAccount
from tests.e2e.conftest import LoginAs
from tests.factories import JobFactory, make_admin_invoice

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin_page(logged_in_page: LoginAs) -> Page:
    ensure_role_groups()
    return logged_in_page(ADMINISTRATOR)


@pytest.fixture
def invoice(admin_page: Page) -> Invoice:
    """680.00 of labor on job J-4242, and a small chart of accounts."""
    administrator = User.objects.get(username="administrator")
    job = JobFactory(number="J-4242", project_manager=administrator, customer__taxable=False)
    for code, name, kind in (
        ("1200", "Accounts receivable", "asset"),
        ("2300", "Customer deposits", "liability"),
        ("4000", "Labor income", "income"),
    ):
        GLAccount.objects.create(code=code, name=name, type=kind)
    return make_admin_invoice(actor=administrator, job=job)


def open_distribution(page: Page, invoice: Invoice) -> None:
    page.goto("/")
    workflow = page.locator(".card").filter(has=page.get_by_text("Workflow", exact=True))
    workflow.get_by_role("link", name="Distribution").click()
    page.get_by_label("Job number, invoice number or customer code").fill("J-4242")
    page.get_by_role("button", name="Go").click()
    page.get_by_role("link", name=str(invoice.number), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Invoice Distribution")


def test_distribute_by_hand_and_approve(admin_page: Page, invoice: Invoice) -> None:
    page = admin_page
    open_distribution(page, invoice)
    status = page.locator("#distribution-status")
    approve = page.get_by_label("Approve")
    expect(status).to_have_text("Not Ready for Approval")
    expect(approve).to_be_disabled()
    expect(page.locator("#undistributed")).to_have_text("680.00")

    first = page.locator("tr.distribution-row").nth(0)
    first.get_by_label("Code").fill("12")
    expect(first.locator(".account-choices")).to_contain_text("1200 — Accounts receivable")
    first.get_by_label("Code").press("Tab")
    expect(first.get_by_label("Account")).to_have_value("Accounts receivable")
    first.get_by_label("Amount").fill("680.00")
    first.get_by_label("Amount").press("Tab")
    expect(page.locator("#unbalanced")).to_have_text("680.00")
    expect(approve).to_be_disabled()

    page.get_by_role("button", name="Add row").click()
    second = page.locator("tr.distribution-row").nth(1)
    second.get_by_label("Code").fill("*")
    second.get_by_label("Code").press("Tab")
    choices = second.locator(".account-choices")
    expect(choices.locator("button")).to_have_count(3)
    choices.get_by_text("4000 — Labor income").click()
    expect(second.get_by_label("Account")).to_have_value("Labor income")
    second.get_by_label("Amount").fill("-680")
    second.get_by_label("Memo").fill("Foreman, week 12")

    expect(page.locator("#unbalanced")).to_have_text("0.00")
    expect(page.locator("#undistributed")).to_have_text("0.00")
    expect(status).to_have_text("Ready for Approval")
    expect(approve).to_be_enabled()
    approve.check()
    expect(status).to_have_text("Approved")
    page.get_by_role("button", name="Update").click()

    expect(page.get_by_role("alert")).to_contain_text("is saved and approved")
    invoice.refresh_from_db()
    assert invoice.is_distribution_approved
    assert [(d.account.code, str(d.amount), d.memo) for d in invoice.distribution.all()] == [
        ("1200", "680.00", ""),
        ("4000", "-680.00", "Foreman, week 12"),
    ]


def test_an_unfinished_distribution_is_saved_and_redistribute_fills_the_grid(
    admin_page: Page, invoice: Invoice
) -> None:
    page = admin_page
    for key, code in (("receivable", "1200"), ("kind:labor", "4000")):
        DistributionCategory.objects.create(
            policy=DistributionPolicy.CATEGORY,
            key=key,
            label=key,
            account=GLAccount.objects.get(code=code),
        )
    open_distribution(page, invoice)
    row = page.locator("tr.distribution-row").nth(0)
    row.get_by_label("Code").fill("1200")
    row.get_by_label("Code").press("Tab")
    row.get_by_label("Amount").fill("100")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("alert")).to_contain_text("is saved")
    expect(page.locator("#distribution-status")).to_have_text("Not Ready for Approval")
    expect(page.locator("#unbalanced")).to_have_text("100.00")

    page.get_by_role("button", name="Redistribute").click()
    page.get_by_role("link", name="By General Distribution Category", exact=True).click()
    expect(page.locator("#distribution-grid")).to_contain_text("Filled by a distribution policy")
    expect(page.locator("#unbalanced")).to_have_text("0.00")
    expect(page.get_by_label("Approve")).to_be_enabled()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("alert")).to_contain_text("is saved and approved")
    invoice.refresh_from_db()
    assert invoice.distribution_policy == DistributionPolicy.CATEGORY
    assert invoice.is_distribution_approved
