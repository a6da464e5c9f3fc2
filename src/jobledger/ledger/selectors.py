from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Q

from jobledger.core.money import ZERO
from jobledger.invoicing.models import Invoice
from jobledger.jobs.models import Department
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


SEARCH_PAGE_SIZE = 50
EXPORTED = "Exported"


def distribution_search(text: str, page: str | int | None = 1) -> Page:
    """Non-posted invoices whose job number, invoice number or customer code matches `text`
    (all of them when it is blank), newest first."""
    invoices = Invoice.objects.not_posted().select_related("job", "customer")
    text = text.strip()
    if text:
        matches = Q(job__number__iexact=text) | Q(customer__code__iexact=text)
        if text.isdigit():
            matches |= Q(number=int(text))
        invoices = invoices.filter(matches)
    return Paginator(invoices.order_by("-number"), SEARCH_PAGE_SIZE).get_page(page)


def account_lookup(text: str) -> list[GLAccount]:
    """Active accounts whose code begins with `text`; `*` lists every one."""
    text = text.strip()
    accounts = GLAccount.objects.filter(active=True).order_by("code")
    if text == "*":
        return list(accounts)
    if not text:
        return []
    return list(accounts.filter(code__istartswith=text)[:50])


def distribution_status_label(invoice: Invoice, summary: DistributionSummary) -> str:
    """The page's Distribution Status: the brief's four, Exported once the invoice went out."""
    return EXPORTED if invoice.is_exported else summary.status.label


def policy_categories(policy: str) -> list[policies.Category]:
    """Every category the policy can sort an invoice part into, for the mapping page."""
    departments = [(d.code, d.name) for d in Department.objects.order_by("code")]
    kinds = [(kind, label) for kind, label in policies.KIND_LABELS.items()]
    fixed = [policies.Category(key, label) for key, label in policies.FIXED_KEYS.items()]
    found: dict[str, policies.Category] = {c.key: c for c in fixed}
    pairs = departments if policy.startswith("department") else kinds
    for code, name in pairs:
        for taxable in (True, False):
            part = policies.LinePart(ZERO, code, taxable, code, name)
            category = policies.line_category(part, policy)
            found.setdefault(category.key, category)
    return list(found.values())


def category_mapping_rows(policy: str) -> list[tuple[policies.Category, GLAccount | None]]:
    saved = {row.key: row for row in DistributionCategory.objects.filter(policy=policy)}
    rows = []
    for category in policy_categories(policy):
        row = saved.pop(category.key, None)
        rows.append((category, row.account if row else None))
    rows += [(policies.Category(row.key, row.label), row.account) for row in saved.values()]
    return rows
