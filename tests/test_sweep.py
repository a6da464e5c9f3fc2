"""Every URL pattern, requested as every role: the expected status, and never a 500.

The tables below are the contract. A new URL pattern or a new admin model fails
`test_every_url_pattern_is_in_the_tables` until someone writes down who may see it.
"""

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jobledger.core.models import AuditEvent, CompanySettings
from jobledger.core.roles import ADMINISTRATOR, FIELD, PROJECT_MANAGER, ensure_role_groups
from jobledger.customers.models import Customer, TaxCode
from jobledger.documents.services import document_job_start
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import (
    Invoice,
    InvoiceLine,
    InvoiceType,
    InvoicingPolicy,
    ProcessBatch,
)
from jobledger.jobs.models import (
    DWR,
    BillingType,
    Department,
    DWRLine,
    FixedPriceRequest,
    Job,
    Task,
)
from jobledger.ledger.models import DistributionCategory, GLAccount, LedgerSettings

# Columns of every row, in this order.
ROLES = ("anonymous", "administrator", "project_manager", "field", "outsider")
ROLE_GROUP = {"administrator": ADMINISTRATOR, "project_manager": PROJECT_MANAGER, "field": FIELD}

LOGIN = "302 → login"  # sent to the login page
ADMIN_LOGIN = "302 → admin login"  # sent to the Django admin's login page
ADMIN_INDEX = "302 → admin index"
CHANGE_PAGE = "302 → change page"
_ = ADMIN_LOGIN  # everyone but the Administrator, on the admin site

# The project's own pages, by URL name.
#                                anonymous  administrator  project_manager  field  outsider
PAGES: dict[str, tuple[object, ...]] = {
    "dashboard":                  (LOGIN, 200, 200, 200, 200),
    "login":                      (200,   200, 200, 200, 200),
    "logout":                     (405,   405, 405, 405, 405),  # POST only
    "invoice_process_backlog":    (LOGIN, 200, 403, 403, 403),  # Administrators only
    # The action modals; with nothing selected they say so.
    "invoice_process_export":     (LOGIN, 200, 403, 403, 403),
    "invoice_process_process":    (LOGIN, 200, 403, 403, 403),
    "invoice_process_undo":       (LOGIN, 200, 403, 403, 403),
    "invoice_process_pdfs":       (405,   405, 405, 405, 405),  # POST only
    "dwr_approval_backlog":       (LOGIN, 200, 200, 200, 200),
    "dwr_invoice_backlog":        (LOGIN, 200, 200, 200, 200),
    "pm_review":                  (LOGIN, 200, 200, 200, 200),
    "distribution_search":        (LOGIN, 200, 403, 403, 403),  # Administrators only
    "gl_account_lookup":          (LOGIN, 200, 403, 403, 403),
    "post_invoices":              (LOGIN, 200, 403, 403, 403),
    "invoice_find":               (LOGIN, 200, 403, 403, 403),
    "invoice_journal":            (LOGIN, 200, 403, 403, 403),
    "invoice_date_settings":      (LOGIN, 200, 403, 403, 403),
    "accounting_settings":        (LOGIN, 200, 403, 403, 403),
    "gl_accounts":                (LOGIN, 200, 403, 403, 403),
    "distribution_categories":    (LOGIN, 200, 403, 403, 403),
    "job_list":                   (LOGIN, 200, 200, 403, 403),  # Field sees no jobs list
    "export_log":                 (LOGIN, 200, 403, 403, 403),  # Administrators only
    "customer_export":            (405,   405, 405, 405, 405),  # POST only
    "company_settings":           (LOGIN, 200, 403, 403, 403),  # Administrators only
    "customer_list":              (LOGIN, 200, 403, 403, 403),  # Administrators only
    "document_job_create":        (405,   405, 405, 405, 405),  # POST only
    "document_settings":          (LOGIN, 200, 403, 403, 403),  # Administrators only
    "word_template_download":     (LOGIN, 200, 403, 403, 403),
    "word_template_upload":       (405,   405, 405, 405, 405),  # POST only
    "word_template_reset":        (405,   405, 405, 405, 405),  # POST only
}  # fmt: skip

