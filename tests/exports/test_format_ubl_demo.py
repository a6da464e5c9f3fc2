"""Every demo invoice that passes the e-invoice pre-flight, written as UBL, passes the
official EN 16931 and Peppol BIS 3 rules; those held back are held back for their
customer's missing e-invoice details, and the customers who want e-invoices get them.

The demo company is loaded once for this module inside a transaction rolled back at the end.
"""

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from jobledger.customers.models import Customer
from jobledger.exports.formats import ubl_peppol
from jobledger.exports.preflight import export_preflight
from jobledger.exports.reader import invoice_docs
from jobledger.invoicing.models import Invoice
from tests.exports.test_format_ubl_kit import verdict

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    folder: Path = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=folder, MEDIA_ROOT=folder / "media", PASSWORD_HASHERS=MD5),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setenv("DEMO_PASSWORD", "demo-ubl-password")
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def preflight(demo: None, db: None):
    return export_preflight(
        format_key="ubl_peppol", invoices=Invoice.objects.all(), include_already_exported=True
    )


def test_every_demo_invoice_that_passes_pre_flight_passes_the_rules(preflight) -> None:
    ready = Invoice.objects.filter(pk__in=preflight.ready_ids)
    failures = {}
    for doc in invoice_docs(ready):
        found = verdict(ubl_peppol.write(iter([doc])))
        if found:
            failures[doc.number] = found
    assert failures == {}
    assert len(preflight.ready) >= 5, "the demo company should have e-invoices to send"


def test_customers_who_want_e_invoices_have_invoices_ready(preflight) -> None:
    wanting = Customer.objects.filter(wants_einvoices=True)
    assert wanting.count() >= 3
    customers = set(Invoice.objects.filter(pk__in=preflight.ready_ids).values_list(
        "customer__code", flat=True))  # fmt: skip
    assert customers <= set(wanting.values_list("code", flat=True))
    assert len(customers) >= 2


def test_invoices_held_back_are_held_for_what_their_customer_lacks(preflight) -> None:
    """Invoices to customers without e-invoice details are held back, saying so; invoices
    to customers who want e-invoices are held back only for reasons of their own stage or
    distribution, never for what the e-invoice rules need."""
    wanting = set(Customer.objects.filter(wants_einvoices=True).values_list("pk", flat=True))
    customer_of = dict(Invoice.objects.values_list("number", "customer_id"))
    einvoice_words = ("Peppol", "VAT", "buyer reference", "tax", "exemption")
    missing_endpoint = 0
    for number, problems in preflight.problems.items():
        text = " ".join(problems)
        if customer_of[number] in wanting:
            assert not any(word in text for word in einvoice_words), text
        else:
            assert "has no Peppol endpoint ID; enter it on the customer's page." in text
            missing_endpoint += 1
    assert missing_endpoint
