"""Export figures: `make bench` (BENCH_EXPORT_INVOICES=N to change the invoice count).

Builds a throw-away SQLite database of N invoices (10,000 by default) of ten lines each with
approved GL distributions, then for every format in the registry times the export of all of
them through the path the export service takes (selection, pre-flight screen, chunked
documents, writer; no batch is recorded) and measures its peak memory (tracemalloc, in a
second run, since tracing slows Python down). Beside them stands the floor: the same rows,
already in memory, written with the csv module alone.

Columns: `time s` the whole path; `write s` the writer alone, on documents already in
memory; `over file` the peak less the file's own size, at 1,000 invoices and at all of
them (the same figure twice means memory does not grow with the invoice count). The
`reading alone` row reads every invoice into documents and keeps none. A last figure
times the whole service once (batch recorded, invoices marked), rolled back. Prints a
table and writes bench/results/exports.json.
"""

import contextlib
import csv
import datetime
import functools
import io
import json
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
LINES_PER_INVOICE = 10
SAMPLE = 1000  # a second, smaller export shows whether memory grows with the invoice count


def setup() -> str:
    """A fresh database in a temporary folder; returns the folder, removed at the end."""
    var_dir = tempfile.mkdtemp(prefix="jobledger-bench-exports-")
    os.environ["JOBLEDGER_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # always the throw-away SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobledger.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return var_dir


def build(count: int) -> None:
    """N Admin-tab invoices of ten lines with approved distributions, by bulk inserts."""
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone

    from jobledger.core.roles import ADMINISTRATOR, ensure_role_groups
    from jobledger.customers.models import Customer, TaxCode
    from jobledger.invoicing.models import Invoice, InvoiceLine, InvoiceType, Stage
    from jobledger.jobs.models import BillingType, Department, Job, Task
    from jobledger.ledger.models import DistributionCategory, DistributionLine, GLAccount

    ensure_role_groups()
    admin = User.objects.create_user("bench-admin")
    admin.groups.add(Group.objects.get(name=ADMINISTRATOR))
    tax = TaxCode.objects.create(code="TX", name="Texas", rate=Decimal("8.2500"))
    department = Department.objects.create(code="CIVIL", name="Civil")
    tasks = [
        Task.objects.create(
            code=f"LAB-{n}", name=f"Labor {n}", kind="labor", default_department=department
        )
        for n in range(5)
    ]
    accounts = {
        key: GLAccount.objects.create(code=code, name=name, type=kind)
        for key, code, name, kind in (
            # Codes of the shape every target takes (MYOB's is the narrowest: 4-1100).
            ("receivable", "1-1200", "Accounts receivable", "asset"),
            ("tax", "2-2200", "Sales tax payable", "liability"),
            ("freight", "4-4900", "Freight income", "income"),
            ("deposit", "2-2300", "Customer deposits", "liability"),
            ("kind:labor", "4-4000", "Labor income", "income"),
            ("kind:materials", "4-4100", "Materials income", "income"),
        )
    }
    for key, account in accounts.items():
        DistributionCategory.objects.create(policy="category", key=key, label=key, account=account)
    customers = Customer.objects.bulk_create(
        Customer(code=f"C{n:04d}", name=f"Customer {n}, Inc.", city="Austin", tax_code=tax)
        for n in range(200)
    )
    jobs = Job.objects.bulk_create(
        Job(number=f"J-{n:05d}", name=f"Job {n}", customer=customers[n % len(customers)],
            project_manager=admin, billing_type=BillingType.TIME_AND_MATERIALS,
            department=department)
        for n in range(1000)
    )  # fmt: skip
    now = timezone.now()
    day = datetime.date(2025, 3, 14)
    with transaction.atomic():
        for start in range(0, count, 1000):
            numbers = range(1001 + start, 1001 + min(start + 1000, count))
            invoices, lines, gl = [], [], []
            for number in numbers:
                job = jobs[number % len(jobs)]
                amounts = [Decimal(f"{85 + (number + n) % 40}.50") for n in range(10)]
                taxable = amounts[:3]
                subtotal = sum(amounts, Decimal("0.00"))
                tax_amount = (sum(taxable) * Decimal("0.0825")).quantize(Decimal("0.01"))
                total = subtotal + tax_amount
                invoice = Invoice(
                    number=number, job=job, customer=job.customer, type=InvoiceType.PARTIAL,
                    policy="progress_itemized", stage=Stage.ADMIN, invoice_date=day,
                    due_date=day + datetime.timedelta(days=30), tax_rate=Decimal("8.25"),
                    subtotal=subtotal, tax_amount=tax_amount, total=total, created_by=admin,
                    distribution_approved_at=now, distribution_approved_by=admin,
                    distribution_policy="category",
                )  # fmt: skip
                invoices.append(invoice)
                for position, amount in enumerate(amounts, start=1):
                    lines.append(InvoiceLine(
                        invoice=invoice, position=position, kind="labor",
                        task=tasks[position % len(tasks)], description=f"Crew hours {position}",
                        quantity=Decimal("1"), unit="HR", rate=amount, amount=amount,
                        taxable=amount in taxable,
                    ))  # fmt: skip
                gl += [
                    DistributionLine(invoice=invoice, position=1, account=accounts["receivable"],
                                     amount=total, memo="Invoice total"),
                    DistributionLine(invoice=invoice, position=2, account=accounts["kind:labor"],
                                     amount=-subtotal, memo="Labor"),
                    DistributionLine(invoice=invoice, position=3, account=accounts["tax"],
                                     amount=-tax_amount, memo="Sales tax"),
                ]  # fmt: skip
            Invoice.objects.bulk_create(invoices)
            InvoiceLine.objects.bulk_create(lines, batch_size=2000)
            DistributionLine.objects.bulk_create(gl, batch_size=2000)


def export_all(key: str, limit: int | None = None) -> list[bytes]:
    """What export_batch_create does up to the file: select, screen, read in chunks, write.
    Returns the file's parts (one unless the format splits), as the service holds them."""
    from jobledger.exports.formats import get_format
    from jobledger.exports.preflight import Screen
    from jobledger.exports.reader import ExportContext, export_rows
    from jobledger.exports.selectors import selected_invoices, selection_rows
    from jobledger.exports.services import write_parts
    from jobledger.invoicing.models import Invoice

    target = get_format(key)
    chosen = selection_rows(selected_invoices(invoices=Invoice.objects.all()))[:limit]
    context = ExportContext.load()
    screen = Screen(target, context.integration, include_already_exported=False)
    parts = write_parts(target, screen.ready_docs(export_rows([r.pk for r in chosen], context)))
    if screen.problems:
        problems = next(iter(screen.problems.values()))
        print(f"  {key}: {len(screen.problems):,} invoices held back, e.g. {problems[0]}")
    return parts


def size(parts: list[bytes]) -> int:
    return sum(len(part) for part in parts)


def read_through(limit: int | None = None) -> int:
    """Read the invoices into documents and let each go: the reader's own memory."""
    from jobledger.exports.reader import export_rows
    from jobledger.exports.selectors import selected_invoices, selection_rows
    from jobledger.invoicing.models import Invoice

    chosen = selection_rows(selected_invoices(invoices=Invoice.objects.all()))[:limit]
    return sum(1 for _row in export_rows([row.pk for row in chosen]))


def floor_rows(count: int) -> list[list[str]]:
    """The generic CSV's rows for every invoice, read back into memory."""
    text = b"".join(export_all("csv")).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) > count * LINES_PER_INVOICE
    return rows


