"""Correction invoices: credits and missed charges, each against an earlier invoice of its job."""

import random
from decimal import Decimal

from jobledger.core.money import round_money
from jobledger.demo.billing import ONE, InvoicePlan, LinePlan, Policy, sort_invoices
from jobledger.demo.dates import DAY, Calendar, workday
from jobledger.demo.plan import TASKS
from jobledger.invoicing.models import LineKind


def with_corrections(
    rng: random.Random, invoices: list[InvoicePlan], calendar: Calendar
) -> list[InvoicePlan]:
    """The invoices and their corrections, in the order they were written."""
    return sort_invoices(invoices + plan_corrections(rng, invoices, calendar))


def plan_corrections(
    rng: random.Random, invoices: list[InvoicePlan], calendar: Calendar
) -> list[InvoicePlan]:
    """Credits and missed charges, each against an earlier invoice of the same job."""
    # Only invoices that have gone out are corrected; one still in the office is edited.
    candidates = [
        inv
        for inv in invoices
        if inv.policy != Policy.DEPOSIT and calendar.run_after(inv.invoice_date) is not None
    ]
    corrections: list[InvoicePlan] = []
    used_jobs: set[int] = set()
    for source in rng.sample(candidates, len(candidates)):
        if len(corrections) == CORRECTION_COUNT or source.job.index in used_jobs:
            continue
        correction = _correction(rng, source, calendar, len(corrections))
        if correction is not None:
            used_jobs.add(source.job.index)
            corrections.append(correction)
    return corrections


CORRECTION_COUNT = 16


def _correction(
    rng: random.Random, source: InvoicePlan, calendar: Calendar, count: int
) -> InvoicePlan | None:
    sent = calendar.run_after(source.invoice_date)
    assert sent is not None
    day = max(source.invoice_date + rng.randint(7, 40) * DAY, sent + 3 * DAY)
    day = workday(min(day, calendar.today - DAY))
    if day <= sent:
        return None
    grouped = count % 2 == 1
    make = _fixed_correction if source.job.is_fixed else _tm_correction
    lines, why = make(rng, source, grouped)
    if not lines:
        return None
    policy = Policy.CORRECTION_GROUPED if grouped else Policy.CORRECTION
    creator = "admin" if rng.random() < 0.6 else source.job.pm
    notes = f"{why} Corrects invoice {{corrects}}."
    return InvoicePlan(source.job, policy, day, lines, creator, notes=notes, corrects=source)


def _fixed_correction(
    rng: random.Random, source: InvoicePlan, grouped: bool
) -> tuple[list[LinePlan], str]:
    if grouped:
        rate = -round_money(source.subtotal * Decimal("0.02"))
        line = LinePlan(LineKind.ADJUSTMENT, "Early-payment discount, 2% per agreement", ONE, rate)
        return [line], "Discount taken on prompt payment."
    feet = rng.randint(40, 160)
    what = f"Final quantity adjustment: {feet} LF curb and gutter not installed"
    line = LinePlan(LineKind.ADJUSTMENT, what, ONE, -Decimal(feet) * Decimal("38.50"))
    return [line], "Quantities per final walk-through."


def _tm_correction(
    rng: random.Random, source: InvoicePlan, grouped: bool
) -> tuple[list[LinePlan], str]:
    by_kind: dict[str, list[LinePlan]] = {}
    for line in source.lines:
        by_kind.setdefault(line.kind, []).append(line)
    if grouped and LineKind.MATERIALS in by_kind:
        return _tonnage_credit(rng, by_kind[LineKind.MATERIALS])
    skilled = [line for line in by_kind.get(LineKind.LABOR, []) if line.task != "LAB-LABR"]
    if skilled and rng.random() < 0.5:
        return _rate_class_fix(rng, skilled)
    if LineKind.EQUIPMENT in by_kind and rng.random() < 0.6:
        return _duplicate_credit(rng, by_kind[LineKind.EQUIPMENT])
    return _missed_charge(rng, source)


def _tonnage_credit(rng: random.Random, lines: list[LinePlan]) -> tuple[list[LinePlan], str]:
    credits = []
    for line in lines[:4]:
        cut = round_money(line.quantity * Decimal(rng.randint(3, 9)) / 100) or ONE
        what = f"Credit: {line.description}, quantity per supplier tickets"
        credits.append(_like(line, what, -cut))
    return credits, "Quantities adjusted to the supplier's delivery tickets."


def _like(line: LinePlan, description: str, quantity: Decimal, task: str | None = None) -> LinePlan:
    """A correction line for the same charge as `line` (or another task's rate)."""
    rate = TASKS[task].rate if task else line.rate
    return LinePlan(
        line.kind, description, quantity, rate, line.taxable, line.unit, task or line.task
    )


def _rate_class_fix(rng: random.Random, lines: list[LinePlan]) -> tuple[list[LinePlan], str]:
    line = max(lines, key=lambda candidate: (candidate.rate, rng.random()))
    credit = _like(
        line, f"Credit: {line.description}, billed at the wrong rate class", -line.quantity
    )
    rebill = _like(line, f"Rebill: {line.description} as Laborer", line.quantity, "LAB-LABR")
    return [credit, rebill], "Rate class corrected."


def _duplicate_credit(rng: random.Random, lines: list[LinePlan]) -> tuple[list[LinePlan], str]:
    line = rng.choice(lines)
    return [_like(line, f"Credit: {line.description}, entered twice", -line.quantity)], (
        "Duplicate charge removed."
    )


def _missed_charge(rng: random.Random, source: InvoicePlan) -> tuple[list[LinePlan], str]:
    task = TASKS[rng.choice(source.job.equipment)]
    hours = Decimal(rng.choice([2, 3, 4, 6]))
    day = source.dwr_dates[-1] if source.dwr_dates else source.invoice_date
    what = f"{day:%m/%d} {task.name}, missed on the original invoice"
    line = LinePlan(task.kind, what, hours, task.rate, False, task.unit, task.code)
    return [line], "Charges left off the original invoice."
