from django.db import models

from jobledger.invoicing.models import Invoice


class AccountType(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    EQUITY = "equity", "Equity"
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


class GLAccount(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    type = models.CharField(max_length=10, choices=AccountType.choices)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "GL account"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DistributionPolicy(models.TextChoices):
    DEPARTMENT = "department", "By Department according to Default Task Assignment"
    DEPARTMENT_TAX = (
        "department_tax",
        "By Department according to Default Task Assignment with Tax/Non-Tax separation",
    )
    CATEGORY = "category", "By General Distribution Category"
    CATEGORY_TAXABLE = (
        "category_taxable",
        "By General Distribution Category, with Taxable/Non-Taxable separation",
    )


class DistributionStatus(models.TextChoices):
    NOT_READY = "not_ready", "Not Ready for Approval"
    READY = "ready", "Ready for Approval"
    APPROVED = "approved", "Approved"


class LedgerSettings(models.Model):
    """Which distribution policies the Administrator has enabled (one row, primary key 1)."""

    default_policy = models.CharField(
        max_length=20, choices=DistributionPolicy.choices, default=DistributionPolicy.CATEGORY
    )
    enabled_policies = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "distribution settings"
        verbose_name_plural = "distribution settings"

    def __str__(self) -> str:
        return "Distribution settings"

    @classmethod
    def load(cls) -> "LedgerSettings":
        settings, _ = cls.objects.get_or_create(
            pk=1, defaults={"enabled_policies": [p.value for p in DistributionPolicy]}
        )
        return settings


class DistributionCategory(models.Model):
    """One category of a distribution policy, mapped by the Administrator to a GL account."""

    policy = models.CharField(max_length=20, choices=DistributionPolicy.choices)
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=120)
    account = models.ForeignKey(GLAccount, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["policy", "key"]
        verbose_name_plural = "distribution categories"
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="one_category_per_policy_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_policy_display()}: {self.label}"


class DistributionLine(models.Model):
    """An amount of an invoice booked to a GL account: debits positive, credits negative."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="distribution")
    position = models.PositiveSmallIntegerField(default=0)
    account = models.ForeignKey(GLAccount, on_delete=models.PROTECT)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    memo = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["invoice", "position", "id"]

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount}"