# The project's pages about one row, by URL name: the row's model, then the statuses
# in the columns above (anonymous, administrator, project_manager, field, outsider).
OBJECT_PAGES: dict[str, tuple[str, tuple[object, ...]]] = {
    "export_batch_detail":         ("exports.exportbatch", (LOGIN, 200, 403, 403, 403)),
    # The sweep's invoice is a Draft, not yet in the backlog; its job is the Administrator's.
    "invoice_process_details":     ("invoicing.invoice",   (LOGIN, 404, 403, 403, 403)),
    "invoice_detail":              ("invoicing.invoice",   (LOGIN, 200, 403, 403, 403)),
    "invoice_edit":                ("invoicing.invoice",   (LOGIN, 200, 403, 403, 403)),
    "invoice_delete":              ("invoicing.invoice",   (LOGIN, 200, 403, 403, 403)),
    "invoice_post":                ("invoicing.invoice",   (405,   405, 405, 405, 405)),  # POST
    # No such task: the tests' task backend keeps no results.
    "invoice_process_export_progress": (
        "django_tasks_database.dbtaskresult", (LOGIN, 404, 403, 403, 403)),
    "export_batch_download":       ("exports.exportbatch", (LOGIN, 200, 403, 403, 403)),
    "export_batch_confirm_import": ("exports.exportbatch", (405,   405, 405, 405, 405)),  # POST
    "customer_edit":               ("customers.customer",  (LOGIN, 200, 403, 403, 403)),
    # The fixture's job is the Administrator's, so the Project Manager manages none of it.
    "invoice_pdf":                 ("invoicing.invoice",   (LOGIN, 200, 403, 403, 403)),
    "invoice_docx":                ("invoicing.invoice",   (LOGIN, 200, 403, 403, 403)),
    "document_job":                ("documents.documentjob", (LOGIN, 200, 403, 403, 403)),
    "document_job_download":       ("documents.documentjob", (LOGIN, 200, 403, 403, 403)),
    # The sweep's job is managed by the Administrator, so the Project Manager is refused.
    "job_detail":                  ("jobs.job",            (LOGIN, 200, 403, 403, 403)),
    "job_status":                  ("jobs.job",            (405,   405, 405, 405, 405)),  # POST
    "invoice_new":                 ("jobs.job",            (LOGIN, 200, 403, 403, 403)),
    "invoice_distribution":        ("invoicing.invoice",   (LOGIN, 200, 403, 403, 403)),
    "gl_account_edit":             ("ledger.glaccount",    (LOGIN, 200, 403, 403, 403)),
}  # fmt: skip

# The Django admin's own pages. Only staff (the Administrator here) get in.
#                                anonymous    administrator  project_manager  field  outsider
ADMIN_SITE: dict[str, tuple[object, ...]] = {
    "admin:index":                (_,           200,         _,   _,   _),
    "admin:login":                (200,         ADMIN_INDEX, 200, 200, 200),
    "admin:logout":               (ADMIN_INDEX, 405,         ADMIN_INDEX, ADMIN_INDEX, ADMIN_INDEX),
    "admin:password_change":      (_,           200,         _,   _,   _),
    "admin:password_change_done": (_,           200,         _,   _,   _),
    "admin:jsi18n":               (_,           200,         _,   _,   _),
    "admin:autocomplete":         (_,           403,         _,   _,   _),  # needs a query
    "admin:view_on_site":         (_,           404,         _,   _,   _),  # no public pages
    "(catch-all)":                (_,           404,         _,   _,   _),
}  # fmt: skip

