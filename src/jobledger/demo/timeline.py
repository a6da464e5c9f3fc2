"""Moving the demo's timestamps back to the days the plan says things happened.

The services stamp everything with the moment of loading; a believable company needs its
year of history spread over that year. Every timestamp the services wrote is moved with its
audit event, so an invoice's history reads in order: created, submitted, approved,
distributed, exported, processed, paid, posted.
"""

import datetime

from django.utils import timezone

from jobledger.core.models import AuditEvent
from jobledger.demo.billing import InvoicePlan
from jobledger.demo.bulk import update_rows
from jobledger.demo.company import Built
from jobledger.demo.dates import DAY, Calendar, at, next_workday, workday
from jobledger.demo.office import OfficeRecord
from jobledger.demo.plan import JobPlan
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import (
    POLICY_TYPE,
    Invoice,
    InvoiceType,
    InvoicingPolicy,
    ProcessBatch,
)
from jobledger.jobs.models import Job

Moment = datetime.datetime
HOUR = datetime.timedelta(hours=1)
INVOICE_FIELDS = (
    "created_at", "updated_at", "processed_at", "paid_at", "posted_at",
    "distribution_approved_at", "last_exported_at",
)  # fmt: skip
# Which moment of an invoice's life each audit action records.
ACTION_MOMENT = {
    "invoice created": "created",
    "invoice submitted": "submitted",
    "invoice approved": "approved",
    "distribution by policy": "distributed",
    "distribution saved": "distributed",
    "distribution approved": "distributed",
    "accounting reference": "reference",
    "invoice processed": "processed",
    "invoice paid": "paid",
    "invoice posted": "posted",
}


def backdate(
    *,
    plans: list[InvoicePlan],
    job_plans: list[JobPlan],
    built: Built,
    record: OfficeRecord,
    calendar: Calendar,
) -> None:
    batch_moments, renamed = _backdate_batches(record)
    moments = {
        plan.db_id: _moments(index, plan, record, batch_moments, calendar)
        for index, plan in enumerate(plans)
        if plan.db_id
    }
    _backdate_invoices(moments)
    billed_at: dict[int, Moment | None] = {
        plan.job.index: moments[plan.db_id]["created"]
        for plan in plans
        if plan.db_id and POLICY_TYPE[InvoicingPolicy(plan.policy)] == InvoiceType.COMPLETE
    }
    job_moments = _backdate_jobs(job_plans, built.jobs, billed_at)
    setup = at(calendar.first_day, 9)
    _backdate_audit(moments, job_moments, renamed, record, setup)


def _moments(
    index: int,
    plan: InvoicePlan,
    record: OfficeRecord,
    batch_moments: dict[int, list[Moment]],
    calendar: Calendar,
) -> dict[str, Moment | None]:
    created = at(plan.invoice_date, 8 + index % 9, (index * 7) % 60)
    approved = at(min(next_workday(plan.invoice_date + DAY), calendar.today), 9, 40)
    if plan.run:
        distributed = at(plan.run, 8, 30)
        processed = at(plan.run, 11)
    else:
        distributed = max(approved + HOUR, at(workday(calendar.today - DAY), 15))
        processed = None
    reference_day = record.references.get(plan.db_id or 0)
    exported = batch_moments.get(plan.db_id or 0, [])
    return {
        "created": created,
        "submitted": min(created + 2 * HOUR, timezone.now()),
        "approved": max(approved, created + 3 * HOUR),
        "distributed": distributed,
        "exported": max(exported) if exported else None,
        "processed": processed,
        "reference": at(reference_day, 9, 30) if reference_day else None,
        "paid": at(plan.paid_on, 14) if plan.paid_on else None,
        "posted": at(plan.posted_on, 17) if plan.posted_on else None,
    }


