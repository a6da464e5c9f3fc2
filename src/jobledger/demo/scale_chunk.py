"""Where each `--scale` invoice stands today, and writing a chunk of them with bulk inserts."""

import hashlib
import random
import re
from collections import defaultdict

from jobledger.demo.bulk import update_rows
from jobledger.demo.dates import DAY, Date, at, workday
from jobledger.demo.scale_rows import ScaleContext, ScaleInvoice
from jobledger.exports.formats import get_format
from jobledger.exports.models import ExportBatch
from jobledger.exports.reader import invoice_docs
from jobledger.invoicing.models import Invoice, InvoiceLine, ProcessBatch, Stage
from jobledger.jobs.models import Job, JobStatus
from jobledger.ledger import policies
from jobledger.ledger.models import DistributionLine

FORMAT = get_format("csv")
EXPORTED = (Stage.PROCESSED, Stage.PAID)


def settle(rng: random.Random, scaled: ScaleInvoice, context: ScaleContext) -> None:
    """Stage and timestamps by age: last week's billing is still being reviewed, last
    month's is out the door, older invoices are mostly paid and posted."""
    invoice, today = scaled.invoice, context.today
    day = invoice.invoice_date
    run = day + ((4 - day.weekday()) % 7 or 7) * DAY  # the Friday export and process run
    stage = _stage_for_age(rng, (today - day).days)
    if stage in EXPORTED and run >= today:
        stage = Stage.ADMIN
    invoice.created_at = invoice.updated_at = at(day, 8 + invoice.number % 9, invoice.number % 60)
    if stage in (Stage.ADMIN, *EXPORTED):
        scaled.distribution = _distribution(scaled, context)
        if stage in EXPORTED or rng.random() < 0.85:
            invoice.distribution_approved_at = at(run if stage in EXPORTED else day + DAY, 8, 30)
            invoice.distribution_approved_by = context.admin
    if stage in EXPORTED:
        stage = _send(rng, scaled, run, context)
    invoice.stage = stage
    moments = (invoice.distribution_approved_at, invoice.paid_at, invoice.posted_at)
    invoice.updated_at = max([invoice.created_at, *(m for m in moments if m)])


def _stage_for_age(rng: random.Random, age: int) -> str:
    draw = rng.random()
    if age <= 7:
        return Stage.DRAFT if draw < 0.25 else Stage.PM_REVIEW if draw < 0.5 else Stage.ADMIN
    if age <= 30:
        return Stage.ADMIN if draw < 0.3 else Stage.PROCESSED
    if age <= 60:
        return Stage.PROCESSED if draw < 0.5 else Stage.PAID
    return Stage.PAID if draw < 0.92 else Stage.PROCESSED


def _send(rng: random.Random, scaled: ScaleInvoice, run: Date, context: ScaleContext) -> str:
    """Exported and processed in its run; paid when the terms come round; posted a month on."""
    invoice, today = scaled.invoice, context.today
    scaled.run = run
    invoice.last_exported_at = at(run, 10)
    invoice.processed_at = at(run, 11)
    paid = workday(max(run + 3 * DAY, invoice.due_date + rng.randint(-5, 25) * DAY))
    stage = Stage.PROCESSED
    if paid < today and rng.random() < 0.93:
        invoice.paid_at, stage = at(paid, 14), Stage.PAID
    if run <= today - 45 * DAY and rng.random() < 0.9:
        invoice.posted_at, invoice.posted_by = at(workday(run + 30 * DAY), 17), context.admin
        invoice.accounting_reference = f"{invoice.number:X}-{run:%y%m%d}"
    return stage


def _distribution(scaled: ScaleInvoice, context: ScaleContext) -> list[policies.Entry]:
    invoice, job = scaled.invoice, scaled.invoice.job
    parts = []
    for line in scaled.lines:
        department = line.task.default_department if line.task else None
        department = department or job.department
        parts.append(
            policies.LinePart(
                line.amount, line.kind, line.taxable, department.code, department.name
            )
        )
    invoice_parts = policies.InvoiceParts(
        lines=tuple(parts),
        tax=invoice.tax_amount,
        freight=invoice.freight,
        deposit_applied=invoice.deposit_applied,
        total=invoice.total,
    )
    return list(policies.distribute(invoice_parts, context.policy, context.mapping).entries)


