"""The customer form; its e-invoice rules are the model's (Customer.clean)."""

from django import forms

from jobledger.core.forms import BootstrapForm, endpoint_scheme_field
from jobledger.customers.models import Customer
from jobledger.customers.services import EDITABLE_FIELDS


class CustomerForm(BootstrapForm, forms.ModelForm):
    peppol_scheme = endpoint_scheme_field()

    class Meta:
        model = Customer
        fields = EDITABLE_FIELDS
        help_texts = {"peppol_id": "The customer's address on the Peppol network."}
