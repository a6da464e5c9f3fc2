from decimal import Decimal

from django.conf import settings
from django.db import models

from jobledger.core.money import ZERO, line_amount
from jobledger.customers.models import Customer


class Department(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ChargeKind(models.TextChoices):
    LABOR = "labor", "Labor"
    EQUIPMENT = "equipment", "Equipment"
    MATERIALS = "materials", "Materials"
    EXPENSES = "expenses", "Expenses"


class Task(models.Model):
    """A billable item: a labor rate class, a piece of equipment, a material."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=ChargeKind.choices)
    unit = models.CharField(max_length=12, default="HR")
    rate = models.DecimalField(max_digits=12, decimal_places=4, default=Decimal("0"))
    taxable = models.BooleanField(default=False)
    default_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Default Task Assignment: where this task's revenue is booked.",
    )

    class Meta:
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class BillingType(models.TextChoices):
    FIXED_PRICE = "fixed", "Fixed price"
    TIME_AND_MATERIALS = "tm", "Time and materials"


class JobStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    BILLED = "billed", "Billed"


class Job(models.Model):
    number = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="jobs")
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_jobs"
    )
    billing_type = models.CharField(max_length=6, choices=BillingType.choices, db_index=True)
    contract_price = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    po_number = models.CharField("PO number", max_length=40, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    site_address = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=6, choices=JobStatus.choices, default=JobStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_fixed_price(self) -> bool:
        return self.billing_type == BillingType.FIXED_PRICE


class DWRStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    INVOICED = "invoiced", "Invoiced"


class DWR(models.Model):
    """A daily work report: what a crew did on a job on one day."""

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="dwrs")
    work_date = models.DateField(db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dwrs"
    )
    status = models.CharField(
        max_length=10, choices=DWRStatus.choices, default=DWRStatus.DRAFT, db_index=True
    )
    notes = models.TextField(blank=True)
    representative_name = models.CharField(max_length=80, blank=True)
    representative_signature = models.FileField(upload_to="signatures/", blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_dwrs",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "DWR"
        verbose_name_plural = "DWRs"
        ordering = ["-work_date", "-id"]

    def __str__(self) -> str:
        return f"DWR {self.pk} · {self.job.number} · {self.work_date:%Y-%m-%d}"

    @property
    def has_signature(self) -> bool:
        return bool(self.representative_signature)


class DWRLine(models.Model):
    """One labor, equipment, material or expense entry of a DWR."""

    dwr = models.ForeignKey(DWR, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=12, choices=ChargeKind.choices)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT)
    worker = models.CharField(max_length=80, blank=True)
    description = models.CharField(max_length=200, blank=True)
    units = models.PositiveSmallIntegerField(default=1, help_text="Equipment: how many machines.")
    quantity = models.DecimalField(
        max_digits=12, decimal_places=3, help_text="Hours for labor and equipment."
    )
    rate = models.DecimalField(max_digits=12, decimal_places=4)
    receipt = models.FileField(upload_to="receipts/", blank=True)
    processed = models.BooleanField(default=False, help_text="Expenses: processed by the office.")

    class Meta:
        ordering = ["dwr", "kind", "id"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.description or self.task or self.worker or 'charge'}"
        )

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity * self.units, self.rate)


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class FixedPriceRequest(models.Model):
    """A Project Manager's request to bill part of a fixed-price job."""

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="fixed_price_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    percent_complete = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=False) | models.Q(percent_complete__isnull=False),
                name="fixed_price_request_amount_or_percent",
            )
        ]

    def __str__(self) -> str:
        return f"Fixed-price request {self.pk} · {self.job.number}"