class Chunk:
    """Invoices waiting to be written, and the new jobs they bill."""

    def __init__(self, context: ScaleContext) -> None:
        self.context = context
        self.rows: list[ScaleInvoice] = []

    @property
    def size(self) -> int:
        return len(self.rows)

    def add(self, rng: random.Random, scaled: ScaleInvoice) -> None:
        settle(rng, scaled, self.context)
        self.rows.append(scaled)

    def save(self) -> None:
        jobs = list({id(s.invoice.job): s.invoice.job for s in self.rows}.values())
        new_jobs = [job for job in jobs if job.pk is None]
        created = [job.created_at for job in new_jobs]
        Job.objects.bulk_create(new_jobs, batch_size=500)
        update_rows(
            Job, ["created_at"], [(j.pk, c) for j, c in zip(new_jobs, created, strict=True)]
        )
        finished = [job for job in jobs if job.status == JobStatus.BILLED]
        update_rows(Job, ["status", "closed_at"], [(j.pk, j.status, j.closed_at) for j in finished])
        self._save_invoices()
        self._save_batches()
        self.rows = []

    def _save_invoices(self) -> None:
        invoices = [s.invoice for s in self.rows]
        # bulk_create stamps created_at/updated_at with now; the settled moments go back after.
        moments = [(inv.created_at, inv.updated_at) for inv in invoices]
        Invoice.objects.bulk_create(invoices, batch_size=500)
        update_rows(
            Invoice,
            ["created_at", "updated_at"],
            [(inv.pk, *when) for inv, when in zip(invoices, moments, strict=True)],
        )
        corrections = [(s.invoice.pk, s.corrects.pk) for s in self.rows if s.corrects is not None]
        update_rows(Invoice, ["corrects"], corrections)
        InvoiceLine.objects.bulk_create(
            [line for s in self.rows for line in s.lines], batch_size=1000
        )
        accounts = self.context.accounts
        DistributionLine.objects.bulk_create(
            [
                DistributionLine(
                    invoice=s.invoice,
                    position=position,
                    account=accounts[entry.account.code],
                    amount=entry.amount,
                    memo=entry.memo[:200],
                )
                for s in self.rows
                for position, entry in enumerate(s.distribution, start=1)
            ],
            batch_size=1000,
        )

    def _save_batches(self) -> None:
        runs: dict[Date, list[ScaleInvoice]] = defaultdict(list)
        for scaled in self.rows:
            if scaled.run is not None:
                runs[scaled.run].append(scaled)
        for run, group in sorted(runs.items()):
            self._export(run, group)
            self._process(run, group)

    def _export(self, run: Date, group: list[ScaleInvoice]) -> None:
        admin, today = self.context.admin, self.context.today
        # Read back through the exporter's own reader, so the file is what an export writes.
        ids = [scaled.invoice.pk for scaled in group]
        content = FORMAT.write(invoice_docs(Invoice.objects.filter(pk__in=ids)), ())
        confirmed = run <= today - 14 * DAY
        batch = ExportBatch.objects.create(
            format=FORMAT.key,
            file_name="pending",
            note=f"Weekly export, run of {run:%m/%d/%Y}.",
            content=content,
            media_type=FORMAT.media_type,
            checksum=hashlib.sha256(content).hexdigest(),
            created_by=admin,
            import_confirmed_by=admin if confirmed else None,
            import_confirmed_at=at(run + 3 * DAY, 9, 15) if confirmed else None,
        )
        name = f"{run:%Y%m%d}_{_client(group)}_Batch{batch.pk}.{FORMAT.extension}"
        ExportBatch.objects.filter(pk=batch.pk).update(file_name=name, created_at=at(run, 10))
        through = ExportBatch.invoices.through
        through.objects.bulk_create(
            [through(exportbatch_id=batch.pk, invoice_id=s.invoice.pk) for s in group]
        )

    def _process(self, run: Date, group: list[ScaleInvoice]) -> None:
        batch = ProcessBatch.objects.create(created_by=self.context.admin)
        ProcessBatch.objects.filter(pk=batch.pk).update(created_at=at(run, 11))
        through = ProcessBatch.invoices.through
        through.objects.bulk_create(
            [through(processbatch_id=batch.pk, invoice_id=s.invoice.pk) for s in group]
        )


def _client(group: list[ScaleInvoice]) -> str:
    codes = {s.invoice.customer.code for s in group}
    if len(codes) != 1:
        return "Multiple"
    return re.sub(r"[^A-Za-z0-9-]+", "", codes.pop())[:30] or "Client"
