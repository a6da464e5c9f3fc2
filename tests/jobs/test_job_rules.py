"""Job rules: Open → Closed → Billed, who may act on a job, and what blocks a delete."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.invoicing.models import InvoicingPolicy
from jobledger.jobs.models import DWR, BillingType, DWRStatus, Job, JobStatus
from jobledger.jobs.services import job_close, job_create, job_delete, job_reopen, job_update
from tests.factories import CustomerFactory, DepartmentFactory, make_invoice


def set_status(job: Job, status: str) -> Job:
    Job.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    return job


def new_job_kwargs(project_manager, **overrides):
    values = {
        "number": "J-9000",
        "name": "Main Street culvert",
        "customer": CustomerFactory(),
        "project_manager": project_manager,
        "billing_type": BillingType.TIME_AND_MATERIALS,
        "department": DepartmentFactory(),
    }
    return values | overrides


# Close and reopen


def test_close_moves_open_job_to_closed_and_records_the_change(project_manager, job) -> None:
    job_close(actor=project_manager, job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED
    assert job.closed_at is not None
    event = events_for(job).get(action="job status")
    assert (event.actor, event.from_value, event.to_value) == (project_manager, "Open", "Closed")


@pytest.mark.parametrize("status", [JobStatus.CLOSED, JobStatus.BILLED])
def test_close_refused_unless_job_is_open(refused, project_manager, job, status) -> None:
    set_status(job, status)

    with refused("only an open job can be closed", job):
        job_close(actor=project_manager, job=job)


def test_reopen_moves_closed_job_back_to_open_and_records_the_change(project_manager, job) -> None:
    job_close(actor=project_manager, job=job)

    job_reopen(actor=project_manager, job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.OPEN
    event = events_for(job).filter(action="job status").first()
    assert (event.from_value, event.to_value) == ("Closed", "Open")


@pytest.mark.parametrize("status", [JobStatus.OPEN, JobStatus.BILLED])
def test_reopen_refused_unless_job_is_closed(refused, project_manager, job, status) -> None:
    set_status(job, status)

    with refused("only a closed job can be reopened", job):
        job_reopen(actor=project_manager, job=job)


# Edit


def test_edit_changes_job_and_records_which_fields(project_manager, job) -> None:
    job_update(actor=project_manager, job=job, name="Bridge deck", po_number="PO-77")

    job.refresh_from_db()
    assert (job.name, job.po_number) == ("Bridge deck", "PO-77")
    assert events_for(job).get(action="job changed").to_value == "name, po_number"


def test_billed_job_cannot_be_edited(refused, project_manager, job) -> None:
    set_status(job, JobStatus.BILLED)

    with refused(f"Job {job.number} is billed and can no longer be edited.", job):
        job_update(actor=project_manager, job=job, name="Renamed")


def test_edit_cannot_set_the_status_directly(refused, project_manager, job) -> None:
    with refused("These job fields cannot be changed: status.", job):
        job_update(actor=project_manager, job=job, status=JobStatus.BILLED)


# Fixed price needs a price


def test_fixed_price_job_cannot_be_created_without_contract_price(refused, project_manager) -> None:
    kwargs = new_job_kwargs(project_manager, billing_type=BillingType.FIXED_PRICE)

    with refused("A fixed-price job needs a contract price."):
        job_create(actor=project_manager, **kwargs)


def test_fixed_price_job_with_contract_price_is_created_and_recorded(project_manager) -> None:
    kwargs = new_job_kwargs(
        project_manager, billing_type=BillingType.FIXED_PRICE, contract_price=Decimal("12500.00")
    )

    job = job_create(actor=project_manager, **kwargs)

    job.refresh_from_db()
    assert (job.status, job.contract_price) == (JobStatus.OPEN, Decimal("12500.00"))
    assert events_for(job).get(action="job created").actor == project_manager


def test_switching_job_to_fixed_price_without_contract_price_refused(
    refused, project_manager, job
) -> None:
    with refused("A fixed-price job needs a contract price.", job):
        job_update(actor=project_manager, job=job, billing_type=BillingType.FIXED_PRICE)


def test_negative_contract_price_refused(refused, project_manager) -> None:
    kwargs = new_job_kwargs(project_manager, contract_price=Decimal("-1.00"))

    with refused("The contract price cannot be negative."):
        job_create(actor=project_manager, **kwargs)


def test_job_number_cannot_be_used_twice(refused, project_manager, job) -> None:
    kwargs = new_job_kwargs(project_manager, number=job.number.lower())

    with refused(f"Job number {job.number.lower()} is already used."):
        job_create(actor=project_manager, **kwargs)


# Delete


def test_job_without_invoices_or_reports_is_deleted_and_recorded(project_manager, job) -> None:
    job_pk, number = job.pk, job.number

    job_delete(actor=project_manager, job=job)

    assert not Job.objects.filter(pk=job_pk).exists()
    assert events_for(job).get(action="job deleted").subject_label.startswith(number)


def test_billed_job_cannot_be_deleted(refused, project_manager, job) -> None:
    set_status(job, JobStatus.BILLED)

    with refused(f"Job {job.number} is billed and cannot be deleted.", job):
        job_delete(actor=project_manager, job=job)


@pytest.mark.parametrize("status", [JobStatus.OPEN, JobStatus.CLOSED])
def test_job_with_an_invoice_cannot_be_deleted(refused, project_manager, job, status) -> None:
    make_invoice(actor=project_manager, job=job, policy=InvoicingPolicy.PROGRESS_ITEMIZED)
    set_status(job, status)

    with refused(f"Job {job.number} has invoices and cannot be deleted.", job):
        job_delete(actor=project_manager, job=job)


def test_job_with_a_daily_work_report_cannot_be_deleted(
    refused, project_manager, field_user, job
) -> None:
    DWR.objects.create(
        job=job,
        work_date=timezone.localdate() - datetime.timedelta(days=1),
        author=field_user,
        status=DWRStatus.DRAFT,
    )

    with refused("has daily work reports and cannot be deleted", job):
        job_delete(actor=project_manager, job=job)


# Who may act on a job


JOB_ACTIONS = [
    pytest.param(JobStatus.OPEN, lambda actor, job: job_close(actor=actor, job=job), id="close"),
    pytest.param(
        JobStatus.CLOSED, lambda actor, job: job_reopen(actor=actor, job=job), id="reopen"
    ),
    pytest.param(
        JobStatus.OPEN, lambda actor, job: job_update(actor=actor, job=job, name="X"), id="edit"
    ),
    pytest.param(JobStatus.OPEN, lambda actor, job: job_delete(actor=actor, job=job), id="delete"),
]


@pytest.mark.parametrize(("status", "action"), JOB_ACTIONS)
def test_project_manager_cannot_act_on_another_managers_job(
    refused, other_project_manager, job, status, action
) -> None:
    set_status(job, status)

    with refused("is managed by another Project Manager", job, error=PermissionRefused):
        action(other_project_manager, job)


@pytest.mark.parametrize(("status", "action"), JOB_ACTIONS)
@pytest.mark.parametrize("user", ["field_user", "outsider"])
def test_field_users_and_outsiders_cannot_act_on_jobs(
    refused, request, job, status, action, user
) -> None:
    actor = request.getfixturevalue(user)
    set_status(job, status)

    with refused("Only Administrators or Project Managers can", job, error=PermissionRefused):
        action(actor, job)


@pytest.mark.parametrize("user", ["field_user", "outsider"])
def test_field_users_and_outsiders_cannot_create_jobs(
    refused, request, project_manager, user
) -> None:
    kwargs = new_job_kwargs(project_manager)

    message = "Only Administrators or Project Managers can create jobs."
    with refused(message, error=PermissionRefused):
        job_create(actor=request.getfixturevalue(user), **kwargs)


@pytest.mark.parametrize(("status", "action"), JOB_ACTIONS)
def test_administrator_acts_on_any_job(administrator, job, status, action) -> None:
    set_status(job, status)

    action(administrator, job)

    assert events_for(job).filter(actor=administrator).exists()
