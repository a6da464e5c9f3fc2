"""For any invoice, each distribution policy with a complete mapping is satisfactory."""

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jobledger.core.money import line_amount
from jobledger.invoicing.totals import compute_totals
from jobledger.ledger import policies
from jobledger.ledger.models import DistributionPolicy

DEPARTMENTS = [("CIVIL", "Civil"), ("ELEC", "Electrical"), ("PAVE", "Paving")]
KINDS = ["labor", "equipment", "materials", "expenses", "fixed_price", "adjustment"]

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("500"), places=3)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("5000"), places=4)


@st.composite
def invoices(draw: st.DrawFn) -> policies.InvoiceParts:
    raw_lines = draw(
        st.lists(
            st.tuples(quantities, rates, st.booleans(), st.sampled_from(KINDS),
                      st.sampled_from(DEPARTMENTS)),
            min_size=1, max_size=12,
        )
    )  # fmt: skip
    lines = tuple(
        policies.LinePart(line_amount(qty, rate), kind, taxable, dept[0], dept[1])
        for qty, rate, taxable, kind, dept in raw_lines
    )
    tax_rate = draw(st.decimals(min_value=0, max_value=Decimal("12.5"), places=4))
    freight = draw(st.decimals(min_value=0, max_value=Decimal("900"), places=2))
    subtotal = sum((line.amount for line in lines), Decimal("0"))
    deposit = draw(st.decimals(min_value=0, max_value=max(subtotal, Decimal("0")), places=2))
    totals = compute_totals(
        ((line.amount, line.taxable) for line in lines),
        tax_rate=tax_rate,
        freight=freight,
        deposit_applied=deposit,
    )
    assert totals.total == totals.subtotal + totals.tax_amount + freight - deposit
    assert totals.subtotal == sum((line.amount for line in lines), Decimal("0"))
    return policies.InvoiceParts(
        lines=lines,
        tax=totals.tax_amount,
        freight=totals.freight,
        deposit_applied=totals.deposit_applied,
        total=totals.total,
    )


def complete_mapping(parts: policies.InvoiceParts, policy: str) -> dict[str, policies.Account]:
    """Every category the invoice produces mapped; income categories share accounts by kind."""
    mapping = {}
    for category, _ in policies.categorize(parts, policy):
        code = category.key.split(":")[1] if ":" in category.key else category.key
        mapping[category.key] = policies.Account(code.upper()[:20], category.label)
    return mapping


@pytest.mark.parametrize("policy", DistributionPolicy.values)
@settings(max_examples=150, deadline=None)
@given(parts=invoices())
def test_every_policy_distributes_any_invoice_satisfactorily(
    policy: str, parts: policies.InvoiceParts
) -> None:
    distribution = policies.distribute(parts, policy, complete_mapping(parts, policy))
    amounts = [entry.amount for entry in distribution.entries]

    assert distribution.unmapped == ()
    assert policies.is_satisfactory(amounts, parts.total)
    assert policies.unbalanced_amount(amounts) == 0
    assert policies.undistributed_amount(amounts, parts.total) == 0
    receivable = [e for e in distribution.entries if e.account.code == "RECEIVABLE"]
    assert sum(e.amount for e in receivable) == parts.total


@pytest.mark.parametrize("policy", DistributionPolicy.values)
@settings(max_examples=60, deadline=None)
@given(parts=invoices())
def test_a_missing_mapping_leaves_the_distribution_unsatisfactory(
    policy: str, parts: policies.InvoiceParts
) -> None:
    assume(parts.lines[0].amount > 0)
    mapping = complete_mapping(parts, policy)
    income_key = policies.line_category(parts.lines[0], policy).key
    del mapping[income_key]

    distribution = policies.distribute(parts, policy, mapping)
    amounts = [entry.amount for entry in distribution.entries]

    assert [category.key for category, _ in distribution.unmapped] == [income_key]
    assert not policies.is_satisfactory(amounts, parts.total)


def test_tax_separation_splits_one_department_into_taxable_and_not() -> None:
    parts = policies.InvoiceParts(
        lines=(
            policies.LinePart(Decimal("100.00"), "labor", True, "CIVIL", "Civil"),
            policies.LinePart(Decimal("50.00"), "materials", False, "CIVIL", "Civil"),
        ),
        tax=Decimal("8.25"),
        freight=Decimal("0"),
        deposit_applied=Decimal("0"),
        total=Decimal("158.25"),
    )
    keys = {c.key: a for c, a in policies.categorize(parts, DistributionPolicy.DEPARTMENT_TAX)}
    assert keys == {
        "receivable": Decimal("158.25"),
        "dept:CIVIL:taxable": Decimal("-100.00"),
        "dept:CIVIL:nontaxable": Decimal("-50.00"),
        "tax": Decimal("-8.25"),
    }
    by_kind = {c.key for c, _ in policies.categorize(parts, DistributionPolicy.CATEGORY)}
    assert by_kind == {"receivable", "kind:labor", "kind:materials", "tax"}


def test_a_deposit_applied_is_debited_back_out_of_customer_deposits() -> None:
    parts = policies.InvoiceParts(
        lines=(policies.LinePart(Decimal("1000.00"), "fixed_price", False, "CIVIL", "Civil"),),
        tax=Decimal("0"),
        freight=Decimal("25.00"),
        deposit_applied=Decimal("300.00"),
        total=Decimal("725.00"),
    )
    amounts = {c.key: a for c, a in policies.categorize(parts, DistributionPolicy.DEPARTMENT)}
    assert amounts["deposit"] == Decimal("300.00")
    assert amounts["freight"] == Decimal("-25.00")
    assert amounts["receivable"] == Decimal("725.00")
    assert sum(amounts.values()) == 0


def test_satisfactory_needs_balance_and_full_distribution() -> None:
    total = Decimal("100.00")
    assert policies.is_satisfactory([Decimal("100.00"), Decimal("-100.00")], total)
    assert not policies.is_satisfactory([Decimal("100.00"), Decimal("-99.99")], total)
    assert not policies.is_satisfactory([Decimal("60.00"), Decimal("-60.00")], total)
    assert policies.undistributed_amount([Decimal("60.00"), Decimal("-60.00")], total) == 40
    assert not policies.is_satisfactory([], total)
    assert policies.is_satisfactory([], Decimal("0.00"))


def test_a_credit_must_be_fully_distributed_too() -> None:
    credit = Decimal("-50.00")
    assert not policies.is_satisfactory([], credit)
    assert not policies.is_satisfactory([Decimal("-20.00"), Decimal("20.00")], credit)
    assert policies.is_satisfactory([Decimal("-50.00"), Decimal("50.00")], credit)
