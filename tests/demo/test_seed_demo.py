"""`jobledger seed_demo`: the demo company is complete, believable, idempotent, and scales.

Loading the company takes several seconds, so it is loaded once for this module inside a
transaction that is rolled back at the end; each test runs in a savepoint within it.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker, Settings

from jobledger.core.models import AuditEvent, CompanySettings
from jobledger.core.roles import ADMINISTRATOR, FIELD, PROJECT_MANAGER
from jobledger.customers.models import Customer
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import (
    Invoice,
    InvoiceType,
    InvoicingPolicy,
    LineKind,
    Stage,
)
from jobledger.jobs.models import (
    DWR,
    BillingType,
    FixedPriceRequest,
    Job,
    JobStatus,
    RequestStatus,
)
from jobledger.ledger import policies
from jobledger.ledger.models import DistributionPolicy, GLAccount, LedgerSettings
from jobledger.ledger.selectors import policy_distribution
from tests.factories import CustomerFactory

PASSWORD = "demo-test-password-7"
# As tests/conftest.py's fast_password_hashing, which is function-scoped and so too late here.
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# First in the module: it needs the database without the demo company loaded below.
@pytest.mark.django_db
def test_a_database_with_its_own_data_is_left_alone(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    CustomerFactory()
    err = StringIO()
    call_command("seed_demo", stdout=StringIO(), stderr=err)
    assert "empty database" in err.getvalue()
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_demo", scale=10, stdout=StringIO())
    assert not Invoice.objects.exists()
    assert not User.objects.filter(username="admin").exists()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, demo_dir: Path
) -> Iterator[str]:
    """The demo company, loaded once; yields what the first run printed."""
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=demo_dir, MEDIA_ROOT=demo_dir / "media", PASSWORD_HASHERS=MD5),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setenv("DEMO_PASSWORD", PASSWORD)
        with transaction.atomic():
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def loaded(demo: str, db: None, settings: Settings, demo_dir: Path) -> str:
    settings.VAR_DIR = demo_dir
    settings.MEDIA_ROOT = demo_dir / "media"
    return demo


def admin_ready() -> list[Invoice]:
    """Admin-tab invoices whose distribution is approved and satisfactory, never exported."""
    invoices = Invoice.objects.in_admin_queue().never_exported().prefetch_related("distribution")
    return [
        invoice
        for invoice in invoices.filter(distribution_approved_at__isnull=False)
        if policies.is_satisfactory([d.amount for d in invoice.distribution.all()], invoice.total)
    ]


def warned_ids() -> set[int]:
    """Admin-tab invoices that show one of the backlog's warnings."""
    admin = Invoice.objects.in_admin_queue()
    unsigned = admin.filter(lines__dwr_line__dwr__representative_signature="")
    expenses = admin.filter(
        lines__dwr_line__dwr__lines__kind=LineKind.EXPENSES,
        lines__dwr_line__dwr__lines__processed=False,
    )
    unapproved = admin.filter(distribution_approved_at__isnull=True)
    changed = admin.filter(customer__changed_since_export=True)
    return {
        pk
        for query in (unsigned, expenses, unapproved, changed)
        for pk in query.values_list("pk", flat=True)
    }


def counts() -> dict[str, int]:
    return {
        "customers": Customer.objects.count(),
        "jobs": Job.objects.count(),
        "dwrs": DWR.objects.count(),
        "invoices": Invoice.objects.count(),
        "batches": ExportBatch.objects.count(),
        "events": AuditEvent.objects.count(),
        "users": User.objects.count(),
    }


def test_the_company_is_set_up_as_a_company_keeps_it(loaded: str) -> None:
    company = CompanySettings.load()
    assert company.name == "Ridgeline Site & Electric, Inc."
    assert company.currency == "USD"
    assert company.accounting_integration
    assert company.backdating_days == 30
    assert company.lock_date is None
    assert company.next_invoice_number == Invoice.objects.count() + 10001


def test_demo_users_hold_their_roles(loaded: str) -> None:
    admin = User.objects.get(username="admin")
    pm = User.objects.get(username="pm")
    field = User.objects.get(username="field")
    assert admin.is_staff
    assert admin.groups.filter(name=ADMINISTRATOR).exists()
    assert pm.groups.filter(name=PROJECT_MANAGER).exists()
    assert (pm.first_name, pm.last_name) == ("Dana", "Whitfield")
    assert field.groups.filter(name=FIELD).exists()
    assert User.objects.filter(groups__name=PROJECT_MANAGER).count() >= 4
    assert User.objects.filter(groups__name=FIELD).count() >= 3
    for user in (admin, pm, field):
        assert user.check_password(PASSWORD)


