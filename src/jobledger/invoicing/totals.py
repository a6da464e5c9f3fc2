"""The one place an invoice's totals are computed."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jobledger.core.money import ZERO, money_sum, round_money


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    taxable_subtotal: Decimal
    tax_amount: Decimal
    freight: Decimal
    deposit_applied: Decimal
    total: Decimal


def compute_totals(
    lines: Iterable[tuple[Decimal, bool]],
    *,
    tax_rate: Decimal,
    freight: Decimal = ZERO,
    deposit_applied: Decimal = ZERO,
) -> Totals:
    """Totals from already-rounded line amounts and their taxable flags.

    Tax is the rate (a percent) applied once to the taxable subtotal and rounded half-up.
    """
    pairs = list(lines)
    subtotal = money_sum(amount for amount, _ in pairs)
    taxable = money_sum(amount for amount, is_taxable in pairs if is_taxable)
    tax = round_money(taxable * tax_rate / Decimal(100))
    freight = round_money(freight)
    deposit_applied = round_money(deposit_applied)
    return Totals(
        subtotal=subtotal,
        taxable_subtotal=taxable,
        tax_amount=tax,
        freight=freight,
        deposit_applied=deposit_applied,
        total=subtotal + tax + freight - deposit_applied,
    )
