"""A tax code's UNCL5305 category and rate go together as the e-invoice rules want; the
admin form shows the model's errors, so a wrong pair is refused there."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jobledger.customers.models import TaxCode


def errors_of(**fields: object) -> dict[str, list[str]]:
    code = TaxCode(code="T", name="Tax", **fields)
    with pytest.raises(ValidationError) as info:
        code.full_clean()
    return info.value.message_dict


def test_a_standard_rate_needs_a_rate_above_zero(db: None) -> None:
    assert errors_of(category="S", rate=Decimal("0")) == {
        "rate": ["Category S needs a rate above zero."]
    }


def test_zero_categories_charge_nothing_and_say_why(db: None) -> None:
    assert errors_of(category="AE", rate=Decimal("7.5")) == {
        "rate": ["Category AE is charged at 0 %; set the rate to 0."],
        "exemption_reason": ["Category AE needs an exemption reason."],
    }
    assert errors_of(category="Z", rate=Decimal("0"), exemption_reason="Zero") == {
        "exemption_reason": ["Category Z takes no exemption reason."]
    }
    assert errors_of(category="E", rate=Decimal("0"), exemption_reason_code="EU-132") == {
        "exemption_reason_code": ["A VATEX code looks like VATEX-EU-AE."]
    }


def test_valid_pairs_pass(db: None) -> None:
    TaxCode(code="S", name="State", rate=Decimal("7.35")).full_clean()
    TaxCode(code="RC", name="Reverse charge", rate=Decimal("0"), category="AE",
            exemption_reason_code="VATEX-EU-AE").full_clean()  # fmt: skip
