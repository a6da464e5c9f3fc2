"""The Administrator's set-up of accounting: GL accounts, accounting integration, which
distribution policies are enabled, and each policy's categories mapped to accounts."""

from collections.abc import Collection, Mapping

from django.db import transaction

from jobledger.core.audit import audit
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.ledger.models import AccountType, DistributionPolicy, GLAccount, LedgerSettings
from jobledger.ledger.services import DistributionError, distribution_category_map

SET_UP = "set up accounting"


@transaction.atomic
def gl_account_save(
    *,
    actor: Actor,
    code: str,
    name: str,
    type: str,
    active: bool = True,
    account: GLAccount | None = None,
) -> GLAccount:
    """Add a GL account, or change one (`account`)."""
    require_administrator(actor, action=SET_UP)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise DistributionError("A GL account needs a code and a name.")
    if len(code) > 20 or len(name) > 120:
        raise DistributionError("Account codes have at most 20 characters, names 120.")
    if type not in AccountType.values:
        raise DistributionError("Choose the type of the account.")
    taken = GLAccount.objects.filter(code__iexact=code)
    if account is not None:
        taken = taken.exclude(pk=account.pk)
    if taken.exists():
        raise DistributionError(f"Account code {code} is already used.")
    saved = account or GLAccount()
    before = str(saved) if account else ""
    saved.code, saved.name, saved.type, saved.active = code, name, type, active
    saved.save()
    audit(
        actor=actor,
        action="GL account saved" if account else "GL account added",
        subject=saved,
        from_value=before,
        to_value=f"{saved}{'' if active else ' (inactive)'}",
    )
    return saved


@transaction.atomic
def accounting_settings_set(
    *,
    actor: Actor,
    integration: bool,
    enabled_policies: Collection[str],
    default_policy: str,
) -> LedgerSettings:
    """Turn accounting integration on or off and choose the distribution policies."""
    require_administrator(actor, action=SET_UP)
    unknown = set(enabled_policies) - set(DistributionPolicy.values)
    if unknown or default_policy not in DistributionPolicy.values:
        raise DistributionError("Choose distribution policies from the list.")
    if not enabled_policies:
        raise DistributionError("Enable at least one distribution policy.")
    CompanySettings.load()
    company = CompanySettings.objects.select_for_update().get(pk=1)
    was_on = company.accounting_integration
    company.accounting_integration = integration
    company.save(update_fields=["accounting_integration"])
    ledger = LedgerSettings.load()
    ledger.enabled_policies = [p for p in DistributionPolicy.values if p in enabled_policies]
    ledger.default_policy = default_policy
    ledger.save()
    audit(
        actor=actor,
        action="accounting settings",
        subject=company,
        from_value="integration on" if was_on else "integration off",
        to_value=f"integration {'on' if integration else 'off'}; "
        f"{len(ledger.enabled_policies)} policies enabled",
    )
    return ledger


@transaction.atomic
def distribution_categories_map(
    *,
    actor: Actor,
    policy: str,
    labels: Mapping[str, str],
    accounts: Mapping[str, GLAccount | None],
) -> None:
    """Map every category of one policy at once; all of them or none are saved."""
    for key, account in accounts.items():
        distribution_category_map(
            actor=actor, policy=policy, key=key, label=labels[key], account=account
        )
