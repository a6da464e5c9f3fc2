"""Two administrators at once, on a real PostgreSQL server (skipped on SQLite)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from jobledger.core.models import AuditEvent
from jobledger.exports.models import ExportBatch
from jobledger.exports.services import (
    AlreadyExported,
    ExportError,
    ExportResult,
    export_batch_create,
)
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import Invoice, ProcessBatch, Stage
from jobledger.invoicing.services import invoices_process
from tests.factories import make_admin_invoice, make_invoice

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real threads"
    ),
]


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `count` threads released at the same instant; collect results or errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def runner(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_invoice_creation_gets_distinct_consecutive_numbers(
    company, administrator, job
) -> None:
    company.next_invoice_number = 5000
    company.save()

    results = run_together(6, lambda i: make_invoice(actor=administrator, job=job).number)

    assert all(isinstance(number, int) for number in results), results
    assert sorted(results) == list(range(5000, 5006))
    company.refresh_from_db()
    assert company.next_invoice_number == 5006


def test_concurrent_processing_processes_each_invoice_exactly_once(
    company, administrator, job
) -> None:
    invoices = [make_admin_invoice(actor=administrator, job=job) for _ in range(5)]
    ids = [invoice.pk for invoice in invoices]

    results = run_together(2, lambda i: invoices_process(actor=administrator, invoice_ids=ids))

    batches = [r for r in results if isinstance(r, ProcessBatch)]
    refusals = [r for r in results if isinstance(r, InvoiceError)]
    assert len(batches) == 1, results
    assert len(refusals) == 1
    assert "no longer in the Admin tab" in refusals[0].message
    assert ProcessBatch.objects.count() == 1
    assert set(ProcessBatch.objects.get().invoices.values_list("pk", flat=True)) == set(ids)
    assert Invoice.objects.filter(pk__in=ids, stage=Stage.PROCESSED).count() == 5
    assert AuditEvent.objects.filter(action="invoice processed").count() == 5


def test_concurrent_exports_send_each_invoice_out_once(
    company, administrator, job, category_mappings
) -> None:
    company.accounting_integration = False  # the default policy distributes at export time
    company.save()
    ids = [make_admin_invoice(actor=administrator, job=job).pk for _ in range(4)]

    results = run_together(
        2, lambda i: export_batch_create(actor=administrator, invoice_ids=ids, format_key="csv")
    )

    done = [r for r in results if isinstance(r, ExportResult)]
    refusals = [r for r in results if isinstance(r, ExportError)]
    assert len(done) == 1, results
    assert len(refusals) == 1
    assert "exported already" in refusals[0].message
    assert ExportBatch.objects.count() == 1
    assert ExportBatch.objects.get().invoices.count() == 4


def test_concurrent_overlapping_exports_put_each_invoice_in_one_batch(
    company, administrator, job, category_mappings
) -> None:
    company.accounting_integration = False
    company.save()
    ids = [make_admin_invoice(actor=administrator, job=job).pk for _ in range(6)]
    selections = [ids[:4], ids[2:]]  # two invoices in both

    results = run_together(
        2,
        lambda i: export_batch_create(
            actor=administrator, invoice_ids=selections[i], format_key="csv"
        ),
    )

    assert all(isinstance(r, ExportResult) for r in results), results
    members = ExportBatch.invoices.through.objects.values_list("invoice_id", flat=True)
    assert sorted(members) == sorted(ids)  # each invoice in exactly one batch
    left_out = sorted(n for r in results for n in r.left_out_already_exported)
    overlap = Invoice.objects.filter(pk__in=ids[2:4]).values_list("number", flat=True)
    assert left_out == sorted(overlap)  # the later export names the ones it found exported


def test_concurrent_exports_by_query_send_each_invoice_out_once(
    company, administrator, job, category_mappings
) -> None:
    """The command line chooses invoices by a query rather than by their ids."""
    company.accounting_integration = False
    company.save()
    ids = [make_admin_invoice(actor=administrator, job=job).pk for _ in range(4)]

    results = run_together(
        2,
        lambda i: export_batch_create(
            actor=administrator, invoices=Invoice.objects.filter(stage=Stage.ADMIN),
            format_key="csv",
        ),
    )  # fmt: skip

    done = [r for r in results if isinstance(r, ExportResult)]
    refusals = [r for r in results if isinstance(r, AlreadyExported)]
    assert len(done) == 1, results
    assert len(refusals) == 1
    assert sorted(refusals[0].numbers) == sorted(
        Invoice.objects.filter(pk__in=ids).values_list("number", flat=True)
    )
    assert ExportBatch.objects.get().invoices.count() == 4
