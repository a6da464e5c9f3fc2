"""The eight invoicing policies: which a job's status allows, and the lines each generates.

Generation writes nothing: it proposes lines and a deposit to deduct, which the person
edits before `invoice_create` saves them. Partial and Complete lines never take what is
billed to date past the suggested job price, and a deposit is deducted only once.
"""

from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal

from jobledger.core.money import ZERO, line_amount, money_sum, round_money
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.job_billing import Invoiceable, JobBilling
from jobledger.invoicing.models import (
    GROUPED_POLICIES,
    POLICY_TYPE,
    Invoice,
    InvoiceLine,
    InvoiceType,
    InvoicingPolicy,
    LineKind,
)
from jobledger.invoicing.services import LineInput, line_input
from jobledger.jobs.models import JobStatus

HUNDRED = Decimal(100)
CHARGE_ORDER = [LineKind.LABOR, LineKind.EQUIPMENT, LineKind.MATERIALS, LineKind.EXPENSES]
TYPES_BY_STATUS = {
    JobStatus.OPEN: (InvoiceType.PARTIAL, InvoiceType.CORRECTION),
    JobStatus.CLOSED: (InvoiceType.PARTIAL, InvoiceType.COMPLETE, InvoiceType.CORRECTION),
    JobStatus.BILLED: (InvoiceType.CORRECTION,),
}


@dataclass(frozen=True)
class PolicyRequest:
    """What the person chose on the New invoice form before the lines are generated."""

    policy: str
    amount: Decimal | None = None
    percent: Decimal | None = None
    charge_keys: Collection[str] | None = None  # None bills every unbilled charge
    corrects: Invoice | None = None


@dataclass(frozen=True)
class GeneratedInvoice:
    policy: InvoicingPolicy
    invoice_type: InvoiceType
    lines: list[LineInput]
    deposit_applied: Decimal = ZERO
    corrects: Invoice | None = None
    grouped: bool = False


def allowed_policies(status: str) -> list[InvoicingPolicy]:
    """The policies a job in this status may be invoiced with, in the brief's order."""
    types = TYPES_BY_STATUS[JobStatus(status)]
    return [policy for policy in InvoicingPolicy if POLICY_TYPE[policy] in types]


def generate_invoice(billing: JobBilling, request: PolicyRequest) -> GeneratedInvoice:
    """The initial lines of a new invoice on the job, by the chosen policy."""
    policy = _allowed(billing, request.policy)
    if policy == InvoicingPolicy.DEPOSIT:
        return _deposit(billing, request)
    if policy in (InvoicingPolicy.CORRECTION, InvoicingPolicy.CORRECTION_GROUPED):
        return _correction(billing, policy, request.corrects)
    if policy == InvoicingPolicy.PROGRESS_SUMMARY:
        lines = [_summary_line(billing, _amount_to_bill(billing, request))]
    elif POLICY_TYPE[policy] == InvoiceType.COMPLETE:
        lines = _complete_lines(billing)
    else:
        lines = _itemized_lines(billing, request)
    return GeneratedInvoice(
        policy=policy,
        invoice_type=POLICY_TYPE[policy],
        lines=lines,
        deposit_applied=_deposit_to_deduct(billing, _subtotal(lines)),
        grouped=policy in GROUPED_POLICIES,
    )


def _allowed(billing: JobBilling, policy: str) -> InvoicingPolicy:
    try:
        chosen = InvoicingPolicy(policy)
    except ValueError:
        raise InvoiceError("Choose an invoicing policy.") from None
    if chosen not in allowed_policies(billing.job.status):
        raise InvoiceError(
            f"Job {billing.job.number} is {billing.job.get_status_display()}: "
            f"{chosen.label} invoices are not allowed."
        )
    return chosen


