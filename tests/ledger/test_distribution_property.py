"""Invoices made through the services: totals add up and every policy distributes them."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobledger.core.money import money_sum, round_money
from jobledger.invoicing.models import InvoicingPolicy, LineKind
from jobledger.invoicing.services import LineInput, invoice_create
from jobledger.ledger import policies
from jobledger.ledger.models import DistributionPolicy, DistributionStatus, GLAccount
from jobledger.ledger.selectors import distribution_summary
from jobledger.ledger.services import distribution_apply_policy, distribution_category_map
from tests.factories import DepartmentFactory, TaskFactory

KINDS = [LineKind.LABOR, LineKind.EQUIPMENT, LineKind.MATERIALS, LineKind.EXPENSES]

line_inputs = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.5"), max_value=Decimal("80"), places=3),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=4),
        st.booleans(),
        st.sampled_from(KINDS),
        st.integers(min_value=0, max_value=2),
    ),
    min_size=1,
    max_size=8,
)


@pytest.fixture
def mapped_chart(administrator, company):
    """Accounts for every category the three departments and four kinds can produce."""
    departments = [DepartmentFactory(code=c, name=c.title()) for c in ("CIVIL", "ELEC", "PAVE")]
    tasks = [TaskFactory(default_department=d) for d in departments]
    income = GLAccount.objects.create(code="4000", name="Contract income", type="income")
    fixed = {
        "receivable": GLAccount.objects.create(code="1100", name="A/R", type="asset"),
        "tax": GLAccount.objects.create(code="2100", name="Sales tax", type="liability"),
        "freight": GLAccount.objects.create(code="4800", name="Freight", type="income"),
        "deposit": GLAccount.objects.create(code="2200", name="Deposits", type="liability"),
    }
    keys: dict[str, GLAccount] = dict(fixed)
    for dept in departments:
        keys[f"dept:{dept.code}"] = income
        for tax in ("taxable", "nontaxable"):
            keys[f"dept:{dept.code}:{tax}"] = income
    for kind in KINDS:
        keys[f"kind:{kind}"] = income
        for tax in ("taxable", "nontaxable"):
            keys[f"kind:{kind}:{tax}"] = income
    for policy in DistributionPolicy.values:
        for key, account in keys.items():
            if key.startswith(("dept:", "kind:")) and (key.count(":") == 2) != policy.endswith(
                ("_tax", "_taxable")
            ):
                continue
            distribution_category_map(
                actor=administrator, policy=policy, key=key, label=key, account=account
            )
    return tasks


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=line_inputs,
    freight=st.decimals(min_value=0, max_value=Decimal("300"), places=2),
)
def test_service_invoices_add_up_and_every_policy_distributes_them(
    administrator, job, mapped_chart, rows, freight
) -> None:
    lines = [
        LineInput(kind=kind, description=f"Line {i}", quantity=qty, rate=rate, taxable=taxable,
                  task=mapped_chart[task])
        for i, (qty, rate, taxable, kind, task) in enumerate(rows)
    ]  # fmt: skip
    invoice = invoice_create(
        actor=administrator,
        job=job,
        policy=InvoicingPolicy.PROGRESS_ITEMIZED,
        invoice_date=job.created_at.date(),
        lines=lines,
        freight=freight,
    )

    stored = list(invoice.lines.all())
    assert invoice.subtotal == money_sum(line.amount for line in stored)
    assert invoice.total == invoice.subtotal + invoice.tax_amount + invoice.freight
    taxable = money_sum(line.amount for line in stored if line.taxable)
    assert invoice.tax_amount == round_money(taxable * invoice.tax_rate / 100)
    for policy in DistributionPolicy.values:
        distribution = distribution_apply_policy(
            actor=administrator, invoice=invoice, policy=policy
        )
        summary = distribution_summary(invoice)
        assert distribution.unmapped == ()
        assert summary.status == DistributionStatus.READY, policy
        assert policies.is_satisfactory([line.amount for line in summary.lines], invoice.total)