# Each registered model's admin pages, as the Administrator sees them; everyone else is
# sent to the admin login. Invoices, batches and audit events are written by the services
# alone, so the admin neither adds nor deletes them; settings are a single row.
#                               changelist  add  change  history  delete
ADMIN_MODELS: dict[str, tuple[object, ...]] = {
    "core.companysettings":          (200, 403, 200, 200, 403),
    "core.auditevent":               (200, 403, 200, 200, 403),
    "customers.taxcode":             (200, 200, 200, 200, 200),
    "customers.customer":            (200, 200, 200, 200, 200),
    "jobs.department":               (200, 200, 200, 200, 200),
    "jobs.task":                     (200, 200, 200, 200, 200),
    "jobs.job":                      (200, 200, 200, 200, 200),
    "jobs.dwr":                      (200, 200, 200, 200, 200),
    "jobs.fixedpricerequest":        (200, 200, 200, 200, 200),
    "invoicing.invoice":             (200, 403, 200, 200, 403),
    "invoicing.processbatch":        (200, 403, 200, 200, 403),
    "ledger.glaccount":              (200, 200, 200, 200, 200),
    "ledger.distributioncategory":   (200, 200, 200, 200, 200),
    "ledger.ledgersettings":         (200, 403, 200, 200, 403),
    "exports.exportbatch":           (200, 403, 200, 200, 403),
    # Administrators manage logins and roles but delete no user; they hold no permission
    # on task results.
    "auth.user":                     (200, 200, 200, 200, 403),
    "auth.group":                    (200, 403, 200, 200, 403),
    # No task has run in the test database: history of a missing row goes to the index.
    "django_tasks_database.dbtaskresult": (403, 403, 403, ADMIN_INDEX, 403),
}  # fmt: skip
ADMIN_MODEL_PAGES = ("changelist", "add", "change", "history", "delete")

# An app's admin index: 404 when the Administrator may see none of its models.
ADMIN_APPS: dict[str, int] = {
    "core": 200, "customers": 200, "jobs": 200, "invoicing": 200, "ledger": 200,
    "exports": 200, "auth": 200, "django_tasks_database": 404,
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    pattern: str
    url: str
    expected: tuple[object, ...]


def walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route, namespaced name or "") for every URL pattern, resolvers followed down."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else ""


def admin_model_rows(label: str, pk: object) -> Iterator[tuple[str, str, tuple[object, ...]]]:
    app_label, model_name = label.split(".")
    for page, status in zip(ADMIN_MODEL_PAGES, ADMIN_MODELS[label], strict=True):
        name = f"admin:{app_label}_{model_name}_{page}"
        args = [] if page in ("changelist", "add") else [pk]
        yield name, reverse(name, args=args), (_, status, _, _, _)


def cases(objects: dict[str, object]) -> tuple[list[Case], list[str]]:
    """The requests to make, and the patterns that no table covers."""
    rows: dict[str, tuple[str, tuple[object, ...]]] = {}
    for label, pk in objects.items():
        if label not in ADMIN_MODELS:
            continue  # a row only our own pages show
        for name, url, expected in admin_model_rows(label, pk):
            rows[name] = (url, expected)
        # `<id>/` of each model forwards to the change page.
        rows[f"{label} object"] = (
            f"{reverse('admin:index')}{label.replace('.', '/')}/{pk}/",
            (_, CHANGE_PAGE, _, _, _),
        )
    uncovered: list[str] = []
    found: list[Case] = []
    for route, name in walk(get_resolver().url_patterns):
        matched = list(_cases_for(route, name, rows, objects))
        if not matched:
            uncovered.append(f"{route} ({name or 'unnamed'})")
        found += matched
    return found, uncovered


def _cases_for(
    route: str,
    name: str,
    rows: dict[str, tuple[str, tuple[object, ...]]],
    objects: dict[str, object],
) -> Iterator[Case]:
    if name in PAGES:
        yield Case(name, reverse(name), PAGES[name])
    elif name in OBJECT_PAGES:
        label, expected = OBJECT_PAGES[name]
        yield Case(name, reverse(name, args=[objects[label]]), expected)
    elif name == "admin:app_list":
        for app_label, status in ADMIN_APPS.items():
            url = reverse(name, kwargs={"app_label": app_label})
            yield Case(f"{name} {app_label}", url, (_, status, _, _, _))
    elif name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(Customer)
        url = reverse(name, args=[content_type.pk, objects["customers.customer"]])
        yield Case(name, url, ADMIN_SITE[name])
    elif name == "admin:auth_user_password_change":
        url = reverse(name, args=[objects["auth.user"]])
        yield Case(name, url, (_, 200, _, _, _))
    elif name in ADMIN_SITE:
        yield Case(name, reverse(name), ADMIN_SITE[name])
    elif name in rows:
        yield Case(name, *rows[name])
    elif not name and route.endswith("(?P<url>.*)$"):
        yield Case(
            "(catch-all)", reverse("admin:index") + "no-such-page/", ADMIN_SITE["(catch-all)"]
        )
    elif not name and route.endswith("<path:object_id>/"):
        label = ".".join(route.removeprefix("django-admin/").split("/")[:2])
        if label in objects:
            yield Case(f"{label} object", *rows[f"{label} object"])


