"""Post Invoices (one transaction, locks everywhere), Invoice Find with its CSV, and the
Invoice Journal, whose totals balance and agree with the Beancount export."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data as bc
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jobledger.core.errors import DomainError
from jobledger.exports.services import export_batch_create
from jobledger.invoicing.models import Invoice, InvoicingPolicy, LineKind
from jobledger.invoicing.services import (
    LineInput,
    invoice_delete,
    invoice_process,
    invoice_unprocess,
    invoice_update,
)
from jobledger.ledger.posting import invoices_post
from jobledger.ledger.services import (
    DistributionInput,
    distribution_approve,
    distribution_set_lines,
)
from tests.factories import approve_simple_distribution, make_admin_invoice

D = Decimal


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def exported(administrator, project_manager, job, export) -> list[Invoice]:
    """Two processed invoices, distributed, approved and exported."""
    invoices = [make_admin_invoice(actor=project_manager, job=job) for _ in range(2)]
    export(*invoices)
    return [invoice_process(actor=administrator, invoice=invoice) for invoice in invoices]


def test_post_invoices_lists_exported_processed_invoices(
    admin_client, exported, project_manager, job
):
    waiting = make_admin_invoice(actor=project_manager, job=job)
    text = admin_client.get(reverse("post_invoices")).content.decode()
    for invoice in exported:
        assert f'aria-label="Post invoice {invoice.number}"' in text
    assert f'aria-label="Post invoice {waiting.number}"' not in text


def test_posting_asks_for_confirmation_then_locks(admin_client, exported):
    ids = [str(invoice.pk) for invoice in exported]
    confirm = admin_client.post(reverse("post_invoices"), {"invoice": ids})
    assert "Post 2 invoices?" in confirm.content.decode()
    assert not Invoice.objects.filter(posted_at__isnull=False).exists()
    done = admin_client.post(
        reverse("post_invoices"), {"invoice": ids, "confirmed": "yes"}, follow=True
    )
    assert "2 invoices posted." in done.content.decode()
    assert Invoice.objects.filter(posted_at__isnull=False).count() == 2


def test_posting_is_all_or_nothing(refused, administrator, exported, project_manager, job):
    not_exported = make_admin_invoice(actor=project_manager, job=job)
    with refused("must be processed before it is posted", *exported):
        invoices_post(actor=administrator, invoice_ids=[*(i.pk for i in exported), not_exported.pk])


def test_only_administrators_post(refused, project_manager, exported):
    with refused("Only Administrators can post invoices", *exported):
        invoices_post(actor=project_manager, invoice_ids=[i.pk for i in exported])


@pytest.mark.parametrize(
    "action",
    [
        lambda actor, invoice, accounts: invoice_update(
            actor=actor,
            invoice=invoice,
            lines=[LineInput(kind=LineKind.LABOR, description="x", rate=D("1"))],
        ),
        lambda actor, invoice, accounts: invoice_unprocess(actor=actor, invoice=invoice),
        lambda actor, invoice, accounts: invoice_delete(actor=actor, invoice=invoice),
        lambda actor, invoice, accounts: distribution_set_lines(
            actor=actor, invoice=invoice, lines=[DistributionInput(accounts["ar"], D("1"))]
        ),
    ],
    ids=["edit", "unprocess", "delete", "distribution"],
)
def test_a_posted_invoice_is_locked_everywhere(refused, administrator, exported, accounts, action):
    invoices_post(actor=administrator, invoice_ids=[exported[0].pk])
    with refused("is posted", exported[0]):
        action(administrator, exported[0], accounts)


def test_invoice_find_filters_and_downloads_csv(admin_client, project_manager, job, exported):
    deposit = make_admin_invoice(
        actor=project_manager,
        job=job,
        policy=InvoicingPolicy.DEPOSIT,
        lines=[LineInput(kind=LineKind.DEPOSIT, description="Deposit", rate=D("250"))],
    )
    url = reverse("invoice_find")
    text = admin_client.get(url, {"policy": InvoicingPolicy.DEPOSIT}).content.decode()
    assert "1 invoice<" in text
    text = admin_client.get(url, {"accounting_status": "Exported"}).content.decode()
    assert "2 invoices<" in text
    text = admin_client.get(url, {"amount_from": "200", "amount_to": "300"}).content.decode()
    assert f">{deposit.number}<" in text
    assert f">{exported[0].number}<" not in text
    text = admin_client.get(url, {"job": job.number, "stage": "processed"}).content.decode()
    assert "2 invoices<" in text
    response = admin_client.get(url, {"customer": job.customer.code, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="invoices.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(int(row["Invoice"]) for row in rows) == sorted(
        [deposit.number, *(i.number for i in exported)]
    )
    assert {row["Accounting status"] for row in rows} == {"Invoiced", "Exported"}


def test_invoice_find_explains_a_bad_filter(admin_client):
    response = admin_client.get(reverse("invoice_find"), {"amount_from": "lots"})
    assert "Amount from: “lots” is not an amount." in response.content.decode()


def _journal_invoices(administrator, project_manager, job, accounts):
    """Three distributed invoices: a plain one, one with tax and freight, and a credit."""
    plain = make_admin_invoice(actor=project_manager, job=job)
    approve_simple_distribution(administrator, plain, accounts)
    taxed = make_admin_invoice(
        actor=project_manager,
        job=job,
        lines=[
            LineInput(kind=LineKind.MATERIALS, description="Rebar", rate=D("100"), taxable=True)
        ],
        freight=D("25.00"),
    )
    distribution_set_lines(
        actor=administrator,
        invoice=taxed,
        lines=[
            DistributionInput(accounts["ar"], taxed.total),
            DistributionInput(accounts["materials"], D("-100.00")),
            DistributionInput(accounts["tax"], -taxed.tax_amount),
            DistributionInput(accounts["freight"], D("-25.00")),
        ],
    )
    credit = make_admin_invoice(
        actor=project_manager,
        job=job,
        policy=InvoicingPolicy.CORRECTION,
        corrects=plain,
        lines=[LineInput(kind=LineKind.LABOR, description="Credit", rate=D("-80"))],
    )
    approve_simple_distribution(administrator, credit, accounts)
    return [plain, taxed, credit]


def test_journal_totals_balance_and_match_the_beancount_export(
    admin_client, administrator, project_manager, job, accounts
):
    invoices = _journal_invoices(administrator, project_manager, job, accounts)
    today = timezone.localdate().isoformat()
    text = admin_client.get(reverse("invoice_journal"), {"from": today, "to": today}).content
    page = text.decode()
    for invoice in invoices:
        assert f"Invoice {invoice.number}</strong>" in page
    debits = D("680.00") + invoices[1].total + D("80.00")
    assert f'id="grand-debits">{debits:,.2f}' in page
    assert f'id="grand-credits">{debits:,.2f}' in page

    response = admin_client.get(
        reverse("invoice_journal"), {"from": today, "to": today, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    totals = rows[rows.index(["Code", "Account", "Debits", "Credits", "Net"]) + 1 :]
    journal_net = {code: D(net) for code, _name, _d, _c, net in totals if code}
    assert totals[-1][1:] == ["Grand totals", f"{debits:.2f}", f"{debits:.2f}", "0.00"]

    distribution_approve(actor=administrator, invoice=invoices[1])
    result = export_batch_create(
        actor=administrator, format_key="journal_beancount", invoice_ids=[i.pk for i in invoices]
    )
    entries, errors, _ = loader.load_string(bytes(result.batch.content).decode())
    assert errors == []
    beancount_net: dict[str, Decimal] = {}
    for entry in entries:
        if isinstance(entry, bc.Transaction):
            for posting in entry.postings:
                code = posting.account.split(":")[-1][1:]
                beancount_net[code] = beancount_net.get(code, D("0")) + posting.units.number
    assert beancount_net == journal_net


def test_journal_pdf_and_a_bad_range(admin_client, administrator, project_manager, job, accounts):
    _journal_invoices(administrator, project_manager, job, accounts)
    today = timezone.localdate()
    response = admin_client.get(
        reverse("invoice_journal"),
        {"from": today.isoformat(), "to": today.isoformat(), "format": "pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Invoice Journal" in text
    assert "Grand totals" in text
    later = (today + datetime.timedelta(days=1)).isoformat()
    bad = admin_client.get(reverse("invoice_journal"), {"from": later, "to": today.isoformat()})
    assert "The From date must be on or before the To date." in bad.content.decode()


def test_journal_keeps_unfinished_distributions_out_of_the_totals(
    admin_client, administrator, project_manager, job, accounts
):
    undistributed = make_admin_invoice(actor=project_manager, job=job)
    half_done = make_admin_invoice(actor=project_manager, job=job)
    distribution_set_lines(
        actor=administrator,
        invoice=half_done,
        lines=[DistributionInput(accounts["ar"], half_done.total)],
    )
    done = make_admin_invoice(actor=project_manager, job=job)
    approve_simple_distribution(administrator, done, accounts)
    page = admin_client.get(reverse("invoice_journal")).content.decode()
    assert "Distribution not finished, so not in the journal" in page
    assert f"#{undistributed.number}</a>" in page
    assert f"#{half_done.number}</a>" in page
    assert f"Invoice {done.number}</strong>" in page
    assert f"Invoice {half_done.number}</strong>" not in page
    assert 'id="grand-debits">680.00' in page
    assert 'id="grand-credits">680.00' in page


def test_nothing_posted_without_a_choice(administrator):
    with pytest.raises(DomainError, match="Choose at least one invoice"):
        invoices_post(actor=administrator, invoice_ids=[])


def test_print_selected_invoices_from_invoice_find_as_one_pdf(
    admin_client, project_manager, job, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    chosen = [make_admin_invoice(actor=project_manager, job=job) for _ in range(2)]
    make_admin_invoice(actor=project_manager, job=job)
    page = admin_client.get(reverse("invoice_find")).content.decode()
    print_url = reverse("document_job_create")
    assert f'<form method="post" action="{print_url}"' in page
    assert "Print Selected Invoices" in page
    for invoice in chosen:
        assert f'name="invoice" value="{invoice.pk}"' in page
    response = admin_client.post(
        print_url, {"kind": "merged", "invoice": [str(i.pk) for i in chosen]}, follow=True
    )
    download = re.search(r'href="([^"]+/download/)"', response.content.decode())
    assert download, "no download link on the print's page"
    pdf = b"".join(admin_client.get(download.group(1)).streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for invoice in chosen:
        assert f"No. {invoice.number}" in text
    assert text.count("No. ") == 2
