"""The Company settings page (Administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jobledger.core.forms import CompanySettingsForm
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.core.services import COMPANY_FIELDS, CompanySettingsError, company_settings_update


@login_required
def company_settings(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action="change the company settings")
    form = CompanySettingsForm(request.POST or None, instance=CompanySettings.load())
    if request.method == "POST" and form.is_valid():
        actor: Actor = request.user  # type: ignore[assignment]
        changes = {field: form.cleaned_data[field] for field in COMPANY_FIELDS}
        try:
            company_settings_update(actor=actor, **changes)
        except CompanySettingsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Company settings saved.")
            return redirect("company_settings")
    return render(request, "core/company_settings.html", {"form": form})