def _amount_to_bill(billing: JobBilling, request: PolicyRequest) -> Decimal:
    """An amount, or a percent of the suggested job price, no more than remains to bill."""
    if request.amount is not None and request.percent is not None:
        raise InvoiceError("Give an amount or a percent, not both.")
    if request.percent is not None:
        if not ZERO < request.percent <= HUNDRED:
            raise InvoiceError("The percent must be more than 0 and at most 100.")
        amount = round_money(billing.suggested_price * request.percent / HUNDRED)
    elif request.amount is not None:
        amount = round_money(request.amount)
    else:
        raise InvoiceError("Give the amount or the percent to bill.")
    if amount <= ZERO:
        raise InvoiceError("The amount to bill must be more than 0.00.")
    return amount


def _capped(amount: Decimal, room: Decimal, what: str) -> Decimal:
    if amount > room:
        raise InvoiceError(
            f"{what} of {amount:,.2f} is more than the {max(room, ZERO):,.2f} "
            "that remains of the suggested job price."
        )
    return amount


def _deposit(billing: JobBilling, request: PolicyRequest) -> GeneratedInvoice:
    # A deposit must be deductible later, so it fits in what remains to bill.
    room = billing.remaining_to_bill - billing.deposit_balance
    amount = _capped(_amount_to_bill(billing, request), room, "A deposit")
    described = "Deposit"
    if request.percent is not None:
        described = f"Deposit: {request.percent.normalize():f}% of the job price"
    line = LineInput(kind=LineKind.DEPOSIT, description=described, rate=amount)
    return GeneratedInvoice(
        policy=InvoicingPolicy.DEPOSIT, invoice_type=InvoiceType.PARTIAL, lines=[line]
    )


def _summary_line(billing: JobBilling, amount: Decimal) -> LineInput:
    job = billing.job
    _capped(amount, billing.remaining_to_bill, "Progress billing")
    percent = amount * HUNDRED / billing.suggested_price if billing.suggested_price else ZERO
    return LineInput(
        kind=LineKind.FIXED_PRICE if job.is_fixed_price else LineKind.ADJUSTMENT,
        description=f"Progress billing: {round_money(percent):f}% of {job.name}",
        rate=amount,
        taxable=job.customer.taxable and job.is_fixed_price,
        unit="LS",
    )


def _itemized_lines(billing: JobBilling, request: PolicyRequest) -> list[LineInput]:
    """A line per unbilled charge (or approved fixed-price request) chosen; on a fixed-price
    job, an amount or percent bills that share of the contract instead."""
    asked = request.amount is not None or request.percent is not None
    if billing.job.is_fixed_price and (asked or not billing.unbilled):
        return [_contract_share(billing, request)]
    chosen = [
        item
        for item in billing.unbilled
        if request.charge_keys is None or item.key in request.charge_keys
    ]
    if not chosen:
        raise InvoiceError(f"Job {billing.job.number} has no approved charges left to bill.")
    lines = [line_input(item) for item in _in_charge_order(chosen)]
    subtotal = _subtotal(lines)
    room = max(billing.remaining_to_bill, ZERO)
    return [*lines, _less_billed_earlier(room - subtotal)] if subtotal > room else lines


def _contract_share(billing: JobBilling, request: PolicyRequest) -> LineInput:
    """The contract item, with the percent complete (or amount) billed this period."""
    contract = billing.invoiceables[0]
    amount = _capped(_amount_to_bill(billing, request), billing.remaining_to_bill, "This period")
    if request.percent is not None:
        quantity = request.percent / HUNDRED
        label = f"{request.percent.normalize():f}% complete this period"
        rate = contract.rate
    else:
        quantity, label, rate = Decimal("1"), "billed this period", amount
    return LineInput(
        kind=LineKind.FIXED_PRICE,
        description=f"{contract.description} — {label}",
        quantity=quantity,
        rate=rate,
        taxable=contract.taxable,
        unit="" if request.percent is not None else contract.unit,
    )


