"""The Invoice Distribution page and its Distribution search: look-up, `*`, the grid saved
complete or not, Approve only when satisfactory, Redistribute, and the exported warning."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from jobledger.core.models import CompanySettings
from jobledger.invoicing.models import Invoice
from jobledger.ledger.models import DistributionLine, DistributionPolicy, LedgerSettings
from tests.factories import JobFactory, make_admin_invoice

D = Decimal


@pytest.fixture
def invoice(project_manager, job) -> Invoice:
    """Eight hours at 85.00: 680.00."""
    return make_admin_invoice(actor=project_manager, job=job)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def grid(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {"row_count": str(len(rows)), "note": ""}
    for index, (code, amount, memo) in enumerate(rows):
        data |= {f"rows-{index}-code": code, f"rows-{index}-amount": amount}
        data[f"rows-{index}-memo"] = memo
    return data


def approve_box(text: str) -> str:
    """The Approve checkbox's tag, to see whether it is enabled and checked."""
    found = re.search(r'<input[^>]*id="approve"[^>]*>', text)
    assert found, "no Approve checkbox"
    return found.group(0)


def saved(invoice: Invoice) -> list[tuple[str, Decimal]]:
    return [(line.account.code, line.amount) for line in invoice.distribution.all()]


def test_search_by_job_invoice_number_or_customer_code(admin_client, invoice, project_manager):
    other = make_admin_invoice(
        actor=project_manager, job=JobFactory(project_manager=project_manager)
    )
    url = reverse("distribution_search")
    for query in (invoice.job.number, str(invoice.number), invoice.customer.code.lower()):
        text = admin_client.get(url, {"q": query}).content.decode()
        assert reverse("invoice_distribution", args=[invoice.pk]) in text
        assert reverse("invoice_distribution", args=[other.pk]) not in text
    everything = admin_client.get(url, {"q": ""}).content.decode()
    assert reverse("invoice_distribution", args=[other.pk]) in everything


def test_posted_invoices_are_not_offered_for_distribution(admin_client, invoice):
    Invoice.objects.filter(pk=invoice.pk).update(posted_at="2025-01-01T00:00Z")
    text = admin_client.get(reverse("distribution_search"), {"q": ""}).content.decode()
    assert reverse("invoice_distribution", args=[invoice.pk]) not in text
    response = admin_client.get(reverse("invoice_distribution", args=[invoice.pk]))
    assert response.status_code == 400
    assert "is posted" in response.content.decode()


def test_account_lookup_matches_code_prefixes_and_star_lists_all(admin_client, accounts):
    url = reverse("gl_account_lookup")

    def codes(text: str) -> list[str]:
        return [a["code"] for a in admin_client.get(url, {"code": text}).json()["accounts"]]

    assert codes("4") == ["4000", "4100", "4900"]
    assert codes("41") == ["4100"]
    assert codes("*") == ["1200", "2200", "2300", "4000", "4100", "4900"]
    assert codes("9") == []
    accounts["freight"].active = False
    accounts["freight"].save()
    assert codes("4") == ["4000", "4100"]


def test_page_shows_sections_status_and_approve_disabled_when_not_distributed(
    admin_client, invoice
):
    text = admin_client.get(reverse("invoice_distribution", args=[invoice.pk])).content.decode()
    for section in ("General Information", "Invoice Items", "Distribution", "Notes"):
        assert section in text
    assert "Foreman" in text  # the invoice item, read-only
    assert 'data-saved="Not Ready for Approval"' in text
    assert " disabled" in approve_box(text)
    assert '<strong class="amount" id="undistributed">680.00</strong>' in text
    assert "exported-warning" not in text


def test_saving_an_incomplete_distribution_keeps_it_for_later(admin_client, invoice, accounts):
    url = reverse("invoice_distribution", args=[invoice.pk])
    response = admin_client.post(url, grid(("1200", "680.00", "Receivable"), ("", "", "")))
    assert response.status_code == 302
    assert saved(invoice) == [("1200", D("680.00"))]
    text = admin_client.get(url).content.decode()
    assert '<strong class="amount" id="unbalanced">680.00</strong>' in text
    assert 'data-saved="Not Ready for Approval"' in text
    assert 'value="Receivable"' in text


