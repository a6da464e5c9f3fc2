"""An invoice's lines as the services take them, the rules they must keep, and their saving."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from jobledger.core.money import line_amount
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import Invoice, InvoiceLine, InvoiceType, InvoicingPolicy, LineKind
from jobledger.jobs.models import (
    Department,
    DWRLine,
    DWRStatus,
    FixedPriceRequest,
    RequestStatus,
    Task,
)

Billed = TypeVar("Billed", DWRLine, FixedPriceRequest)


@dataclass(frozen=True)
class LineInput:
    """One invoice line as a person (or a generator) enters it."""

    kind: str
    description: str
    rate: Decimal
    quantity: Decimal = Decimal("1")
    taxable: bool = False
    unit: str = ""
    task: Task | None = None
    department: Department | None = None
    dwr_line: DWRLine | None = None
    fixed_price_request: FixedPriceRequest | None = None


def check_lines(invoice: Invoice, lines: Sequence[LineInput]) -> None:
    if not lines:
        raise InvoiceError("An invoice needs at least one line.")
    valid_kinds = set(LineKind.values)
    for number, line in enumerate(lines, start=1):
        if line.kind not in valid_kinds:
            raise InvoiceError(f"Line {number}: “{line.kind}” is not a kind of charge.")
        if not line.description.strip():
            raise InvoiceError(f"Line {number} needs a description.")
        if not line.quantity.is_finite() or not line.rate.is_finite():
            raise InvoiceError(f"Line {number}: quantity and rate must be numbers.")
        if len(line.description) > 200:
            raise InvoiceError(f"Line {number}: the description can be at most 200 characters.")
    deposit_lines = [line for line in lines if line.kind == LineKind.DEPOSIT]
    if invoice.policy == InvoicingPolicy.DEPOSIT and len(deposit_lines) != len(lines):
        raise InvoiceError("A Deposit invoice holds deposit lines only.")
    if invoice.policy != InvoicingPolicy.DEPOSIT and deposit_lines:
        raise InvoiceError("Deposit lines belong on a Deposit invoice.")
    _check_dwr_lines(invoice, lines)
    _check_fixed_price_requests(invoice, lines)


def _check_dwr_lines(invoice: Invoice, lines: Sequence[LineInput]) -> None:
    charges = [line.dwr_line for line in lines if line.dwr_line is not None]
    for charge in charges:
        if charge.dwr.job_id != invoice.job_id:
            raise InvoiceError(f"{charge.dwr} belongs to another job.")
        if charge.dwr.status not in (DWRStatus.APPROVED, DWRStatus.INVOICED):
            raise InvoiceError(f"{charge.dwr} is not approved yet.")
    already = _billed_elsewhere(invoice, "dwr_line", charges)
    if already is not None:
        raise InvoiceError(f"“{already}” of {already.dwr} is already billed.")


def _check_fixed_price_requests(invoice: Invoice, lines: Sequence[LineInput]) -> None:
    requests = [line.fixed_price_request for line in lines if line.fixed_price_request]
    for request in requests:
        if request.job_id != invoice.job_id:
            raise InvoiceError(f"{request} belongs to another job.")
        if request.status != RequestStatus.APPROVED:
            raise InvoiceError(f"{request} is not approved.")
    already = _billed_elsewhere(invoice, "fixed_price_request", requests)
    if already is not None:
        raise InvoiceError(f"Fixed-price request {already.pk} is already billed.")


def _billed_elsewhere(invoice: Invoice, link: str, rows: Sequence[Billed]) -> Billed | None:
    """The first of `rows` another invoice already bills (a correction bills nothing), in
    one query."""
    if not rows or invoice.type == InvoiceType.CORRECTION:
        return None
    billed_id = (
        InvoiceLine.objects.filter(**{f"{link}__in": rows})
        .exclude(invoice_id=invoice.pk)
        .exclude(invoice__type=InvoiceType.CORRECTION)
        .values_list(f"{link}_id", flat=True)
        .first()
    )
    return next((row for row in rows if row.pk == billed_id), None)


def save_lines(invoice: Invoice, lines: Sequence[LineInput]) -> None:
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            kind=line.kind,
            task=line.task,
            department=line.department,
            description=line.description.strip(),
            quantity=line.quantity,
            unit=line.unit,
            rate=line.rate,
            amount=line_amount(line.quantity, line.rate),
            taxable=line.taxable,
            dwr_line=line.dwr_line,
            fixed_price_request=line.fixed_price_request,
        )
        for position, line in enumerate(lines, start=1)
    )


class LineFields(Protocol):
    """Anything that reads like an invoice line: a saved line, or a job's invoiceable."""

    @property
    def kind(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def rate(self) -> Decimal: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def taxable(self) -> bool: ...
    @property
    def unit(self) -> str: ...
    @property
    def task(self) -> Task | None: ...
    @property
    def department(self) -> Department | None: ...
    @property
    def dwr_line(self) -> DWRLine | None: ...
    @property
    def fixed_price_request(self) -> FixedPriceRequest | None: ...


def line_input(line: LineFields) -> LineInput:
    """A line as the services take it, to edit it or build another from it."""
    return LineInput(
        kind=line.kind,
        description=line.description,
        rate=line.rate,
        quantity=line.quantity,
        taxable=line.taxable,
        unit=line.unit,
        task=line.task,
        department=line.department,
        dwr_line=line.dwr_line,
        fixed_price_request=line.fixed_price_request,
    )
