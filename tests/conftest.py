"""Shared fixtures: the cast of users, a job, and the rule-test helpers.

`refused` asserts that an action is refused with a readable message and changes nothing.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models

from jobledger.core.errors import DomainError
from jobledger.core.models import AuditEvent, CompanySettings
from jobledger.core.roles import ADMINISTRATOR, FIELD, PROJECT_MANAGER
from jobledger.customers.models import Customer
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import Invoice, InvoiceLine, ProcessBatch
from jobledger.jobs.models import DWR, DWRLine, Job
from jobledger.ledger.models import (
    AccountType,
    DistributionCategory,
    DistributionLine,
    DistributionPolicy,
    GLAccount,
)
from tests.factories import JobFactory, UserFactory, export_invoices

COUNTED: tuple[type[models.Model], ...] = (
    AuditEvent,
    Customer,
    Job,
    DWR,
    DWRLine,
    Invoice,
    InvoiceLine,
    ProcessBatch,
    ProcessBatch.invoices.through,
    ExportBatch,
    ExportBatch.invoices.through,
    DistributionLine,
)


def _snapshot(rows: tuple[models.Model, ...]) -> dict[str, Any]:
    state: dict[str, Any] = {model._meta.label: model.objects.count() for model in COUNTED}
    state["company"] = list(CompanySettings.objects.values())
    for row in rows:
        key = f"{row._meta.label}:{row.pk}"
        state[key] = list(type(row)._default_manager.filter(pk=row.pk).values())
    return state


@contextmanager
def assert_refused(
    message: str, *rows: models.Model, error: type[DomainError] = DomainError
) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """Expect `error` with `message` in its text; the database and each row stay as they were."""
    before = _snapshot(rows)
    with pytest.raises(error, match=re.escape(message)) as info:
        yield info
    text = str(info.value)
    assert text.endswith("."), f"not a sentence: {text!r}"
    assert "<" not in text, f"leaks internals: {text!r}"
    assert "None" not in text, f"leaks internals: {text!r}"
    assert _snapshot(rows) == before, "a refused action changed the database"


@pytest.fixture
def refused(company: CompanySettings) -> Callable[..., Any]:
    """`with refused("part of the message", row, ...): action()`."""
    return assert_refused


@pytest.fixture
def accounts(db: None) -> dict[str, GLAccount]:
    """A small chart of accounts."""
    specs = {
        "ar": ("1200", "Accounts receivable", AccountType.ASSET),
        "deposits": ("2300", "Customer deposits", AccountType.LIABILITY),
        "tax": ("2200", "Sales tax payable", AccountType.LIABILITY),
        "labor": ("4000", "Labor income", AccountType.INCOME),
        "materials": ("4100", "Materials income", AccountType.INCOME),
        "freight": ("4900", "Freight income", AccountType.INCOME),
    }
    return {
        name: GLAccount.objects.create(code=code, name=label, type=kind)
        for name, (code, label, kind) in specs.items()
    }


@pytest.fixture
def category_mappings(accounts: dict[str, GLAccount]) -> dict[str, GLAccount]:
    """Every category of "By General Distribution Category" mapped to an account."""
    keys = {
        "receivable": "ar",
        "tax": "tax",
        "freight": "freight",
        "deposit": "deposits",
        "kind:labor": "labor",
        "kind:materials": "materials",
    }
    for key, account in keys.items():
        DistributionCategory.objects.create(
            policy=DistributionPolicy.CATEGORY, key=key, label=key, account=accounts[account]
        )
    return accounts


@pytest.fixture
def export(administrator: User, accounts: dict[str, GLAccount]) -> Callable[..., None]:
    """`export(invoice, ...)`: approve the distributions and export them as the administrator."""
    return lambda *invoices: export_invoices(administrator, list(invoices), accounts)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Test users need no slow key stretching; PBKDF2 would cost a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def company(db: None) -> CompanySettings:
    return CompanySettings.load()


@pytest.fixture
def administrator(db: None) -> User:
    return UserFactory(username="admin", role=ADMINISTRATOR)


@pytest.fixture
def project_manager(db: None) -> User:
    return UserFactory(username="pm", role=PROJECT_MANAGER)


@pytest.fixture
def other_project_manager(db: None) -> User:
    return UserFactory(username="pm2", role=PROJECT_MANAGER)


@pytest.fixture
def field_user(db: None) -> User:
    return UserFactory(username="field", role=FIELD)


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory(username="outsider")


@pytest.fixture
def job(project_manager: User):
    return JobFactory(project_manager=project_manager)
