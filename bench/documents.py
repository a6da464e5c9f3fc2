"""Document figures: `make bench` (BENCH_DOCUMENT_INVOICES=N, 500 by default).

Loads the demo company with 2,000 more invoices (`seed_demo --scale`) into a throw-away
SQLite database. Then, side by side on the same N invoices in number order: jobledger's
zip with a cold PDF cache, the same zip again (warm cache), and wkhtmltopdf (the engine
Odoo uses) rendering each invoice's HTML from the same data, two at a time (one per core,
as jobledger's process pool does). Last, a zip and a merged print of 2,000 invoices, each
from a cold cache in a child process whose peak memory is measured: its own, and the
largest of its render workers'. Prints a table and writes bench/results/documents.json.

Beside each clock figure stands the CPU time per invoice, which other work on the machine
does not inflate: on an idle machine the clock rate approaches cores * 1000 / CPU ms.

wkhtmltopdf comes from Debian (scripts/ensure-debian-packages.sh installs it); without it
the comparison is left out and the figures say so.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCALE = 2000
WKHTMLTOPDF = "wkhtmltopdf"

HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
body { font-family: serif; font-size: 10pt; margin: 0.7in; }
h1 { color: #1f3a5f; text-align: right; } table { width: 100%; border-collapse: collapse; }
th { background: #1f3a5f; color: white; text-align: left; } td.n, th.n { text-align: right; }
tr:nth-child(even) td { background: #f4f4f4; } .totals { width: 40%; margin-left: auto; }
</style></head><body>
<h1>INVOICE{% if invoice.credit %} CREDIT{% endif %}</h1><p style="text-align:right">
No. {{ invoice.number }}<br>{{ invoice.type }} · {{ invoice.policy }}</p>
<p><b>{{ company.name }}</b><br>{{ company.address_lines|join:"<br>" }}</p>
<table><tr><td><b>Bill to</b><br>{{ customer.name }}<br>{{ customer.address_lines|join:"<br>" }}
</td><td><b>Job</b><br>{{ invoice.job_number }} {{ invoice.job_name }}<br>{{ invoice.site_address }}
</td><td>Invoice date {{ invoice.invoice_date }}<br>Due date {{ invoice.due_date }}<br>
Terms {{ invoice.terms }}<br>PO {{ invoice.po_number }}</td></tr></table><br>
<table><thead><tr><th>Description</th><th class="n">Quantity</th><th>Unit</th>
<th class="n">Rate</th><th class="n">Amount</th></tr></thead><tbody>
{% for line in lines %}<tr><td>{{ line.description }}</td><td class="n">{{ line.quantity }}</td>
<td>{{ line.unit }}</td><td class="n">{{ line.rate }}</td><td class="n">{{ line.amount }}</td>
</tr>{% endfor %}</tbody></table><table class="totals">
{% for total in totals %}<tr><td>{{ total.label }}</td><td class="n">{{ total.amount }}</td></tr>
{% endfor %}</table><p>{{ invoice.notes }}</p></body></html>"""


def setup(var_dir: str) -> None:
    os.environ["JOBLEDGER_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # always the throw-away SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobledger.settings")
    os.environ.setdefault("DEMO_PASSWORD", "bench-password")
    import django

    django.setup()


def first_ids(count: int) -> list[int]:
    from jobledger.invoicing.models import Invoice

    return list(Invoice.objects.order_by("number").values_list("pk", flat=True)[:count])


