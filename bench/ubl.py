"""E-invoice figures: `make bench` (BENCH_UBL_INVOICES=N to change the invoice count).

Builds the same throw-away database as bench/exports.py (N invoices of ten lines, 10,000 by
default), gives the company and its customers their e-invoice details, then measures:
- the export path up to the files (selection, pre-flight, chunked reading, one UBL document
  per invoice): time and peak memory (tracemalloc, in a second run);
- the writer alone on documents already in memory;
- the whole export service (documents zipped, batch recorded), rolled back: first without
  the invoice PDFs, then with them (rendered through the documents' cache, cold);
- the official conformance kit on a sample of the documents: the one-off cost of compiling
  its rules, then the time per document with the compiled rules cached, and how many fail.
Prints the figures and writes bench/results/ubl.json.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from exports import build, export_all, mib, peak, read_all, setup, timed, whole_service

RESULTS = Path(__file__).resolve().parent / "results"
KIT = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "ubl"
FORMAT = "ubl_peppol"
VALIDATED = 200  # documents run through the conformance kit


def make_einvoice_ready() -> None:
    """The company and every customer with the details e-invoices need."""
    from jobledger.core.models import CompanySettings
    from jobledger.customers.models import Customer

    CompanySettings.load()
    CompanySettings.objects.filter(pk=1).update(
        name="Ridgeline Site & Electric", legal_name="Ridgeline Site & Electric, Inc.",
        address="4180 Industrial Parkway", city="Loveland", region="CO", postal_code="80538",
        country="US", vat_number="US841234567", peppol_scheme="0088",
        peppol_id="0614141000012", einvoice_pdf=False,
    )  # fmt: skip
    Customer.objects.update(
        wants_einvoices=True, peppol_scheme="0088", peppol_id="0614141000029",
        buyer_reference="AP-4410",
    )  # fmt: skip


def validation_times(documents: list[bytes]) -> dict[str, Any]:
    """Compile the kit's rules once, then time each document against them."""
    sys.path.insert(0, str(KIT))
    import validate

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, document in enumerate(documents):
            path = Path(folder) / f"{n}.xml"
            path.write_bytes(document)
            paths.append(str(path))
        first, result = timed(lambda: validate.validate_file(paths[0], mode="peppol"))
        failing = 0 if result.ok else 1
        each = []
        for path in paths[1:]:
            seconds, result = timed(lambda path=path: validate.validate_file(path, mode="peppol"))
            each.append(seconds * 1000)
            failing += 0 if result.ok else 1
    return {
        "first_document_with_compiling_s": round(first, 3),
        "validate_ms_mean": round(statistics.mean(each), 1),
        "validate_ms_median": round(statistics.median(each), 1),
        "validate_ms_p95": round(statistics.quantiles(each, n=20)[-1], 1),
        "documents_validated": len(documents),
        "documents_failing": failing,
    }


def writer_alone() -> float:
    """The writer on documents already read into memory."""
    from jobledger.exports.formats import get_format
    from jobledger.exports.services import write_parts

    docs = read_all()
    seconds, _ = timed(lambda: write_parts(get_format(FORMAT), iter(docs)))
    return seconds


def run(count: int) -> dict[str, Any]:
    from jobledger.core.models import CompanySettings

    build_time, _ = timed(lambda: build(count))
    make_einvoice_ready()
    print(f"built {count:,} invoices of 10 lines in {build_time:.1f} s", flush=True)
    seconds, parts = timed(lambda: export_all(FORMAT))
    assert len(parts) == count, f"{len(parts)} documents for {count} invoices"
    file_bytes = sum(len(part) for part in parts)
    figures: dict[str, Any] = {
        "invoices": count,
        "export_path_s": round(seconds, 2),
        "per_invoice_ms": round(seconds / count * 1000, 3),
        "documents_mib": mib(file_bytes),
    }
    step = max(len(parts) // VALIDATED, 1)
    sample = parts[::step][:VALIDATED]
    del parts
    figures["export_path_peak_mib"] = mib(peak(lambda: export_all(FORMAT)))
    figures["writer_alone_s"] = round(writer_alone(), 2)
    figures["whole_service_zip_no_pdf_s"] = round(whole_service(FORMAT), 2)
    CompanySettings.objects.filter(pk=1).update(einvoice_pdf=True)
    figures["whole_service_zip_with_pdfs_s"] = round(whole_service(FORMAT), 2)
    figures.update(validation_times(sample))
    return figures


def main() -> None:
    count = int(os.environ.get("BENCH_UBL_INVOICES", "10000"))
    var_dir = setup()
    started = time.perf_counter()
    try:
        figures = run(count)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(var_dir, ignore_errors=True)
    for key, value in figures.items():
        print(f"{key:<36} {value}")
    print(f"{'bench took':<36} {time.perf_counter() - started:.0f} s")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ubl.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
