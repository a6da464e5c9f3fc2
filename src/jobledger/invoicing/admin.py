from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from jobledger.core.admin import ReadOnlyAdmin, set_or_not_filter
from jobledger.invoicing.models import Invoice, InvoiceLine, ProcessBatch

# Invoices change only through the invoicing services (numbering, stages, posting lock,
# audit), so the admin shows them and their lines without changing anything.


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = (
        "position",
        "kind",
        "task",
        "department",
        "description",
        "quantity",
        "unit",
        "rate",
        "amount",
        "taxable",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "job",
        "customer",
        "type",
        "policy",
        "stage",
        "invoice_date",
        "total",
        "posted",
    )
    list_filter = (
        "stage",
        "type",
        "policy",
        set_or_not_filter("posted_at", "posted"),
        set_or_not_filter("last_exported_at", "exported"),
    )
    search_fields = (
        "=number",
        "job__number",
        "job__name",
        "customer__code",
        "customer__name",
        "po_number",
        "accounting_reference",
    )
    list_select_related = ("job", "customer")
    date_hierarchy = "invoice_date"
    inlines = (InvoiceLineInline,)
    fieldsets = (
        (None, {"fields": ("number", "job", "customer", "type", "policy", "stage", "corrects")}),
        ("Dates and terms", {"fields": ("invoice_date", "due_date", "terms_days", "po_number")}),
        (
            "Amounts",
            {
                "fields": (
                    "subtotal",
                    "tax_rate",
                    "tax_amount",
                    "freight",
                    "deposit_applied",
                    "total",
                )
            },
        ),
        (
            "Accounting",
            {
                "fields": (
                    "accounting_reference",
                    "distribution_approved_at",
                    "distribution_approved_by",
                    "distribution_note",
                    "last_exported_at",
                    "posted_at",
                    "posted_by",
                )
            },
        ),
        (
            "History",
            {
                "fields": (
                    "created_by",
                    "created_at",
                    "updated_at",
                    "processed_at",
                    "paid_at",
                    "notes",
                )
            },
        ),
    )

    @admin.display(boolean=True, description="posted", ordering="posted_at")
    def posted(self, obj: Invoice) -> bool:
        return obj.is_posted


@admin.register(ProcessBatch)
class ProcessBatchAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_by", "created_at", "invoice_count", "undone_at", "undone_by")
    list_filter = (set_or_not_filter("undone_at", "undone"),)
    list_select_related = ("created_by", "undone_by")
    date_hierarchy = "created_at"
    exclude = ("invoices",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcessBatch]:
        return super().get_queryset(request).annotate(invoice_count=Count("invoices"))

    @admin.display(description="invoices", ordering="invoice_count")
    def invoice_count(self, obj: ProcessBatch) -> int:
        return obj.invoice_count  # type: ignore[attr-defined]
