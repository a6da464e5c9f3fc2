"""The customer export: new or changed customers (or all) in a format's customer layout."""

import hashlib

import pytest

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.customers.models import Customer
from jobledger.customers.services import customer_update
from jobledger.exports.formats import FORMATS
from jobledger.exports.formats.base import ExportFormat
from jobledger.exports.formats.csv_generic import write as csv_write
from jobledger.exports.models import BatchKind, ExportBatch
from jobledger.exports.selectors import customer_formats
from jobledger.exports.services import customer_export_create
from tests.factories import CustomerFactory


def codes_writer(customers) -> bytes:
    return "".join(f"{customer.code};{customer.name}\n" for customer in customers).encode()


@pytest.fixture
def layout(monkeypatch) -> ExportFormat:
    """A format whose customer file is one `code;name` line per customer."""
    fmt = ExportFormat(
        "people", "People list", "csv", "text/csv", csv_write,
        write_customers=codes_writer, customers_extension="txt",
    )  # fmt: skip
    monkeypatch.setitem(FORMATS, fmt.key, fmt)
    return fmt


@pytest.fixture
def customers(db) -> list[Customer]:
    """Two changed customers and one exported before and unchanged since."""
    changed = [CustomerFactory(code="BETA"), CustomerFactory(code="ALPHA")]
    settled = CustomerFactory(code="SETTLED")
    Customer.objects.filter(pk=settled.pk).update(changed_since_export=False)
    return [*changed, settled]


def lines(batch: ExportBatch) -> list[str]:
    return bytes(batch.content).decode().splitlines()


def test_changed_customers_go_out_in_code_order(administrator, layout, customers) -> None:
    batch = customer_export_create(actor=administrator, format_key="people")

    batch = ExportBatch.objects.get(pk=batch.pk)
    assert [line.split(";")[0] for line in lines(batch)] == ["ALPHA", "BETA"]
    assert batch.kind == BatchKind.CUSTOMERS
    assert (batch.format, batch.created_by, batch.media_type) == (
        "people",
        administrator,
        "text/plain",
    )
    assert batch.file_name.endswith(f"_Customers_Batch{batch.pk}.txt")
    assert batch.checksum == hashlib.sha256(bytes(batch.content)).hexdigest()
    assert {c.code for c in batch.customers.all()} == {"ALPHA", "BETA"}
    assert not batch.invoices.exists()


def test_the_export_clears_the_changed_flag_and_dates_it(administrator, layout, customers) -> None:
    batch = customer_export_create(actor=administrator, format_key="people")

    for customer in customers[:2]:
        customer.refresh_from_db()
        assert customer.changed_since_export is False
        assert customer.last_exported_at == batch.created_at
        event = events_for(customer).get(action="customer exported")
        assert (event.to_value, event.detail) == ("People list", batch.file_name)
    settled = Customer.objects.get(code="SETTLED")
    assert settled.last_exported_at is None


def test_a_customer_changed_after_the_export_is_offered_again(
    administrator, layout, customers
) -> None:
    customer_export_create(actor=administrator, format_key="people")
    customer_update(actor=administrator, customer=customers[0], phone="512-555-0199")

    batch = customer_export_create(actor=administrator, format_key="people")

    assert [line.split(";")[0] for line in lines(batch)] == ["BETA"]


def test_all_customers_on_request(administrator, layout, customers) -> None:
    customer_export_create(actor=administrator, format_key="people")

    batch = customer_export_create(actor=administrator, format_key="people", all_customers=True)

    assert [line.split(";")[0] for line in lines(batch)] == ["ALPHA", "BETA", "SETTLED"]
    assert batch.include_already_exported is True


def test_nothing_changed_is_refused_clearly(refused, administrator, layout, customers) -> None:
    customer_export_create(actor=administrator, format_key="people")

    with refused(
        "No customer is new or changed since the last customer export; choose All customers "
        "to export every customer again.",
        *customers,
    ):
        customer_export_create(actor=administrator, format_key="people")


def test_a_format_without_a_customer_layout_is_refused(
    refused, monkeypatch, administrator, customers
) -> None:
    plain = ExportFormat("plain", "Plain invoices", "csv", "text/csv", csv_write)
    monkeypatch.setitem(FORMATS, plain.key, plain)

    with refused(
        "Plain invoices has no customer import; choose a format that carries customers.",
        *customers,
    ):
        customer_export_create(actor=administrator, format_key="plain")


@pytest.mark.parametrize("user", ["project_manager", "field_user", "outsider"])
def test_only_administrators_export_customers(refused, request, layout, customers, user) -> None:
    with refused("Only Administrators can export customers.", *customers, error=PermissionRefused):
        customer_export_create(actor=request.getfixturevalue(user), format_key="people")


@pytest.mark.parametrize("key", [fmt.key for fmt in customer_formats()])
def test_every_format_with_a_customer_layout_exports_through_the_service(
    administrator, customers, key
) -> None:
    batch = customer_export_create(actor=administrator, format_key=key)

    fmt = FORMATS[key]
    assert batch.file_name.endswith(f".{fmt.customers_extension}")
    assert len(batch.content) > 0
    assert batch.customers.count() == 2
