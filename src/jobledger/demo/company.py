"""Building the planned jobs, daily work reports and invoices through the services."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User

from jobledger.demo.billing import InvoicePlan, LinePlan
from jobledger.demo.bulk import update_rows
from jobledger.demo.dates import DAY, Date, at
from jobledger.demo.plan import DWRLinePlan, DWRPlan, JobPlan
from jobledger.demo.reference import Reference
from jobledger.invoicing.models import Invoice, InvoiceLine, InvoicingPolicy
from jobledger.invoicing.services import LineInput, invoice_create
from jobledger.jobs.models import (
    DWR,
    DWRLine,
    DWRStatus,
    FixedPriceRequest,
    Job,
    JobStatus,
    RequestStatus,
)
from jobledger.jobs.services import job_close, job_create


@dataclass
class Built:
    jobs: dict[int, Job]
    invoices: dict[int, Invoice]  # by id() of the invoice's plan


def build_jobs(plans: list[JobPlan], ref: Reference, users: dict[str, User]) -> dict[int, Job]:
    jobs = {}
    for plan in plans:
        jobs[plan.index] = job_create(
            actor=users[plan.pm],
            number=plan.number,
            name=plan.name,
            customer=ref.customers[plan.customer.code],
            project_manager=users[plan.pm],
            billing_type=plan.billing_type,
            department=ref.departments[plan.department],
            contract_price=plan.contract_price,
            po_number=plan.po_number,
            site_address=plan.site_address,
        )
    return jobs


def build_dwrs(
    plans: list[JobPlan],
    jobs: dict[int, Job],
    ref: Reference,
    users: dict[str, User],
    signatures: dict[str, str],
) -> None:
    """Daily work reports, saved directly: crews file them on paper forms and tablets,
    and the office has no service for entering them yet."""
    planned = [(plan, dwr) for plan in plans for dwr in plan.dwrs]
    rows = DWR.objects.bulk_create(
        [_dwr(jobs[plan.index], users, plan, dwr, signatures) for plan, dwr in planned],
        batch_size=500,
    )
    created = [
        (row.pk, at(dwr.work_date, 17, 30)) for row, (_, dwr) in zip(rows, planned, strict=True)
    ]
    update_rows(DWR, ["created_at"], created)
    lines = [
        (line, _dwr_line(row, line, ref))
        for row, (_, dwr) in zip(rows, planned, strict=True)
        for line in dwr.lines
    ]
    saved = DWRLine.objects.bulk_create([row for _, row in lines], batch_size=1000)
    for (plan_line, _), row in zip(lines, saved, strict=True):
        plan_line.db_id = row.pk


def _dwr_line(row: DWR, line: DWRLinePlan, ref: Reference) -> DWRLine:
    return DWRLine(
        dwr=row,
        kind=line.kind,
        task=ref.tasks[line.task],
        worker=line.worker,
        description=line.description,
        units=line.units,
        quantity=line.quantity,
        rate=line.rate,
        processed=line.processed,
    )


def _dwr(
    job: Job, users: dict[str, User], plan: JobPlan, dwr: DWRPlan, signatures: dict[str, str]
) -> DWR:
    # Reports about to be billed are saved Approved; they become Invoiced once billed.
    status = DWRStatus.APPROVED if dwr.status == DWRStatus.INVOICED else dwr.status
    approved = status == DWRStatus.APPROVED
    return DWR(
        job=job,
        work_date=dwr.work_date,
        author=users[dwr.author],
        status=status,
        notes=dwr.notes,
        representative_name=dwr.representative if dwr.signed else "",
        representative_signature=signatures[dwr.representative] if dwr.signed else "",
        signed_at=at(dwr.work_date, 15, 40) if dwr.signed else None,
        approved_by=users[plan.pm] if approved else None,
        approved_at=at(dwr.work_date + DAY, 8, 15) if approved else None,
    )


def build_invoices(
    plans: list[InvoicePlan],
    job_plans: list[JobPlan],
    jobs: dict[int, Job],
    ref: Reference,
    users: dict[str, User],
) -> dict[int, Invoice]:
    """Each invoice on its day, oldest first, closing each job when its work was done."""
    events: list[tuple[Date, int, JobPlan | InvoicePlan]] = [
        (p.close_date, 0, p) for p in job_plans if p.close_date is not None
    ]
    events += [(p.invoice_date, 1, p) for p in plans]
    invoices: dict[int, Invoice] = {}
    for _, _order, plan in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(plan, JobPlan):
            job_close(actor=users[plan.pm], job=jobs[plan.index])
        else:
            invoices[id(plan)] = _invoice(plan, jobs, ref, users, invoices)
    return invoices


def _invoice(
    plan: InvoicePlan,
    jobs: dict[int, Job],
    ref: Reference,
    users: dict[str, User],
    invoices: dict[int, Invoice],
) -> Invoice:
    charges = DWRLine.objects.select_related("dwr").in_bulk([c.db_id for c in plan.dwr_lines])
    corrects = invoices[id(plan.corrects)] if plan.corrects else None
    invoice = invoice_create(
        actor=users[plan.creator],
        job=jobs[plan.job.index],
        policy=plan.policy,
        invoice_date=plan.invoice_date,
        lines=[_line_input(line, ref, charges) for line in plan.lines],
        freight=plan.freight,
        deposit_applied=plan.deposit_applied,
        notes=plan.notes.replace("{corrects}", str(corrects.number) if corrects else ""),
        corrects=corrects,
    )
    plan.db_id = invoice.pk
    return invoice


def _line_input(line: LinePlan, ref: Reference, charges: dict[int, DWRLine]) -> LineInput:
    return LineInput(
        kind=line.kind,
        description=line.description,
        rate=line.rate,
        quantity=line.quantity,
        taxable=line.taxable,
        unit=line.unit,
        task=ref.tasks[line.task] if line.task else None,
        dwr_line=charges[line.dwr_line.db_id] if line.dwr_line and line.dwr_line.db_id else None,
    )


def build_fixed_price_requests(
    plans: list[InvoicePlan],
    jobs: dict[int, Job],
    users: dict[str, User],
    today: Date,
    invoices: dict[int, Invoice],
) -> None:
    """The project managers' requests behind each progress bill of fixed-price work, each
    linked to the invoice line that billed it, and a few new ones still waiting for a
    decision."""
    progress = [p for p in plans if p.policy == InvoicingPolicy.PROGRESS_SUMMARY]
    requests = [
        FixedPriceRequest(
            job=jobs[p.job.index],
            requested_by=users[p.job.pm],
            amount=p.lines[0].amount,
            percent_complete=p.percent_complete,
            note=p.lines[0].description,
            status=RequestStatus.APPROVED,
            decided_by=users["admin"],
            decided_at=at(p.invoice_date - DAY, 11, 5),
        )
        for p in progress
    ]
    moments = [at(p.invoice_date - 3 * DAY, 16, 20) for p in progress]
    for plan in _waiting_for_a_request(progress):
        percent = (plan.percent_complete or Decimal(0)) + 10
        requests.append(
            FixedPriceRequest(
                job=jobs[plan.job.index],
                requested_by=users[plan.job.pm],
                percent_complete=min(percent, Decimal(95)),
                note="Base course and curb complete on the east half; requesting progress billing.",
            )
        )
        moments.append(at(today - DAY, 15, 10))
    rows = FixedPriceRequest.objects.bulk_create(requests)
    update_rows(
        FixedPriceRequest,
        ["created_at"],
        [(row.pk, moment) for row, moment in zip(rows, moments, strict=True)],
    )
    billed_by = InvoiceLine.objects.filter(
        invoice__in=[invoices[id(p)] for p in progress], position=1
    ).values_list("invoice_id", "pk")
    first_lines = dict(billed_by)
    update_rows(
        InvoiceLine,
        ["fixed_price_request"],
        [
            (first_lines[invoices[id(p)].pk], row.pk)
            for p, row in zip(progress, rows[: len(progress)], strict=True)
        ],
    )


def _waiting_for_a_request(progress: list[InvoicePlan]) -> list[InvoicePlan]:
    """The last progress bills of the three open fixed-price jobs billed longest ago."""
    last: dict[int, InvoicePlan] = {}
    for plan in progress:
        last[plan.job.index] = plan
    open_jobs = [plan for plan in last.values() if plan.job.status == JobStatus.OPEN]
    return sorted(open_jobs, key=lambda plan: plan.invoice_date)[:3]
