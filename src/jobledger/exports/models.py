from django.conf import settings
from django.db import models

from jobledger.customers.models import Customer
from jobledger.invoicing.models import Invoice


class BatchKind(models.TextChoices):
    INVOICES = "invoices", "Invoices"
    CUSTOMERS = "customers", "Customers"


class ExportBatch(models.Model):
    """One file sent to accounting, kept byte for byte so it can be downloaded again."""

    kind = models.CharField(max_length=10, choices=BatchKind.choices, default=BatchKind.INVOICES)
    format = models.CharField(max_length=30, db_index=True)
    file_name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=60, blank=True)
    note = models.TextField("internal note", blank=True)
    content = models.BinaryField()
    media_type = models.CharField(max_length=100, default="text/csv")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file")
    include_already_exported = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    invoices = models.ManyToManyField(Invoice, blank=True, related_name="export_batches")
    customers = models.ManyToManyField(Customer, blank=True, related_name="export_batches")
    import_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    import_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "export batches"

    def __str__(self) -> str:
        return self.file_name
