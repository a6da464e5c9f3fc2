"""Where each planned invoice stands today, and what the office did with it on which day.

Older invoices went out in the Friday runs (distributed, exported, processed), were paid
when the customer's terms came round, and were posted at the next month-end close. The
latest billing is still in the pipeline: a few in Draft and PM Review, the rest in the
Admin tab, where most are ready to export and a few show what the backlog warns about.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from jobledger.demo.billing import InvoicePlan
from jobledger.demo.dates import DAY, Calendar, Date, workday
from jobledger.demo.plan import DWRPlan, JobPlan
from jobledger.invoicing.models import LineKind, Stage
from jobledger.jobs.models import DWRStatus
from jobledger.ledger.models import DistributionPolicy

DRAFT_COUNT = 4
PM_REVIEW_COUNT = 6
EXPORTED_ONLY_COUNT = 4
POSTING_AGE_DAYS = 45


class Flag:
    """Why an Admin-tab invoice is not ready to export as it stands."""

    EXPORTED = "exported"  # already exported today; waiting for its Processed check
    DISTRIBUTION = "distribution"
    SIGNATURE = "signature"
    EXPENSES = "expenses"
    CUSTOMER = "customer"


@dataclass
class OfficePlan:
    runs: dict[Date, list[InvoicePlan]]
    exported_today: list[InvoicePlan]
    changed_customer: str
    reexport: list[InvoicePlan] = field(default_factory=list)


def plan_office(
    rng: random.Random, invoices: list[InvoicePlan], jobs: list[JobPlan], calendar: Calendar
) -> OfficePlan:
    history = [inv for inv in invoices if calendar.run_after(inv.invoice_date) is not None]
    pipeline = [inv for inv in invoices if calendar.run_after(inv.invoice_date) is None]
    runs: dict[Date, list[InvoicePlan]] = defaultdict(list)
    for invoice in history:
        _settle(rng, invoice, calendar)
        assert invoice.run is not None
        runs[invoice.run].append(invoice)
    admin = _stage_pipeline(rng, pipeline)
    changed_customer = _assign_warnings(rng, admin)
    _finish_dwrs(rng, jobs, invoices, calendar)
    exported_today = [inv for inv in admin if inv.warning == Flag.EXPORTED]
    plan = OfficePlan(dict(sorted(runs.items())), exported_today, changed_customer)
    # One week accounting asked for three invoices again: they went out twice.
    old_run = list(plan.runs)[len(plan.runs) // 2]
    plan.reexport = plan.runs[old_run][:3]
    return plan


def _settle(rng: random.Random, invoice: InvoicePlan, calendar: Calendar) -> None:
    """A past invoice: exported and processed in its Friday run, maybe paid, maybe posted."""
    run = calendar.run_after(invoice.invoice_date)
    invoice.run = run
    invoice.distribution_policy = _distribution_policy(rng)
    assert run is not None
    terms = invoice.job.customer.terms_days
    paid = invoice.invoice_date + (terms + rng.randint(-8, 25)) * DAY
    paid = workday(max(paid, run + rng.randint(3, 12) * DAY))
    disputed = rng.random() < 0.04
    invoice.paid_on = None if disputed or paid >= calendar.today else paid
    invoice.stage = Stage.PAID if invoice.paid_on else Stage.PROCESSED
    if run <= calendar.today - POSTING_AGE_DAYS * DAY:
        invoice.posted_on = workday(run + rng.randint(28, 34) * DAY)


def _distribution_policy(rng: random.Random) -> str:
    other = [p for p in DistributionPolicy if p != DistributionPolicy.DEPARTMENT_TAX]
    return rng.choice(other) if rng.random() < 0.3 else DistributionPolicy.DEPARTMENT_TAX


def _stage_pipeline(rng: random.Random, pipeline: list[InvoicePlan]) -> list[InvoicePlan]:
    """The newest billing: some still with the project managers, the rest in the Admin tab."""
    newest = sorted(pipeline, key=lambda inv: inv.invoice_date)[
        -(DRAFT_COUNT + PM_REVIEW_COUNT) * 2 :
    ]
    # The `pm` login has invoices of its own to review, whatever the draw.
    mine = [inv for inv in pipeline if inv.job.pm == "pm"][-2:]
    others = [inv for inv in newest if inv not in mine]
    waiting = rng.sample(others, DRAFT_COUNT + PM_REVIEW_COUNT - len(mine)) + mine
    for index, invoice in enumerate(waiting):
        invoice.stage = Stage.DRAFT if index < DRAFT_COUNT else Stage.PM_REVIEW
        invoice.distribution = "none"
    admin = [inv for inv in pipeline if inv not in waiting]
    for invoice in admin:
        invoice.stage = Stage.ADMIN
        invoice.distribution_policy = DistributionPolicy.DEPARTMENT_TAX
    return admin


def _assign_warnings(rng: random.Random, admin: list[InvoicePlan]) -> str:
    """Mark the few Admin-tab invoices that show each backlog warning; returns the customer
    whose details change after their last export."""
    pool = rng.sample(admin, len(admin))

    def take(
        count: int, warning: str, fits: Callable[[InvoicePlan], bool] = lambda inv: True
    ) -> list[InvoicePlan]:
        chosen = [inv for inv in pool if not inv.warning and fits(inv)][:count]
        for invoice in chosen:
            invoice.warning = warning
        return chosen

    take(EXPORTED_ONLY_COUNT, Flag.EXPORTED)
    for invoice, state in zip(
        take(3, Flag.DISTRIBUTION), ("ready", "partial", "none"), strict=True
    ):
        invoice.distribution = state
    take(2, Flag.SIGNATURE, lambda inv: bool(inv.dwr_lines))
    take(
        2, Flag.EXPENSES, lambda inv: any(line.kind == LineKind.EXPENSES for line in inv.dwr_lines)
    )
    per_customer: dict[str, list[InvoicePlan]] = defaultdict(list)
    for invoice in admin:
        per_customer[invoice.job.customer.code].append(invoice)
    code = min(
        (c for c, invs in per_customer.items() if all(not inv.warning for inv in invs)),
        key=lambda c: (len(per_customer[c]), c),
    )
    for invoice in per_customer[code]:
        invoice.warning = Flag.CUSTOMER
    return code


def _finish_dwrs(
    rng: random.Random, jobs: list[JobPlan], invoices: list[InvoicePlan], calendar: Calendar
) -> None:
    """Final DWR statuses, signatures and expense processing, consistent with the invoices."""
    billed_by: dict[int, InvoicePlan] = {}
    for invoice in invoices:
        for line in invoice.dwr_lines:
            billed_by[id(line)] = invoice
    for job in jobs:
        for dwr in job.dwrs:
            billing = next((billed_by[id(x)] for x in dwr.lines if id(x) in billed_by), None)
            _finish_dwr(rng, dwr, billing, calendar)


def _finish_dwr(
    rng: random.Random, dwr: DWRPlan, invoice: InvoicePlan | None, calendar: Calendar
) -> None:
    age = (calendar.today - dwr.work_date).days
    if invoice is None:
        dwr.status = (
            DWRStatus.APPROVED if age >= 4 else DWRStatus.SUBMITTED if age >= 1 else DWRStatus.DRAFT
        )
        dwr.signed = rng.random() < (0.45 if dwr.status == DWRStatus.DRAFT else 0.8)
        _set_expenses(dwr, processed=rng.random() < 0.4)
        return
    dwr.status = DWRStatus.INVOICED
    if invoice.stage == Stage.ADMIN:
        dwr.signed = True
        _set_expenses(dwr, processed=True)
        if invoice.warning == Flag.SIGNATURE and dwr.work_date == invoice.dwr_dates[0]:
            dwr.signed = False
        if invoice.warning == Flag.EXPENSES:
            _set_expenses(dwr, processed=False)
    elif invoice.stage in (Stage.DRAFT, Stage.PM_REVIEW):
        dwr.signed = rng.random() < 0.85
        _set_expenses(dwr, processed=rng.random() < 0.7)
    else:
        dwr.signed = rng.random() < 0.94
        _set_expenses(dwr, processed=True)


def _set_expenses(dwr: DWRPlan, *, processed: bool) -> None:
    for line in dwr.lines:
        if line.kind == LineKind.EXPENSES:
            line.processed = processed
