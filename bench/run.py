"""Scale figures for jobledger: `make bench` (BENCH_SCALE=N to change the invoice count).

Builds a throw-away SQLite database (or uses DATABASE_URL when set), loads the demo company,
adds BENCH_SCALE invoices with `seed_demo --scale`, then times the reads a busy office makes.
Prints one line per figure and writes them to bench/results/latest.json.
"""

import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def measure(label: str, work: Callable[[], object], figures: dict[str, float]) -> object:
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    figures[label] = round(elapsed, 3)
    print(f"{label:<48} {elapsed:9.3f} s", flush=True)
    return result


def main() -> None:
    scale = int(os.environ.get("BENCH_SCALE", "100000"))
    var_dir = tempfile.mkdtemp(prefix="jobledger-bench-")
    os.environ.setdefault("JOBLEDGER_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobledger.settings")
    os.environ.setdefault("DEMO_PASSWORD", "bench-password")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from jobledger.invoicing.models import Invoice, Stage

    figures: dict[str, float] = {"scale": scale}
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    measure("migrate", lambda: call_command("migrate", verbosity=0), figures)
    measure("seed_demo (first load)", lambda: call_command("seed_demo", verbosity=0), figures)
    measure(
        f"seed_demo --scale {scale}",
        lambda: call_command("seed_demo", scale=scale, verbosity=0),
        figures,
    )
    total = Invoice.objects.count()
    figures["invoices"] = total
    print(f"{'invoices in the database':<48} {total:9d}")

    def admin_page() -> tuple[int, list[Invoice]]:
        rows = (
            Invoice.objects.in_admin_queue()
            .select_related("customer", "job__project_manager", "created_by")
            .order_by("-invoice_date", "-number")
        )
        return rows.count(), list(rows[:50])

    def processed_last_page() -> list[Invoice]:
        rows = Invoice.objects.filter(stage=Stage.PROCESSED).order_by("-total", "-number")
        count = rows.count()
        return list(rows.select_related("customer", "job")[max(count - 50, 0) : count])

    reset_queries()
    measure("Admin tab: count + first page of 50", admin_page, figures)
    measure("Processed tab by total: last page of 50", processed_last_page, figures)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_rss_mib"] = round(peak, 1)
    print(f"{'peak resident memory':<48} {peak:9.1f} MiB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
