"""What the demo company did over the past year, planned in memory before anything is saved.

Planning is pure (a seeded random generator and today's date in, dataclasses out), so
the same company comes out every time, shifted to stay current.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from jobledger.core.money import line_amount
from jobledger.demo import catalog
from jobledger.demo.catalog_customers import (
    CUSTOMERS,
    FIXED_PRICE_SHARE,
    JOB_NAMES,
    PLACES,
    SECTOR_DEPARTMENTS,
    STREETS,
    CustomerSpec,
)
from jobledger.demo.dates import DAY, Date, next_workday, weekdays, workday
from jobledger.jobs.models import BillingType, JobStatus

TASKS = {spec.code: spec for spec in catalog.TASKS}
# Final status of the demo's jobs, oldest first: billed work, closed work, work in progress.
JOB_MIX = ((JobStatus.BILLED, 18), (JobStatus.CLOSED, 10), (JobStatus.OPEN, 66))


@dataclass
class DWRLinePlan:
    kind: str
    task: str
    worker: str
    description: str
    units: int
    quantity: Decimal
    rate: Decimal
    processed: bool = True
    billed: bool = False
    db_id: int | None = None

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity * self.units, self.rate)


@dataclass
class DWRPlan:
    work_date: Date
    author: str
    lines: list[DWRLinePlan]
    notes: str
    representative: str
    signed: bool = True
    status: str = "approved"


@dataclass
class JobPlan:
    index: int
    number: str
    name: str
    customer: CustomerSpec
    pm: str
    department: str
    billing_type: str
    contract_price: Decimal
    po_number: str
    site_address: str
    start: Date
    end: Date | None  # last day of work; None while in progress
    planned_end: Date
    status: str
    grouped: bool
    twice_monthly: bool
    crew: list[tuple[str, str]] = field(default_factory=list)  # (labor task, worker)
    equipment: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    representatives: tuple[str, ...] = ()
    dwrs: list[DWRPlan] = field(default_factory=list)

    @property
    def is_fixed(self) -> bool:
        return self.billing_type == BillingType.FIXED_PRICE

    @property
    def close_date(self) -> Date | None:
        return None if self.end is None else workday(self.end + 2 * DAY)

    @property
    def taxable(self) -> bool:
        return self.customer.tax_code is not None


def plan_jobs(rng: random.Random, today: Date, first_day: Date) -> list[JobPlan]:
    """Jobs with their crews and daily work reports, numbered in the order they were opened."""
    spans = [
        span for status, count in JOB_MIX for span in _spans(rng, today, first_day, status, count)
    ]
    spans.sort(key=lambda span: span[1])
    names: set[str] = set()
    jobs: list[JobPlan] = []
    counters: dict[int, int] = {}
    # Every customer has work: the customers are dealt out in turns, in a shuffled order.
    customers = [
        c
        for _ in range(len(spans) // len(CUSTOMERS) + 1)
        for c in rng.sample(CUSTOMERS, len(CUSTOMERS))
    ]
    for index, (status, start, end, planned_end) in enumerate(spans):
        customer = customers[index]
        billed = sum(1 for done in jobs if done.status == JobStatus.BILLED)
        variant = billed if status == JobStatus.BILLED else None
        job = _job(rng, index, status, start, end, planned_end, customer, names, counters, variant)
        _equip_crew(rng, job)
        job.dwrs = [] if job.is_fixed else _dwrs(rng, job, today)
        jobs.append(job)
    return jobs


def _spans(
    rng: random.Random, today: Date, first_day: Date, status: str, count: int
) -> list[tuple[str, Date, Date | None, Date]]:
    spans = []
    for _ in range(count):
        if status == JobStatus.BILLED:
            end = today - rng.randint(20, 330) * DAY
            start = end - rng.randint(35, 170) * DAY
        elif status == JobStatus.CLOSED:
            end = today - rng.randint(6, 40) * DAY
            start = end - rng.randint(50, 200) * DAY
        else:
            end = None
            started = rng.randint(3, 30) if rng.random() < 0.1 else rng.randint(30, 170)
            start = today - started * DAY
        planned_end = end or (today + rng.randint(20, 180) * DAY)
        start = next_workday(max(start, first_day + 7 * DAY))
        spans.append((status, start, end and workday(end), planned_end))
    return spans


def _job(
    rng: random.Random,
    index: int,
    status: str,
    start: Date,
    end: Date | None,
    planned_end: Date,
    customer: CustomerSpec,
    names: set[str],
    counters: dict[int, int],
    variant: int | None,
) -> JobPlan:
    department = rng.choice(SECTOR_DEPARTMENTS[customer.sector])
    if variant is not None:
        # Finished work alternates between the billing types, so every final invoice
        # policy (itemized, grouped, lump sum) has examples whatever the date.
        fixed = variant % 2 == 1 and department != "EQRENT"
        grouped = variant % 4 == 0
    else:
        fixed = department != "EQRENT" and rng.random() < FIXED_PRICE_SHARE[customer.sector]
        grouped = rng.random() < 0.35
    billing = BillingType.FIXED_PRICE if fixed else BillingType.TIME_AND_MATERIALS
    year = start.year % 100
    counters[year] = counters.get(year, 100) + rng.randint(1, 4)
    return JobPlan(
        index=index,
        number=f"{year:02d}-{counters[year]:04d}",
        name=_job_name(rng, department, names),
        customer=customer,
        pm=rng.choices(catalog.PROJECT_MANAGERS, weights=(34, 22, 22, 22))[0],
        department=department,
        billing_type=billing,
        contract_price=_contract_price(rng, department) if fixed else Decimal("0.00"),
        po_number=_po_number(rng, customer, start),
        site_address=f"{rng.randint(100, 9800)} {rng.choice(STREETS)}, {customer.city}, CO",
        start=start,
        end=end,
        planned_end=planned_end,
        status=status,
        grouped=grouped,
        twice_monthly=not fixed and rng.random() < 0.3,
    )


def _job_name(rng: random.Random, department: str, used: set[str]) -> str:
    for _ in range(50):
        street, street2 = rng.sample(STREETS, 2)
        name = rng.choice(JOB_NAMES[department]).format(
            street=street, street2=street2, place=rng.choice(PLACES), n=rng.randint(1, 9)
        )
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of job names")  # pragma: no cover - the catalog is large enough


def _contract_price(rng: random.Random, department: str) -> Decimal:
    low, high = {
        "CIVIL": (60, 600), "ELEC": (40, 450), "PAVE": (80, 900), "UTIL": (120, 1200),
        "TRAF": (30, 250), "CONC": (25, 180),
    }[department]  # fmt: skip
    dollars = rng.randint(low * 1000, high * 1000)
    return Decimal(dollars) + rng.choice([Decimal("0.00"), Decimal("0.50"), Decimal("0.00")])


def _po_number(rng: random.Random, customer: CustomerSpec, start: Date) -> str:
    if customer.sector in ("government", "school", "utility"):
        return f"PO {start:%y}-{rng.randint(1000, 99999):05d}"
    return rng.choice(["", "", f"WO-{rng.randint(1000, 9999)}"])


def _equip_crew(rng: random.Random, job: JobPlan) -> None:
    labor, equipment, materials = catalog.KITS[job.department]
    size = min(len(labor), rng.randint(2, 4))
    workers = rng.sample(catalog.CREW, size)
    job.crew = list(zip(rng.sample(labor, size), workers, strict=True))
    job.equipment = rng.sample(equipment, min(len(equipment), rng.randint(1, 3)))
    job.materials = rng.sample(materials, min(len(materials), rng.randint(0, 2)))
    job.representatives = tuple(rng.sample(catalog.REPRESENTATIVES, 2))


def _dwrs(rng: random.Random, job: JobPlan, today: Date) -> list[DWRPlan]:
    last = job.end or today
    chance = 0.4 if job.twice_monthly else 0.25
    days = [d for d in weekdays(job.start, last) if d in (job.start, last) or rng.random() < chance]
    author = rng.choice(catalog.FIELD_AUTHORS)
    return [_dwr(rng, job, day, author) for day in days]


def _dwr(rng: random.Random, job: JobPlan, day: Date, author: str) -> DWRPlan:
    lines = [_labor(rng, task, worker) for task, worker in job.crew if rng.random() < 0.9]
    lines += [_equipment(rng, task) for task in job.equipment if rng.random() < 0.7]
    lines += [_material(rng, task) for task in job.materials if rng.random() < 0.45]
    if rng.random() < 0.22:
        lines.append(_expense(rng, len(job.crew)))
    if not lines:
        lines.append(_labor(rng, *job.crew[0]))
    notes = rng.choice(NOTES).format(street=job.site_address.split(",")[0])
    return DWRPlan(day, author, lines, notes, rng.choice(job.representatives))


NOTES = (
    "Crew on site 7:00. Work per plan sheets.",
    "Continued work at {street}. No incidents.",
    "Traffic control set up per TCP; inspector on site in the afternoon.",
    "Weather delay 1 hr in the morning (rain).",
    "Locates verified before digging. Work per plan.",
    "Material delivered and placed; scale tickets attached.",
)


def _labor(rng: random.Random, task: str, worker: str) -> DWRLinePlan:
    hours = Decimal(rng.choice(["8", "8", "8.5", "9", "10", "7.5", "6"]))
    spec = TASKS[task]
    return DWRLinePlan("labor", task, worker, spec.name, 1, hours, spec.rate)


def _equipment(rng: random.Random, task: str) -> DWRLinePlan:
    spec = TASKS[task]
    if spec.unit == "DAY":
        return DWRLinePlan(
            "equipment", task, "", spec.name, rng.randint(1, 2), Decimal(1), spec.rate
        )
    hours = Decimal(rng.randint(6, 18)) / 2
    units = 2 if rng.random() < 0.15 else 1
    return DWRLinePlan("equipment", task, "", spec.name, units, hours, spec.rate)


def _material(rng: random.Random, task: str) -> DWRLinePlan:
    spec = TASKS[task]
    quantity = {
        "TON": lambda: Decimal(rng.randint(1200, 6400)) / 100,
        "FT": lambda: Decimal(rng.randint(8, 60) * 10),
        "EA": lambda: Decimal(rng.randint(1, 4)),
        "CY": lambda: Decimal(rng.randint(12, 48)) / 2,
    }[spec.unit]()
    return DWRLinePlan("materials", task, "", spec.name, 1, quantity, spec.rate)


def _expense(rng: random.Random, crew_size: int) -> DWRLinePlan:
    task = rng.choice(catalog.EXPENSES)
    spec = TASKS[task]
    if task == "EXP-PERD":
        return DWRLinePlan("expenses", task, "", "Per diem, crew", 1, Decimal(crew_size), spec.rate)
    if task == "EXP-DUMP":
        loads = Decimal(rng.randint(2, 6))
        return DWRLinePlan("expenses", task, "", "Dump fees, landfill", 1, loads, spec.rate)
    fee = Decimal(rng.choice([150, 225, 250, 310, 450]))
    return DWRLinePlan("expenses", task, "", "Right-of-way permit fee", 1, Decimal(1), fee)
