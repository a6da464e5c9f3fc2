from decimal import Decimal

from jobledger.core.money import ZERO, round_money
from jobledger.jobs.models import DWRLine, DWRStatus, Job

BILLABLE_DWR_STATUSES = (DWRStatus.APPROVED, DWRStatus.INVOICED)


def approved_charges(job: Job) -> Decimal:
    """What the job's approved DWR lines are worth (each line rounded, as billed)."""
    lines = DWRLine.objects.filter(dwr__job=job, dwr__status__in=BILLABLE_DWR_STATUSES)
    return round_money(sum((line.amount for line in lines), ZERO))


def suggested_job_price(job: Job) -> Decimal:
    """The target for invoice generation: the contract price, or approved charges for T&M."""
    if job.is_fixed_price:
        return job.contract_price
    return approved_charges(job)