def cold() -> None:
    """Empty the PDF cache, rows and files."""
    from django.conf import settings

    from jobledger.documents.models import CachedPdf

    CachedPdf.objects.all().delete()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "documents" / "cache", ignore_errors=True)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (render workers,
    wkhtmltopdf): unlike the clock, it does not grow when other work shares the cores."""
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in used)


def timed_zip(ids: list[int]) -> tuple[float, float, int]:
    """Seconds (clock and CPU) for the zip of the invoices, and its size in bytes."""
    from jobledger.documents.services import invoices_pdf_zip
    from jobledger.invoicing.models import Invoice

    started, cpu = time.perf_counter(), cpu_seconds()
    path = invoices_pdf_zip(Invoice.objects.filter(pk__in=ids))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    size = path.stat().st_size
    path.unlink()
    return elapsed, cpu, size


def wkhtmltopdf_seconds(ids: list[int]) -> tuple[float, float]:
    """Seconds (clock and CPU) for wkhtmltopdf to render the invoices' HTML, one process
    per core."""
    from django.template import Context, Template

    from jobledger.documents.selectors import print_docs

    template = Template(HTML)
    folder = Path(tempfile.mkdtemp(prefix="jobledger-bench-wkhtml-"))
    pages = []
    for doc in print_docs(ids):
        page = folder / f"{doc.number}.html"
        page.write_text(template.render(Context(doc.data)))
        pages.append(page)
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}

    def render(page: Path) -> None:
        subprocess.run(
            [WKHTMLTOPDF, "--quiet", str(page), str(page.with_suffix(".pdf"))],
            check=True,
            env=env,
            stderr=subprocess.DEVNULL,
        )

    started, cpu = time.perf_counter(), cpu_seconds()
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(render, pages))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    shutil.rmtree(folder)
    return elapsed, cpu


def memory_run(kind: str, count: int) -> None:
    """In a child process: one cold zip or merged print, then its peak memory as JSON."""
    setup(os.environ["JOBLEDGER_VAR_DIR"])
    from jobledger.documents.services import invoices_pdf_merged, invoices_pdf_zip
    from jobledger.invoicing.models import Invoice

    cold()
    make = invoices_pdf_zip if kind == "zip" else invoices_pdf_merged
    started = time.perf_counter()
    path = make(Invoice.objects.filter(pk__in=first_ids(count)))
    figures = {
        "seconds": round(time.perf_counter() - started, 2),
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_peak_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
    path.unlink()
    print(json.dumps(figures))


def measured_child(kind: str, count: int) -> dict[str, Any]:
    script = [sys.executable, __file__, "memory", kind, str(count)]
    done = subprocess.run(script, capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(done.stdout.strip().splitlines()[-1])


def line(label: str, value: str) -> None:
    print(f"{label:<58} {value}", flush=True)


def main() -> None:
    count = int(os.environ.get("BENCH_DOCUMENT_INVOICES", "500"))
    var_dir = tempfile.mkdtemp(prefix="jobledger-bench-documents-")
    setup(var_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=SCALE, verbosity=0)
    ids = first_ids(count)
    # Other work on the machine slows every figure: the load says how busy it was.
    figures: dict[str, Any] = {"invoices": len(ids), "cores": os.cpu_count()}
    figures["load_average_at_start"] = round(os.getloadavg()[0], 1)
    line("load average (1 min) at start", f"{figures['load_average_at_start']:8.1f}")
    cold()
    seconds, cpu, size = timed_zip(ids)
    figures["zip_cold_per_s"] = round(len(ids) / seconds, 1)
    figures["zip_cold_cpu_ms"] = round(1000 * cpu / len(ids), 1)
    line(f"jobledger zip of {len(ids)}, cold cache", f"{figures['zip_cold_per_s']:8.1f} invoices/s")
    line("  CPU time per invoice (all processes)", f"{figures['zip_cold_cpu_ms']:8.1f} ms")
    seconds, cpu, _ = timed_zip(ids)
    figures["zip_warm_per_s"] = round(len(ids) / seconds, 1)
    figures["zip_warm_cpu_ms"] = round(1000 * cpu / len(ids), 2)
    line(f"jobledger zip of {len(ids)}, warm cache", f"{figures['zip_warm_per_s']:8.1f} invoices/s")
    line("  CPU time per invoice", f"{figures['zip_warm_cpu_ms']:8.2f} ms")
    figures["zip_mib"] = round(size / 2**20, 1)
    if shutil.which(WKHTMLTOPDF):
        seconds, cpu = wkhtmltopdf_seconds(ids)
        figures["wkhtmltopdf_per_s"] = round(len(ids) / seconds, 1)
        figures["wkhtmltopdf_cpu_ms"] = round(1000 * cpu / len(ids), 1)
        figures["cold_vs_wkhtmltopdf"] = round(seconds / (len(ids) / figures["zip_cold_per_s"]), 1)
        figures["cold_vs_wkhtmltopdf_cpu"] = round(
            figures["wkhtmltopdf_cpu_ms"] / figures["zip_cold_cpu_ms"], 1
        )
        line(
            f"wkhtmltopdf, same {len(ids)} invoices",
            f"{figures['wkhtmltopdf_per_s']:8.1f} invoices/s",
        )
        line("  CPU time per invoice", f"{figures['wkhtmltopdf_cpu_ms']:8.1f} ms")
        line(
            "jobledger cold over wkhtmltopdf, by clock",
            f"{figures['cold_vs_wkhtmltopdf']:8.1f} times",
        )
        line(
            "jobledger cold over wkhtmltopdf, by CPU",
            f"{figures['cold_vs_wkhtmltopdf_cpu']:8.1f} times",
        )
    else:
        figures["wkhtmltopdf_per_s"] = None
        line("wkhtmltopdf", "not installed: comparison left out")
    for kind in ("zip", "merged"):
        found = measured_child(kind, SCALE)
        figures[f"{kind}_{SCALE}"] = found
        line(
            f"{kind} of {SCALE}, cold: peak memory (largest worker)",
            f"{found['peak_mib']:8.1f} MiB ({found['worker_peak_mib']} MiB), "
            f"{SCALE / found['seconds']:.1f} invoices/s, file {found['file_mib']} MiB",
        )
    figures["load_average_at_end"] = round(os.getloadavg()[0], 1)
    line("load average (1 min) at end", f"{figures['load_average_at_end']:8.1f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "documents.json").write_text(json.dumps(figures, indent=2) + "\n")
    shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["memory"]:
        memory_run(sys.argv[2], int(sys.argv[3]))
    else:
        main()
