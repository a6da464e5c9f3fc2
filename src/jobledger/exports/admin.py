from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.db.models.functions import Length
from django.http import HttpRequest

from jobledger.core.admin import ReadOnlyAdmin, acting_user, set_or_not_filter
from jobledger.core.errors import DomainError
from jobledger.exports.models import ExportBatch
from jobledger.exports.services import export_batch_confirm_import


@admin.register(ExportBatch)
class ExportBatchAdmin(ReadOnlyAdmin):
    """Batches are written by the export service only; the admin shows the log."""

    list_display = (
        "file_name",
        "format",
        "invoice_count",
        "created_by",
        "created_at",
        "import_confirmed",
    )
    list_filter = ("format", "kind", set_or_not_filter("import_confirmed_at", "import confirmed"))
    search_fields = ("file_name", "note", "checksum", "created_by__username")
    list_select_related = ("created_by", "import_confirmed_by")
    date_hierarchy = "created_at"
    fields = (
        "file_name",
        "kind",
        "format",
        "media_type",
        "size",
        "checksum",
        "prefix",
        "note",
        "include_already_exported",
        "created_by",
        "created_at",
        "import_confirmed_by",
        "import_confirmed_at",
    )
    readonly_fields = ("size",)
    actions = ("confirm_import",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExportBatch]:
        # The file itself stays in the database until someone downloads it.
        batches = super().get_queryset(request).defer("content")
        return batches.annotate(invoice_count=Count("invoices"), size_bytes=Length("content"))

    @admin.display(description="invoices", ordering="invoice_count")
    def invoice_count(self, obj: ExportBatch) -> int:
        return obj.invoice_count  # type: ignore[attr-defined]

    @admin.display(boolean=True, description="import confirmed", ordering="import_confirmed_at")
    def import_confirmed(self, obj: ExportBatch) -> bool:
        return obj.import_confirmed_at is not None

    @admin.display(description="file size")
    def size(self, obj: ExportBatch) -> str:
        return f"{obj.size_bytes or 0:,} bytes"  # type: ignore[attr-defined]

    @admin.action(description="Confirm import into accounting")
    def confirm_import(self, request: HttpRequest, queryset: QuerySet[ExportBatch]) -> None:
        for batch in queryset:
            try:
                export_batch_confirm_import(actor=acting_user(request), batch=batch)
            except DomainError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                self.message_user(request, f"Import of {batch.file_name} confirmed.")