def make_user(role: str | None, username: str) -> User:
    """A user with one role (a Django group), or none; the Administrator is staff."""
    user = User.objects.create_user(username=username, is_staff=role == "administrator")
    if role in ROLE_GROUP:
        user.groups.add(Group.objects.get(name=ROLE_GROUP[role]))
    return user


@pytest.fixture
def users(db: None) -> dict[str, User | None]:
    ensure_role_groups()
    return {
        "anonymous": None,
        "administrator": make_user("administrator", "sweep-admin"),
        "project_manager": make_user("project_manager", "sweep-pm"),
        "field": make_user("field", "sweep-field"),
        "outsider": make_user(None, "sweep-outsider"),
    }


@pytest.fixture
def objects(users: dict[str, User | None], settings, tmp_path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """One row of every model the admin shows, so that its object pages are requested."""
    settings.MEDIA_ROOT = tmp_path  # the print and the cached PDF it makes
    admin_user = users["administrator"]
    assert admin_user is not None
    today = datetime.date(2025, 3, 14)
    tax = TaxCode.objects.create(code="TX", name="Texas", rate=Decimal("8.2500"))
    customer = Customer.objects.create(code="ACME", name="Acme Builders", tax_code=tax)
    department = Department.objects.create(code="ELEC", name="Electrical")
    task = Task.objects.create(code="LAB-J", name="Journeyman", kind="labor", rate=Decimal("85"))
    job = Job.objects.create(
        number="J-100",
        name="Warehouse lighting",
        customer=customer,
        project_manager=admin_user,
        billing_type=BillingType.TIME_AND_MATERIALS,
        department=department,
    )
    dwr = DWR.objects.create(job=job, work_date=today, author=admin_user)
    DWRLine.objects.create(
        dwr=dwr, kind="labor", task=task, quantity=Decimal("8"), rate=Decimal("85")
    )
    request = FixedPriceRequest.objects.create(
        job=job, requested_by=admin_user, amount=Decimal("100")
    )
    invoice = Invoice.objects.create(
        number=1001,
        job=job,
        customer=customer,
        type=InvoiceType.PARTIAL,
        policy=InvoicingPolicy.PROGRESS_ITEMIZED,
        invoice_date=today,
        due_date=today,
        subtotal=Decimal("680.00"),
        total=Decimal("680.00"),
        created_by=admin_user,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        kind="labor",
        description="Journeyman",
        quantity=Decimal("8"),
        rate=Decimal("85"),
        amount=Decimal("680.00"),
    )
    process_batch = ProcessBatch.objects.create(created_by=admin_user)
    process_batch.invoices.add(invoice)
    account = GLAccount.objects.create(code="1200", name="Accounts receivable", type="asset")
    category = DistributionCategory.objects.create(
        policy="category", key="labor", label="Labor", account=account
    )
    batch = ExportBatch.objects.create(
        format="csv",
        file_name="20250314_ACME_Batch.csv",
        content=b"a,b\n",
        checksum="0" * 64,
        created_by=admin_user,
    )
    batch.invoices.add(invoice)
    event = AuditEvent.objects.create(
        actor=admin_user,
        action="invoice created",
        subject_type="invoicing.invoice",
        subject_id=invoice.pk,
        subject_label=str(invoice),
    )
    return {
        "core.companysettings": CompanySettings.load().pk,
        "core.auditevent": event.pk,
        "customers.taxcode": tax.pk,
        "customers.customer": customer.pk,
        "jobs.department": department.pk,
        "jobs.task": task.pk,
        "jobs.job": job.pk,
        "jobs.dwr": dwr.pk,
        "jobs.fixedpricerequest": request.pk,
        "invoicing.invoice": invoice.pk,
        "invoicing.processbatch": process_batch.pk,
        "ledger.glaccount": account.pk,
        "ledger.distributioncategory": category.pk,
        "ledger.ledgersettings": LedgerSettings.load().pk,
        "exports.exportbatch": batch.pk,
        "auth.user": admin_user.pk,
        "auth.group": Group.objects.get(name=ADMINISTRATOR).pk,
        "django_tasks_database.dbtaskresult": uuid.uuid4(),
        "documents.documentjob": document_job_start(admin_user, [invoice], "zip").pk,
    }


def outcome(response, client: Client) -> object:  # type: ignore[no-untyped-def]
    """The status, or where a redirect leads, in the words of the tables."""
    if response.status_code != 302:
        return response.status_code
    target = response["Location"].split("?")[0]
    named = {
        reverse("login"): LOGIN,
        reverse("admin:login"): ADMIN_LOGIN,
        reverse("admin:index"): ADMIN_INDEX,
    }
    if target in named:
        return named[target]
    if target.endswith("/change/"):
        return CHANGE_PAGE
    return 302


def test_every_url_pattern_is_in_the_tables(objects: dict[str, object]) -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS), "add the new admin model to ADMIN_MODELS"
    assert set(ADMIN_APPS) == {label.split(".")[0] for label in registered}
    _found, uncovered = cases(objects)
    assert uncovered == [], "write down who may see these patterns"


