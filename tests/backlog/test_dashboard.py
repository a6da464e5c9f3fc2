import re
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jobledger.backlog.selectors import dashboard_summary
from jobledger.invoicing.models import Invoice, Stage
from jobledger.jobs.models import DWR, DWRStatus


def dashboard_as(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def figure(page: str, key: str) -> str:
    """The text of the element marked data-figure="key"."""
    found = re.search(rf'data-figure="{re.escape(key)}">([^<]*)<', page)
    assert found, f"no figure {key}"
    return found.group(1).strip()


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_workflow_card_sits_in_the_middle_of_the_second_row(administrator: User) -> None:
    page = dashboard_as(administrator)
    headline, by_stage = page.index('id="headline"'), page.index('id="invoices-by-stage"')
    workflow, jobs = page.index('id="workflow"'), page.index('id="jobs"')
    assert headline < by_stage < workflow < jobs
    card = page[workflow:jobs]
    assert "Workflow" in card
    for label in (
        "DWR Approval Backlog",
        "DWR Invoice Backlog",
        "Invoice Process Backlog",
        "PM Review",
        "Distribution",
        "Export Log",
    ):
        assert label in card
    assert f'href="{reverse("invoice_process_backlog")}"' in card
    assert "Administrators" in card  # the Invoice Process Backlog is theirs


def test_everyone_sees_the_invoice_process_backlog_link(
    project_manager: User, field_user: User, outsider: User
) -> None:
    for user in (project_manager, field_user, outsider):
        page = dashboard_as(user)
        workflow = page[page.index('id="workflow"') :]
        assert f'href="{reverse("invoice_process_backlog")}"' in workflow


def test_counts_match_the_invoices(
    administrator: User, make_invoice: Callable[..., Invoice]
) -> None:
    make_invoice(Stage.DRAFT, "10.00")
    make_invoice(Stage.PM_REVIEW, "20.00")
    make_invoice(Stage.ADMIN, "1250.50")
    make_invoice(Stage.ADMIN, "749.50")
    make_invoice(Stage.PROCESSED, "300.00")
    make_invoice(Stage.PROCESSED, "300.00")
    make_invoice(Stage.PROCESSED, "300.00")

    page = dashboard_as(administrator)

    expected = {"draft": "1", "pm_review": "1", "admin": "2", "processed": "3", "paid": "0"}
    for stage, count in expected.items():
        assert figure(page, f"stage-{stage}") == count
    assert figure(page, "stage-admin-amount") == "2,000.00"
    assert figure(page, "stage-processed-amount") == "900.00"
    assert figure(page, "headline-admin") == "2"
    assert figure(page, "headline-admin-amount") == "2,000.00"


def test_field_user_sees_own_dwrs_and_no_money(
    administrator: User,
    field_user: User,
    make_invoice: Callable[..., Invoice],
    make_dwr: Callable[..., DWR],
) -> None:
    make_invoice(Stage.ADMIN, "98765.43")
    make_dwr(field_user, DWRStatus.DRAFT)
    make_dwr(field_user, DWRStatus.SUBMITTED)
    make_dwr(field_user, DWRStatus.SUBMITTED)
    make_dwr(administrator, DWRStatus.SUBMITTED)  # someone else's

    assert "98,765.43" in dashboard_as(administrator)
    page = dashboard_as(field_user)

    assert "98,765.43" not in page
    assert 'id="invoices-by-stage"' not in page
    assert "Amount (" not in page
    assert figure(page, "my-dwrs-draft") == "1"
    assert figure(page, "my-dwrs-submitted") == "2"
    assert figure(page, "my-dwrs-approved") == "0"
    assert 'id="workflow"' in page


def test_user_without_a_role_is_told_so(
    outsider: User, make_invoice: Callable[..., Invoice]
) -> None:
    make_invoice(Stage.ADMIN, "4321.00")
    page = dashboard_as(outsider)
    assert "Your account has no role yet" in page
    assert "4,321.00" not in page


def test_navigation_follows_the_role(administrator: User, project_manager: User) -> None:
    admin_page = dashboard_as(administrator)
    assert f'href="{reverse("admin:index")}"' in admin_page
    pm_page = dashboard_as(project_manager)
    assert f'href="{reverse("admin:index")}"' not in pm_page
    assert "Project Manager" in pm_page


def test_summary_takes_a_fixed_number_of_queries(
    administrator: User,
    make_invoice: Callable[..., Invoice],
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for _ in range(5):
        make_invoice(Stage.ADMIN, "10.00")
    administrator = User.objects.get(pk=administrator.pk)  # no cached roles
    # roles, invoices, jobs, DWRs, export batches
    with django_assert_num_queries(5):
        summary = dashboard_summary(administrator)
    assert summary.stages["admin"].count == 5


def test_page_takes_the_same_queries_whatever_the_data(
    administrator: User,
    make_invoice: Callable[..., Invoice],
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = Client()
    client.force_login(administrator)
    client.get(reverse("dashboard"))  # company settings exist from here on
    # session, user, roles, company settings, and the summary's four
    with django_assert_num_queries(8):
        client.get(reverse("dashboard"))
    for _ in range(20):
        make_invoice(Stage.PROCESSED, "10.00")
    with django_assert_num_queries(8):
        client.get(reverse("dashboard"))
