"""Which invoices and customers an export takes, and the export log.

The export log reads a page of batches with their counts and totals in one query,
whatever the page size. Reading invoices into documents is in `exports.reader`.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from jobledger.core.money import ZERO
from jobledger.customers.models import Customer
from jobledger.exports.formats import FORMATS
from jobledger.exports.formats.base import ExportFormat
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import Invoice, Stage

EXPORTABLE_STAGES = (Stage.ADMIN, Stage.PROCESSED, Stage.PAID)
STAGE_CHOICES = {
    "admin": (Stage.ADMIN,),
    "processed": (Stage.PROCESSED,),
    "paid": (Stage.PAID,),
    "all": EXPORTABLE_STAGES,
}


@dataclass(frozen=True)
class Selected:
    """One chosen invoice, as far as deciding what goes out needs it."""

    pk: int
    number: int
    customer_id: int
    exported: bool


def selected_invoices(
    *, invoice_ids: Iterable[int] | None = None, invoices: QuerySet[Invoice] | None = None
) -> QuerySet[Invoice]:
    """The invoices a person chose: by id (the backlog) or by a query (the command line)."""
    if invoices is not None:
        return Invoice.objects.filter(pk__in=invoices.values("pk"))
    return Invoice.objects.filter(pk__in=sorted(set(invoice_ids or ())))


def selection_rows(invoices: QuerySet[Invoice]) -> list[Selected]:
    """The chosen invoices in number order. Rows are read in primary-key order, so that a
    caller locking them (`select_for_update`) queues behind another export of overlapping
    invoices instead of deadlocking with it."""
    rows = invoices.order_by("pk").values_list("pk", "number", "customer_id", "last_exported_at")
    chosen = [Selected(pk, number, customer, exported is not None) for pk, number, customer,
              exported in rows]  # fmt: skip
    return sorted(chosen, key=lambda row: row.number)


EINVOICE_FORMAT = "ubl_peppol"


def suggested_format(customers: QuerySet[Customer]) -> str | None:
    """The format to offer first for invoices to these customers: the e-invoice when every
    one of them wants e-invoices, else None (the person chooses). One query; pass e.g.
    `Customer.objects.filter(invoices__in=chosen)`."""
    counts = customers.aggregate(
        customers=Count("pk", distinct=True),
        wanting=Count("pk", distinct=True, filter=Q(wants_einvoices=True)),
    )
    if counts["customers"] and counts["customers"] == counts["wanting"]:
        return EINVOICE_FORMAT
    return None


def customers_for_export(*, all_customers: bool = False) -> QuerySet[Customer]:
    """Customers new or changed since their last export, or every customer."""
    customers = Customer.objects.all() if all_customers else Customer.objects.changed_since_export()
    return customers.order_by("code")


def invoices_matching(
    *,
    stage: str = "admin",
    client: str = "",
    job: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Invoice]:
    """Invoices by stage, customer code, job number and invoice date (the command line's
    filters); already exported ones stay in, for the export to skip and name."""
    query = Q(stage__in=STAGE_CHOICES[stage])
    if client:
        query &= Q(customer__code__iexact=client)
    if job:
        query &= Q(job__number__iexact=job)
    if date_from:
        query &= Q(invoice_date__gte=date_from)
    if date_to:
        query &= Q(invoice_date__lte=date_to)
    return Invoice.objects.filter(query)


# The export log


LOG_PAGE_SIZE = 25
MEMBERS_PAGE_SIZE = 50


@dataclass(frozen=True)
class BatchRow:
    """One line of the export log."""

    batch: ExportBatch
    format_label: str
    invoice_count: int
    customer_count: int
    total: Decimal


def export_log_page(
    page: str | int | None, *, per_page: int = LOG_PAGE_SIZE
) -> tuple[Page, list[BatchRow]]:
    """A page of batches, newest first: two queries (the count and the page)."""
    found = Paginator(_log_rows(), per_page).get_page(page)
    return found, [_batch_row(batch) for batch in found]


def export_batch_row(pk: int) -> BatchRow:
    """One batch as the log shows it; raises ExportBatch.DoesNotExist."""
    return _batch_row(_log_rows().get(pk=pk))


def batch_invoices_page(batch: ExportBatch, page: str | int | None) -> Page:
    invoices = batch.invoices.select_related("customer").order_by("number")
    return Paginator(invoices, MEMBERS_PAGE_SIZE).get_page(page)


def batch_customers_page(batch: ExportBatch, page: str | int | None) -> Page:
    return Paginator(batch.customers.order_by("code"), MEMBERS_PAGE_SIZE).get_page(page)


def customer_formats() -> list[ExportFormat]:
    """The formats with a customer layout of their own, for the customer export."""
    return [fmt for fmt in FORMATS.values() if fmt.write_customers is not None]


def format_label(key: str) -> str:
    """The format's name in the UI; a batch of a format since removed shows its key."""
    found = FORMATS.get(key)
    return found.label if found else key


def _log_rows() -> QuerySet[ExportBatch]:
    # Counted in subqueries: joining both member tables would multiply the totals.
    invoices = ExportBatch.invoices.through.objects.filter(exportbatch_id=OuterRef("pk"))
    customers = ExportBatch.customers.through.objects.filter(exportbatch_id=OuterRef("pk"))

    def figure(rows: QuerySet, aggregate: Count | Sum) -> Subquery:
        return Subquery(rows.order_by().values("exportbatch_id").annotate(v=aggregate).values("v"))

    return (
        ExportBatch.objects.defer("content")
        .select_related("created_by", "import_confirmed_by")
        .annotate(
            invoice_count=Coalesce(figure(invoices, Count("pk")), 0),
            customer_count=Coalesce(figure(customers, Count("pk")), 0),
            invoice_total=Coalesce(
                figure(invoices, Sum("invoice__total")),
                ZERO,
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        .order_by("-created_at", "-id")
    )


def _batch_row(batch: ExportBatch) -> BatchRow:
    return BatchRow(
        batch=batch,
        format_label=format_label(batch.format),
        invoice_count=batch.invoice_count,  # type: ignore[attr-defined]
        customer_count=batch.customer_count,  # type: ignore[attr-defined]
        total=batch.invoice_total,  # type: ignore[attr-defined]
    )
