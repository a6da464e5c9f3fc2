"""`seed_demo --scale N`: N more invoices in bulk, to measure jobledger at a big company's size.

The demo company's story is told through the services; this adds volume on top with bulk
inserts. It runs month by month over the past three years: each month every active job
bills once, finished jobs get their final invoice, and new jobs start to keep the number of
active jobs steady. Rows are written in chunks, so memory stays flat whatever N is. Audit
events are not written for these rows: they record people's actions, and nobody acted.
"""

import math
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jobledger.core.models import CompanySettings
from jobledger.demo.catalog_customers import STREETS
from jobledger.demo.dates import DAY
from jobledger.demo.scale_chunk import Chunk
from jobledger.demo.scale_rows import ScaleContext, ScaleJob
from jobledger.invoicing.models import Invoice

SEED = 2026
CHUNK = 2000
MONTHS = 39  # three years of four-week billing cycles
CUSTOMER_EVERY = 250  # one more customer per this many invoices
NAME_PARTS = (
    ("Alder", "Bison", "Cobalt", "Dry Creek", "Elkhorn", "Foothills", "Granite", "Hawthorn",
     "Iron Gate", "Juniper", "Kestrel", "Larkspur", "Meridian", "North Fork", "Overland",
     "Pinnacle", "Quarry", "Redstone", "Sage", "Timber", "Union", "Vista", "Westgate"),
    ("Homes", "Partners", "Builders", "Metro District", "Properties", "Development",
     "Logistics", "Ranch", "Holdings", "Utilities", "Commons", "Medical Group"),
)  # fmt: skip


@dataclass(frozen=True)
class ScaleReport:
    added: int
    jobs: int
    customers: int
    seconds: float

    def __str__(self) -> str:
        rate = self.added / self.seconds if self.seconds else 0
        return (
            f"Added {self.added:,} invoices on {self.jobs:,} new jobs and {self.customers:,} "
            f"new customers in {self.seconds:.1f} s ({rate:,.0f} invoices/s)."
        )


def add_invoices(count: int) -> ScaleReport:
    """Add `count` invoices (numbers taken in one step) with their lines and distributions."""
    started = time.monotonic()
    first = reserve_numbers(count)
    rng = random.Random(SEED + first)
    context = ScaleContext.load(timezone.localdate())
    new_customers = context.add_customers(_customer_names(rng, count // CUSTOMER_EVERY, first))
    numbers = iter(range(first, first + count))
    chunk = Chunk(context)
    active: list[ScaleJob] = []
    per_month = math.ceil(count / MONTHS)
    produced, jobs = 0, 0
    for month in range(MONTHS):
        cycle = context.today - (MONTHS - month) * 28 * DAY
        while len(active) < per_month:
            active.append(context.new_job(rng, cycle, rng.choice(STREETS)))
            jobs += 1
        for job in list(active):
            if produced == count:
                break
            chunk.add(rng, job.bill(rng, cycle, next(numbers)))
            produced += 1
            if job.finished:
                active.remove(job)
            if chunk.size >= CHUNK:
                _flush(chunk)
    _flush(chunk)
    return ScaleReport(produced, jobs, new_customers, time.monotonic() - started)


def _flush(chunk: Chunk) -> None:
    with transaction.atomic():
        chunk.save()


def reserve_numbers(count: int) -> int:
    """Take `count` consecutive invoice numbers at once; returns the first."""
    with transaction.atomic():
        CompanySettings.load()
        company = CompanySettings.objects.select_for_update().get(pk=1)
        highest = Invoice.objects.aggregate(value=Max("number"))["value"] or 0
        first = max(company.next_invoice_number, highest + 1)
        company.next_invoice_number = first + count
        company.save(update_fields=["next_invoice_number"])
    return first


def _customer_names(rng: random.Random, count: int, salt: int) -> list[tuple[str, str]]:
    names = []
    for index in range(count):
        first, second = rng.choice(NAME_PARTS[0]), rng.choice(NAME_PARTS[1])
        code = "".join(ch for ch in first.upper() if ch.isalpha())[:8]
        names.append((f"{code}{salt % 1000:03d}{index:04d}", f"{first} {second}"))
    return names
