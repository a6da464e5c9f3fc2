"""Where a job stands in its billing: the suggested job price, what is invoiced to date,
deposits, and the job's invoiceables matched to the invoice lines that bill them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from jobledger.core.money import ZERO, round_money
from jobledger.invoicing.models import Invoice, InvoiceLine, InvoiceType, LineKind
from jobledger.jobs.models import Department, DWRLine, FixedPriceRequest, Job, RequestStatus, Task
from jobledger.jobs.selectors import approved_charge_lines, approved_charges, suggested_job_price

CONTRACT = "contract"


@dataclass(frozen=True)
class Invoiceable:
    """Something on the job that can be billed: the fixed-price contract, or one approved
    DWR charge. `billed` is how much of it invoices already bill."""

    key: str
    kind: str
    description: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    billed: Decimal
    invoice_numbers: tuple[int, ...] = ()
    taxable: bool = False
    task: Task | None = None
    department: Department | None = None
    dwr_line: DWRLine | None = None
    fixed_price_request: FixedPriceRequest | None = None

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.billed

    @property
    def is_invoiced(self) -> bool:
        return self.remaining <= ZERO


@dataclass(frozen=True)
class JobBilling:
    job: Job
    suggested_price: Decimal
    invoiced_to_date: Decimal
    deposits_received: Decimal
    deposits_applied: Decimal
    invoiceables: tuple[Invoiceable, ...]

    @property
    def remaining_to_bill(self) -> Decimal:
        return self.suggested_price - self.invoiced_to_date

    @property
    def deposit_balance(self) -> Decimal:
        """Deposits received that later invoices have not deducted yet."""
        return self.deposits_received - self.deposits_applied

    @property
    def unbilled(self) -> tuple[Invoiceable, ...]:
        """Charges and fixed-price requests not invoiced yet (the contract itself aside)."""
        return tuple(
            item for item in self.invoiceables if item.key != CONTRACT and not item.is_invoiced
        )

    @property
    def charges_by_kind(self) -> list[tuple[str, int, Decimal]]:
        """How the suggested price of a time-and-materials job adds up: per kind of charge,
        how many approved charges and their amount."""
        found: dict[str, tuple[int, Decimal]] = {}
        for item in self.invoiceables:
            count, amount = found.get(item.kind, (0, ZERO))
            found[item.kind] = (count + 1, amount + item.amount)
        return [(LineKind(kind).label, count, amount) for kind, (count, amount) in found.items()]


def job_billing(job: Job) -> JobBilling:
    """The job's billing position, read in a fixed number of queries."""
    lines = InvoiceLine.objects.filter(invoice__job=job)
    sums = lines.aggregate(
        invoiced=Sum("amount", filter=~Q(kind=LineKind.DEPOSIT)),
        deposits=Sum("amount", filter=Q(kind=LineKind.DEPOSIT)),
    )
    applied = Invoice.objects.filter(job=job).aggregate(value=Sum("deposit_applied"))["value"]
    # SQLite sums decimals in floating point; cents are what was billed.
    invoiced = round_money(sums["invoiced"] or ZERO)
    charges = list(approved_charge_lines(job))
    price = suggested_job_price(job, charges)
    if job.is_fixed_price:
        items: tuple[Invoiceable, ...] = (_contract(job, invoiced), *_requests(job))
    else:
        items = _charges(charges)
    return JobBilling(
        job=job,
        suggested_price=price,
        invoiced_to_date=invoiced,
        deposits_received=round_money(sums["deposits"] or ZERO),
        deposits_applied=round_money(applied or ZERO),
        invoiceables=items,
    )


def _contract(job: Job, invoiced: Decimal) -> Invoiceable:
    # Everything billed on a fixed-price job, deposits aside, is billed against its contract.
    numbers = (
        Invoice.objects.filter(job=job)
        .exclude(type=InvoiceType.CORRECTION)
        .exclude(lines__kind=LineKind.DEPOSIT)
        .order_by("number")
        .values_list("number", flat=True)
    )
    return Invoiceable(
        key=CONTRACT,
        kind=LineKind.FIXED_PRICE,
        description=f"Contract: {job.name}",
        quantity=Decimal("1"),
        unit="LS",
        rate=job.contract_price,
        amount=job.contract_price,
        billed=min(invoiced, job.contract_price),
        invoice_numbers=tuple(numbers),
        taxable=job.customer.taxable,
    )


def _charges(charges: list[DWRLine]) -> tuple[Invoiceable, ...]:
    numbers = _billing_invoices("dwr_line", [charge.pk for charge in charges])
    return tuple(_charge(charge, numbers.get(charge.pk, ())) for charge in charges)


def _requests(job: Job) -> tuple[Invoiceable, ...]:
    """Approved fixed-price requests: the parts of the contract asked to be billed."""
    requests = list(
        job.fixed_price_requests.filter(status=RequestStatus.APPROVED).order_by("created_at")
    )
    numbers = _billing_invoices("fixed_price_request", [request.pk for request in requests])
    return tuple(_request(job, request, numbers.get(request.pk, ())) for request in requests)


def _billing_invoices(link: str, ids: list[int]) -> dict[int, tuple[int, ...]]:
    """For each linked row, the numbers of the invoices (corrections aside) that bill it."""
    rows = (
        InvoiceLine.objects.filter(**{f"{link}__in": ids})
        .exclude(invoice__type=InvoiceType.CORRECTION)
        .values_list(f"{link}_id", "invoice__number")
    )
    numbers: dict[int, list[int]] = {}
    for row_id, number in rows:
        numbers.setdefault(row_id, []).append(number)
    return {row_id: tuple(sorted(found)) for row_id, found in numbers.items()}


def _request(job: Job, request: FixedPriceRequest, invoice_numbers: tuple[int, ...]) -> Invoiceable:
    # A percent asks for that share of the contract price to be billed.
    asked = request.note.strip() or "Fixed-price request"
    if request.amount is not None:
        amount, share = request.amount, ""
    else:
        percent = request.percent_complete or ZERO
        amount = round_money(job.contract_price * percent / 100)
        share = f" ({percent.normalize():f}% of the contract)"
    return Invoiceable(
        key=f"request:{request.pk}",
        kind=LineKind.FIXED_PRICE,
        description=f"{request.created_at:%m/%d/%Y} {asked}{share}"[:200],
        quantity=Decimal("1"),
        unit="LS",
        rate=amount,
        amount=amount,
        billed=amount if invoice_numbers else ZERO,
        invoice_numbers=invoice_numbers,
        taxable=job.customer.taxable,
        fixed_price_request=request,
    )


def _charge(charge: DWRLine, invoice_numbers: tuple[int, ...]) -> Invoiceable:
    amount = approved_charges([charge])
    task = charge.task
    described = charge.description or (task.name if task else charge.get_kind_display())
    if charge.worker:
        described = f"{described} — {charge.worker}"
    return Invoiceable(
        key=f"charge:{charge.pk}",
        kind=charge.kind,
        description=f"{charge.dwr.work_date:%m/%d/%Y} {described}",
        quantity=charge.quantity * charge.units,
        unit=task.unit if task else "",
        rate=charge.rate,
        amount=amount,
        billed=amount if invoice_numbers else ZERO,
        invoice_numbers=invoice_numbers,
        taxable=task.taxable if task else False,
        task=task,
        dwr_line=charge,
    )
