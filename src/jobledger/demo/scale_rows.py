"""The rows `--scale` adds: jobs that bill once a month and the invoices they produce."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from jobledger.core.models import CompanySettings
from jobledger.core.money import ZERO, line_amount, round_money
from jobledger.core.roles import ADMINISTRATOR, PROJECT_MANAGER
from jobledger.customers.models import Customer, TaxCode
from jobledger.demo import catalog
from jobledger.demo.catalog_customers import JOB_NAMES, PLACES, STREETS
from jobledger.demo.dates import DAY, Date, at, workday
from jobledger.invoicing.models import (
    POLICY_TYPE,
    Invoice,
    InvoiceLine,
    InvoicingPolicy,
    LineKind,
)
from jobledger.invoicing.totals import compute_totals
from jobledger.jobs.models import BillingType, Department, Job, JobStatus, Task
from jobledger.ledger import policies
from jobledger.ledger.models import GLAccount, LedgerSettings
from jobledger.ledger.selectors import category_accounts

Policy = InvoicingPolicy


@dataclass
class ScaleInvoice:
    invoice: Invoice
    lines: list[InvoiceLine]
    corrects: Invoice | None = None
    run: Date | None = None
    parts: list[policies.LinePart] = field(default_factory=list)
    distribution: list[policies.Entry] = field(default_factory=list)


@dataclass
class ScaleContext:
    today: Date
    customers: list[Customer]
    managers: list[User]
    admin: User
    departments: dict[str, Department]
    tasks: dict[str, Task]
    policy: str
    mapping: dict[str, policies.Account]
    accounts: dict[str, GLAccount]
    currency: str
    counters: dict[int, int]

    @classmethod
    def load(cls, today: Date) -> "ScaleContext":
        policy = LedgerSettings.load().default_policy
        return cls(
            today=today,
            customers=list(Customer.objects.select_related("tax_code").filter(active=True)),
            managers=list(User.objects.filter(groups__name=PROJECT_MANAGER).order_by("pk")),
            admin=User.objects.filter(groups__name=ADMINISTRATOR).order_by("pk")[0],
            departments={d.code: d for d in Department.objects.all()},
            tasks={t.code: t for t in Task.objects.select_related("default_department")},
            policy=policy,
            mapping=category_accounts(policy),
            accounts={a.code: a for a in GLAccount.objects.all()},
            currency=CompanySettings.load().currency,
            counters=_job_counters(),
        )

    def add_customers(self, names: list[tuple[str, str]]) -> int:
        taxes = list(TaxCode.objects.all())
        rng = random.Random(len(self.customers))
        rows = [
            Customer(
                code=code,
                name=name,
                address1=f"{rng.randint(100, 9900)} {rng.choice(STREETS)}",
                city=rng.choice(PLACES),
                region="CO",
                postal_code=f"805{rng.randint(10, 99)}",
                terms_days=rng.choice([0, 15, 30, 30, 30, 45]),
                taxable=bool(taxes),
                tax_code=rng.choice(taxes) if taxes else None,
                changed_since_export=False,
                last_exported_at=timezone.now(),
            )
            for code, name in names
        ]
        self.customers += Customer.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def new_job(self, rng: random.Random, cycle: Date, street: str) -> "ScaleJob":
        start = workday(cycle - rng.randint(5, 25) * DAY)
        department = rng.choice(list(self.departments))
        fixed = department != "EQRENT" and rng.random() < 0.45
        self.counters[start.year % 100] = self.counters.get(start.year % 100, 100) + 1
        name = rng.choice(JOB_NAMES[department]).format(
            street=street,
            street2=rng.choice(STREETS),
            place=rng.choice(PLACES),
            n=rng.randint(1, 9),
        )
        job = Job(
            number=f"{start.year % 100:02d}-{self.counters[start.year % 100]:04d}",
            name=name,
            customer=rng.choice(self.customers),
            project_manager=rng.choice(self.managers),
            billing_type=BillingType.FIXED_PRICE if fixed else BillingType.TIME_AND_MATERIALS,
            contract_price=Decimal(rng.randint(30, 900) * 1000) if fixed else ZERO,
            department=self.departments[department],
            site_address=f"{rng.randint(100, 9800)} {street}",
            created_at=at(start, 10),
        )
        return ScaleJob(self, job, rng.randint(3, 14), rng.randint(0, 27), rng.random() < 0.35)


def _job_counters() -> dict[int, int]:
    """The highest job sequence used in each year, so new numbers follow on."""
    counters: dict[int, int] = {}
    for number in Job.objects.values_list("number", flat=True):
        year, _, sequence = number.partition("-")
        if year.isdigit() and sequence.isdigit():
            counters[int(year)] = max(counters.get(int(year), 0), int(sequence))
    return counters


class ScaleJob:
    """One job's billing, month by month, until its final invoice."""

    def __init__(
        self, context: ScaleContext, job: Job, cycles: int, offset: int, grouped: bool
    ) -> None:
        self.context, self.job, self.cycles_left = context, job, cycles
        self.offset, self.grouped = offset, grouped
        self.percent = Decimal(0)
        self.billed = ZERO
        self.deposit_left = ZERO
        self.last: ScaleInvoice | None = None
        self.finished = False

    def bill(self, rng: random.Random, cycle: Date, number: int) -> ScaleInvoice:
        day = min(workday(cycle + self.offset * DAY), self.context.today - DAY)
        self.cycles_left -= 1
        fixed = self.job.billing_type == BillingType.FIXED_PRICE
        policy: str
        if self.last is None and fixed and rng.random() < 0.25:
            policy, lines = Policy.DEPOSIT, self._deposit_lines()
        elif self.last is not None and rng.random() < 0.04:
            policy, lines = self._correction(rng)
        elif self.cycles_left <= 0 or self.percent >= Decimal("0.95"):
            policy, lines = self._final(rng, day, fixed)
        else:
            policy, lines = self._progress(rng, day, fixed)
        scaled = self._invoice(rng, policy, day, number, lines)
        self.last = (
            scaled if policy not in (Policy.CORRECTION, Policy.CORRECTION_GROUPED) else self.last
        )
        return scaled

    def _progress(
        self, rng: random.Random, day: Date, fixed: bool
    ) -> tuple[str, list[InvoiceLine]]:
        if not fixed:
            grouped = Policy.PROGRESS_ITEMIZED_GROUPED if self.grouped else Policy.PROGRESS_ITEMIZED
            return grouped, self._charges(rng, day)
        delta = min(Decimal(rng.randint(5, 20)) / 100, Decimal("0.95") - self.percent)
        delta = max(delta, Decimal("0.01"))
        self.percent += delta
        line = _line(
            LineKind.FIXED_PRICE,
            f"Work completed this period: {delta:.0%} of contract",
            delta,
            self.job.contract_price,
        )
        self.billed += line.amount
        return Policy.PROGRESS_SUMMARY, [line]

    def _final(self, rng: random.Random, day: Date, fixed: bool) -> tuple[str, list[InvoiceLine]]:
        self.finished = True
        self.job.status = JobStatus.BILLED
        self.job.closed_at = at(day - 2 * DAY, 16)
        if not fixed:
            return (Policy.COMPLETE_GROUPED if self.grouped else Policy.COMPLETE), self._charges(
                rng, day
            )
        balance = self.job.contract_price - self.billed
        return Policy.COMPLETE, [
            _line(LineKind.FIXED_PRICE, "Final billing: balance of contract", Decimal(1), balance)
        ]

    def _deposit_lines(self) -> list[InvoiceLine]:
        self.deposit_left = round_money(self.job.contract_price * Decimal("0.10"))
        return [
            _line(
                LineKind.DEPOSIT,
                "Deposit: mobilization, 10% of contract",
                Decimal(1),
                self.deposit_left,
            )
        ]

    def _correction(self, rng: random.Random) -> tuple[str, list[InvoiceLine]]:
        assert self.last is not None
        source = self.last.lines[0]
        credit = _line(
            source.kind,
            f"Credit: {source.description}"[:200],
            -source.quantity,
            source.rate,
            source.taxable,
            source.task,
        )
        return rng.choice([Policy.CORRECTION, Policy.CORRECTION_GROUPED]), [credit]

    def _charges(self, rng: random.Random, day: Date) -> list[InvoiceLine]:
        labor, equipment, materials = catalog.KITS[self.job.department.code]
        codes = [*labor, *equipment, *materials, *catalog.EXPENSES]
        taxable = self.job.customer.taxable
        lines = []
        for _ in range(rng.randint(3, 10)):
            task = self.context.tasks[rng.choice(codes)]
            worked = day - rng.randint(3, 27) * DAY
            quantity = _quantity(rng, task.unit)
            lines.append(
                _line(
                    task.kind,
                    f"{worked:%m/%d} {task.name}",
                    quantity,
                    task.rate,
                    task.taxable and taxable,
                    task,
                )
            )
        return lines

    def _invoice(
        self, rng: random.Random, policy: str, day: Date, number: int, lines: list[InvoiceLine]
    ) -> ScaleInvoice:
        job, customer = self.job, self.job.customer
        deposit = self._deposit_applied(policy, lines)
        freight = Decimal(rng.choice([0, 0, 0, 95, 185])) if policy in ITEMIZED else ZERO
        totals = compute_totals(
            ((line.amount, line.taxable) for line in lines),
            tax_rate=customer.tax_rate,
            freight=freight,
            deposit_applied=deposit,
        )
        invoice = Invoice(
            number=number,
            job=job,
            customer=customer,
            type=POLICY_TYPE[Policy(policy)],
            policy=policy,
            invoice_date=day,
            due_date=day + customer.terms_days * DAY,
            terms_days=customer.terms_days,
            po_number=job.po_number,
            tax_rate=customer.tax_rate,
            subtotal=totals.subtotal,
            tax_amount=totals.tax_amount,
            freight=totals.freight,
            deposit_applied=totals.deposit_applied,
            total=totals.total,
            created_by=rng.choice([job.project_manager, self.context.admin]),
        )
        for position, line in enumerate(lines, start=1):
            line.invoice, line.position = invoice, position
        parts = [_part(line, job.department) for line in lines]
        corrects = (
            self.last.invoice
            if policy in (Policy.CORRECTION, Policy.CORRECTION_GROUPED) and self.last
            else None
        )
        return ScaleInvoice(invoice, lines, corrects=corrects, parts=parts)

    def _deposit_applied(self, policy: str, lines: list[InvoiceLine]) -> Decimal:
        if self.deposit_left <= 0 or policy in (
            Policy.DEPOSIT,
            Policy.CORRECTION,
            Policy.CORRECTION_GROUPED,
        ):
            return ZERO
        subtotal = sum((line.amount for line in lines), ZERO)
        wanted = self.deposit_left if self.finished else round_money(subtotal * Decimal("0.10"))
        applied = max(ZERO, min(wanted, self.deposit_left, subtotal))
        self.deposit_left -= applied
        return applied