def _backdate_invoices(moments: dict[int, dict[str, Moment | None]]) -> None:
    rows = []
    for row in Invoice.objects.filter(pk__in=moments).only(*INVOICE_FIELDS):
        when = moments[row.pk]
        rows.append(
            (
                row.pk,
                when["created"],
                max(v for v in when.values() if v is not None),
                row.processed_at and when["processed"],
                row.paid_at and when["paid"],
                row.posted_at and when["posted"],
                row.distribution_approved_at and when["distributed"],
                row.last_exported_at and when["exported"],
            )
        )
    update_rows(Invoice, INVOICE_FIELDS, rows)


def _backdate_batches(
    record: OfficeRecord,
) -> tuple[dict[int, list[Moment]], dict[str, tuple[str, Moment]]]:
    """Export and process batches on their run days; export file names follow the new date."""
    per_invoice: dict[int, list[Moment]] = {}
    renamed: dict[str, tuple[str, Moment]] = {}
    for entry in record.exports:
        batch = entry.batch
        moment = at(entry.day, 9 if batch.include_already_exported else 10)
        name = _renamed(batch, moment)
        renamed[batch.file_name] = (name, moment)
        confirmed = at(entry.confirmed, 9, 15) if entry.confirmed else None
        ExportBatch.objects.filter(pk=batch.pk).update(
            created_at=moment, file_name=name, import_confirmed_at=confirmed
        )
        for invoice_id in batch.invoices.values_list("pk", flat=True):
            per_invoice.setdefault(invoice_id, []).append(moment)
    for process, day in record.processes:
        ProcessBatch.objects.filter(pk=process.pk).update(created_at=at(day, 11))
    return per_invoice, renamed


def _renamed(batch: ExportBatch, moment: Moment) -> str:
    start = len(batch.prefix)
    return f"{batch.prefix}{timezone.localtime(moment):%Y%m%d}{batch.file_name[start + 8 :]}"


def _backdate_jobs(
    plans: list[JobPlan], jobs: dict[int, Job], billed_at: dict[int, Moment | None]
) -> dict[int, dict[str, Moment | None]]:
    moments: dict[int, dict[str, Moment | None]] = {}
    for plan in plans:
        moments[jobs[plan.index].pk] = {
            "Open": at(workday(plan.start - 4 * DAY), 10, 20),
            "Closed": at(plan.close_date, 16) if plan.close_date else None,
            "Billed": billed_at.get(plan.index),
        }
    rows = [(pk, when["Open"], when["Closed"]) for pk, when in moments.items()]
    update_rows(Job, ["created_at", "closed_at"], rows)
    return moments


def _backdate_audit(
    invoices: dict[int, dict[str, Moment | None]],
    jobs: dict[int, dict[str, Moment | None]],
    renamed: dict[str, tuple[str, Moment]],
    record: OfficeRecord,
    setup: Moment,
) -> None:
    confirmed = {e.batch.pk: at(e.confirmed, 9, 15) for e in record.exports if e.confirmed}
    rows = []
    events = AuditEvent.objects.only(
        "at", "detail", "subject_type", "subject_id", "action", "to_value"
    )
    for event in events:
        moment = _event_moment(event, invoices, jobs, renamed, confirmed, setup)
        if moment is not None:
            rows.append((event.pk, moment, event.detail))
    update_rows(AuditEvent, ["at", "detail"], rows)


def _event_moment(
    event: AuditEvent,
    invoices: dict[int, dict[str, Moment | None]],
    jobs: dict[int, dict[str, Moment | None]],
    renamed: dict[str, tuple[str, Moment]],
    confirmed: dict[int, Moment],
    setup: Moment,
) -> Moment | None:
    kind, subject = event.subject_type, event.subject_id
    if kind == "invoicing.invoice" and subject in invoices:
        if event.action == "invoice exported" and event.detail in renamed:
            event.detail, moment = renamed[event.detail]
            return moment
        return invoices[subject].get(ACTION_MOMENT.get(event.action, ""))
    if kind == "jobs.job" and subject in jobs:
        return jobs[subject].get("Open" if event.action == "job created" else event.to_value)
    if kind == "exports.exportbatch":
        return confirmed.get(subject)
    if event.action in ("customer created", "category mapped"):
        return setup
    return None
