from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models

from jobledger.core.einvoice import CURRENCIES, TaxCategory, clean_party_fields


class CompanySettings(models.Model):
    """The one row of company-wide settings (primary key 1)."""

    name = models.CharField(max_length=120, default="My Company")
    address = models.TextField(
        blank=True,
        help_text="As printed on invoices; e-invoices take its first line as the street.",
    )
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

    # What e-invoices (UBL / Peppol) need beyond the printed letterhead.
    legal_name = models.CharField(
        max_length=120, blank=True, help_text="As registered; the company name when blank."
    )
    city = models.CharField(max_length=60, blank=True)
    region = models.CharField("state / region", max_length=40, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 code")
    vat_number = models.CharField(
        "VAT/GST number",
        max_length=20,
        blank=True,
        help_text="With its country prefix, e.g. DE123456789 or AU51824753556.",
    )
    peppol_scheme = models.CharField("Peppol endpoint scheme", max_length=4, blank=True)
    peppol_id = models.CharField("Peppol endpoint ID", max_length=60, blank=True)
    untaxed_category = models.CharField(
        "tax category of untaxed lines",
        max_length=2,
        choices=[(c.value, c.label) for c in (TaxCategory.EXEMPT, TaxCategory.ZERO)],
        default=TaxCategory.EXEMPT,
        help_text="How e-invoices classify lines, freight and deposits that carry no tax.",
    )
    einvoice_pdf = models.BooleanField(
        "attach the invoice PDF to e-invoices",
        default=True,
        help_text="Receivers see the invoice as printed beside its data.",
    )
    untaxed_reason = models.CharField(
        "exemption reason of untaxed lines",
        max_length=100,
        blank=True,
        default="Not subject to sales tax",
        help_text="Required when untaxed lines are exempt (E).",
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

    def clean(self) -> None:
        """E-invoice details that the EN 16931 and Peppol rules accept."""
        errors = clean_party_fields(self)
        self.currency = self.currency.strip().upper()
        if self.currency not in CURRENCIES:
            errors["currency"] = f"“{self.currency}” is not an ISO 4217 currency code."
        self.untaxed_reason = self.untaxed_reason.strip()
        if self.untaxed_category == TaxCategory.EXEMPT and not self.untaxed_reason:
            errors["untaxed_reason"] = "Exempt lines need a reason; e-invoices must state it."
        if self.untaxed_category == TaxCategory.ZERO and self.untaxed_reason:
            errors["untaxed_reason"] = "Zero-rated lines take no exemption reason; clear it."
        if errors:
            raise ValidationError(errors)


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