ITEMIZED = (
    Policy.PROGRESS_ITEMIZED,
    Policy.PROGRESS_ITEMIZED_GROUPED,
    Policy.COMPLETE,
    Policy.COMPLETE_GROUPED,
)


def _line(
    kind: str,
    description: str,
    quantity: Decimal,
    rate: Decimal,
    taxable: bool = False,
    task: Task | None = None,
) -> InvoiceLine:
    return InvoiceLine(
        kind=kind,
        task=task,
        description=description,
        quantity=quantity,
        unit=task.unit if task else "",
        rate=rate,
        amount=line_amount(quantity, rate),
        taxable=taxable,
    )


def _part(line: InvoiceLine, job_department: Department) -> policies.LinePart:
    """The line as a distribution policy sees it (department by default task assignment)."""
    department = (line.task.default_department if line.task else None) or job_department
    return policies.LinePart(line.amount, line.kind, line.taxable, department.code, department.name)


def _quantity(rng: random.Random, unit: str) -> Decimal:
    if unit == "HR":
        return Decimal(rng.randint(8, 80)) / 2
    if unit == "TON":
        return Decimal(rng.randint(1200, 9000)) / 100
    if unit == "FT":
        return Decimal(rng.randint(10, 90) * 10)
    return Decimal(rng.randint(1, 6))
