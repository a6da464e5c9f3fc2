"""The office's side, through the services: review, distribution, the Friday export and
process runs, payments, posting, and the state of the customer export."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from jobledger.customers.models import Customer, TaxCode
from jobledger.customers.services import customer_update
from jobledger.demo.billing import InvoicePlan
from jobledger.demo.catalog_customers import NEW_CUSTOMERS
from jobledger.demo.dates import DAY, Date, next_workday, workday
from jobledger.demo.reference import create_customer
from jobledger.demo.schedule import OfficePlan
from jobledger.exports.models import ExportBatch
from jobledger.exports.services import export_batch_confirm_import, export_batch_create
from jobledger.invoicing.models import Invoice, ProcessBatch, Stage
from jobledger.invoicing.services import (
    invoice_approve,
    invoice_mark_paid,
    invoice_post,
    invoice_set_accounting_reference,
    invoice_submit,
    invoices_process,
)
from jobledger.ledger.models import GLAccount
from jobledger.ledger.services import (
    DistributionInput,
    distribution_apply_policy,
    distribution_approve,
    distribution_set_lines,
)

FORMAT = "csv"
REVIEWED = (Stage.PM_REVIEW, Stage.ADMIN, Stage.PROCESSED, Stage.PAID)
APPROVED = (Stage.ADMIN, Stage.PROCESSED, Stage.PAID)


@dataclass
class BatchDay:
    batch: ExportBatch
    day: Date
    confirmed: Date | None = None


@dataclass
class OfficeRecord:
    exports: list[BatchDay] = field(default_factory=list)
    processes: list[tuple[ProcessBatch, Date]] = field(default_factory=list)
    references: dict[int, Date] = field(default_factory=dict)  # invoice id → day recorded


def review(plans: list[InvoicePlan], invoices: dict[int, Invoice], users: dict[str, User]) -> None:
    """Submitted by whoever wrote them; approved by the job's project manager."""
    for plan in plans:
        invoice = invoices[id(plan)]
        if plan.stage in REVIEWED:
            invoice = invoice_submit(actor=users[plan.creator], invoice=invoice)
        if plan.stage in APPROVED:
            invoices[id(plan)] = invoice_approve(actor=users[plan.job.pm], invoice=invoice)


def distribute(plans: list[InvoicePlan], invoices: dict[int, Invoice], admin: User) -> None:
    receivable = GLAccount.objects.get(code="1100")
    for plan in plans:
        if plan.stage not in APPROVED or plan.distribution == "none":
            continue
        invoice = invoices[id(plan)]
        if plan.distribution == "partial":
            # Started by hand and left unfinished: the receivable side only.
            line = DistributionInput(receivable, invoice.total, "Invoice total")
            note = "Waiting on the PM: split between Paving and Concrete?"
            distribution_set_lines(actor=admin, invoice=invoice, lines=[line], note=note)
            continue
        distribution_apply_policy(actor=admin, invoice=invoice, policy=plan.distribution_policy)
        if plan.distribution == "approved":
            distribution_approve(actor=admin, invoice=invoice)


def export_and_process(office: OfficePlan, today: Date, admin: User, record: OfficeRecord) -> None:
    """Each Friday run: export the week's approved invoices to one file, then process them."""
    for day, plans in office.runs.items():
        note = f"Weekly export, run of {day:%m/%d/%Y}."
        record.exports.append(BatchDay(_export(admin, plans, note), day))
        processed = invoices_process(actor=admin, invoice_ids=[p.db_id for p in plans if p.db_id])
        record.processes.append((processed, day))
    if office.reexport and office.reexport[0].run:
        again = _export(admin, office.reexport, REEXPORT_NOTE, again=True)
        record.exports.append(BatchDay(again, next_workday(office.reexport[0].run + 3 * DAY)))
    if office.exported_today:
        note = "Month-end billing, first part. Processed once accounting confirms the import."
        batch = _export(admin, office.exported_today, note)
        record.exports.append(BatchDay(batch, workday(today - DAY)))


REEXPORT_NOTE = "Sent again at accounting's request: their first import skipped these."


def _export(admin: User, plans: list[InvoicePlan], note: str, again: bool = False) -> ExportBatch:
    ids = [plan.db_id for plan in plans if plan.db_id]
    result = export_batch_create(
        actor=admin, invoice_ids=ids, format_key=FORMAT, note=note, include_already_exported=again
    )
    return result.batch


def confirm_imports(admin: User, today: Date, record: OfficeRecord, seed: int) -> None:
    """Accounting confirmed every import but the latest two; most invoices got their
    accounting system's reference recorded on the way."""
    newest = sorted(record.exports, key=lambda b: b.day)[-2:]
    sequence = seed
    for entry in record.exports:
        if entry in newest:
            continue
        entry.confirmed = min(next_workday(entry.day + DAY), today)
        export_batch_confirm_import(actor=admin, batch=entry.batch)
        if entry.batch.include_already_exported:
            continue
        for invoice in entry.batch.invoices.order_by("number"):
            sequence += 7
            if sequence % 4 == 0:
                continue
            reference = f"{sequence:X}-{entry.day:%y%m%d}"
            invoice_set_accounting_reference(actor=admin, invoice=invoice, reference=reference)
            record.references[invoice.pk] = entry.confirmed


def pay_and_post(plans: list[InvoicePlan], invoices: dict[int, Invoice], admin: User) -> None:
    for plan in plans:
        invoice = invoices[id(plan)]
        if plan.paid_on:
            invoice = invoice_mark_paid(actor=admin, invoice=invoice)
        if plan.posted_on:
            invoice_post(actor=admin, invoice=invoice)


def settle_customers(admin: User, changed_code: str, exported_at: datetime.datetime) -> None:
    """Customers went to accounting in an earlier customer export; since then one customer
    moved and two are new, so the next customer export offers those three."""
    Customer.objects.update(changed_since_export=False, last_exported_at=exported_at)
    customer = Customer.objects.get(code=changed_code)
    customer_update(
        actor=admin,
        customer=customer,
        address1="2150 Commerce Drive, Suite 200",
        contact_name="Morgan Ellis",
        phone="(970) 555-0100",
    )
    tax_codes = {code.code: code for code in TaxCode.objects.all()}
    for spec in NEW_CUSTOMERS:
        create_customer(admin, spec, tax_codes)
