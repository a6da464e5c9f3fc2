"""In a browser: an Administrator sets up e-invoicing from the Settings menu. A wrong Peppol
endpoint is named beside its field and nothing is saved; the corrected one is saved, and a
customer is marked as wanting e-invoices."""

import pytest
from playwright.sync_api import expect

from jobledger.core.models import CompanySettings
from jobledger.customers.models import Customer
from tests.e2e.conftest import LoginAs
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_sets_up_e_invoicing(logged_in_page: LoginAs) -> None:
    CustomerFactory(code="CITYGF", name="City of Granite Falls")
    page = logged_in_page("Administrator")

    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Company settings").click()
    page.get_by_label("VAT/GST number").fill("84-1234567")
    page.get_by_label("Peppol endpoint scheme").select_option("0088")
    page.get_by_label("Peppol endpoint ID").fill("0614141000013")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Nothing was saved. Correct the fields marked below.")).to_be_visible()
    expect(page.get_by_text("is 13 digits with a valid GS1 check digit")).to_be_visible()
    expect(page.get_by_label("Peppol endpoint ID")).to_have_attribute("aria-invalid", "true")
    assert CompanySettings.load().peppol_id == ""

    page.get_by_label("Peppol endpoint ID").fill("0614141000012")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Company settings saved.")).to_be_visible()
    expect(page.get_by_label("VAT/GST number")).to_have_value("US841234567")
    assert CompanySettings.load().peppol_id == "0614141000012"

    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Customers").click()
    page.get_by_role("link", name="Edit CITYGF").click()
    page.get_by_label("Wants e-invoices").check()
    page.get_by_label("Peppol endpoint scheme").select_option("0088")
    page.get_by_label("Peppol endpoint ID").fill("0614141000029")
    page.get_by_label("Buyer reference").fill("PW-AP-2201")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Customer CITYGF saved.")).to_be_visible()
    expect(page.get_by_text("0088:0614141000029")).to_be_visible()
    assert Customer.objects.get(code="CITYGF").wants_einvoices
