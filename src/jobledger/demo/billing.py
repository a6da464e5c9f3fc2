"""The demo's invoices, planned job by job: deposits, progress billing, final and correction
invoices, each with the lines a project manager would put on it."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from jobledger.core.money import ZERO, line_amount, round_money
from jobledger.demo.dates import DAY, Calendar, Date, next_workday
from jobledger.demo.plan import TASKS, DWRLinePlan, JobPlan
from jobledger.invoicing.models import InvoicingPolicy, LineKind, Stage
from jobledger.jobs.models import JobStatus

Policy = InvoicingPolicy
ONE = Decimal(1)


@dataclass
class LinePlan:
    kind: str
    description: str
    quantity: Decimal
    rate: Decimal
    taxable: bool = False
    unit: str = ""
    task: str | None = None
    dwr_line: DWRLinePlan | None = None

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity, self.rate)


@dataclass
class InvoicePlan:
    job: JobPlan
    policy: str
    invoice_date: Date
    lines: list[LinePlan]
    creator: str
    notes: str = ""
    freight: Decimal = ZERO
    deposit_applied: Decimal = ZERO
    corrects: "InvoicePlan | None" = None
    percent_complete: Decimal | None = None
    # Where the office has taken it (see schedule.py).
    stage: str = Stage.DRAFT
    run: Date | None = None
    paid_on: Date | None = None
    posted_on: Date | None = None
    distribution: str = "approved"  # approved, ready (not approved), partial, none
    distribution_policy: str = ""
    warning: str = ""
    db_id: int | None = None
    dwr_dates: list[Date] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def dwr_lines(self) -> list[DWRLinePlan]:
        return [line.dwr_line for line in self.lines if line.dwr_line is not None]


def plan_invoices(rng: random.Random, jobs: list[JobPlan], calendar: Calendar) -> list[InvoicePlan]:
    """The deposits, progress and final invoices of every job, oldest first."""
    invoices = []
    for job in jobs:
        biller = (
            _FixedPriceBiller(rng, job, calendar) if job.is_fixed else _TMBiller(rng, job, calendar)
        )
        invoices += biller.invoices()
    return sort_invoices(invoices)


def sort_invoices(invoices: list[InvoicePlan]) -> list[InvoicePlan]:
    """In the order they were written: by date, then job, a correction after what it corrects."""
    return sorted(
        invoices, key=lambda inv: (inv.invoice_date, inv.job.index, inv.corrects is not None)
    )


class _Biller:
    def __init__(self, rng: random.Random, job: JobPlan, calendar: Calendar) -> None:
        self.rng, self.job, self.calendar = rng, job, calendar
        self.deposit_total = ZERO
        self.deposit_left = ZERO

    def invoices(self) -> list[InvoicePlan]:
        out = []
        deposit = self._deposit()
        if deposit is not None:
            out.append(deposit)
        for cycle in self._cycles():
            invoice = self._bill(cycle, self._invoice_date(cycle))
            if invoice is not None:
                out.append(invoice)
            if invoice is not None and invoice.policy in (Policy.COMPLETE, Policy.COMPLETE_GROUPED):
                break
        return out

    def _cycles(self) -> list[Date]:
        return [
            day
            for day in self.calendar.cycles(twice_monthly=self.job.twice_monthly)
            if day > self.job.start + 10 * DAY
        ]

    def _invoice_date(self, cycle: Date) -> Date:
        return min(cycle + self.rng.randint(0, 3) * DAY, self.calendar.today - DAY)

    def _is_final(self, cycle: Date) -> bool:
        close = self.job.close_date
        return self.job.status == JobStatus.BILLED and close is not None and cycle >= close

    def _creator(self) -> str:
        return "admin" if self.rng.random() < 0.3 else self.job.pm

    def _deposit_plan(self, amount: Decimal, what: str) -> InvoicePlan:
        self.deposit_total = self.deposit_left = amount
        day = next_workday(self.job.start + self.rng.randint(2, 6) * DAY)
        line = LinePlan(LineKind.DEPOSIT, f"Deposit: {what}", Decimal(1), amount)
        notes = "Deposit due before mobilization; deducted from later invoices."
        return InvoicePlan(self.job, Policy.DEPOSIT, day, [line], self._creator(), notes=notes)

    def _apply_deposit(self, invoice: InvoicePlan, share: Decimal, final: bool) -> None:
        if self.deposit_left <= 0:
            return
        wanted = self.deposit_left if final else round_money(share)
        invoice.deposit_applied = min(self.deposit_left, wanted, invoice.subtotal)
        self.deposit_left -= invoice.deposit_applied

    def _deposit(self) -> InvoicePlan | None:
        raise NotImplementedError

    def _bill(self, cycle: Date, day: Date) -> InvoicePlan | None:
        raise NotImplementedError


class _FixedPriceBiller(_Biller):
    """Lump-sum work: an optional deposit, percent-complete progress billing, then the balance."""

    def __init__(self, rng: random.Random, job: JobPlan, calendar: Calendar) -> None:
        super().__init__(rng, job, calendar)
        self.percent = Decimal("0")
        self.billed = ZERO
        self.change_order_at = rng.randint(2, 4) if rng.random() < 0.3 else 0
        self.progress_count = 0

    def _deposit(self) -> InvoicePlan | None:
        if self.job.index % 2:
            return None
        share = self.rng.choice([Decimal("0.10"), Decimal("0.15"), Decimal("0.20")])
        amount = round_money(self.job.contract_price * share).quantize(Decimal("100"))
        return self._deposit_plan(amount, f"mobilization and materials, {share:.0%} of contract")

    def _bill(self, cycle: Date, day: Date) -> InvoicePlan | None:
        if self._is_final(cycle):
            return self._complete(day)
        if self.job.close_date is not None and cycle >= self.job.close_date:
            return None
        return self._progress(cycle, day)

    def _progress(self, cycle: Date, day: Date) -> InvoicePlan | None:
        job = self.job
        elapsed = Decimal((cycle - job.start).days) / Decimal((job.planned_end - job.start).days)
        noise = Decimal(self.rng.randint(-3, 3)) / 100
        target = min(Decimal("0.95"), max(Decimal(0), elapsed * Decimal("0.97") + noise))
        target = (target * 200).quantize(Decimal(1)) / 200
        delta = target - self.percent
        if delta < Decimal("0.02"):
            return None
        self.percent = target
        self.progress_count += 1
        what = f"Work completed this period: {delta:.1%} of contract (to date {target:.1%})"
        line = LinePlan(LineKind.FIXED_PRICE, what, delta, job.contract_price)
        self.billed += line.amount
        invoice = InvoicePlan(
            job,
            Policy.PROGRESS_SUMMARY,
            day,
            [line, *self._change_order()],
            self._creator(),
            notes=f"Application for payment no. {self.progress_count}.",
            percent_complete=target * 100,
        )
        # Deducted in step with the work, so the deposit is used up by the final invoice.
        self._apply_deposit(invoice, self.deposit_total * delta / Decimal("0.95"), final=False)
        return invoice

    def _change_order(self) -> list[LinePlan]:
        if self.progress_count != self.change_order_at:
            return []
        amount = round_money(self.job.contract_price * Decimal(self.rng.randint(2, 8)) / 100)
        what = self.rng.choice(CHANGE_ORDERS)
        return [LinePlan(LineKind.FIXED_PRICE, f"Change Order 1: {what}", Decimal(1), amount)]

    def _complete(self, day: Date) -> InvoicePlan:
        balance = self.job.contract_price - self.billed
        line = LinePlan(
            LineKind.FIXED_PRICE, "Final billing: balance of contract", Decimal(1), balance
        )
        invoice = InvoicePlan(
            self.job,
            Policy.COMPLETE,
            day,
            [line],
            self._creator(),
            notes="Final invoice. Thank you for your business.",
            percent_complete=Decimal(100),
        )
        self._apply_deposit(invoice, ZERO, final=True)
        return invoice


CHANGE_ORDERS = (
    "additional 120 LF of curb and gutter",
    "relocate two light poles per RFI 7",
    "extra 6 in. of subgrade removal, soft spots",
    "added conduit run to the maintenance building",
    "owner-requested driveway widening",
)


class _TMBiller(_Biller):
    """Time and materials: each billing day bills the approved daily work reports not yet billed."""

    def _deposit(self) -> InvoicePlan | None:
        if self.job.department not in ("ELEC", "UTIL") or self.job.index % 3:
            return None
        amount = Decimal(self.rng.choice([15000, 25000, 40000]))
        return self._deposit_plan(amount, "long-lead material procurement")

    def _bill(self, cycle: Date, day: Date) -> InvoicePlan | None:
        final = self._is_final(cycle)
        cutoff = day if final else day - 3 * DAY
        charges = [
            (dwr.work_date, line)
            for dwr in self.job.dwrs
            if dwr.work_date <= cutoff
            for line in dwr.lines
            if not line.billed
        ]
        if not charges:
            return None
        for _, line in charges:
            line.billed = True
        return self._invoice(day, charges, final)

    def _invoice(
        self, day: Date, charges: list[tuple[Date, DWRLinePlan]], final: bool
    ) -> InvoicePlan:
        job = self.job
        if final:
            policy = Policy.COMPLETE_GROUPED if job.grouped else Policy.COMPLETE
        else:
            policy = Policy.PROGRESS_ITEMIZED_GROUPED if job.grouped else Policy.PROGRESS_ITEMIZED
        lines = [self._line(work_date, charge) for work_date, charge in charges]
        first, last = charges[0][0], charges[-1][0]
        notes = f"Work performed {first:%m/%d/%Y} through {last:%m/%d/%Y}."
        invoice = InvoicePlan(job, policy, day, lines, self._creator(), notes=notes)
        invoice.dwr_dates = sorted({work_date for work_date, _ in charges})
        if any(line.kind == LineKind.MATERIALS for line in lines) and self.rng.random() < 0.4:
            invoice.freight = Decimal(self.rng.choice([75, 95, 125, 185, 240, 320, 450]))
        self._apply_deposit(invoice, invoice.subtotal * Decimal("0.3"), final)
        return invoice

    def _line(self, work_date: Date, charge: DWRLinePlan) -> LinePlan:
        spec = TASKS[charge.task]
        who = f", {charge.worker}" if charge.worker else ""
        count = f" (x{charge.units})" if charge.units > 1 else ""
        return LinePlan(
            kind=charge.kind,
            description=f"{work_date:%m/%d} {charge.description}{who}{count}",
            quantity=charge.quantity * charge.units,
            rate=charge.rate,
            taxable=spec.taxable and self.job.taxable,
            unit=spec.unit,
            task=charge.task,
            dwr_line=charge,
        )