def test_approve_is_refused_unless_satisfactory_and_nothing_is_saved(
    admin_client, invoice, accounts
):
    url = reverse("invoice_distribution", args=[invoice.pk])
    data = grid(("1200", "680.00", ""), ("4000", "-600.00", "")) | {"approve": "on"}
    response = admin_client.post(url, data)
    assert response.status_code == 400
    assert "is not satisfactory" in response.content.decode()
    assert saved(invoice) == []
    invoice.refresh_from_db()
    assert not invoice.is_distribution_approved


def test_a_satisfactory_distribution_is_ready_then_approved(admin_client, invoice, accounts):
    url = reverse("invoice_distribution", args=[invoice.pk])
    admin_client.post(url, grid(("1200", "680.00", ""), ("4000", "-680.00", "")))
    text = admin_client.get(url).content.decode()
    assert 'data-saved="Ready for Approval"' in text
    assert " disabled" not in approve_box(text)
    assert "checked" not in approve_box(text)
    response = admin_client.post(
        url, grid(("1200", "680.00", ""), ("4000", "-680.00", "")) | {"approve": "on"}, follow=True
    )
    assert "is saved and approved" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.is_distribution_approved
    text = admin_client.get(url).content.decode()
    assert 'data-saved="Approved"' in text
    assert "checked" in approve_box(text)


def test_unknown_codes_and_bad_amounts_are_named_and_nothing_is_written(
    admin_client, invoice, accounts
):
    url = reverse("invoice_distribution", args=[invoice.pk])
    response = admin_client.post(url, grid(("1200", "680", ""), ("9999", "-680", "")))
    assert "Row 2: no GL account has the code “9999”." in response.content.decode()
    response = admin_client.post(url, grid(("1200", "(680.00)", "")))
    assert "Write negative amounts with a minus sign" in response.content.decode()
    response = admin_client.post(url, grid(("1200", "", "")))
    assert "Row 1: type the amount for account 1200." in response.content.decode()
    assert 'value="1200"' in response.content.decode()  # the grid as typed comes back
    assert DistributionLine.objects.count() == 0


def test_redistribute_offers_enabled_policies_and_fills_the_grid_without_saving(
    admin_client, invoice, category_mappings
):
    LedgerSettings.objects.filter(pk=LedgerSettings.load().pk).update(
        enabled_policies=[DistributionPolicy.CATEGORY, DistributionPolicy.DEPARTMENT]
    )
    url = reverse("invoice_distribution", args=[invoice.pk])
    text = admin_client.get(url).content.decode()
    assert "By General Distribution Category</a>" in text
    assert "Taxable/Non-Taxable separation" not in text
    fragment = admin_client.get(
        url, {"policy": DistributionPolicy.CATEGORY}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert 'value="1200"' in fragment
    assert 'value="680.00"' in fragment
    assert 'value="-680.00"' in fragment
    assert 'name="policy" value="category"' in fragment
    assert saved(invoice) == []
    by_department = admin_client.get(url, {"policy": DistributionPolicy.DEPARTMENT})
    assert "No GL account is set for" in by_department.content.decode()


def test_an_exported_invoice_shows_a_prominent_warning(admin_client, invoice, export):
    export(invoice)
    text = admin_client.get(reverse("invoice_distribution", args=[invoice.pk])).content.decode()
    assert 'id="exported-warning"' in text
    assert "Your accounting system may already hold this distribution." in text
    assert 'data-saved="Exported"' in text


def test_only_administrators_distribute(client, project_manager, invoice, accounts):
    client.force_login(project_manager)
    url = reverse("invoice_distribution", args=[invoice.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, grid(("1200", "680", "")))
    assert response.status_code == 403
    assert DistributionLine.objects.count() == 0


def test_with_integration_off_the_page_explains_itself(admin_client, invoice):
    CompanySettings.objects.filter(pk=CompanySettings.load().pk).update(
        accounting_integration=False
    )
    response = admin_client.get(reverse("invoice_distribution", args=[invoice.pk]))
    assert response.status_code == 400
    assert "only when accounting integration is on" in response.content.decode()


def test_the_invoice_page_leads_to_its_distribution_until_posted(admin_client, invoice):
    url = reverse("invoice_detail", args=[invoice.pk])
    link = f'href="{reverse("invoice_distribution", args=[invoice.pk])}"'
    assert link in admin_client.get(url).content.decode()
    Invoice.objects.filter(pk=invoice.pk).update(posted_at="2025-01-01T00:00Z")
    assert link not in admin_client.get(url).content.decode()
