"""Distributing invoices to GL accounts, approving distributions, and mapping categories."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jobledger.core.audit import audit
from jobledger.core.errors import DomainError
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.models import Invoice
from jobledger.invoicing.services import lock_invoice
from jobledger.ledger import policies
from jobledger.ledger.models import (
    DistributionCategory,
    DistributionLine,
    DistributionPolicy,
    GLAccount,
    LedgerSettings,
)
from jobledger.ledger.selectors import policy_distribution

ACTION = "distribute invoices to GL accounts"


class DistributionError(DomainError):
    pass


@dataclass(frozen=True)
class DistributionInput:
    account: GLAccount
    amount: Decimal
    memo: str = ""


@transaction.atomic
def distribution_set_lines(
    *, actor: Actor, invoice: Invoice, lines: Sequence[DistributionInput], note: str | None = None
) -> Invoice:
    """Save a manual distribution (complete or not); any change withdraws the approval."""
    invoice = _lock_for_distribution(actor, invoice)
    for number, line in enumerate(lines, start=1):
        if not line.account.active:
            raise DistributionError(f"Line {number}: account {line.account.code} is inactive.")
        if line.amount != line.amount.quantize(Decimal("0.01")):
            raise DistributionError(f"Line {number}: amounts have at most two decimal places.")
    _replace_lines(invoice, [(line.account, line.amount, line.memo) for line in lines])
    invoice.distribution_policy = ""
    if note is not None:
        invoice.distribution_note = note
    _withdraw_approval(invoice)
    audit(actor=actor, action="distribution saved", subject=invoice, to_value=f"{len(lines)} lines")
    return invoice


@transaction.atomic
def distribution_save(
    *,
    actor: Actor,
    invoice: Invoice,
    lines: Sequence[DistributionInput],
    note: str,
    approve: bool,
    policy: str = "",
) -> Invoice:
    """The Invoice Distribution page's Update: the grid, the notes, and the Approve box.

    An incomplete distribution is saved as it is; Approve is refused unless it is
    satisfactory, and then nothing is saved.
    """
    if policy and policy not in LedgerSettings.load().enabled_policies:
        raise DistributionError("That distribution policy is not enabled.")
    invoice = distribution_set_lines(actor=actor, invoice=invoice, lines=lines, note=note)
    if policy:
        invoice.distribution_policy = policy
        invoice.save(update_fields=["distribution_policy"])
    if approve:
        invoice = distribution_approve(actor=actor, invoice=invoice)
    return invoice


@transaction.atomic
def distribution_apply_policy(
    *, actor: Actor, invoice: Invoice, policy: str
) -> policies.Distribution:
    """Redistribute with a policy; categories without an account are named in `unmapped`."""
    invoice = _lock_for_distribution(actor, invoice)
    if policy not in LedgerSettings.load().enabled_policies:
        raise DistributionError("That distribution policy is not enabled.")
    distribution = policy_distribution(invoice, policy)
    accounts = GLAccount.objects.in_bulk(
        [e.account.code for e in distribution.entries], field_name="code"
    )
    _replace_lines(
        invoice, [(accounts[e.account.code], e.amount, e.memo) for e in distribution.entries]
    )
    invoice.distribution_policy = policy
    _withdraw_approval(invoice)
    audit(
        actor=actor,
        action="distribution by policy",
        subject=invoice,
        to_value=DistributionPolicy(policy).label,
        detail="; ".join(f"no account for {c.label}" for c, _ in distribution.unmapped),
    )
    return distribution


@transaction.atomic
def distribution_approve(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Approve a satisfactory distribution, which makes the invoice exportable."""
    invoice = _lock_for_distribution(actor, invoice)
    amounts = list(invoice.distribution.values_list("amount", flat=True))
    if not policies.is_satisfactory(amounts, invoice.total):
        raise DistributionError(
            f"{invoice}'s distribution is not satisfactory: amounts must sum to 0.00 and "
            f"debits must cover the total (unbalanced {policies.unbalanced_amount(amounts):,.2f}, "
            f"undistributed {policies.undistributed_amount(amounts, invoice.total):,.2f})."
        )
    if invoice.is_distribution_approved:
        return invoice
    invoice.distribution_approved_at = timezone.now()
    invoice.distribution_approved_by = actor
    invoice.save(
        update_fields=["distribution_approved_at", "distribution_approved_by", "updated_at"]
    )
    audit(actor=actor, action="distribution approved", subject=invoice, to_value="Approved")
    return invoice


@transaction.atomic
def distribution_unapprove(*, actor: Actor, invoice: Invoice) -> Invoice:
    invoice = _lock_for_distribution(actor, invoice)
    if _withdraw_approval(invoice):
        audit(actor=actor, action="distribution unapproved", subject=invoice, from_value="Approved")
    return invoice


@transaction.atomic
def distribution_category_map(
    *, actor: Actor, policy: str, key: str, label: str, account: GLAccount | None
) -> DistributionCategory:
    """Map one category of a policy to a GL account (None removes the mapping)."""
    require_administrator(actor, action="set up distribution policies")
    if policy not in DistributionPolicy.values:
        raise DistributionError(f"“{policy}” is not a distribution policy.")
    category, _ = DistributionCategory.objects.update_or_create(
        policy=policy, key=key, defaults={"label": label, "account": account}
    )
    audit(
        actor=actor,
        action="category mapped",
        subject=category,
        to_value=account.code if account else "(none)",
    )
    return category


def _lock_for_distribution(actor: Actor, invoice: Invoice) -> Invoice:
    require_administrator(actor, action=ACTION)
    if not CompanySettings.load().accounting_integration:
        raise DistributionError(
            "Invoice distribution is used only when accounting integration is on."
        )
    return lock_invoice(invoice)


def _replace_lines(invoice: Invoice, rows: list[tuple[GLAccount, Decimal, str]]) -> None:
    invoice.distribution.all().delete()
    DistributionLine.objects.bulk_create(
        DistributionLine(
            invoice=invoice, position=i, account=account, amount=amount, memo=memo[:200]
        )
        for i, (account, amount, memo) in enumerate(rows, start=1)
    )


def _withdraw_approval(invoice: Invoice) -> bool:
    was_approved = invoice.is_distribution_approved
    invoice.distribution_approved_at = None
    invoice.distribution_approved_by = None
    invoice.save(
        update_fields=[
            "distribution_approved_at",
            "distribution_approved_by",
            "distribution_note",
            "distribution_policy",
            "updated_at",
        ]
    )
    return was_approved
