"""Read queries for the dashboard, the hub from which the backlogs are reached.

It looks across the domain apps and only reads,
with one aggregate query per app, whatever the size of the data.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from jobledger.core.money import ZERO
from jobledger.core.roles import ADMINISTRATOR, FIELD, PROJECT_MANAGER, AnyUser, has_role
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import Invoice, Stage
from jobledger.jobs.models import DWR, DWRStatus, Job, JobStatus


@dataclass(frozen=True)
class Figure:
    """One count on the dashboard, with its amount when the viewer may see money."""

    key: str
    label: str
    count: int
    amount: Decimal | None = None


@dataclass(frozen=True)
class DashboardSummary:
    show_money: bool
    show_my_dwrs: bool
    invoice_stages: list[Figure] = field(default_factory=list)
    jobs_by_status: list[Figure] = field(default_factory=list)
    my_dwrs: list[Figure] = field(default_factory=list)
    dwrs_awaiting_approval: int = 0
    export_batches_this_month: int = 0

    @property
    def stages(self) -> dict[str, Figure]:
        """Invoice figures by stage key, for templates: `summary.stages.admin.count`."""
        return {figure.key: figure for figure in self.invoice_stages}

    @property
    def jobs(self) -> dict[str, Figure]:
        return {figure.key: figure for figure in self.jobs_by_status}

    @property
    def dwrs(self) -> dict[str, Figure]:
        return {figure.key: figure for figure in self.my_dwrs}

    @property
    def invoice_count(self) -> int:
        return sum(figure.count for figure in self.invoice_stages)

    @property
    def my_dwr_count(self) -> int:
        return sum(figure.count for figure in self.my_dwrs)


def dashboard_summary(user: AnyUser) -> DashboardSummary:
    """What the dashboard shows `user`: money for Administrators and Project Managers,
    the user's own daily work reports for Field users. At most four queries."""
    show_money = has_role(user, ADMINISTRATOR, PROJECT_MANAGER)
    show_my_dwrs = has_role(user, FIELD)
    dwr_counts = _dwr_counts(user if show_my_dwrs else None)
    return DashboardSummary(
        show_money=show_money,
        show_my_dwrs=show_my_dwrs,
        invoice_stages=_invoice_stages() if show_money else [],
        jobs_by_status=_jobs_by_status(),
        my_dwrs=dwr_counts[1],
        dwrs_awaiting_approval=dwr_counts[0],
        export_batches_this_month=_export_batches_this_month() if show_money else 0,
    )


def _invoice_stages() -> list[Figure]:
    aggregates: dict[str, Count | Sum] = {}
    for stage in Stage:
        aggregates[f"{stage.value}_count"] = Count("id", filter=Q(stage=stage))
        aggregates[f"{stage.value}_amount"] = Sum("total", filter=Q(stage=stage))
    row = Invoice.objects.aggregate(**aggregates)
    return [
        Figure(
            key=stage.value,
            label=stage.label,
            count=row[f"{stage.value}_count"],
            amount=row[f"{stage.value}_amount"] or ZERO,
        )
        for stage in Stage
    ]


def _jobs_by_status() -> list[Figure]:
    row = Job.objects.aggregate(
        **{status.value: Count("id", filter=Q(status=status)) for status in JobStatus}
    )
    return [
        Figure(key=status.value, label=status.label, count=row[status.value])
        for status in JobStatus
    ]


def _dwr_counts(author: AnyUser | None) -> tuple[int, list[Figure]]:
    """DWRs awaiting approval company-wide and, for a Field user, their own by status."""
    aggregates = {"awaiting": Count("id", filter=Q(status=DWRStatus.SUBMITTED))}
    if author is not None:
        for status in DWRStatus:
            aggregates[status.value] = Count("id", filter=Q(author=author, status=status))
    row = DWR.objects.aggregate(**aggregates)
    mine = (
        [
            Figure(key=status.value, label=status.label, count=row[status.value])
            for status in DWRStatus
        ]
        if author is not None
        else []
    )
    return row["awaiting"], mine


def _export_batches_this_month() -> int:
    first_day = timezone.localdate().replace(day=1)
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    return ExportBatch.objects.filter(created_at__gte=start).count()