def test_the_first_run_prints_the_three_logins(loaded: str) -> None:
    assert "Loaded the demo company" in loaded
    for username in ("admin", "pm", "field"):
        assert username in loaded
    assert loaded.count(PASSWORD) == 3


def test_customers_and_jobs(loaded: str) -> None:
    assert Customer.objects.count() >= 25
    assert Customer.objects.filter(taxable=False).exists()
    assert Customer.objects.values("terms_days").distinct().count() >= 3
    assert Job.objects.count() >= 60
    statuses = set(Job.objects.values_list("status", flat=True))
    assert statuses == set(JobStatus.values)
    assert set(Job.objects.values_list("billing_type", flat=True)) == set(BillingType.values)
    assert Job.objects.filter(number__regex=r"^\d\d-\d{4}$").count() == Job.objects.count()


def test_invoices_cover_every_stage_type_and_policy(loaded: str) -> None:
    assert Invoice.objects.count() >= 300
    assert set(Invoice.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Invoice.objects.values_list("type", flat=True)) == set(InvoiceType.values)
    assert set(Invoice.objects.values_list("policy", flat=True)) == set(InvoicingPolicy.values)
    today = timezone.localdate()
    assert not Invoice.objects.filter(invoice_date__gt=today).exists()
    assert not Invoice.objects.filter(invoice_date__lt=today - datetime.timedelta(400)).exists()


def test_invoices_follow_the_job_rules(loaded: str) -> None:
    complete = Invoice.objects.filter(type=InvoiceType.COMPLETE)
    assert not complete.exclude(job__status=JobStatus.BILLED).exists()
    billed = Job.objects.filter(status=JobStatus.BILLED).annotate(
        finals=Count("invoices", filter=Q(invoices__type=InvoiceType.COMPLETE))
    )
    assert {job.finals for job in billed} == {1}
    for correction in Invoice.objects.filter(type=InvoiceType.CORRECTION):
        assert correction.corrects is not None
        assert correction.corrects.job_id == correction.job_id
        assert correction.corrects.number < correction.number
    corrections = Invoice.objects.filter(type=InvoiceType.CORRECTION)
    assert corrections.filter(lines__amount__lt=0).exists()
    assert Invoice.objects.filter(deposit_applied__gt=0).exists()


def assert_totals_add_up(invoices: QuerySet[Invoice]) -> None:
    """Each invoice's lines sum to its subtotal, and subtotal + tax + freight - deposit
    applied is its total."""
    rows = invoices.values("pk", "subtotal", "tax_amount", "freight", "deposit_applied", "total")
    for row in rows.annotate(lines_total=Sum("lines__amount")):
        assert row["lines_total"] == row["subtotal"]
        parts = row["subtotal"] + row["tax_amount"] + row["freight"] - row["deposit_applied"]
        assert row["total"] == parts


def test_invoice_totals_add_up(loaded: str) -> None:
    assert_totals_add_up(Invoice.objects.all())


def test_admin_tab_holds_forty_invoices_ready_to_export(loaded: str) -> None:
    ready = admin_ready()
    assert len(ready) >= 40
    clean = [invoice for invoice in ready if invoice.pk not in warned_ids()]
    assert len(clean) >= 40


def test_each_backlog_warning_has_an_example(loaded: str) -> None:
    admin = Invoice.objects.in_admin_queue()
    assert admin.filter(lines__dwr_line__dwr__representative_signature="").exists()
    assert admin.filter(
        lines__dwr_line__dwr__lines__kind=LineKind.EXPENSES,
        lines__dwr_line__dwr__lines__processed=False,
    ).exists()
    assert admin.filter(distribution_approved_at__isnull=True).exists()
    assert admin.filter(customer__changed_since_export=True).exists()
    assert admin.exported().exists()
    changed = Customer.objects.changed_since_export()
    assert 0 < changed.count() < Customer.objects.count() / 4


