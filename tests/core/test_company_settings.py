"""The Company settings page: Administrators set the company's letterhead and e-invoice
details; a wrong scheme, a missing number or a bad code is a form error and saves nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from jobledger.core.audit import events_for
from jobledger.core.models import CompanySettings
from jobledger.core.services import CompanySettingsError, company_settings_update

URL = reverse("company_settings")
GOOD = {
    "name": "Ridgeline Site & Electric",
    "legal_name": "Ridgeline Site & Electric, Inc.",
    "address": "4180 Industrial Parkway\nLoveland, CO 80538",
    "city": "Loveland",
    "region": "CO",
    "postal_code": "80538",
    "country": "us",
    "phone": "(970) 555-0142",
    "email": "billing@ridgeline.example",
    "currency": "usd",
    "vat_number": "84-1234567",
    "peppol_scheme": "0088",
    "peppol_id": "0614 1410 0001 2",
    "untaxed_category": "E",
    "untaxed_reason": "Not subject to sales tax",
}


@pytest.fixture
def admin_client(administrator) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


def post(client: Client, **changes: str):
    return client.post(URL, {**GOOD, **changes})


def test_an_administrator_saves_the_e_invoice_details(admin_client, company) -> None:
    response = post(admin_client)

    assert response.status_code == 302
    saved = CompanySettings.load()
    assert (saved.country, saved.currency) == ("US", "USD")
    assert saved.vat_number == "US841234567"  # the country prefix the rules want
    assert (saved.peppol_scheme, saved.peppol_id) == ("0088", "0614141000012")
    event = events_for(saved).get(action="company settings changed")
    assert "peppol_id" in event.to_value
    page = admin_client.get(URL).content.decode()
    assert "Company settings saved." in page
    assert 'value="0614141000012"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"peppol_id": "0614141000013"}, "peppol_id", "valid GS1 check digit"),
        ({"peppol_scheme": "", "peppol_id": "0614141000012"}, "peppol_scheme", "Choose the scheme"),
        ({"peppol_id": ""}, "peppol_id", "Enter the endpoint ID"),
        ({"peppol_scheme": "0151", "peppol_id": "51824753557"}, "peppol_id", "ABN check"),
        ({"peppol_scheme": "9930", "peppol_id": "FR123456789"}, "peppol_id", "starts with DE"),
        ({"country": "XX"}, "country", "not a two-letter ISO 3166"),
        ({"currency": "ABC"}, "currency", "not an ISO 4217"),
        ({"vat_number": "1"}, "vat_number", "not a VAT/GST number"),
        ({"untaxed_reason": ""}, "untaxed_reason", "Exempt lines need a reason"),
        ({"untaxed_category": "Z"}, "untaxed_reason", "Zero-rated lines take no"),
    ],
)
def test_a_wrong_detail_is_a_form_error_and_saves_nothing(
    admin_client, company, changes, field, message
) -> None:
    before = list(CompanySettings.objects.values())

    response = post(admin_client, **changes)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert list(CompanySettings.objects.values()) == before


def test_other_roles_are_refused(project_manager, company) -> None:
    client = Client()
    client.force_login(project_manager)
    before = list(CompanySettings.objects.values())

    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert list(CompanySettings.objects.values()) == before


def test_the_service_refuses_a_wrong_scheme_itself(administrator, refused) -> None:
    with refused("is not a Peppol endpoint scheme", error=CompanySettingsError):
        company_settings_update(actor=administrator, peppol_scheme="1234", peppol_id="1")
    with refused("cannot be set here", error=CompanySettingsError):
        company_settings_update(actor=administrator, next_invoice_number=5)
