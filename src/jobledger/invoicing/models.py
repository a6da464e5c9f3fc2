from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models

from jobledger.core.money import ZERO
from jobledger.customers.models import Customer, terms_label
from jobledger.jobs.models import Department, DWRLine, FixedPriceRequest, Job, Task


class InvoiceType(models.TextChoices):
    PARTIAL = "partial", "Partial"
    COMPLETE = "complete", "Complete"
    CORRECTION = "correction", "Correction"


class InvoicingPolicy(models.TextChoices):
    DEPOSIT = "deposit", "Deposit"
    PROGRESS_SUMMARY = "progress_summary", "Progress, Summary"
    PROGRESS_ITEMIZED = "progress_itemized", "Progress, Itemized"
    PROGRESS_ITEMIZED_GROUPED = "progress_itemized_grouped", "Progress, Itemized, Charges Grouped"
    COMPLETE = "complete", "Complete (Final)"
    COMPLETE_GROUPED = "complete_grouped", "Complete (Final), Charges Grouped"
    CORRECTION = "correction", "Correction"
    CORRECTION_GROUPED = "correction_grouped", "Correction, Charges Grouped"


POLICY_TYPE = {
    InvoicingPolicy.DEPOSIT: InvoiceType.PARTIAL,
    InvoicingPolicy.PROGRESS_SUMMARY: InvoiceType.PARTIAL,
    InvoicingPolicy.PROGRESS_ITEMIZED: InvoiceType.PARTIAL,
    InvoicingPolicy.PROGRESS_ITEMIZED_GROUPED: InvoiceType.PARTIAL,
    InvoicingPolicy.COMPLETE: InvoiceType.COMPLETE,
    InvoicingPolicy.COMPLETE_GROUPED: InvoiceType.COMPLETE,
    InvoicingPolicy.CORRECTION: InvoiceType.CORRECTION,
    InvoicingPolicy.CORRECTION_GROUPED: InvoiceType.CORRECTION,
}
GROUPED_POLICIES = frozenset(
    {
        InvoicingPolicy.PROGRESS_ITEMIZED_GROUPED,
        InvoicingPolicy.COMPLETE_GROUPED,
        InvoicingPolicy.CORRECTION_GROUPED,
    }
)


class Stage(models.TextChoices):
    DRAFT = "draft", "Draft"
    PM_REVIEW = "pm_review", "PM Review"
    ADMIN = "admin", "Admin"
    PROCESSED = "processed", "Processed"
    PAID = "paid", "Paid"


class LineKind(models.TextChoices):
    LABOR = "labor", "Labor"
    EQUIPMENT = "equipment", "Equipment"
    MATERIALS = "materials", "Materials"
    EXPENSES = "expenses", "Expenses"
    FIXED_PRICE = "fixed_price", "Fixed price"
    DEPOSIT = "deposit", "Deposit"
    ADJUSTMENT = "adjustment", "Adjustment"


HALF_CENT = models.Value(Decimal("0.005"))
_TOTAL_PARTS = (
    models.F("subtotal")
    + models.F("tax_amount")
    + models.F("freight")
    - models.F("deposit_applied")
)


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def in_admin_queue(self) -> "InvoiceQuerySet":
        return self.filter(stage=Stage.ADMIN)

    def processed(self) -> "InvoiceQuerySet":
        return self.filter(stage=Stage.PROCESSED)

    def paid(self) -> "InvoiceQuerySet":
        return self.filter(stage=Stage.PAID)

    def created_by_user(self, user: "User") -> "InvoiceQuerySet":
        return self.filter(created_by=user)

    def not_posted(self) -> "InvoiceQuerySet":
        return self.filter(posted_at__isnull=True)

    def exported(self) -> "InvoiceQuerySet":
        return self.filter(last_exported_at__isnull=False)

    def never_exported(self) -> "InvoiceQuerySet":
        return self.filter(last_exported_at__isnull=True)


class Invoice(models.Model):
    number = models.PositiveIntegerField(unique=True)
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="invoices")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name="bill-to"
    )
    type = models.CharField(max_length=10, choices=InvoiceType.choices, db_index=True)
    policy = models.CharField(max_length=30, choices=InvoicingPolicy.choices)
    stage = models.CharField(
        max_length=10, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )
    invoice_date = models.DateField(db_index=True)
    due_date = models.DateField()
    terms_days = models.PositiveSmallIntegerField(default=30)
    po_number = models.CharField("PO number", max_length=40, blank=True)
    accounting_reference = models.CharField(max_length=60, blank=True, db_index=True)
    notes = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    tax_rate = models.DecimalField(
        max_digits=6, decimal_places=4, default=Decimal("0"), help_text="Percent"
    )
    subtotal = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    freight = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    deposit_applied = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, db_index=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_invoices"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    distribution_approved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    distribution_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    distribution_note = models.TextField(blank=True)
    distribution_policy = models.CharField(
        max_length=20,
        blank=True,
        help_text="The last redistribution's policy; blank if manual.",
    )
    # Kept beside the export batches so the backlog can sort and filter by it with an index.
    last_exported_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        indexes = [
            models.Index(fields=["stage", "invoice_date"]),
            models.Index(fields=["stage", "number"]),
            # The backlog's My Forms tab counts a person's invoices by stage from this alone.
            models.Index(fields=["created_by", "stage"]),
        ]
        constraints = [
            # Within half a cent: SQLite does this arithmetic in floating point.
            models.CheckConstraint(
                condition=models.Q(total__gte=_TOTAL_PARTS - HALF_CENT)
                & models.Q(total__lte=_TOTAL_PARTS + HALF_CENT),
                name="invoice_total_adds_up",
            )
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number}"

    @property
    def is_processed(self) -> bool:
        return self.stage in (Stage.PROCESSED, Stage.PAID)

    @property
    def is_paid(self) -> bool:
        return self.stage == Stage.PAID

    @property
    def is_posted(self) -> bool:
        return self.posted_at is not None

    @property
    def is_exported(self) -> bool:
        return self.last_exported_at is not None

    @property
    def is_distribution_approved(self) -> bool:
        return self.distribution_approved_at is not None

    @property
    def is_credit(self) -> bool:
        return self.total < 0

    @property
    def terms_label(self) -> str:
        return terms_label(self.terms_days)

    @property
    def accounting_status(self) -> str:
        """The brief's Invoiced → Approved → Exported → Posted, derived from the facts."""
        if self.is_posted:
            return "Posted"
        if self.is_exported:
            return "Exported"
        if self.is_distribution_approved:
            return "Approved"
        return "Invoiced"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=LineKind.choices)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Overrides the task's default department.",
    )
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal("1"))
    unit = models.CharField(max_length=12, blank=True)
    rate = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    taxable = models.BooleanField(default=False)
    dwr_line = models.ForeignKey(
        DWRLine, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    fixed_price_request = models.ForeignKey(
        FixedPriceRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        help_text="The approved fixed-price request this line bills.",
    )

    class Meta:
        ordering = ["invoice", "position", "id"]

    def __str__(self) -> str:
        return self.description


class ProcessBatch(models.Model):
    """Invoices set to Processed together, so the batch can be undone together."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    invoices = models.ManyToManyField(Invoice, related_name="process_batches")
    undone_at = models.DateTimeField(null=True, blank=True, db_index=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "process batches"

    def __str__(self) -> str:
        return f"Process batch {self.pk}"
