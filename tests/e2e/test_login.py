import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, LoginAs, log_in

pytestmark = pytest.mark.e2e


def test_administrator_goes_from_workflow_card_to_invoice_process_backlog(
    logged_in_page: LoginAs,
) -> None:
    page = logged_in_page("Administrator")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    workflow = page.locator(".card").filter(has=page.get_by_text("Workflow", exact=True))
    workflow.get_by_role("link", name="Invoice Process Backlog").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Invoice Process Backlog")


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page: Page) -> None:
    User.objects.create_user(username="someone", password=PASSWORD)

    log_in(page, "someone", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
