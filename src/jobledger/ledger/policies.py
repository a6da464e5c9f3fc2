"""Automatic distribution: each invoice part goes to a category, each category to a GL account.

Pure functions over plain dataclasses, so the rules are tested without a database.
Debits are positive and credits negative: the invoice total is debited to accounts
receivable, a deposit applied is debited back out of customer deposits, and the lines,
tax and freight are credited, so a complete distribution sums to 0.00.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from jobledger.core.money import ZERO
from jobledger.ledger.models import DistributionPolicy

RECEIVABLE = "receivable"
TAX = "tax"
FREIGHT = "freight"
DEPOSIT = "deposit"
FIXED_KEYS = {
    RECEIVABLE: "Accounts receivable (invoice total)",
    TAX: "Sales tax",
    FREIGHT: "Freight",
    DEPOSIT: "Customer deposits",
}
KIND_LABELS = {
    "labor": "Labor",
    "equipment": "Equipment",
    "materials": "Materials",
    "expenses": "Expenses",
    "fixed_price": "Fixed price",
    "adjustment": "Adjustment",
}


@dataclass(frozen=True)
class LinePart:
    amount: Decimal
    kind: str
    taxable: bool
    department_code: str
    department_name: str


@dataclass(frozen=True)
class InvoiceParts:
    lines: tuple[LinePart, ...]
    tax: Decimal
    freight: Decimal
    deposit_applied: Decimal
    total: Decimal


@dataclass(frozen=True)
class Category:
    key: str
    label: str


@dataclass(frozen=True)
class Account:
    code: str
    name: str


@dataclass(frozen=True)
class Entry:
    account: Account
    amount: Decimal
    memo: str


@dataclass(frozen=True)
class Distribution:
    entries: tuple[Entry, ...]
    unmapped: tuple[tuple[Category, Decimal], ...]


def line_category(line: LinePart, policy: str) -> Category:
    if line.kind == DEPOSIT:
        return Category(DEPOSIT, FIXED_KEYS[DEPOSIT])
    tax_word = "Taxable" if line.taxable else "Non-taxable"
    tax_key = "taxable" if line.taxable else "nontaxable"
    kind_label = KIND_LABELS.get(line.kind, line.kind.title())
    if policy == DistributionPolicy.DEPARTMENT:
        return Category(f"dept:{line.department_code}", line.department_name)
    if policy == DistributionPolicy.DEPARTMENT_TAX:
        return Category(
            f"dept:{line.department_code}:{tax_key}", f"{line.department_name}, {tax_word}"
        )
    if policy == DistributionPolicy.CATEGORY:
        return Category(f"kind:{line.kind}", kind_label)
    if policy == DistributionPolicy.CATEGORY_TAXABLE:
        return Category(f"kind:{line.kind}:{tax_key}", f"{kind_label}, {tax_word}")
    raise ValueError(f"Unknown distribution policy {policy!r}")


def categorize(parts: InvoiceParts, policy: str) -> list[tuple[Category, Decimal]]:
    """Each invoice part's signed amount, summed per category, in a stable order."""
    amounts: dict[Category, Decimal] = {}

    def add(category: Category, amount: Decimal) -> None:
        amounts[category] = amounts.get(category, ZERO) + amount

    add(Category(RECEIVABLE, FIXED_KEYS[RECEIVABLE]), parts.total)
    for line in parts.lines:
        add(line_category(line, policy), -line.amount)
    add(Category(TAX, FIXED_KEYS[TAX]), -parts.tax)
    add(Category(FREIGHT, FIXED_KEYS[FREIGHT]), -parts.freight)
    add(Category(DEPOSIT, FIXED_KEYS[DEPOSIT]), parts.deposit_applied)
    return [(category, amount) for category, amount in amounts.items() if amount != ZERO]


def distribute(parts: InvoiceParts, policy: str, mapping: Mapping[str, Account]) -> Distribution:
    """Book each category to its mapped account; a category with no account stays undistributed."""
    per_account: dict[Account, tuple[Decimal, list[str]]] = {}
    unmapped: list[tuple[Category, Decimal]] = []
    for category, amount in categorize(parts, policy):
        account = mapping.get(category.key)
        if account is None:
            unmapped.append((category, amount))
            continue
        total, memos = per_account.get(account, (ZERO, []))
        per_account[account] = (total + amount, [*memos, category.label])
    entries = tuple(
        Entry(account=account, amount=amount, memo="; ".join(memos))
        for account, (amount, memos) in per_account.items()
        if amount != ZERO
    )
    return Distribution(entries=entries, unmapped=tuple(unmapped))


def unbalanced_amount(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def undistributed_amount(amounts: Iterable[Decimal], total: Decimal) -> Decimal:
    """What is left of the total on the debit or the credit side, whichever is larger."""
    values = list(amounts)
    debits = sum((a for a in values if a > 0), ZERO)
    credits = -sum((a for a in values if a < 0), ZERO)
    target = abs(total)
    return max(target - debits, target - credits, ZERO)


def is_satisfactory(amounts: Iterable[Decimal], total: Decimal) -> bool:
    """Balanced (sums to 0.00) and fully distributed: debits cover the invoice total (and, for
    a credit, credits cover it), so nothing is left undistributed."""
    values = list(amounts)
    return unbalanced_amount(values) == ZERO and undistributed_amount(values, total) == ZERO
