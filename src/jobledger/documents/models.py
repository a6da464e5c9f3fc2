from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone


class JobKind(models.TextChoices):
    ZIP = "zip", "Zip of PDFs"
    MERGED = "merged", "Merged print"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Rendering"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class DocumentJob(models.Model):
    """A zip or a merged print of many invoices; its progress lives here so any web
    process can show it, and its file is kept for a day."""

    kind = models.CharField(max_length=6, choices=JobKind.choices)
    status = models.CharField(
        max_length=7, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    invoice_ids = models.JSONField(help_text="The chosen invoices, in number order.")
    total = models.PositiveIntegerField()
    rendered = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="documents/jobs/", blank=True)
    file_name = models.CharField(max_length=120)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def percent(self) -> int:
        return round(100 * self.rendered / self.total) if self.total else 100


class CachedPdf(models.Model):
    """A rendered invoice PDF, found by a hash of everything printed on it and the
    template version: an unchanged invoice is never rendered twice."""

    key = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="documents/cache/")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key


class WordTemplate(models.Model):
    """A company's own Word invoice template; the newest one replaces the default."""

    file = models.FileField(
        upload_to="documents/word/", validators=[FileExtensionValidator(["docx"])]
    )
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
