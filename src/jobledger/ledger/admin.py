from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from jobledger.core.admin import acting_user, adopt_saved, set_or_not_filter
from jobledger.ledger.models import DistributionCategory, GLAccount, LedgerSettings
from jobledger.ledger.services import distribution_category_map


@admin.register(GLAccount)
class GLAccountAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "active")
    list_filter = ("type", "active")
    search_fields = ("code", "name")


@admin.register(DistributionCategory)
class DistributionCategoryAdmin(admin.ModelAdmin):
    list_display = ("label", "policy", "key", "account")
    list_editable = ("account",)
    list_filter = ("policy", set_or_not_filter("account", "account mapped"))
    search_fields = ("key", "label", "account__code", "account__name")
    list_select_related = ("account",)
    autocomplete_fields = ("account",)

    def get_readonly_fields(
        self, request: HttpRequest, obj: DistributionCategory | None = None
    ) -> tuple:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "policy", "key") if obj else readonly

    def save_model(
        self, request: HttpRequest, obj: DistributionCategory, form: ModelForm, change: bool
    ) -> None:
        # The service checks the role and records the mapping in the audit trail.
        saved = distribution_category_map(
            actor=acting_user(request),
            policy=obj.policy,
            key=obj.key,
            label=obj.label,
            account=obj.account,
        )
        adopt_saved(obj, saved)


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "default_policy")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not LedgerSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
