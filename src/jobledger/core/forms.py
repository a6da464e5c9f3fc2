"""The Company settings form; its rules are the model's (CompanySettings.clean)."""

from typing import Any

from django import forms

from jobledger.core.einvoice import SCHEME_CHOICES
from jobledger.core.models import CompanySettings
from jobledger.core.services import COMPANY_FIELDS


class BootstrapForm(forms.BaseForm):
    """Bootstrap's classes on every widget, and the invalid ones marked for the eye and for
    screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else "form-select"
                if isinstance(widget, forms.Select)
                else "form-control"
            )
            widget.attrs["class"] = kind

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-invalid"] = "true"


def endpoint_scheme_field() -> forms.ChoiceField:
    """The Peppol endpoint schemes to choose from, by name."""
    return forms.ChoiceField(label="Peppol endpoint scheme", choices=SCHEME_CHOICES, required=False)


class CompanySettingsForm(BootstrapForm, forms.ModelForm):
    peppol_scheme = endpoint_scheme_field()

    class Meta:
        model = CompanySettings
        fields = COMPANY_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "peppol_id": "Your address on the Peppol network, under the scheme above.",
        }
