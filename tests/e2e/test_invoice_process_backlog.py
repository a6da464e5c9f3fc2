"""The Invoice Process Backlog in a real browser, walked as the brief shows it: by the labels
a person sees, with the mouse and then with the keyboard alone."""

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobledger.invoicing.models import Invoice
from jobledger.jobs.models import Job
from jobledger.ledger.models import GLAccount
from tests.e2e.conftest import LoginAs
from tests.factories import (
    CustomerFactory,
    JobFactory,
    approve_simple_distribution,
    make_admin_invoice,
)

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def client_job(admin: User, customer_name: str) -> Job:
    return JobFactory(customer=CustomerFactory(name=customer_name), project_manager=admin)


def admin_invoices(
    admin: User, accounts: dict[str, GLAccount], job: Job, *days_ago: int
) -> list[Invoice]:
    """Admin-tab invoices on a job, dated `days_ago` before today, ready to export."""
    today = timezone.localdate()
    invoices = []
    for days in days_ago:
        day = today - datetime.timedelta(days=days)
        invoice = make_admin_invoice(actor=admin, job=job, invoice_date=day)
        invoices.append(approve_simple_distribution(admin, invoice, accounts))
    return invoices


def row(page: Page, invoice: Invoice):  # type: ignore[no-untyped-def]
    return page.locator(f'tr[data-row="{invoice.pk}"]')


def tab(page: Page, label: str):  # type: ignore[no-untyped-def]
    return page.locator("#grid-tabs").get_by_role("link", name=re.compile(rf"^{label} \d"))


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_an_administrator_exports_processes_and_closes_out_invoices(
    logged_in_page: LoginAs, category_mappings: dict[str, GLAccount]
) -> None:
    page = logged_in_page("Administrator")
    admin = User.objects.get(username="administrator")
    granite = client_job(admin, "Granite Homes")
    first, second, last_month = admin_invoices(admin, category_mappings, granite, 1, 2, 20)
    redstone = client_job(admin, "Redstone Partners")
    (other_client,) = admin_invoices(admin, category_mappings, redstone, 1)

    # Dashboard → Workflow → Invoice Process Backlog, on the Admin tab.
    workflow = page.locator("#workflow")
    workflow.get_by_role("link", name=re.compile("Invoice Process Backlog")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoice Process Backlog")
    expect(tab(page, "Admin")).to_have_class(re.compile("active"))
    for invoice in (first, second, last_month, other_client):
        expect(row(page, invoice)).to_be_visible()
    shoot(page, "invoice-process-backlog.png")

    # Filter Settings: this client, this week.
    page.get_by_role("button", name="Filter Settings").click()
    page.get_by_label("Client").select_option(label="Granite Homes (" + first.customer.code + ")")
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    page.get_by_label("Invoice Date from").fill(week_ago.isoformat())
    page.get_by_label("Invoice Date to").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Apply Filters").click()
    expect(row(page, last_month)).to_have_count(0)
    expect(row(page, other_client)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"client=\d+.*date_from="))

    # Nothing selected: the bulk buttons are inactive.
    export_button = page.get_by_role("button", name="Export Selected Invoices")
    expect(export_button).to_be_disabled()
    expect(page.get_by_role("button", name="Download Selected PDFs")).to_be_disabled()
    expect(page.get_by_role("button", name="Process Selected Invoices")).to_be_disabled()
    page.get_by_label(f"Select {first}").check()
    page.get_by_label(f"Select {second}").check()
    expect(export_button).to_be_enabled()

    # Export for QuickBooks Desktop with a prefix: the file holds exactly these two.
    export_button.click()
    modal = page.locator("#grid-modal")
    expect(modal.get_by_role("heading", name="Export Selected Invoices")).to_be_visible()
    modal.get_by_label("Format").select_option(label="QuickBooks Desktop")
    modal.get_by_label("File Name Prefix").fill("WEEK_")
    modal.get_by_label("Internal Note").fill("This week's Granite Homes invoices")
    expect(modal.get_by_label("Include Already Exported Invoices")).not_to_be_checked()
    shoot(page, "invoice-process-export-modal.png")
    with page.expect_download() as download_info:
        modal.get_by_role("button", name="Export", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("WEEK_")
    assert download.suggested_filename.endswith(".iif")
    iif = Path(download.path()).read_text()
    docnums = {line.split("\t")[8] for line in iif.splitlines() if line.startswith("TRNS\t")}
    assert docnums == {str(first.number), str(second.number)}
    expect(modal).to_contain_text("Exported 2 invoices")
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    today = timezone.localdate().strftime("%m/%d/%Y")
    expect(row(page, first).locator("[data-exported]")).to_have_text(today)

    # Download Selected PDFs: one zip of the two.
    page.get_by_label(f"Select {first}").check()
    page.get_by_label(f"Select {second}").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Selected PDFs").click()
    with zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes())) as archive:
        names = archive.namelist()
    assert len(names) == 2
    assert all(name.endswith(".pdf") for name in names)
    expect(modal.locator(".modal-footer button")).to_be_focused()
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()

    # Process them: they leave the Admin tab at once.
    page.get_by_label(f"Select {first}").check()
    page.get_by_label(f"Select {second}").check()
    page.get_by_role("button", name="Process Selected Invoices").click()
    expect(modal).to_contain_text("You are about to process 2 invoices.")
    modal.get_by_role("button", name="OK").click()
    expect(row(page, first)).to_have_count(0)
    expect(row(page, second)).to_have_count(0)
    expect(tab(page, "Processed")).to_contain_text("2")

    # Undo Last Process Batch: they come back.
    page.get_by_role("button", name="Undo Last Process Batch").click()
    expect(modal).to_contain_text("You are about to unprocess 2 invoices")
    modal.get_by_role("button", name="OK").click()
    expect(row(page, first)).to_be_visible()
    expect(row(page, second)).to_be_visible()
    expect(page.get_by_role("button", name="Undo Last Process Batch")).to_be_disabled()

    # Open one, record the accounting reference and check Processed.
    row(page, first).get_by_role("link", name=str(first.number)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {first.number}")
    expect(page.locator("#admin-tab-banner")).to_be_visible()
    expect(page.locator("#exported-warning")).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Accounting Reference").fill("QB-INV-5521")
    page.get_by_label("Processed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-accounting-reference]")).to_have_text("QB-INV-5521")
    page.get_by_role("link", name="Back").click()
    expect(page).to_have_url(re.compile(r"client=\d+"))  # Back keeps the filters
    expect(row(page, first)).to_have_count(0)
    tab(page, "Processed").click()
    expect(row(page, first)).to_be_visible()

    # Payment arrives: mark it Paid, and find it under Paid.
    row(page, first).get_by_role("link", name=str(first.number)).click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Paid").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Back").click()
    expect(row(page, first)).to_have_count(0)
    tab(page, "Paid").click()
    expect(row(page, first)).to_be_visible()