def test_the_pm_login_has_invoices_to_review(loaded: str) -> None:
    pm = User.objects.get(username="pm")
    assert Invoice.objects.filter(stage=Stage.PM_REVIEW, job__project_manager=pm).exists()
    assert Job.objects.filter(project_manager=pm).count() >= 10


def test_fixed_price_requests_are_decided_and_pending(loaded: str) -> None:
    statuses = set(FixedPriceRequest.objects.values_list("status", flat=True))
    assert {RequestStatus.APPROVED, RequestStatus.PENDING} <= statuses


def test_some_reports_are_signed_and_some_not(loaded: str) -> None:
    signed = DWR.objects.exclude(representative_signature="")
    assert signed.exists()
    assert DWR.objects.filter(representative_signature="").exists()
    dwr = signed.first()
    assert dwr is not None
    with dwr.representative_signature.open("rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_history_is_exported_processed_paid_and_posted(loaded: str) -> None:
    batches = ExportBatch.objects.all()
    assert batches.count() >= 3
    assert batches.filter(import_confirmed_at__isnull=False).exists()
    assert batches.filter(include_already_exported=True).exists()
    assert set(batches.values_list("format", flat=True)) == {"csv"}
    assert not Invoice.objects.filter(stage__in=[Stage.PROCESSED, Stage.PAID]).never_exported()
    posted = Invoice.objects.exclude(posted_at=None)
    assert posted.exists()
    assert not posted.filter(stage__in=[Stage.DRAFT, Stage.PM_REVIEW, Stage.ADMIN]).exists()
    assert Invoice.objects.exclude(accounting_reference="").exists()
    assert batches.filter(created_at__lt=timezone.now() - datetime.timedelta(days=180)).exists()


def test_every_policy_maps_every_category_of_the_demo(loaded: str) -> None:
    ledger = LedgerSettings.load()
    assert set(ledger.enabled_policies) == set(DistributionPolicy.values)
    assert GLAccount.objects.filter(code__in=["1100", "2100", "2200", "4800"]).count() == 4
    for invoice in Invoice.objects.exclude(stage=Stage.DRAFT)[:60]:
        for policy in DistributionPolicy.values:
            assert policy_distribution(invoice, policy).unmapped == ()


def test_a_second_run_adds_nothing(loaded: str, demo_dir: Path) -> None:
    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "Loaded" not in out.getvalue()
    assert out.getvalue().count(PASSWORD) == 3


def test_demo_password_sets_the_password(loaded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "a-new-demo-password")
    call_command("seed_demo", stdout=StringIO())
    for username in ("admin", "pm", "field"):
        assert User.objects.get(username=username).check_password("a-new-demo-password")
    assert not User.objects.get(username="mdelgado").has_usable_password()


def test_without_demo_password_one_is_stored_and_kept(
    loaded: str, monkeypatch: pytest.MonkeyPatch, demo_dir: Path
) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    (demo_dir / "demo-password").unlink(missing_ok=True)
    call_command("seed_demo", stdout=StringIO())
    stored = (demo_dir / "demo-password").read_text().strip()
    assert len(stored) >= 12
    call_command("seed_demo", stdout=StringIO())
    assert (demo_dir / "demo-password").read_text().strip() == stored
    assert User.objects.get(username="admin").check_password(stored)


def test_scale_adds_exactly_that_many_invoices_that_add_up(loaded: str) -> None:
    before = Invoice.objects.count()
    first = CompanySettings.load().next_invoice_number
    call_command("seed_demo", scale=500, stdout=StringIO())
    added = Invoice.objects.filter(number__gte=first)
    assert Invoice.objects.count() == before + 500
    assert added.count() == 500
    assert set(added.values_list("number", flat=True)) == set(range(first, first + 500))
    assert CompanySettings.load().next_invoice_number == first + 500
    assert_totals_add_up(added)
    for invoice in added.exclude(distribution_approved_at=None).prefetch_related("distribution"):
        amounts = [line.amount for line in invoice.distribution.all()]
        assert policies.is_satisfactory(amounts, invoice.total)
    assert added.filter(stage__in=[Stage.PROCESSED, Stage.PAID]).count() > 250
    assert added.filter(type=InvoiceType.CORRECTION, corrects__isnull=False).exists() or (
        not added.filter(type=InvoiceType.CORRECTION).exists()
    )
    assert not added.exclude(type=InvoiceType.CORRECTION).filter(total__lt=Decimal(0)).exists()
