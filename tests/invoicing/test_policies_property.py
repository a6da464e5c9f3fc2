"""Random job histories billed only through the invoicing policies: billed to date never
passes the suggested job price, the Complete invoice lands on it exactly, and every deposit
is deducted exactly once."""

import contextlib
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobledger.core.errors import DomainError
from jobledger.invoicing.job_billing import job_billing
from jobledger.invoicing.models import Invoice, InvoicingPolicy
from jobledger.jobs.models import BillingType
from jobledger.jobs.services import job_close
from tests.factories import JobFactory, approved_charge, approved_request, invoice_by_policy

P = InvoicingPolicy
percents = st.decimals(min_value=Decimal("1"), max_value=Decimal("60"), places=1)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("4000"), places=2)
steps = st.lists(
    st.one_of(
        st.tuples(st.just(P.DEPOSIT), st.sampled_from(["percent", "amount"]), percents, amounts),
        st.tuples(
            st.just(P.PROGRESS_SUMMARY), st.sampled_from(["percent", "amount"]), percents, amounts
        ),
        st.tuples(
            st.just(P.PROGRESS_ITEMIZED), st.sampled_from(["percent", "items"]), percents, amounts
        ),
        st.tuples(st.just(P.PROGRESS_ITEMIZED_GROUPED), st.just("amount"), percents, amounts),
        # A new approved charge, or on a fixed-price job a new approved fixed-price request.
        st.tuples(st.just("charge"), st.just(""), percents, amounts),
    ),
    max_size=8,
)


def _choice(how: str, percent: Decimal, amount: Decimal) -> dict[str, Decimal]:
    """Bill a percent, an amount, or (for "items") the unbilled charges and requests."""
    if how == "percent":
        return {"percent": percent}
    if how == "amount":
        return {"amount": amount}
    return {}


def _check_invariants(job) -> None:  # type: ignore[no-untyped-def]
    billing = job_billing(job)
    assert billing.invoiced_to_date <= billing.suggested_price
    assert 0 <= billing.deposits_applied <= billing.deposits_received
    assert billing.deposit_balance <= billing.remaining_to_bill


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=steps, fixed_price=st.booleans(), grouped_final=st.booleans())
def test_policies_never_overbill_and_deduct_deposits_once(
    project_manager, company, history, fixed_price, grouped_final
) -> None:
    job = JobFactory(
        project_manager=project_manager,
        billing_type=BillingType.FIXED_PRICE if fixed_price else BillingType.TIME_AND_MATERIALS,
        contract_price=Decimal("9000.00") if fixed_price else Decimal("0"),
    )
    approved_charge(job, quantity="10", rate="85.00")
    for policy, how, percent, amount in history:
        if policy == "charge" and fixed_price:
            approved_request(job, amount=str(amount))
            continue
        if policy == "charge":
            approved_charge(job, kind="materials", quantity="1", rate=str(amount))
            continue
        # A refusal (say, more than remains to bill) writes nothing; the history goes on.
        with contextlib.suppress(DomainError):
            invoice_by_policy(
                actor=project_manager, job=job, policy=policy, **_choice(how, percent, amount)
            )
        _check_invariants(job)

    job_close(actor=project_manager, job=job)
    final_policy = P.COMPLETE_GROUPED if grouped_final else P.COMPLETE
    final = invoice_by_policy(actor=project_manager, job=job, policy=final_policy)
    billing = job_billing(job)
    assert final.total >= 0
    assert billing.invoiced_to_date == billing.suggested_price
    invoices = Invoice.objects.filter(job=job)
    assert sum(i.deposit_applied for i in invoices) == billing.deposits_received
    assert all(item.is_invoiced for item in billing.invoiceables)
