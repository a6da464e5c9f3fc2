"""The Administrator's set-up pages: invoice backdating, accounting settings, GL accounts
and distribution categories. Every change goes through a service and is audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobledger.core.models import AuditEvent, CompanySettings
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.services import check_invoice_date
from jobledger.invoicing.services.invoice_dates import invoice_dates_set
from jobledger.ledger.models import (
    DistributionCategory,
    DistributionPolicy,
    GLAccount,
    LedgerSettings,
)
from tests.factories import DepartmentFactory


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_backdating_window_and_lock_date_are_set_and_enforced(admin_client, company):
    today = timezone.localdate()
    lock = today - datetime.timedelta(days=3)
    response = admin_client.post(
        reverse("invoice_date_settings"), {"backdating_days": "10", "lock_date": lock.isoformat()}
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.backdating_days, company.lock_date) == (10, lock)
    check_invoice_date(lock + datetime.timedelta(days=1))
    with pytest.raises(InvoiceError, match="too far back"):
        check_invoice_date(lock)
    event = AuditEvent.objects.get(action="invoice backdating")
    assert event.to_value == f"10 days; lock date {lock:%m/%d/%Y}"
    page = admin_client.get(reverse("invoice_date_settings")).content.decode()
    assert 'value="10"' in page
    assert f'value="{lock.isoformat()}"' in page


def test_bad_backdating_input_is_explained_and_changes_nothing(admin_client, company):
    url = reverse("invoice_date_settings")
    response = admin_client.post(url, {"backdating_days": "-1", "lock_date": ""})
    assert response.status_code == 400
    assert "whole number of days" in response.content.decode()
    response = admin_client.post(url, {"backdating_days": "5", "lock_date": "someday"})
    assert "The lock date “someday” is not a date." in response.content.decode()
    response = admin_client.post(url, {"backdating_days": "99999", "lock_date": ""})
    assert "between 0 and 3650" in response.content.decode()
    company.refresh_from_db()
    assert (company.backdating_days, company.lock_date) == (30, None)


def test_only_administrators_set_backdating(refused, project_manager):
    with refused("Only Administrators can set up invoice backdating"):
        invoice_dates_set(actor=project_manager, backdating_days=1, lock_date=None)


def test_accounting_settings_turn_integration_off_and_choose_policies(admin_client, company):
    response = admin_client.post(
        reverse("accounting_settings"),
        {
            "enabled": [DistributionPolicy.DEPARTMENT],
            "default_policy": DistributionPolicy.DEPARTMENT,
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert not company.accounting_integration
    ledger = LedgerSettings.load()
    assert ledger.enabled_policies == [DistributionPolicy.DEPARTMENT]
    assert ledger.default_policy == DistributionPolicy.DEPARTMENT
    search = admin_client.get(reverse("distribution_search"))
    assert "only when accounting integration is on" in search.content.decode()


def test_at_least_one_policy_stays_enabled(admin_client, company):
    response = admin_client.post(
        reverse("accounting_settings"), {"integration": "on", "default_policy": "category"}
    )
    assert response.status_code == 400
    assert "Enable at least one distribution policy." in response.content.decode()
    assert len(LedgerSettings.load().enabled_policies) == len(DistributionPolicy)


def test_gl_accounts_are_added_edited_and_kept_unique(admin_client):
    url = reverse("gl_accounts")
    admin_client.post(
        url, {"code": "4000", "name": "Labor income", "type": "income", "active": "on"}
    )
    account = GLAccount.objects.get(code="4000")
    duplicate = admin_client.post(url, {"code": "4000", "name": "Again", "type": "income"})
    assert "Account code 4000 is already used." in duplicate.content.decode()
    assert GLAccount.objects.count() == 1
    edit = reverse("gl_account_edit", args=[account.pk])
    admin_client.post(edit, {"code": "4000", "name": "Labour income", "type": "income"})
    account.refresh_from_db()
    assert (account.name, account.active) == ("Labour income", False)
    assert "Labour income" in admin_client.get(url).content.decode()
    assert AuditEvent.objects.filter(action__startswith="GL account").count() == 2


def test_a_gl_account_needs_a_code_name_and_type(admin_client):
    response = admin_client.post(
        reverse("gl_accounts"), {"code": " ", "name": "X", "type": "income"}
    )
    assert "needs a code and a name" in response.content.decode()
    response = admin_client.post(reverse("gl_accounts"), {"code": "1", "name": "X", "type": "odd"})
    assert "Choose the type of the account." in response.content.decode()
    assert not GLAccount.objects.exists()


def test_categories_of_each_policy_are_listed_and_mapped(admin_client, accounts):
    DepartmentFactory(code="ELEC", name="Electrical")
    url = reverse("distribution_categories")
    page = admin_client.get(url, {"policy": DistributionPolicy.DEPARTMENT_TAX}).content.decode()
    assert "Electrical, Taxable" in page
    assert "Electrical, Non-taxable" in page
    assert "Accounts receivable (invoice total)" in page
    page = admin_client.get(url, {"policy": DistributionPolicy.CATEGORY}).content.decode()
    assert "Equipment" in page
    assert "Fixed price" in page
    admin_client.post(
        url,
        {
            "policy": DistributionPolicy.CATEGORY,
            "account-receivable": str(accounts["ar"].pk),
            "account-kind:labor": str(accounts["labor"].pk),
        },
    )
    mapped = {
        row.key: row.account.code if row.account else None
        for row in DistributionCategory.objects.filter(policy=DistributionPolicy.CATEGORY)
    }
    assert mapped["receivable"] == "1200"
    assert mapped["kind:labor"] == "4000"
    assert mapped["kind:equipment"] is None
    page = admin_client.get(url, {"policy": DistributionPolicy.CATEGORY}).content.decode()
    assert f'<option value="{accounts["labor"].pk}" selected>' in page


@pytest.mark.parametrize(
    "name",
    ["invoice_date_settings", "accounting_settings", "gl_accounts", "distribution_categories"],
)
def test_set_up_pages_refuse_everyone_but_administrators(client, project_manager, company, name):
    client.force_login(project_manager)
    response = client.post(reverse(name), {"backdating_days": "0", "code": "1", "name": "x"})
    assert response.status_code == 403
    assert not GLAccount.objects.exists()
    assert CompanySettings.load().backdating_days == 30