def test_the_grid_and_its_modal_work_from_the_keyboard(
    logged_in_page: LoginAs, category_mappings: dict[str, GLAccount]
) -> None:
    page = logged_in_page("Administrator")
    admin = User.objects.get(username="administrator")
    (invoice,) = admin_invoices(admin, category_mappings, client_job(admin, "Granite Homes"), 1)
    page.goto("/backlogs/invoice-process/")

    # The expand triangle opens the accounting details with Enter.
    expand = page.get_by_role("button", name=f"Show details of {invoice}")
    expand.focus()
    page.keyboard.press("Enter")
    expect(expand).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f'[data-details="{invoice.pk}"]')).to_contain_text("Audit trail")

    # Tab moves on to the row's own checkbox... which Space checks.
    checkbox = page.get_by_label(f"Select {invoice}")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()

    # Enter on the button opens the modal with the focus inside; Escape closes it.
    page.get_by_role("button", name="Process Selected Invoices").focus()
    page.keyboard.press("Enter")
    modal = page.locator("#grid-modal")
    expect(modal).to_contain_text("You are about to process 1 invoice.")
    expect(modal.get_by_role("button", name="OK")).to_be_focused()
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()

    # Rows per page is a choice that the address keeps.
    page.get_by_label("Rows per page").select_option("25")
    expect(page).to_have_url(re.compile(r"size=25"))

    # Through the Quick Filter with the keyboard alone, then OK with Enter.
    quick = page.get_by_label("Quick Filter")
    quick.focus()
    page.keyboard.type(str(invoice.number))
    expect(page).to_have_url(re.compile(rf"q={invoice.number}"))
    page.get_by_label(f"Select {invoice}").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # from the last checkbox onwards to the page's controls
    page.get_by_role("button", name="Process Selected Invoices").focus()
    page.keyboard.press("Enter")
    expect(modal.get_by_role("button", name="OK")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 invoice processed.")
    expect(page.locator(f'tr[data-row="{invoice.pk}"]')).to_have_count(0)
