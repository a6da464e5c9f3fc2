"""Money: Decimal, two places, rounded half-up once per line; amounts typed by people."""

import re
from decimal import Decimal

import pytest

from jobledger.core.money import line_amount, money_sum, parse_money, round_money
from jobledger.invoicing.totals import compute_totals

D = Decimal


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("0.125", "0.13"),
        ("2.675", "2.68"),  # a float would give 2.67
        ("1.005", "1.01"),
        ("0.124", "0.12"),
        ("-2.675", "-2.68"),  # half away from zero, as on paper
        ("-0.125", "-0.13"),
        ("10", "10.00"),
    ],
)
def test_round_money_rounds_half_up_to_cents(value, rounded) -> None:
    result = round_money(D(value))

    assert result == D(rounded)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("quantity", "rate", "amount"),
    [
        ("1", "0.125", "0.13"),
        ("1", "2.675", "2.68"),
        ("3", "33.335", "100.01"),  # 100.005
        ("0.5", "0.25", "0.13"),  # 0.125
        ("1.5", "33.333", "50.00"),  # 49.9995
        ("7.75", "62.5", "484.38"),  # 484.375
        ("-2", "42.125", "-84.25"),
    ],
)
def test_line_amount_is_quantity_times_rate_rounded_half_up(quantity, rate, amount) -> None:
    result = line_amount(D(quantity), D(rate))

    assert isinstance(result, Decimal)
    assert result == D(amount)


def test_money_sum_of_nothing_is_zero_cents() -> None:
    assert money_sum([]) == D("0.00")
    assert money_sum([D("0.10"), D("0.20")]) == D("0.30")  # floats make this 0.30000000000000004


def test_tax_applies_to_taxable_lines_only() -> None:
    totals = compute_totals(
        [(D("100.00"), True), (D("50.00"), False), (D("10.00"), True)], tax_rate=D("8.25")
    )

    assert totals.subtotal == D("160.00")
    assert totals.taxable_subtotal == D("110.00")
    assert totals.tax_amount == D("9.08")  # 8.25 % of 110.00 = 9.075, rounded half-up


def test_tax_is_zero_without_taxable_lines() -> None:
    totals = compute_totals([(D("100.00"), False)], tax_rate=D("8.25"))

    assert (totals.tax_amount, totals.total) == (D("0.00"), D("100.00"))


def test_total_is_rounded_lines_plus_tax_plus_freight_minus_deposit() -> None:
    lines = [
        (line_amount(D("1"), D("0.125")), True),  # 0.13
        (line_amount(D("1"), D("2.675")), False),  # 2.68
        (line_amount(D("3"), D("0.005")), True),  # 0.015 → 0.02
    ]

    totals = compute_totals(lines, tax_rate=D("10"), freight=D("12.50"), deposit_applied=D("5.00"))

    assert totals.subtotal == D("2.83")  # the rounded lines, not round(0.125 + 2.675 + 0.015)
    assert totals.tax_amount == D("0.02")  # 10 % of 0.15 = 0.015 → 0.02
    assert totals.total == D("10.35")  # 2.83 + 0.02 + 12.50 - 5.00
    assert totals.total == totals.subtotal + totals.tax_amount + totals.freight - D("5.00")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("$99", "99.00"),
        (" -12.30 ", "-12.30"),
        (42, "42.00"),
        (D("7.1"), "7.10"),
    ],
)
def test_parse_money_reads_what_people_type(text, value) -> None:
    result = parse_money(text)

    assert isinstance(result, Decimal)
    assert result == D(value)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(12.00)", "Write negative amounts with a minus sign, not in parentheses."),
        ("twelve", "“twelve” is not an amount."),
        ("12 dollars", "“12 dollars” is not an amount."),
        ("", "“” is not an amount."),
        ("NaN", "“NaN” is not an amount."),
        ("Infinity", "“Infinity” is not an amount."),
        ("12.345", "“12.345” has more than two decimal places."),
        ("0.001", "“0.001” has more than two decimal places."),
    ],
)
def test_parse_money_refuses_what_is_not_an_amount(text, message) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        parse_money(text)

    assert str(info.value) == message
