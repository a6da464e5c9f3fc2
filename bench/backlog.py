"""Invoice Process Backlog figures: `make bench` (BENCH_BACKLOG_INVOICES=N for another size).

Builds a throw-away database (SQLite in a temporary folder, or the PostgreSQL that
DATABASE_URL names, as `scripts/with-postgres.sh` gives), loads the demo company and adds
N invoices (100,000 by default) with `seed_demo --scale` (on PostgreSQL, then VACUUM
ANALYZE, as autovacuum would). Then, signed in as the demo
administrator through Django's test client, it requests the backlog's pages the way the
browser does and reports, for each, the median and slowest of 20 requests and the number
of database queries. Targets: under 100 ms on SQLite, under 50 ms on PostgreSQL.
Prints a table and writes bench/results/backlog-<database>.json.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
REQUESTS = 20
TARGET_MS = {"sqlite": 100, "postgresql": 50}


def setup() -> str:
    """Django against a fresh database; returns the temporary folder, removed at the end."""
    var_dir = tempfile.mkdtemp(prefix="jobledger-bench-backlog-")
    os.environ["JOBLEDGER_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobledger.settings")
    os.environ.setdefault("DEMO_PASSWORD", "bench-password")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
    import django

    django.setup()
    return var_dir


def build(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale=count, verbosity=0)
    print(f"added {count:,} invoices in {time.perf_counter() - started:.0f} s", flush=True)
    # PostgreSQL in use has its planner statistics and visibility map (autovacuum keeps
    # them; counts then read indexes alone); a bulk load has neither yet. SQLite keeps no
    # statistics unless asked, and the application never asks.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def pages() -> dict[str, dict[str, str]]:
    """The requests to time: what a person does first, then with filters, sort, quick filter."""
    from django.db.models import Count

    from jobledger.invoicing.models import Invoice, Stage

    busiest = (
        Invoice.objects.filter(stage=Stage.ADMIN)
        .values("customer_id", "job__number")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "the scale data has no Admin-tab invoices"
    latest = Invoice.objects.order_by("-invoice_date").values_list("invoice_date", flat=True)[0]
    return {
        "Admin tab, first page": {},
        "filtered: client + invoice dates": {
            "client": str(busiest["customer_id"]),
            "date_from": f"{latest.replace(day=1):%Y-%m-%d}",
            "date_to": f"{latest:%Y-%m-%d}",
        },
        "sorted: Total, descending": {"sort": "-total"},
        "sorted: Client, page 20": {"sort": "client", "page": "20"},
        "All tab, sorted by Exported": {"tab": "all", "sort": "-exported"},
        "Quick Filter (htmx): job number": {"q": busiest["job__number"][-4:]},
    }


def measure(params: dict[str, str], htmx: bool) -> tuple[list[float], int, int]:
    """Times of REQUESTS requests in ms, the queries of one, and the rows it listed."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    headers = {"HX-Request": "true"} if htmx else {}
    url = "/backlogs/invoice-process/"
    client.get(url, params, headers=headers)  # warm: templates compiled, caches filled
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, params, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, headers=headers)
    rows = response.content.decode().count('<tr data-row="')
    return times, len(queries), rows


def main() -> None:
    count = int(os.environ.get("BENCH_BACKLOG_INVOICES", "100000"))
    var_dir = setup()
    from django.db import connection

    from jobledger.invoicing.models import Invoice

    vendor = connection.vendor
    try:
        build(count)
        total = Invoice.objects.count()
        target = TARGET_MS.get(vendor, 100)
        print(f"database: {vendor}; invoices: {total:,}; target: under {target} ms a page")
        print(f"{'page':<36} {'median ms':>10} {'max ms':>8} {'queries':>8} {'rows':>5}")
        figures: dict[str, object] = {"database": vendor, "invoices": total, "target_ms": target}
        for label, params in pages().items():
            times, queries, rows = measure(params, htmx=label.startswith("Quick"))
            median = statistics.median(times)
            print(f"{label:<36} {median:>10.1f} {max(times):>8.1f} {queries:>8} {rows:>5}")
            figures[label] = {"median_ms": round(median, 1), "max_ms": round(max(times), 1),
                              "queries": queries, "rows": rows}  # fmt: skip
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"backlog-{vendor}.json").write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
