from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models


class CompanySettings(models.Model):
    """The one row of company-wide settings (primary key 1)."""

    name = models.CharField(max_length=120, default="My Company")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    logo = models.FileField(
        upload_to="company/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg"])],
    )
    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code")
    accounting_integration = models.BooleanField(
        default=True,
        help_text="When on, invoices are distributed to GL accounts and approved before export.",
    )
    backdating_days = models.PositiveSmallIntegerField(
        default=30, help_text="How many days before today an invoice may be dated."
    )
    lock_date = models.DateField(
        null=True, blank=True, help_text="No invoice may be dated on or before this day."
    )
    next_invoice_number = models.PositiveIntegerField(
        default=1001,
        validators=[MinValueValidator(1)],
        help_text="The number the next invoice gets; numbers are never reused.",
    )

    class Meta:
        verbose_name = "company settings"
        verbose_name_plural = "company settings"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> "CompanySettings":
        company, _ = cls.objects.get_or_create(pk=1)
        return company


class AuditEvent(models.Model):
    """One state change: who, when, what, from, to."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=60)
    subject_type = models.CharField(max_length=60)
    subject_id = models.BigIntegerField()
    subject_label = models.CharField(max_length=200)
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_label}"
