"""The customer list and edit page: Administrators set a customer's e-invoice details;
wrong ones are form errors that save nothing; the list takes two queries a page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobledger.customers.models import Customer
from jobledger.customers.services import CustomerError, customer_update
from tests.factories import CustomerFactory, TaxCodeFactory


@pytest.fixture
def admin_client(administrator) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def customer(db: None) -> Customer:
    customer = CustomerFactory(code="ACME", name="Acme Builders", country="US")
    Customer.objects.filter(pk=customer.pk).update(changed_since_export=False)
    customer.refresh_from_db()
    return customer


def form_data(customer: Customer, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": customer.name, "address1": customer.address1, "address2": "",
        "city": customer.city, "region": customer.region, "postal_code": customer.postal_code,
        "country": customer.country, "contact_name": "", "email": "", "phone": "",
        "terms_days": customer.terms_days, "taxable": "on", "tax_code": customer.tax_code_id,
        "accounting_reference": "", "active": "on", "vat_number": "", "peppol_scheme": "",
        "peppol_id": "", "buyer_reference": "",
    }  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_url(customer: Customer) -> str:
    return reverse("customer_edit", args=[customer.pk])


def test_an_administrator_marks_a_customer_for_e_invoices(admin_client, customer) -> None:
    data = form_data(customer, wants_einvoices="on", peppol_scheme="0192",
                     peppol_id="987 654 325", vat_number="NO987654325MVA", country="no",
                     buyer_reference=" Ref 7 ")  # fmt: skip

    response = admin_client.post(edit_url(customer), data)

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.wants_einvoices
    assert (customer.peppol_scheme, customer.peppol_id) == ("0192", "987654325")
    assert (customer.country, customer.vat_number) == ("NO", "NO987654325MVA")
    assert customer.buyer_reference == "Ref 7"
    assert customer.changed_since_export  # the accounting system hears of it too
    listed = admin_client.get(reverse("customer_list"), {"einvoices": "1"}).content.decode()
    assert "Wants e-invoices" in listed
    assert "0192:987654325" in listed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"wants_einvoices": "on"}, "peppol_id", "needs a Peppol endpoint ID"),
        ({"peppol_scheme": "0192", "peppol_id": "987654321"}, "peppol_id", "valid check digit"),
        ({"peppol_id": "987654325"}, "peppol_scheme", "Choose the scheme"),
        ({"peppol_scheme": "0088"}, "peppol_id", "Enter the endpoint ID"),
        ({"country": "ZZ"}, "country", "not a two-letter ISO 3166"),
        ({"vat_number": "??"}, "vat_number", "not a VAT/GST number"),
    ],
)
def test_wrong_e_invoice_details_are_form_errors(
    admin_client, customer, changes, field, message
) -> None:
    before = list(Customer.objects.filter(pk=customer.pk).values())

    response = admin_client.post(edit_url(customer), form_data(customer, **changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert list(Customer.objects.filter(pk=customer.pk).values()) == before


def test_the_service_refuses_wrong_details_too(administrator, customer, refused) -> None:
    with refused("needs a Peppol endpoint ID", customer, error=CustomerError):
        customer_update(actor=administrator, customer=customer, wants_einvoices=True)


def test_the_list_searches_and_takes_two_queries_a_page(admin_client, customer) -> None:
    TaxCodeFactory()
    for n in range(30):
        CustomerFactory(code=f"C{n:03d}", name=f"Other {n}")
    url = reverse("customer_list")
    admin_client.get(url)  # the session and the user's roles are read once
    with CaptureQueriesContext(connection) as small:
        admin_client.get(url, {"q": "acme"})
    with CaptureQueriesContext(connection) as large:
        page = admin_client.get(url).content.decode()
    assert len(small) == len(large)
    assert "C029" in page
    assert "Other 5" not in admin_client.get(url, {"q": "acme"}).content.decode()


def test_other_roles_are_refused(project_manager, customer) -> None:
    client = Client()
    client.force_login(project_manager)
    before = list(Customer.objects.filter(pk=customer.pk).values())

    assert client.get(reverse("customer_list")).status_code == 403
    assert client.get(edit_url(customer)).status_code == 403
    assert client.post(edit_url(customer), form_data(customer, name="X")).status_code == 403
    assert list(Customer.objects.filter(pk=customer.pk).values()) == before
