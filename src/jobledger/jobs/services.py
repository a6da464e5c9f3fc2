"""Every change to a job: create, edit, close, reopen, delete.

Setting a job to Billed happens only when its Complete invoice is saved
(see invoicing.services.invoice_create).
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jobledger.core.audit import audit
from jobledger.core.errors import DomainError, PermissionRefused
from jobledger.core.roles import ADMINISTRATOR, PROJECT_MANAGER, Actor, has_role, require_role
from jobledger.customers.models import Customer
from jobledger.jobs.models import BillingType, Department, Job, JobStatus

EDITABLE_FIELDS = (
    "name", "customer", "project_manager", "billing_type", "contract_price",
    "po_number", "department", "site_address",
)  # fmt: skip


class JobError(DomainError):
    pass


def require_job_manager(actor: Actor, job: Job, *, action: str) -> None:
    """Administrators act on every job; a Project Manager only on the jobs they manage."""
    require_role(actor, ADMINISTRATOR, PROJECT_MANAGER, action=action)
    if not has_role(actor, ADMINISTRATOR) and job.project_manager_id != actor.pk:
        raise PermissionRefused(f"Job {job.number} is managed by another Project Manager.")


@transaction.atomic
def job_create(
    *,
    actor: Actor,
    number: str,
    name: str,
    customer: Customer,
    project_manager: Any,
    billing_type: str,
    department: Department,
    contract_price: Decimal = Decimal("0"),
    **fields: Any,
) -> Job:
    """Open a new job."""
    require_role(actor, ADMINISTRATOR, PROJECT_MANAGER, action="create jobs")
    number = number.strip()
    if not number or not name.strip():
        raise JobError("A job needs a number and a name.")
    if Job.objects.filter(number__iexact=number).exists():
        raise JobError(f"Job number {number} is already used.")
    _check_price(billing_type, contract_price)
    job = Job.objects.create(
        number=number,
        name=name.strip(),
        customer=customer,
        project_manager=project_manager,
        billing_type=billing_type,
        department=department,
        contract_price=contract_price,
        **fields,
    )
    audit(actor=actor, action="job created", subject=job, to_value=job.get_status_display())
    return job


@transaction.atomic
def job_update(*, actor: Actor, job: Job, **changes: Any) -> Job:
    """Edit a job; a Billed job cannot be edited."""
    job = _locked(job)
    require_job_manager(actor, job, action="edit jobs")
    if job.status == JobStatus.BILLED:
        raise JobError(f"Job {job.number} is billed and can no longer be edited.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise JobError(f"These job fields cannot be changed: {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(job, field, value)
    _check_price(job.billing_type, job.contract_price)
    job.save()
    audit(actor=actor, action="job changed", subject=job, to_value=", ".join(sorted(changes)))
    return job


@transaction.atomic
def job_close(*, actor: Actor, job: Job) -> Job:
    """Production is complete: Open → Closed. Partial invoices may still follow."""
    job = _locked(job)
    require_job_manager(actor, job, action="close jobs")
    if job.status != JobStatus.OPEN:
        raise JobError(
            f"Job {job.number} is {job.get_status_display()}; only an open job can be closed."
        )
    return _set_status(actor, job, JobStatus.CLOSED)


@transaction.atomic
def job_reopen(*, actor: Actor, job: Job) -> Job:
    """Closed → Open, for work that turns out unfinished. A billed job stays billed."""
    job = _locked(job)
    require_job_manager(actor, job, action="reopen jobs")
    if job.status != JobStatus.CLOSED:
        raise JobError(
            f"Job {job.number} is {job.get_status_display()}; only a closed job can be reopened."
        )
    return _set_status(actor, job, JobStatus.OPEN)


@transaction.atomic
def job_delete(*, actor: Actor, job: Job) -> None:
    """Delete a job that has never been invoiced or billed."""
    job = _locked(job)
    require_job_manager(actor, job, action="delete jobs")
    if job.status == JobStatus.BILLED:
        raise JobError(f"Job {job.number} is billed and cannot be deleted.")
    if job.invoices.exists():
        raise JobError(f"Job {job.number} has invoices and cannot be deleted.")
    if job.dwrs.exists():
        raise JobError(f"Job {job.number} has daily work reports and cannot be deleted.")
    audit(actor=actor, action="job deleted", subject=job, from_value=job.get_status_display())
    job.delete()


def _set_status(actor: Actor, job: Job, status: JobStatus) -> Job:
    before = job.get_status_display()
    job.status = status
    job.closed_at = timezone.now() if status == JobStatus.CLOSED else job.closed_at
    job.save(update_fields=["status", "closed_at"])
    audit(actor=actor, action="job status", subject=job, from_value=before, to_value=status.label)
    return job


def _locked(job: Job) -> Job:
    return Job.objects.select_for_update().get(pk=job.pk)


def _check_price(billing_type: str, contract_price: Decimal) -> None:
    if contract_price < 0:
        raise JobError("The contract price cannot be negative.")
    if billing_type == BillingType.FIXED_PRICE and contract_price <= 0:
        raise JobError("A fixed-price job needs a contract price.")
