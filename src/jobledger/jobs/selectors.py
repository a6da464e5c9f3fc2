"""Reads about jobs: the job list, approved charges and the suggested job price."""

from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from jobledger.core.money import ZERO, round_money
from jobledger.core.roles import ADMINISTRATOR, PROJECT_MANAGER, AnyUser, has_role
from jobledger.jobs.models import DWRLine, DWRStatus, Job

BILLABLE_DWR_STATUSES = (DWRStatus.APPROVED, DWRStatus.INVOICED)
JOBS_PER_PAGE = 50


def approved_charge_lines(job: Job) -> QuerySet[DWRLine]:
    """The job's time-and-materials charges: lines of its approved (or invoiced) DWRs."""
    return (
        DWRLine.objects.filter(dwr__job=job, dwr__status__in=BILLABLE_DWR_STATUSES)
        .select_related("dwr", "task")
        .order_by("dwr__work_date", "dwr_id", "kind", "id")
    )


def approved_charges(lines: list[DWRLine]) -> Decimal:
    """What approved DWR lines are worth, each line rounded as it is billed."""
    return round_money(sum((line.amount for line in lines), ZERO))


def suggested_job_price(job: Job, charges: list[DWRLine] | None = None) -> Decimal:
    """The target for invoice generation: the contract price of a fixed-price job, or the
    approved charges of a time-and-materials job."""
    if job.is_fixed_price:
        return job.contract_price
    return approved_charges(list(approved_charge_lines(job)) if charges is None else charges)


def visible_jobs(user: AnyUser) -> QuerySet[Job]:
    """Administrators see every job; a Project Manager the jobs they manage; others none."""
    jobs = Job.objects.select_related("customer", "project_manager", "department")
    if has_role(user, ADMINISTRATOR):
        return jobs
    if has_role(user, PROJECT_MANAGER):
        return jobs.filter(project_manager_id=user.pk)
    return jobs.none()


def job_list_page(
    user: AnyUser,
    *,
    status: str = "",
    customer: str = "",
    project_manager: str = "",
    billing_type: str = "",
    search: str = "",
    page: str | int | None = 1,
) -> Page:
    """One page of the job list, filtered in the database."""
    jobs = visible_jobs(user)
    if status:
        jobs = jobs.filter(status=status)
    if customer:
        jobs = jobs.filter(customer__code__iexact=customer.strip())
    if project_manager:
        jobs = jobs.filter(project_manager__username=project_manager)
    if billing_type:
        jobs = jobs.filter(billing_type=billing_type)
    if search.strip():
        text = search.strip()
        jobs = jobs.filter(
            Q(number__icontains=text)
            | Q(name__icontains=text)
            | Q(customer__code__icontains=text)
            | Q(customer__name__icontains=text)
            | Q(po_number__icontains=text)
        )
    return Paginator(jobs.order_by("number"), JOBS_PER_PAGE).get_page(page)
