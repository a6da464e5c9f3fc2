"""Invoice Find and the Invoice Journal: read-only lists over invoices and their GL lines."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from jobledger.core.models import CompanySettings
from jobledger.core.money import ZERO
from jobledger.invoicing.models import Invoice, Stage
from jobledger.ledger import policies
from jobledger.ledger.models import LedgerSettings
from jobledger.ledger.selectors import category_accounts, default_distribution, invoice_parts

ACCOUNTING_STATUSES = ("Invoiced", "Approved", "Exported", "Posted")


@dataclass(frozen=True)
class FindFilters:
    number: int | None = None
    job: str = ""
    customer: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    type: str = ""
    policy: str = ""
    stage: str = ""
    accounting_status: str = ""
    amount_from: Decimal | None = None
    amount_to: Decimal | None = None
    project_manager: str = ""


def invoice_find(filters: FindFilters) -> QuerySet[Invoice]:
    """Invoices matching every filter given, newest number first."""
    invoices = Invoice.objects.select_related("job", "customer", "job__project_manager")
    exact = {
        "number": filters.number,
        "job__number__iexact": filters.job.strip(),
        "customer__code__iexact": filters.customer.strip(),
        "invoice_date__gte": filters.date_from,
        "invoice_date__lte": filters.date_to,
        "type": filters.type,
        "policy": filters.policy,
        "stage": filters.stage,
        "total__gte": filters.amount_from,
        "total__lte": filters.amount_to,
        "job__project_manager__username": filters.project_manager,
    }
    invoices = invoices.filter(**{k: v for k, v in exact.items() if v not in (None, "")})
    if filters.accounting_status:
        invoices = invoices.filter(_accounting_status(filters.accounting_status))
    return invoices.order_by("-number")


def postable_invoices(filters: FindFilters) -> QuerySet[Invoice]:
    """Invoices Post Invoices offers: processed, not posted, and exported to accounting
    when accounting integration is on."""
    invoices = invoice_find(filters).filter(
        posted_at__isnull=True, stage__in=[Stage.PROCESSED, Stage.PAID]
    )
    if CompanySettings.load().accounting_integration:
        invoices = invoices.filter(last_exported_at__isnull=False)
    return invoices


def _accounting_status(status: str) -> Q:
    posted = Q(posted_at__isnull=False)
    exported = Q(last_exported_at__isnull=False)
    approved = Q(distribution_approved_at__isnull=False)
    return {
        "Posted": posted,
        "Exported": ~posted & exported,
        "Approved": ~posted & ~exported & approved,
        "Invoiced": ~posted & ~exported & ~approved,
    }.get(status, Q())


@dataclass(frozen=True)
class JournalLine:
    code: str
    name: str
    amount: Decimal
    memo: str


@dataclass(frozen=True)
class JournalEntry:
    invoice: Invoice
    lines: list[JournalLine]


@dataclass
class AccountTotal:
    code: str
    name: str
    debits: Decimal = ZERO
    credits: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.debits - self.credits


@dataclass
class Journal:
    date_from: datetime.date
    date_to: datetime.date
    entries: list[JournalEntry] = field(default_factory=list)
    # Invoices whose distribution is missing or does not balance yet: kept out of the totals.
    unfinished: list[Invoice] = field(default_factory=list)
    accounts: dict[str, AccountTotal] = field(default_factory=dict)

    @property
    def totals(self) -> list[AccountTotal]:
        return [self.accounts[code] for code in sorted(self.accounts)]

    @property
    def debits(self) -> Decimal:
        return sum((total.debits for total in self.accounts.values()), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((total.credits for total in self.accounts.values()), ZERO)

    @property
    def net(self) -> Decimal:
        return self.debits - self.credits

    def add(self, invoice: Invoice, lines: list[JournalLine]) -> None:
        if not policies.is_satisfactory([line.amount for line in lines], invoice.total):
            self.unfinished.append(invoice)
            return
        self.entries.append(JournalEntry(invoice, lines))
        for line in lines:
            total = self.accounts.setdefault(line.code, AccountTotal(line.code, line.name))
            if line.amount > 0:
                total.debits += line.amount
            else:
                total.credits -= line.amount


def invoice_journal(date_from: datetime.date, date_to: datetime.date) -> Journal:
    """Every invoice dated in the range with its GL lines, and the totals per account.
    An invoice whose distribution is not finished (not satisfactory) stays out of the
    totals, so the grand totals balance.

    With accounting integration on, the lines are the saved distributions (what an export
    sends); with it off, each invoice's distribution by the default policy.
    """
    journal = Journal(date_from, date_to)
    invoices = (
        Invoice.objects.filter(invoice_date__gte=date_from, invoice_date__lte=date_to)
        .select_related("customer", "job")
        .order_by("invoice_date", "number")
    )
    lines_of = _saved_lines if CompanySettings.load().accounting_integration else _default_lines
    for invoice, lines in lines_of(invoices):
        journal.add(invoice, lines)
    return journal


def _saved_lines(invoices: QuerySet[Invoice]) -> Iterator[tuple[Invoice, list[JournalLine]]]:
    for invoice in invoices.prefetch_related("distribution__account"):
        yield (
            invoice,
            [
                JournalLine(line.account.code, line.account.name, line.amount, line.memo)
                for line in invoice.distribution.all()
            ],
        )


def _default_lines(invoices: QuerySet[Invoice]) -> Iterator[tuple[Invoice, list[JournalLine]]]:
    policy = LedgerSettings.load().default_policy
    accounts = category_accounts(policy)
    for invoice in invoices:
        found = default_distribution(invoice_parts(invoice), policy, accounts)
        yield invoice, [_entry_line(entry) for entry in found.entries]


def _entry_line(entry: policies.Entry) -> JournalLine:
    return JournalLine(entry.account.code, entry.account.name, entry.amount, entry.memo)