def _complete_lines(billing: JobBilling) -> list[LineInput]:
    """Every unbilled charge or request, then one line that brings the invoice to exactly
    what remains of the suggested job price."""
    lines = [line_input(item) for item in _in_charge_order(billing.unbilled)]
    difference = max(billing.remaining_to_bill, ZERO) - _subtotal(lines)
    if difference < ZERO:
        return [*lines, _less_billed_earlier(difference)]
    if difference > ZERO or not lines:
        lines.append(_balance_line(billing, difference))
    return lines


def _subtotal(lines: list[LineInput]) -> Decimal:
    return money_sum(line_amount(line.quantity, line.rate) for line in lines)


def _less_billed_earlier(amount: Decimal) -> LineInput:
    """What was billed in a lump earlier (a Progress, Summary) comes off the items billed
    now, so billed to date never passes the suggested job price."""
    return LineInput(
        kind=LineKind.ADJUSTMENT, description="Less progress billed earlier", rate=amount
    )


def _balance_line(billing: JobBilling, amount: Decimal) -> LineInput:
    if billing.job.is_fixed_price:
        contract = billing.invoiceables[0]
        return LineInput(
            kind=LineKind.FIXED_PRICE,
            description=f"{contract.description} — balance of the job price",
            rate=amount,
            taxable=contract.taxable,
            unit=contract.unit,
        )
    return LineInput(kind=LineKind.ADJUSTMENT, description="Balance of the job price", rate=amount)


def _in_charge_order(items: Collection[Invoiceable]) -> list[Invoiceable]:
    """Labor, equipment, materials, expenses; fixed-price requests after them."""
    order = [str(kind) for kind in CHARGE_ORDER]
    return sorted(items, key=lambda item: order.index(item.kind) if item.kind in order else 99)


def _deposit_to_deduct(billing: JobBilling, subtotal: Decimal) -> Decimal:
    """Unused deposits come off each later invoice until they are used up."""
    return max(min(billing.deposit_balance, subtotal), ZERO)


def _correction(
    billing: JobBilling, policy: InvoicingPolicy, corrects: Invoice | None
) -> GeneratedInvoice:
    """A credit of the earlier invoice's lines, to be trimmed to what is being corrected."""
    if corrects is None:
        raise InvoiceError("Choose the invoice this correction is against.")
    if corrects.job_id != billing.job.pk:
        raise InvoiceError(f"{corrects} belongs to another job.")
    credits = [
        _credit(line)
        for line in corrects.lines.select_related(
            "task", "department", "dwr_line", "fixed_price_request"
        )
    ]
    grouped = policy == InvoicingPolicy.CORRECTION_GROUPED
    if grouped:
        credits = _grouped_credits(credits)
    return GeneratedInvoice(
        policy=policy,
        invoice_type=InvoiceType.CORRECTION,
        lines=credits,
        corrects=corrects,
        grouped=grouped,
    )


def _credit(line: InvoiceLine) -> LineInput:
    # A credit does not bill its charge again: it links no DWR line or request.
    return replace(
        line_input(line),
        kind=LineKind.ADJUSTMENT if line.kind == LineKind.DEPOSIT else line.kind,
        description=f"Credit: {line.description}"[:200],
        quantity=-line.quantity,
        dwr_line=None,
        fixed_price_request=None,
    )


def _grouped_credits(credits: list[LineInput]) -> list[LineInput]:
    """One credit line per kind of charge (and taxable or not), as the grouped invoice shows."""
    groups: dict[tuple[str, bool], Decimal] = {}
    for line in credits:
        key = (line.kind, line.taxable)
        groups[key] = groups.get(key, ZERO) + line_amount(line.quantity, line.rate)
    return [
        LineInput(
            kind=kind,
            description=f"Credit: {LineKind(kind).label}{' (taxable)' if taxable else ''}",
            rate=amount,
            taxable=taxable,
        )
        for (kind, taxable), amount in groups.items()
    ]
