from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from jobledger.core.admin import acting_user, adopt_saved
from jobledger.customers.models import Customer, TaxCode
from jobledger.customers.services import EDITABLE_FIELDS, customer_create, customer_update


@admin.register(TaxCode)
class TaxCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rate", "category")
    search_fields = ("code", "name")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "terms_label", "taxable", "changed_since_export")
    list_display_links = ("code", "name")
    list_filter = ("taxable", "changed_since_export", "active", "tax_code", "region")
    search_fields = ("code", "name", "contact_name", "accounting_reference")
    list_select_related = ("tax_code",)
    readonly_fields = ("changed_since_export", "last_exported_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("code", "name", "active", "accounting_reference")}),
        (
            "Billing address",
            {"fields": ("address1", "address2", "city", "region", "postal_code", "country")},
        ),
        ("Contact", {"fields": ("contact_name", "email", "phone")}),
        ("Terms and tax", {"fields": ("terms_days", "taxable", "tax_code")}),
        (
            "E-invoices",
            {
                "fields": (
                    "wants_einvoices",
                    "peppol_scheme",
                    "peppol_id",
                    "vat_number",
                    "buyer_reference",
                )
            },
        ),
        (
            "Export to accounting",
            {"fields": ("changed_since_export", "last_exported_at", "updated_at")},
        ),
    )

    @admin.display(description="terms", ordering="terms_days")
    def terms_label(self, obj: Customer) -> str:
        return obj.terms_label

    def get_readonly_fields(self, request: HttpRequest, obj: Customer | None = None) -> tuple:
        # The code is the name accounting knows the customer by: fixed once created.
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "code") if obj else readonly

    def save_model(
        self, request: HttpRequest, obj: Customer, form: ModelForm, change: bool
    ) -> None:
        # The service marks the customer changed since its last export and audits the edit.
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
            saved = customer_update(actor=acting_user(request), customer=obj, **changes)
        else:
            fields = {
                name: data[name] for name in EDITABLE_FIELDS if name in data and name != "name"
            }
            saved = customer_create(
                actor=acting_user(request), code=data["code"], name=data["name"], **fields
            )
        adopt_saved(obj, saved)
