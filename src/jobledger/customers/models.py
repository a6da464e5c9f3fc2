from decimal import Decimal

from django.db import models


class TaxCode(models.Model):
    """A sales-tax rate as the accounting system names it."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=80)
    rate = models.DecimalField(max_digits=6, decimal_places=4, help_text="Percent, e.g. 8.2500")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.rate.normalize()}%)"

    @property
    def fraction(self) -> Decimal:
        return self.rate / Decimal(100)


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
