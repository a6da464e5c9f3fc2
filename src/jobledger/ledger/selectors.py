from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from jobledger.invoicing.models import Invoice
from jobledger.jobs.models import Department
from jobledger.ledger import policies
from jobledger.ledger.models import (
    DistributionCategory,
    DistributionLine,
    DistributionStatus,
    LedgerSettings,
)


def invoice_parts(invoice: Invoice) -> policies.InvoiceParts:
    """The parts of an invoice a distribution policy sorts (lines, tax, freight, deposit, total)."""
    lines = invoice.lines.select_related("task__default_department", "department")
    job_department = _named(invoice.job.department)
    parts = []
    for line in lines:
        own = _named(line.department)
        by_task = _named(line.task.default_department if line.task else None)
        parts.append(line_part(line.amount, line.kind, line.taxable, own, by_task, job_department))
    return policies.InvoiceParts(
        lines=tuple(parts),
        tax=invoice.tax_amount,
        freight=invoice.freight,
        deposit_applied=invoice.deposit_applied,
        total=invoice.total,
    )


def line_part(
    amount: Decimal, kind: str, taxable: bool, *departments: tuple[str, str] | None
) -> policies.LinePart:
    """A line as a policy sees it. Its department is the first of `departments` that is set,
    given in the order the rule takes them: the line's own, its task's default, the job's."""
    code, name = next(department for department in departments if department)
    return policies.LinePart(
        amount=amount, kind=kind, taxable=taxable, department_code=code, department_name=name
    )


def _named(department: Department | None) -> tuple[str, str] | None:
    return (department.code, department.name) if department else None


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


def default_distribution(
    parts: policies.InvoiceParts,
    policy: str | None = None,
    accounts: Mapping[str, policies.Account] | None = None,
) -> policies.Distribution:
    """With accounting integration off, an export distributes each invoice with the default
    policy. An export of many invoices passes the policy and its mappings, read once."""
    policy = policy or LedgerSettings.load().default_policy
    return policies.distribute(
        parts, policy, category_accounts(policy) if accounts is None else accounts
    )
