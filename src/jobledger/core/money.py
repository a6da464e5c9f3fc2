"""Money is Decimal with two places, rounded half-up once, never float."""

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(value: Decimal) -> Decimal:
    """Round to cents, half away from zero (the rule people use on paper)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, rate: Decimal) -> Decimal:
    return round_money(quantity * rate)


def money_sum(values: Iterable[Decimal]) -> Decimal:
    return round_money(sum(values, ZERO))


AMOUNT = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|-?\.\d+")


def parse_money(text: str | int | Decimal) -> Decimal:
    """Parse an amount typed by a person; raises ValueError with a readable message."""
    cleaned = str(text).strip().replace("$", "").replace(" ", "")
    if cleaned.startswith("(") and cleaned.endswith(")"):
        raise ValueError("Write negative amounts with a minus sign, not in parentheses.")
    if not AMOUNT.fullmatch(cleaned):
        raise ValueError(f"“{text}” is not an amount.")
    value = Decimal(cleaned.replace(",", ""))
    if value != value.quantize(CENT):
        raise ValueError(f"“{text}” has more than two decimal places.")
    return value.quantize(CENT)
