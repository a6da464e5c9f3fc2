"""Every change to a customer."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jobledger.core.audit import audit
from jobledger.core.errors import DomainError
from jobledger.core.roles import Actor, require_administrator
from jobledger.customers.models import Customer

EDITABLE_FIELDS = (
    "name", "address1", "address2", "city", "region", "postal_code", "country",
    "contact_name", "email", "phone", "terms_days", "taxable", "tax_code",
    "accounting_reference", "active",
    "vat_number", "peppol_scheme", "peppol_id", "buyer_reference", "wants_einvoices",
)  # fmt: skip


class CustomerError(DomainError):
    pass


@transaction.atomic
def customer_create(*, actor: Actor, code: str, name: str, **fields: Any) -> Customer:
    """Add a customer; it is offered in the next customer export."""
    require_administrator(actor, action="add customers")
    code = code.strip()
    if not code or not name.strip():
        raise CustomerError("A customer needs a code and a name.")
    if Customer.objects.filter(code__iexact=code).exists():
        raise CustomerError(f"A customer with the code “{code}” already exists.")
    _reject_unknown(fields)
    customer = Customer(code=code, name=name.strip(), **fields)
    _check_einvoice_details(customer)
    customer.save()
    audit(actor=actor, action="customer created", subject=customer, to_value=customer.code)
    return customer


@transaction.atomic
def customer_update(*, actor: Actor, customer: Customer, **changes: Any) -> Customer:
    """Change a customer's details; any real change marks it changed since its last export."""
    require_administrator(actor, action="change customers")
    _reject_unknown(changes)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    changed = {k: v for k, v in changes.items() if getattr(customer, k) != v}
    if not changed:
        return customer
    for field, value in changed.items():
        setattr(customer, field, value)
    _check_einvoice_details(customer)
    customer.changed_since_export = True
    customer.save()
    audit(
        actor=actor,
        action="customer changed",
        subject=customer,
        to_value=", ".join(sorted(changed)),
    )
    return customer


def _reject_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise CustomerError(f"These customer fields cannot be set: {', '.join(sorted(unknown))}.")


def _check_einvoice_details(customer: Customer) -> None:
    try:
        customer.clean()
    except ValidationError as error:
        raise CustomerError(" ".join(error.messages)) from None
