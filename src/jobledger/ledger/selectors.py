from dataclasses import dataclass
from decimal import Decimal

from jobledger.core.models import CompanySettings
from jobledger.invoicing.models import Invoice
from jobledger.ledger import policies
from jobledger.ledger.models import (
    DistributionCategory,
    DistributionLine,
    DistributionStatus,
    GLAccount,
    LedgerSettings,
)


def invoice_parts(invoice: Invoice) -> policies.InvoiceParts:
    """The parts of an invoice a distribution policy sorts (lines, tax, freight, deposit, total)."""
    prefetched = "lines" in getattr(invoice, "_prefetched_objects_cache", {})
    lines = (
        invoice.lines.all()
        if prefetched
        else invoice.lines.select_related("task__default_department", "department")
    )
    job_department = invoice.job.department
    parts = []
    for line in lines:
        department = line.department or (line.task.default_department if line.task else None)
        department = department or job_department
        parts.append(
            policies.LinePart(
                amount=line.amount,
                kind=line.kind,
                taxable=line.taxable,
                department_code=department.code,
                department_name=department.name,
            )
        )
    return policies.InvoiceParts(
        lines=tuple(parts),
        tax=invoice.tax_amount,
        freight=invoice.freight,
        deposit_applied=invoice.deposit_applied,
        total=invoice.total,
    )


def category_accounts(policy: str) -> dict[str, policies.Account]:
    """The Administrator's category → account mapping for one policy."""
    rows = DistributionCategory.objects.filter(policy=policy, account__isnull=False).select_related(
        "account"
    )
    return {
        row.key: policies.Account(row.account.code, row.account.name) for row in rows if row.account
    }


def policy_distribution(invoice: Invoice, policy: str) -> policies.Distribution:
    return policies.distribute(invoice_parts(invoice), policy, category_accounts(policy))


@dataclass(frozen=True)
class DistributionSummary:
    status: DistributionStatus
    unbalanced: Decimal
    undistributed: Decimal
    lines: list[DistributionLine]


def distribution_summary(invoice: Invoice) -> DistributionSummary:
    lines = list(invoice.distribution.select_related("account"))
    amounts = [line.amount for line in lines]
    return DistributionSummary(
        status=distribution_status(invoice, amounts),
        unbalanced=policies.unbalanced_amount(amounts),
        undistributed=policies.undistributed_amount(amounts, invoice.total),
        lines=lines,
    )


def distribution_status(invoice: Invoice, amounts: list[Decimal]) -> DistributionStatus:
    if invoice.is_distribution_approved:
        return DistributionStatus.APPROVED
    if policies.is_satisfactory(amounts, invoice.total):
        return DistributionStatus.READY
    return DistributionStatus.NOT_READY


def export_distribution(invoice: Invoice) -> list[policies.Entry]:
    """The GL lines an export carries: the approved distribution, or with accounting
    integration off, the default policy's distribution computed on the spot."""
    if CompanySettings.load().accounting_integration:
        return [
            policies.Entry(
                policies.Account(line.account.code, line.account.name), line.amount, line.memo
            )
            for line in invoice.distribution.select_related("account")
        ]
    return list(policy_distribution(invoice, LedgerSettings.load().default_policy).entries)


def accounts_by_code() -> dict[str, GLAccount]:
    return {account.code: account for account in GLAccount.objects.filter(active=True)}
