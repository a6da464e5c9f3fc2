"""The Administrator's invoice date rules: how far back an invoice may be dated, and the
lock date before which no invoice may be dated at all."""

import datetime

from django.db import transaction

from jobledger.core.audit import audit
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.errors import InvoiceError

MOST_BACKDATING_DAYS = 3650


@transaction.atomic
def invoice_dates_set(
    *, actor: Actor, backdating_days: int, lock_date: datetime.date | None
) -> CompanySettings:
    """Set the backdating window (days before today) and the lock date (None for none)."""
    require_administrator(actor, action="set up invoice backdating")
    if not 0 <= backdating_days <= MOST_BACKDATING_DAYS:
        raise InvoiceError(
            f"Days allowed for backdating must be between 0 and {MOST_BACKDATING_DAYS}."
        )
    CompanySettings.load()
    company = CompanySettings.objects.select_for_update().get(pk=1)
    before = _described(company.backdating_days, company.lock_date)
    company.backdating_days = backdating_days
    company.lock_date = lock_date
    company.save(update_fields=["backdating_days", "lock_date"])
    audit(
        actor=actor,
        action="invoice backdating",
        subject=company,
        from_value=before,
        to_value=_described(backdating_days, lock_date),
    )
    return company


def _described(days: int, lock_date: datetime.date | None) -> str:
    locked = f"{lock_date:%m/%d/%Y}" if lock_date else "none"
    return f"{days} days; lock date {locked}"
