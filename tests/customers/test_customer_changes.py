"""Customer edits mark the customer for the next customer export; bad edits change nothing."""

import pytest

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.customers.models import Customer
from jobledger.customers.services import customer_create, customer_update
from tests.factories import CustomerFactory, TaxCodeFactory


@pytest.fixture
def exported_customer(db: None) -> Customer:
    """A customer the accounting system already has: not changed since its last export."""
    customer = CustomerFactory(code="ACME", name="Acme Paving", terms_days=30)
    Customer.objects.filter(pk=customer.pk).update(changed_since_export=False)
    customer.refresh_from_db()
    return customer


def test_new_customer_is_offered_in_the_next_customer_export(administrator) -> None:
    customer = customer_create(actor=administrator, code=" BOLT ", name="Bolt Electric")

    customer.refresh_from_db()
    assert customer.code == "BOLT"
    assert customer.changed_since_export is True
    assert events_for(customer).get(action="customer created").to_value == "BOLT"


def test_customer_edit_marks_it_changed_since_export(administrator, exported_customer) -> None:
    customer_update(actor=administrator, customer=exported_customer, city="Dallas", terms_days=45)

    exported_customer.refresh_from_db()
    assert (exported_customer.city, exported_customer.terms_days) == ("Dallas", 45)
    assert exported_customer.changed_since_export is True
    assert Customer.objects.changed_since_export().filter(pk=exported_customer.pk).exists()
    event = events_for(exported_customer).get(action="customer changed")
    assert (event.actor, event.to_value) == (administrator, "city, terms_days")


def test_changing_the_tax_code_marks_customer_changed(administrator, exported_customer) -> None:
    county = TaxCodeFactory(code="COUNTY", name="County tax", rate="2.0000")

    customer_update(actor=administrator, customer=exported_customer, tax_code=county)

    exported_customer.refresh_from_db()
    assert exported_customer.tax_code == county
    assert exported_customer.changed_since_export is True


def test_edit_that_changes_nothing_leaves_customer_unmarked(
    administrator, exported_customer
) -> None:
    customer_update(
        actor=administrator,
        customer=exported_customer,
        name=exported_customer.name,
        terms_days=exported_customer.terms_days,
    )

    exported_customer.refresh_from_db()
    assert exported_customer.changed_since_export is False
    assert not events_for(exported_customer).exists()


@pytest.mark.parametrize("field", ["code", "changed_since_export", "last_exported_at", "color"])
def test_unknown_or_protected_customer_field_refused(
    refused, administrator, exported_customer, field
) -> None:
    with refused(f"These customer fields cannot be set: {field}.", exported_customer):
        customer_update(
            actor=administrator, customer=exported_customer, name="Acme Two", **{field: None}
        )


def test_unknown_field_refused_when_creating_customer(refused, administrator) -> None:
    with refused("These customer fields cannot be set: changed_since_export."):
        customer_create(actor=administrator, code="NEW", name="New Co", changed_since_export=False)


@pytest.mark.parametrize("code", ["ACME", "acme", " Acme "])
def test_duplicate_customer_code_refused(refused, administrator, exported_customer, code) -> None:
    with refused(f"A customer with the code “{code.strip()}” already exists.", exported_customer):
        customer_create(actor=administrator, code=code, name="Acme Again")


def test_customer_without_code_or_name_refused(refused, administrator) -> None:
    with refused("A customer needs a code and a name."):
        customer_create(actor=administrator, code="  ", name="Nameless")


@pytest.mark.parametrize("user", ["project_manager", "field_user", "outsider"])
def test_only_administrators_change_customers(refused, request, exported_customer, user) -> None:
    actor = request.getfixturevalue(user)

    with refused(
        "Only Administrators can change customers.", exported_customer, error=PermissionRefused
    ):
        customer_update(actor=actor, customer=exported_customer, city="Dallas")
    with refused("Only Administrators can add customers.", error=PermissionRefused):
        customer_create(actor=actor, code="NEW", name="New Co")
