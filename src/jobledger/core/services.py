"""Changes to the company's own settings."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jobledger.core.audit import audit
from jobledger.core.errors import DomainError
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator

# What the Company settings page edits; the rest stays with the screens that own it.
COMPANY_FIELDS = (
    "name", "legal_name", "address", "city", "region", "postal_code", "country", "phone",
    "email", "currency", "vat_number", "peppol_scheme", "peppol_id", "untaxed_category",
    "untaxed_reason", "einvoice_pdf",
)  # fmt: skip


class CompanySettingsError(DomainError):
    pass


@transaction.atomic
def company_settings_update(*, actor: Actor, **changes: Any) -> CompanySettings:
    """Change the company's name, address and e-invoice details; refused as a whole when
    any of them breaks the e-invoice rules."""
    require_administrator(actor, action="change the company settings")
    unknown = set(changes) - set(COMPANY_FIELDS)
    if unknown:
        raise CompanySettingsError(
            f"These company settings cannot be set here: {', '.join(sorted(unknown))}."
        )
    CompanySettings.load()
    company = CompanySettings.objects.select_for_update().get(pk=1)
    before = {field: getattr(company, field) for field in COMPANY_FIELDS}
    for field, value in changes.items():
        setattr(company, field, value)
    try:
        company.full_clean()
    except ValidationError as error:
        raise CompanySettingsError(" ".join(error.messages)) from None
    changed = [field for field in COMPANY_FIELDS if getattr(company, field) != before[field]]
    if changed:
        company.save()
        audit(actor=actor, action="company settings changed", subject=company,
              to_value=", ".join(changed))  # fmt: skip
    return company
