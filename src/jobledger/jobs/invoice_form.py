"""The New invoice form: reading the policy choice and the edited lines a person posts."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.http import QueryDict

from jobledger.core.errors import DomainError
from jobledger.core.money import parse_money
from jobledger.customers.models import Customer
from jobledger.invoicing.models import Invoice
from jobledger.invoicing.policies import PolicyRequest
from jobledger.invoicing.services import LineInput
from jobledger.jobs.models import Department, DWRLine, FixedPriceRequest, Job, Task

MOST_LINES = 500
T = TypeVar("T")


class FormError(DomainError):
    pass


@dataclass(frozen=True)
class InvoiceHeader:
    invoice_date: datetime.date
    customer: Customer
    deposit_applied: Decimal
    freight: Decimal
    po_number: str
    notes: str
    corrects: Invoice | None


def policy_request(job: Job, data: QueryDict) -> PolicyRequest:
    charges = data.getlist("charges")
    return PolicyRequest(
        policy=data.get("policy", ""),
        amount=_optional_money(data.get("amount", ""), "Amount"),
        percent=_optional_number(data.get("percent", ""), "Percent"),
        charge_keys=set(charges) if data.get("choose_charges") else None,
        corrects=corrected_invoice(job, data.get("corrects", "")),
    )


def corrected_invoice(job: Job, value: str) -> Invoice | None:
    if not value:
        return None
    if not value.isdigit():
        raise FormError("Choose the invoice this correction is against.")
    found = job.invoices.filter(pk=int(value)).first()
    if found is None:
        raise FormError("The invoice to correct is not one of this job's invoices.")
    return found


def invoice_header(job: Job, data: QueryDict) -> InvoiceHeader:
    try:
        invoice_date = datetime.date.fromisoformat(data.get("invoice_date", ""))
    except ValueError:
        raise FormError("Give the invoice date.") from None
    customer = job.customer
    code = data.get("customer", "").strip()
    if code and code != customer.code:
        found = Customer.objects.filter(code__iexact=code).first()
        if found is None:
            raise FormError(f"No customer has the code {code}.")
        customer = found
    return InvoiceHeader(
        invoice_date=invoice_date,
        customer=customer,
        deposit_applied=_optional_money(data.get("deposit_applied", ""), "Deposit applied")
        or Decimal("0"),
        freight=_optional_money(data.get("freight", ""), "Freight") or Decimal("0"),
        po_number=data.get("po_number", "").strip()[:40],
        notes=data.get("notes", "").strip(),
        corrects=corrected_invoice(job, data.get("corrects", "")),
    )


def posted_lines(job: Job, data: QueryDict) -> list[LineInput]:
    """The lines as edited: rows marked Remove and rows left blank are skipped."""
    count = _count(data.get("line_count", "0"))
    rows = [_row(data, index) for index in range(count)]
    rows = [row for row in rows if row.get("remove") != "on" and _filled(row)]
    tasks = Task.objects.in_bulk(_ids(rows, "task"))
    departments = Department.objects.in_bulk(_ids(rows, "department"))
    charges = DWRLine.objects.select_related("dwr").in_bulk(_ids(rows, "dwr_line"))
    requests = FixedPriceRequest.objects.in_bulk(_ids(rows, "fixed_price_request"))
    return [
        replace(
            _line(number, row, tasks, departments, charges),
            fixed_price_request=_ref(row, "fixed_price_request", requests),
        )
        for number, row in enumerate(rows, start=1)
    ]


def _ids(rows: list[dict[str, str]], name: str) -> list[int]:
    return [int(row[name]) for row in rows if row.get(name, "").isdigit()]


def _row(data: QueryDict, index: int) -> dict[str, str]:
    prefix = f"lines-{index}-"
    return {
        key.removeprefix(prefix): str(data.get(key, "")) for key in data if key.startswith(prefix)
    }


def _filled(row: dict[str, str]) -> bool:
    return any(row.get(name, "").strip() for name in ("description", "rate"))


def _line(
    number: int,
    row: dict[str, str],
    tasks: dict[int, Task],
    departments: dict[int, Department],
    charges: dict[int, DWRLine],
) -> LineInput:
    quantity = _number(row.get("quantity", "") or "1", f"Line {number}: the quantity")
    rate = _number(row.get("rate", ""), f"Line {number}: the rate")
    return LineInput(
        kind=row.get("kind", ""),
        description=row.get("description", ""),
        quantity=quantity,
        rate=rate,
        taxable=row.get("taxable") == "on",
        unit=row.get("unit", "").strip()[:12],
        task=_ref(row, "task", tasks),
        department=_ref(row, "department", departments),
        dwr_line=_ref(row, "dwr_line", charges),
    )


def _ref(row: dict[str, str], name: str, found: Mapping[int, T]) -> T | None:
    value = row.get(name, "")
    return found.get(int(value)) if value.isdigit() else None


def _count(value: str) -> int:
    if not value.isdigit() or int(value) > MOST_LINES:
        raise FormError(f"An invoice holds at most {MOST_LINES} lines.")
    return int(value)


def _number(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise FormError(f"{what} “{text}” is not a number.") from None
    if not value.is_finite():
        raise FormError(f"{what} “{text}” is not a number.")
    return value


def _optional_number(text: str, what: str) -> Decimal | None:
    return _number(text, what) if text.strip() else None


def _optional_money(text: str, what: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_money(text)
    except ValueError as error:
        raise FormError(f"{what}: {error}") from None
