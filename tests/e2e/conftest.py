"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's own browser downloads are never used; `make test` installs Debian's chromium.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an event loop running in the test thread, which makes Django
# refuse ORM calls from the test itself; the live server runs in its own thread regardless.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# This machine's network is closed: keep Chromium from calling home at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "a-long-test-password-42"

LoginAs = Callable[[str], Page]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh page (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def logged_in_page(page: Page) -> LoginAs:
    """`logged_in_page("Administrator")`: a new user in that role, logged in through the form."""

    def login_as(role: str) -> Page:
        username = role.lower().replace(" ", "-")
        user = User.objects.create_user(username=username, password=PASSWORD)
        # The role groups exist after migrate; get_or_create keeps this fixture independent of it.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        log_in(page, username, PASSWORD)
        expect(page.get_by_role("button", name="Log in")).to_have_count(0)
        return page

    return login_as
