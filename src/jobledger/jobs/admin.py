from collections.abc import Callable

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from jobledger.core.admin import acting_user, adopt_saved
from jobledger.core.errors import DomainError
from jobledger.jobs.models import DWR, Department, DWRLine, DWRStatus, FixedPriceRequest, Job, Task
from jobledger.jobs.services import (
    EDITABLE_FIELDS,
    job_close,
    job_create,
    job_delete,
    job_reopen,
    job_update,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "unit", "rate", "taxable", "default_department")
    list_filter = ("kind", "taxable", "default_department")
    search_fields = ("code", "name")
    list_select_related = ("default_department",)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "name",
        "customer",
        "project_manager",
        "billing_type",
        "status",
        "contract_price",
    )
    list_display_links = ("number", "name")
    list_filter = ("status", "billing_type", "department", "project_manager")
    search_fields = ("number", "name", "customer__code", "customer__name", "po_number")
    list_select_related = ("customer", "project_manager", "department")
    autocomplete_fields = ("customer",)
    readonly_fields = ("status", "created_at", "closed_at")
    fields = (
        "number",
        "name",
        "customer",
        "project_manager",
        "billing_type",
        "contract_price",
        "po_number",
        "department",
        "site_address",
        "status",
        "created_at",
        "closed_at",
    )
    actions = ("close_jobs", "reopen_jobs")

    def get_readonly_fields(self, request: HttpRequest, obj: Job | None = None) -> tuple:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "number") if obj else readonly

    def save_model(self, request: HttpRequest, obj: Job, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
            saved = job_update(actor=acting_user(request), job=obj, **changes)
        else:
            fields = {name: data[name] for name in ("po_number", "site_address") if name in data}
            saved = job_create(
                actor=acting_user(request),
                number=data["number"],
                name=data["name"],
                customer=data["customer"],
                project_manager=data["project_manager"],
                billing_type=data["billing_type"],
                department=data["department"],
                contract_price=data["contract_price"],
                **fields,
            )
        adopt_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Job) -> None:
        job_delete(actor=acting_user(request), job=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        # All of them or none: the first job that may not be deleted stops the lot.
        for job in queryset:
            job_delete(actor=acting_user(request), job=job)

    @admin.action(description="Close selected jobs")
    def close_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        self._each(request, queryset, job_close, "closed")

    @admin.action(description="Reopen selected jobs")
    def reopen_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        self._each(request, queryset, job_reopen, "reopened")

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Job],
        service: Callable[..., Job],
        verb: str,
    ) -> None:
        done = 0
        for job in queryset:
            try:
                service(actor=acting_user(request), job=job)
            except DomainError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} job{'s' if done != 1 else ''} {verb}.")


class DWRLineInline(admin.TabularInline):
    model = DWRLine
    extra = 0
    fields = ("kind", "task", "worker", "description", "units", "quantity", "rate", "processed")
    autocomplete_fields = ("task",)

    def _locked(self, obj: DWR | None) -> bool:
        # Approved work is what gets billed: its lines stay as they were approved.
        return obj is not None and obj.status in (DWRStatus.APPROVED, DWRStatus.INVOICED)

    def has_add_permission(self, request: HttpRequest, obj: DWR | None = None) -> bool:
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: DWR | None = None) -> bool:
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: DWR | None = None) -> bool:
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(DWR)
class DWRAdmin(admin.ModelAdmin):
    list_display = ("id", "work_date", "job", "author", "status", "has_signature")
    list_filter = ("status", "work_date")
    search_fields = ("job__number", "job__name", "author__username", "representative_name")
    list_select_related = ("job", "author")
    autocomplete_fields = ("job",)
    date_hierarchy = "work_date"
    readonly_fields = ("status", "approved_by", "approved_at", "signed_at", "created_at")
    inlines = (DWRLineInline,)

    @admin.display(boolean=True, description="signed")
    def has_signature(self, obj: DWR) -> bool:
        return obj.has_signature


@admin.register(FixedPriceRequest)
class FixedPriceRequestAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "job",
        "requested_by",
        "amount",
        "percent_complete",
        "status",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("job__number", "job__name", "note")
    list_select_related = ("job", "requested_by")
    autocomplete_fields = ("job",)
    readonly_fields = ("status", "decided_by", "decided_at", "created_at")