@pytest.mark.parametrize("role", ROLES)
def test_sweep(role: str, users: dict[str, User | None], objects: dict[str, object]) -> None:
    client = Client()  # an exception in a view is raised here, so a 500 cannot pass
    if users[role] is not None:
        client.force_login(users[role])
    column = ROLES.index(role)
    found, _uncovered = cases(objects)
    assert len(found) > 100
    wrong = []
    for case in found:
        response = client.get(case.url)
        assert response.status_code < 500, f"{case.url} gave {response.status_code}"
        got = outcome(response, client)
        if got != case.expected[column]:
            wrong.append(f"{case.pattern} {case.url}: expected {case.expected[column]}, got {got}")
    assert wrong == []


# A few pages checked beyond their status.


def test_invoice_process_backlog_refuses_others_with_a_reason(
    users: dict[str, User | None],
) -> None:
    client = Client()
    client.force_login(users["project_manager"])
    response = client.get(reverse("invoice_process_backlog"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "only administrators can process and export invoices" in text.lower()
    assert f'href="{reverse("dashboard")}"' in text
    assert "Back to dashboard" in text


def test_coming_page_names_itself_and_leads_back(users: dict[str, User | None]) -> None:
    client = Client()
    client.force_login(users["administrator"])
    response = client.get(reverse("dwr_approval_backlog"))
    text = response.content.decode()
    assert "<h1>DWR Approval Backlog</h1>" in text
    assert "coming release" in text
    assert "Back to dashboard" in text


def test_login_page_logs_in_and_shows_errors(users: dict[str, User | None], settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = users["field"]
    assert user is not None
    user.set_password("a long enough password")
    user.save()
    CompanySettings.objects.filter(pk=CompanySettings.load().pk).update(name="Northwind Electric")
    client = Client()

    page = client.get(reverse("login")).content.decode()
    assert "Northwind Electric" in page
    assert ">Log in</button>" in page

    refused = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert refused.status_code == 200
    assert "Please enter a correct username and password." in refused.content.decode()

    accepted = client.post(
        reverse("login"), {"username": user.username, "password": "a long enough password"}
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("dashboard")


def test_log_out_is_a_post_form_with_csrf(users: dict[str, User | None]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["field"])
    page = client.get(reverse("dashboard")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}"' in page
    assert "csrfmiddlewaretoken" in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302
