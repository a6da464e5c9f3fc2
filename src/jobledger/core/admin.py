from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from jobledger.core.models import AuditEvent, CompanySettings
from jobledger.core.roles import Actor

admin.site.site_header = "jobledger administration"
admin.site.site_title = "jobledger administration"
admin.site.index_title = "Company set-up and records"
# Lists here are wide (invoices, jobs); they get the whole window.
admin.site.enable_nav_sidebar = False


def acting_user(request: HttpRequest) -> Actor:
    """The user a service acts for; the admin site lets in only logged-in staff."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def adopt_saved(obj: Model, saved: Model) -> None:
    """Point the admin's unsaved `obj` at the row a service saved, so the admin goes on
    (logging, redirect) with the real row."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db
    obj.refresh_from_db()


def set_or_not_filter(field: str, title: str) -> type[admin.SimpleListFilter]:
    """A Yes / No list filter on whether a nullable field (a date, mostly) is set."""

    class SetOrNot(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            return [("yes", "Yes"), ("no", "No")]

        def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
            if self.value() in ("yes", "no"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "no"})
            return queryset

    SetOrNot.title = title
    return SetOrNot


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by services: the admin shows them and changes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CompanySettingsForm(forms.ModelForm):
    class Meta:
        model = CompanySettings
        fields = (
            "name", "address", "phone", "email", "logo", "currency",
            "next_invoice_number", "backdating_days", "lock_date", "accounting_integration",
        )  # fmt: skip

    def clean_next_invoice_number(self) -> int:
        # Numbers below the counter have been handed out (some invoices may since have been
        # deleted): the counter may only go up, or a number would be used twice.
        number: int = self.cleaned_data["next_invoice_number"]
        current = (
            CompanySettings.objects.filter(pk=self.instance.pk)
            .values_list("next_invoice_number", flat=True)
            .first()
        )
        if current is not None and number < current:
            raise forms.ValidationError(
                f"Invoice numbers are never reused: the next number can only go up from {current}."
            )
        return number


@admin.register(CompanySettings)
class CompanySettingsAdmin(admin.ModelAdmin):
    form = CompanySettingsForm
    list_display = (
        "name",
        "currency",
        "accounting_integration",
        "backdating_days",
        "next_invoice_number",
    )
    fieldsets = (
        (None, {"fields": ("name", "address", "phone", "email", "logo", "currency")}),
        ("Invoicing", {"fields": ("next_invoice_number", "backdating_days", "lock_date")}),
        ("Accounting", {"fields": ("accounting_integration",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row of settings: it is created on first use and never a second time.
        return not CompanySettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "subject_label", "from_value", "to_value")
    list_filter = ("action", "subject_type")
    search_fields = ("subject_label", "action", "detail", "actor__username")
    list_select_related = ("actor",)
    date_hierarchy = "at"
