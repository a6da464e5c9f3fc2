from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from jobledger.core.einvoice import (
    RATED_CATEGORIES,
    REASON_FORBIDDEN,
    REASON_REQUIRED,
    VATEX_CODE,
    TaxCategory,
    clean_party_fields,
)


class TaxCode(models.Model):
    """A sales-tax rate as the accounting system names it."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=80)
    rate = models.DecimalField(max_digits=6, decimal_places=4, help_text="Percent, e.g. 8.2500")
    category = models.CharField(
        "tax category",
        max_length=2,
        choices=TaxCategory.choices,
        default=TaxCategory.STANDARD,
        help_text="The UNCL5305 category e-invoices give the lines this code taxes.",
    )
    exemption_reason = models.CharField(
        max_length=100,
        blank=True,
        help_text="Why no tax is charged; e-invoices need it for E, AE, K, G and O.",
    )
    exemption_reason_code = models.CharField(
        max_length=30, blank=True, help_text="Optional VATEX code, e.g. VATEX-EU-AE."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.rate.normalize()}%)"

    @property
    def fraction(self) -> Decimal:
        return self.rate / Decimal(100)

    def clean(self) -> None:
        """A category and rate that e-invoice rules accept together."""
        errors: dict[str, str] = {}
        rated = self.category in RATED_CATEGORIES
        if rated and self.rate is not None and self.rate <= 0:
            errors["rate"] = f"Category {self.category} needs a rate above zero."
        if not rated and self.rate:
            errors["rate"] = f"Category {self.category} is charged at 0 %; set the rate to 0."
        if self.category in REASON_REQUIRED and not (
            self.exemption_reason.strip() or self.exemption_reason_code
        ):
            errors["exemption_reason"] = f"Category {self.category} needs an exemption reason."
        if self.category in REASON_FORBIDDEN and (
            self.exemption_reason.strip() or self.exemption_reason_code
        ):
            errors["exemption_reason"] = f"Category {self.category} takes no exemption reason."
        if self.exemption_reason_code and not VATEX_CODE.fullmatch(self.exemption_reason_code):
            errors["exemption_reason_code"] = "A VATEX code looks like VATEX-EU-AE."
        if errors:
            raise ValidationError(errors)


class CustomerQuerySet(models.QuerySet["Customer"]):
    def changed_since_export(self) -> "CustomerQuerySet":
        return self.filter(changed_since_export=True)


class Customer(models.Model):
    code = models.CharField(
        max_length=41, unique=True, help_text="The name the accounting system knows."
    )
    name = models.CharField(max_length=120, db_index=True)
    address1 = models.CharField("address", max_length=120, blank=True)
    address2 = models.CharField("address line 2", max_length=120, blank=True)
    city = models.CharField(max_length=60, blank=True)
    region = models.CharField("state / region", max_length=40, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 code")
    contact_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    terms_days = models.PositiveSmallIntegerField(
        "terms (days)", default=30, help_text="0 means due on receipt."
    )
    taxable = models.BooleanField(default=True)
    tax_code = models.ForeignKey(TaxCode, null=True, blank=True, on_delete=models.PROTECT)
    accounting_reference = models.CharField(max_length=60, blank=True)
    vat_number = models.CharField(
        "VAT/GST number", max_length=20, blank=True, help_text="With its country prefix."
    )
    peppol_scheme = models.CharField("Peppol endpoint scheme", max_length=4, blank=True)
    peppol_id = models.CharField("Peppol endpoint ID", max_length=60, blank=True)
    buyer_reference = models.CharField(
        max_length=60,
        blank=True,
        help_text="The reference the customer asks e-invoices to quote when there is no PO.",
    )
    wants_einvoices = models.BooleanField(
        "wants e-invoices", default=False, help_text="Receives invoices over Peppol."
    )
    active = models.BooleanField(default=True)
    changed_since_export = models.BooleanField(default=True, db_index=True)
    last_exported_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def terms_label(self) -> str:
        return terms_label(self.terms_days)

    def clean(self) -> None:
        """E-invoice details that the EN 16931 and Peppol rules accept."""
        errors = clean_party_fields(self)
        self.buyer_reference = self.buyer_reference.strip()
        if self.wants_einvoices and not self.peppol_id and "peppol_id" not in errors:
            errors["peppol_id"] = "A customer who wants e-invoices needs a Peppol endpoint ID."
        if errors:
            raise ValidationError(errors)

    @property
    def tax_rate(self) -> Decimal:
        """Percent charged on taxable lines billed to this customer."""
        if not self.taxable or self.tax_code is None:
            return Decimal("0")
        return self.tax_code.rate

    @property
    def address_lines(self) -> list[str]:
        city_line = " ".join(
            p for p in [self.city + ",", self.region, self.postal_code] if p.strip(",")
        )
        return [line for line in [self.address1, self.address2, city_line.strip()] if line]


def terms_label(days: int) -> str:
    return "Due on receipt" if days == 0 else f"Net {days}"