def write_floor(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def peak(work: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def whole_service(key: str) -> float:
    """The export service itself, batch and all, rolled back so the database stays as built."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from jobledger.exports.services import export_batch_create
    from jobledger.invoicing.models import Invoice

    class Rollback(Exception):
        pass

    actor = User.objects.get(username="bench-admin")

    def run() -> None:
        with transaction.atomic():
            export_batch_create(actor=actor, format_key=key, invoices=Invoice.objects.all())
            raise Rollback

    started = time.perf_counter()
    with contextlib.suppress(Rollback):
        run()
    return time.perf_counter() - started


def mib(size: float) -> float:
    return round(size / 2**20, 1)


def read_all() -> list[Any]:
    """Every invoice read into documents, held in memory: the writers timed on their own."""
    from jobledger.exports.reader import export_rows
    from jobledger.exports.selectors import selected_invoices, selection_rows
    from jobledger.invoicing.models import Invoice

    chosen = selection_rows(selected_invoices(invoices=Invoice.objects.all()))
    return [row.doc for row in export_rows([row.pk for row in chosen])]


def write_only(key: str, docs: list[Any]) -> bytes:
    from jobledger.exports.formats import get_format
    from jobledger.exports.services import write_parts

    return b"".join(write_parts(get_format(key), iter(docs)))


def measure_format(key: str, docs: list[Any], floor: float) -> dict[str, float]:
    seconds, content = timed(lambda: export_all(key))
    writing, _ = timed(lambda: write_only(key, docs))
    full = peak(lambda: export_all(key))
    small_file = size(export_all(key, SAMPLE))
    small = peak(lambda: export_all(key, SAMPLE))
    return {
        "seconds": round(seconds, 3),
        "times_floor": round(seconds / floor, 1),
        "write_seconds": round(writing, 3),
        "write_times_floor": round(writing / floor, 1),
        "peak_mib": mib(full),
        "file_mib": mib(size(content)),
        f"peak_beyond_file_mib_{SAMPLE}": mib(small - small_file),
        "peak_beyond_file_mib_all": mib(full - size(content)),
    }


COLUMNS = (
    ("seconds", "time s", "8.2f"),
    ("times_floor", "x floor", "8.1f"),
    ("write_seconds", "write s", "8.2f"),
    ("write_times_floor", "x floor", "8.1f"),
    ("peak_mib", "peak MiB", "9.1f"),
    ("file_mib", "file MiB", "9.1f"),
    (f"peak_beyond_file_mib_{SAMPLE}", "over file 1k", "13.1f"),
    ("peak_beyond_file_mib_all", "over file all", "14.1f"),
)


def print_row(label: str, figures: dict[str, float]) -> None:
    cells = []
    for key, title, spec in COLUMNS:
        width = int(spec.split(".")[0])
        cells.append(format(figures[key], spec) if key in figures else " " * width)
        assert len(title) <= width
    print(f"{label:<20} {' '.join(cells)}", flush=True)


def main() -> None:
    count = int(os.environ.get("BENCH_EXPORT_INVOICES", "10000"))
    var_dir = setup()
    try:
        run(count)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(var_dir, ignore_errors=True)


def run(count: int) -> None:
    from jobledger.exports.formats import FORMATS

    build_time, _ = timed(lambda: build(count))
    print(f"built {count:,} invoices of {LINES_PER_INVOICE} lines in {build_time:.1f} s")
    rows = floor_rows(count)
    floor, floor_file = timed(functools.partial(write_floor, rows))
    floor_figures = {"seconds": floor, "times_floor": 1.0, "file_mib": mib(len(floor_file)),
                     "peak_mib": mib(peak(functools.partial(write_floor, rows)))}  # fmt: skip
    del rows, floor_file
    reading, docs = timed(read_all)
    reader_figures = {
        "seconds": reading,
        "times_floor": reading / floor,
        "peak_mib": mib(peak(read_through)),
        f"peak_beyond_file_mib_{SAMPLE}": mib(peak(lambda: read_through(SAMPLE))),
    }
    reader_figures["peak_beyond_file_mib_all"] = reader_figures["peak_mib"]
    figures: dict[str, Any] = {
        "invoices": count,
        "lines_per_invoice": LINES_PER_INVOICE,
        "floor": {key: round(value, 3) for key, value in floor_figures.items()},
        "reading": {key: round(value, 3) for key, value in reader_figures.items()},
        "formats": {},
    }
    print(
        " " * 21 + " ".join(format(title, f">{spec.split('.')[0]}") for _, title, spec in COLUMNS)
    )
    print_row("floor (csv module)", floor_figures)
    print_row("reading alone", reader_figures)
    for key in FORMATS:
        figures["formats"][key] = measure_format(key, docs, floor)
        print_row(key, figures["formats"][key])
    del docs
    service = whole_service("csv")
    figures["export_batch_create_csv_seconds"] = round(service, 3)
    print(f"export_batch_create, csv, {count:,} invoices, batch recorded: {service:.2f} s")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "exports.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
