"""The Invoice Process Backlog: its grid definition and the reads behind its row details.

Invoices reach it once a Project Manager has approved them (the Admin stage) and stay,
under Processed and Paid, as the office's history.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from jobledger.backlog.grid import Action, Column, Filter, GridDefinition, Tab
from jobledger.core.audit import events_for
from jobledger.core.models import AuditEvent
from jobledger.core.roles import PROJECT_MANAGER, AnyUser
from jobledger.customers.models import Customer
from jobledger.exports.models import ExportBatch
from jobledger.exports.reader import ExportRow, export_rows
from jobledger.invoicing.models import Invoice, InvoiceLine, Stage
from jobledger.jobs.models import ChargeKind, Job
from jobledger.ledger.selectors import DistributionSummary, distribution_summary

BEFORE_THE_BACKLOG = (Stage.DRAFT, Stage.PM_REVIEW)
PM_ORDER = ("job__project_manager__last_name", "job__project_manager__username")
EXPORT_URL, PROCESS_URL = "invoice_process_export", "invoice_process_process"
PDFS_URL = "invoice_process_pdfs"
EXPORT_STATUSES = (("not_exported", "Not exported"), ("exported", "Exported"))


def _backlog_invoices() -> QuerySet[Invoice]:
    # Said as "not before it" so that, with no other filter, the database walks the index
    # of the column sorted on instead of sorting every invoice of the All tab.
    return Invoice.objects.exclude(stage__in=BEFORE_THE_BACKLOG)


def _mine(user: AnyUser) -> Q:
    return Q(created_by_id=user.pk)


def client_choices() -> list[tuple[str, str]]:
    rows = Customer.objects.order_by("name").values_list("pk", "code", "name")
    return [(str(pk), f"{name} ({code})") for pk, code, name in rows]


def project_manager_choices() -> list[tuple[str, str]]:
    users = User.objects.filter(groups__name=PROJECT_MANAGER).order_by("last_name", "username")
    return [(str(user.pk), user.get_full_name() or user.username) for user in users]


def _row_id(label: str) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not raw.isdigit():
            raise ValueError(f"{label}: “{raw}” is not one of the choices.")
        return int(raw)

    return parse


def _export_status(raw: str) -> str:
    if raw not in dict(EXPORT_STATUSES):
        raise ValueError(f"Export status: “{raw}” is not one of the choices.")
    return raw


def _job_number(text: str) -> Q:
    return Q(job_id__in=Job.objects.filter(number__icontains=text).values("pk"))


def quick_filter(text: str) -> Q:
    """Invoice number, job, client, PO or accounting reference containing `text`."""
    customers = Customer.objects.filter(Q(name__icontains=text) | Q(code__icontains=text))
    jobs = Job.objects.filter(Q(number__icontains=text) | Q(name__icontains=text))
    found = (
        Q(customer_id__in=customers.values("pk"))
        | Q(job_id__in=jobs.values("pk"))
        | Q(po_number__icontains=text)
        | Q(accounting_reference__icontains=text)
    )
    if text.isdigit() and len(text) < 10:
        found |= Q(number=int(text))
    return found


def _decorate(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return invoices.select_related("customer", "job__project_manager")


def _add_warnings(invoices: list[Invoice]) -> None:
    """The page's warnings that come from the DWRs billed: one query for the whole page,
    through the lines of these invoices alone."""
    from_dwrs = (
        InvoiceLine.objects.filter(invoice__in=invoices, dwr_line__isnull=False)
        .values("invoice_id")
        .annotate(
            unsigned=Count("pk", filter=Q(dwr_line__dwr__representative_signature="")),
            unprocessed=Count(
                "pk", filter=Q(dwr_line__kind=ChargeKind.EXPENSES, dwr_line__processed=False)
            ),
        )
    )
    found = {row["invoice_id"]: row for row in from_dwrs}
    for invoice in invoices:
        row = found.get(invoice.pk, {})
        invoice.missing_signature = bool(row.get("unsigned"))  # type: ignore[attr-defined]
        invoice.unprocessed_expenses = bool(row.get("unprocessed"))  # type: ignore[attr-defined]


INVOICE_PROCESS = GridDefinition(
    key="invoice-process",
    title="Invoice Process Backlog",
    url_name="invoice_process_backlog",
    noun="invoice",
    rows=_backlog_invoices,
    tabs=(
        Tab("admin", "Admin", values=(Stage.ADMIN,)),
        Tab("processed", "Processed", values=(Stage.PROCESSED,)),
        Tab("paid", "Paid", values=(Stage.PAID,)),
        Tab("mine", "My Forms", condition=_mine),
        Tab("all", "All"),
    ),
    count_by="stage",
    filters=(
        Filter(
            "client",
            "Client",
            "select",
            lambda pk: Q(customer_id=pk),
            choices=client_choices,
            parse=_row_id("Client"),
        ),
        Filter("job", "Job Number", "text", _job_number),
        Filter("date_from", "Invoice Date from", "date", lambda day: Q(invoice_date__gte=day)),
        Filter("date_to", "Invoice Date to", "date", lambda day: Q(invoice_date__lte=day)),
        Filter(
            "export",
            "Export status",
            "select",
            lambda status: Q(last_exported_at__isnull=status == "not_exported"),
            choices=lambda: EXPORT_STATUSES,
            parse=_export_status,
        ),
        Filter(
            "pm",
            "Project Manager",
            "select",
            lambda pk: Q(job__project_manager_id=pk),
            choices=project_manager_choices,
            parse=_row_id("Project Manager"),
        ),
    ),
    quick_filter=quick_filter,
    quick_filter_hint="Invoice number, job, client, PO or accounting reference",
    columns=(
        Column("number", "Invoice Number", ("number",), unique=True),
        Column("client", "Client", ("customer__name",)),
        Column("job", "Job", ("job__number",)),
        Column("pm", "Project Manager", PM_ORDER),
        Column("invoice_date", "Invoice Date", ("invoice_date",)),
        Column("created", "Created Date", ("created_at",)),
        Column("total", "Total", ("total",), numeric=True),
        Column("processed", "Processed", ("processed_at",)),
        Column("exported", "Exported", ("last_exported_at",)),
        Column("warnings", "Warnings"),
    ),
    default_sort="-number",
    row_template="backlog/invoice_process/row.html",
    toolbar_template="backlog/invoice_process/toolbar.html",
    detail_url_name="invoice_process_details",
    actions=(
        Action("export", "Export Selected Invoices", "box-arrow-up-right", EXPORT_URL),
        Action(
            "pdfs",
            "Download Selected PDFs",
            "file-earmark-zip",
            PDFS_URL,
            style="outline-primary",
            method="post",
        ),
        Action(
            "process", "Process Selected Invoices", "check2-square", PROCESS_URL, style="success"
        ),
    ),
    decorate=_decorate,
    enrich=_add_warnings,
)


@dataclass(frozen=True)
class InvoiceDetails:
    """The accounting details that the expand triangle opens under a row."""

    invoice: Invoice
    export: ExportRow
    distribution: DistributionSummary
    batches: list[ExportBatch]
    events: list[AuditEvent]


def invoice_details(pk: int) -> InvoiceDetails:
    """Lines with their GL accounts, totals, terms, distribution, export history and audit
    trail of one backlog invoice; raises Invoice.DoesNotExist."""
    invoice = _backlog_invoices().select_related("customer", "job").get(pk=pk)
    return InvoiceDetails(
        invoice=invoice,
        export=next(export_rows([invoice.pk])),
        distribution=distribution_summary(invoice),
        batches=export_history(invoice),
        events=list(events_for(invoice)[:50]),
    )


def export_history(invoice: Invoice) -> list[ExportBatch]:
    """The batches an invoice went out in, newest first, with who made each."""
    batches = invoice.export_batches.defer("content").select_related("created_by")
    return list(batches.order_by("-created_at"))
