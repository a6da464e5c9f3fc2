"""Distributing invoices to GL accounts: policies, manual lines, approval and who may do it."""

from decimal import Decimal

import pytest

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.invoicing.models import Invoice, InvoicingPolicy, LineKind
from jobledger.invoicing.services import LineInput, invoice_update
from jobledger.ledger.models import (
    DistributionCategory,
    DistributionLine,
    DistributionPolicy,
    DistributionStatus,
    GLAccount,
    LedgerSettings,
)
from jobledger.ledger.policies import Category
from jobledger.ledger.selectors import distribution_summary
from jobledger.ledger.services import (
    DistributionInput,
    distribution_apply_policy,
    distribution_approve,
    distribution_category_map,
    distribution_set_lines,
    distribution_unapprove,
)
from tests.factories import DepartmentFactory, TaskFactory, labor_line, make_admin_invoice

D = Decimal


@pytest.fixture
def invoice(project_manager, job) -> Invoice:
    """Eight hours at 85.00: a total of 680.00, nothing taxable."""
    return make_admin_invoice(actor=project_manager, job=job)


@pytest.fixture
def mixed_invoice(project_manager, job) -> Invoice:
    """Labor, taxed materials, freight and a deposit deducted: every part a policy sorts."""
    make_admin_invoice(
        actor=project_manager,
        job=job,
        policy=InvoicingPolicy.DEPOSIT,
        lines=[LineInput(kind=LineKind.DEPOSIT, description="Deposit", rate=D("200"))],
    )
    return make_admin_invoice(
        actor=project_manager,
        job=job,
        lines=[
            labor_line(),
            LineInput(kind=LineKind.MATERIALS, description="Rebar", rate=D("100"), taxable=True),
        ],
        freight=D("25.00"),
        deposit_applied=D("50.00"),
    )


def booked(invoice: Invoice) -> list[tuple[str, Decimal]]:
    return sorted(
        (line.account.code, line.amount)
        for line in DistributionLine.objects.filter(invoice=invoice).select_related("account")
    )


def approved(invoice: Invoice) -> bool:
    return Invoice.objects.get(pk=invoice.pk).is_distribution_approved


def manual(accounts, *rows: tuple[str, str]) -> list[DistributionInput]:
    return [DistributionInput(accounts[name], D(amount)) for name, amount in rows]


# Distribution by policy


def test_policy_with_every_category_mapped_gives_a_ready_distribution(
    administrator, mixed_invoice, category_mappings
) -> None:
    assert mixed_invoice.total == D("763.25")  # 680 + 100 + 8.25 tax + 25 freight - 50

    result = distribution_apply_policy(
        actor=administrator, invoice=mixed_invoice, policy=DistributionPolicy.CATEGORY
    )

    assert result.unmapped == ()
    assert booked(mixed_invoice) == [
        ("1200", D("763.25")),  # receivable: debit
        ("2200", D("-8.25")),  # sales tax: credit
        ("2300", D("50.00")),  # deposit applied: debited back out of customer deposits
        ("4000", D("-680.00")),
        ("4100", D("-100.00")),
        ("4900", D("-25.00")),
    ]
    summary = distribution_summary(mixed_invoice)
    assert (summary.status, summary.unbalanced, summary.undistributed) == (
        DistributionStatus.READY,
        D("0.00"),
        D("0.00"),
    )
    assert not approved(mixed_invoice)
    event = events_for(mixed_invoice).get(action="distribution by policy")
    assert (event.to_value, event.detail) == (DistributionPolicy.CATEGORY.label, "")


def test_category_without_account_leaves_distribution_not_ready_and_names_it(
    administrator, invoice, category_mappings
) -> None:
    DistributionCategory.objects.filter(key="kind:labor").update(account=None)

    result = distribution_apply_policy(
        actor=administrator, invoice=invoice, policy=DistributionPolicy.CATEGORY
    )

    assert result.unmapped == ((Category("kind:labor", "Labor"), D("-680.00")),)
    assert booked(invoice) == [("1200", D("680.00"))]
    summary = distribution_summary(invoice)
    assert (summary.status, summary.unbalanced, summary.undistributed) == (
        DistributionStatus.NOT_READY,
        D("680.00"),
        D("680.00"),
    )
    assert events_for(invoice).get(action="distribution by policy").detail == (
        "no account for Labor"
    )


def test_department_policy_books_each_line_to_its_default_task_department(
    administrator, project_manager, job, accounts
) -> None:
    electrical = DepartmentFactory(code="ELEC", name="Electrical")
    wiring = TaskFactory(default_department=electrical)
    invoice = make_admin_invoice(
        actor=project_manager,
        job=job,
        lines=[
            labor_line(),  # no task: the job's department
            LineInput(kind=LineKind.LABOR, description="Wiring", rate=D("120"), task=wiring),
        ],
    )
    civil_income = GLAccount.objects.create(code="4010", name="Civil income", type="income")
    for key, account in {
        "receivable": accounts["ar"],
        f"dept:{job.department.code}": civil_income,
        "dept:ELEC": accounts["labor"],
    }.items():
        distribution_category_map(
            actor=administrator,
            policy=DistributionPolicy.DEPARTMENT,
            key=key,
            label=key,
            account=account,
        )

    result = distribution_apply_policy(
        actor=administrator, invoice=invoice, policy=DistributionPolicy.DEPARTMENT
    )

    assert result.unmapped == ()
    assert booked(invoice) == [
        ("1200", D("800.00")),
        ("4000", D("-120.00")),
        ("4010", D("-680.00")),
    ]
    assert distribution_summary(invoice).status == DistributionStatus.READY


def test_taxable_separation_names_the_taxable_category_it_cannot_book(
    administrator, mixed_invoice, category_mappings
) -> None:
    for key, account in {
        "receivable": "ar",
        "tax": "tax",
        "freight": "freight",
        "deposit": "deposits",
        "kind:labor:nontaxable": "labor",
    }.items():
        DistributionCategory.objects.create(
            policy=DistributionPolicy.CATEGORY_TAXABLE,
            key=key,
            label=key,
            account=category_mappings[account],
        )

    result = distribution_apply_policy(
        actor=administrator, invoice=mixed_invoice, policy=DistributionPolicy.CATEGORY_TAXABLE
    )

    assert result.unmapped == (
        (Category("kind:materials:taxable", "Materials, Taxable"), D("-100.00")),
    )
    assert distribution_summary(mixed_invoice).status == DistributionStatus.NOT_READY


def test_disabled_policy_refused(refused, administrator, invoice, category_mappings) -> None:
    settings = LedgerSettings.load()
    settings.enabled_policies = [DistributionPolicy.CATEGORY.value]
    settings.save()

    with refused("That distribution policy is not enabled.", invoice):
        distribution_apply_policy(
            actor=administrator, invoice=invoice, policy=DistributionPolicy.DEPARTMENT
        )


# Manual lines and approval


def test_incomplete_manual_distribution_is_saved_with_its_figures(
    administrator, invoice, accounts
) -> None:
    distribution_set_lines(
        actor=administrator,
        invoice=invoice,
        lines=manual(accounts, ("ar", "680.00"), ("labor", "-600.00")),
        note="Split pending",
    )

    assert booked(invoice) == [("1200", D("680.00")), ("4000", D("-600.00"))]
    assert Invoice.objects.get(pk=invoice.pk).distribution_note == "Split pending"
    summary = distribution_summary(invoice)
    assert (summary.status, summary.unbalanced, summary.undistributed) == (
        DistributionStatus.NOT_READY,
        D("80.00"),
        D("80.00"),
    )
    assert events_for(invoice).get(action="distribution saved").to_value == "2 lines"


@pytest.mark.parametrize(
    ("rows", "figures"),
    [
        pytest.param(
            (("ar", "700.00"), ("labor", "-680.00")),
            "unbalanced 20.00, undistributed 0.00",
            id="does-not-sum-to-zero",
        ),
        pytest.param(
            (("ar", "600.00"), ("labor", "-600.00")),
            "unbalanced 0.00, undistributed 80.00",
            id="debits-short-of-total",
        ),
    ],
)
def test_unsatisfactory_distribution_cannot_be_approved(
    refused, administrator, invoice, accounts, rows, figures
) -> None:
    distribution_set_lines(actor=administrator, invoice=invoice, lines=manual(accounts, *rows))

    with refused(
        f"distribution is not satisfactory: amounts must sum to 0.00 and debits must "
        f"cover the total ({figures}).",
        invoice,
    ):
        distribution_approve(actor=administrator, invoice=invoice)


def test_empty_distribution_cannot_be_approved(refused, administrator, invoice) -> None:
    with refused("distribution is not satisfactory", invoice):
        distribution_approve(actor=administrator, invoice=invoice)


def test_satisfactory_distribution_is_approved(administrator, invoice, accounts) -> None:
    distribution_set_lines(
        actor=administrator,
        invoice=invoice,
        lines=manual(accounts, ("ar", "680.00"), ("labor", "-500.00"), ("materials", "-180.00")),
    )

    distribution_approve(actor=administrator, invoice=invoice)

    invoice.refresh_from_db()
    assert invoice.distribution_approved_by == administrator
    assert invoice.accounting_status == "Approved"
    assert distribution_summary(invoice).status == DistributionStatus.APPROVED
    assert events_for(invoice).first().action == "distribution approved"


def test_inactive_account_refused(refused, administrator, invoice, accounts) -> None:
    GLAccount.objects.filter(pk=accounts["labor"].pk).update(active=False)
    accounts["labor"].refresh_from_db()

    with refused("Line 2: account 4000 is inactive.", invoice):
        distribution_set_lines(
            actor=administrator,
            invoice=invoice,
            lines=manual(accounts, ("ar", "680.00"), ("labor", "-680.00")),
        )


def test_amount_with_more_than_two_decimals_refused(
    refused, administrator, invoice, accounts
) -> None:
    with refused("Line 1: amounts have at most two decimal places.", invoice):
        distribution_set_lines(
            actor=administrator,
            invoice=invoice,
            lines=manual(accounts, ("ar", "680.001"), ("labor", "-680.001")),
        )


# Any change withdraws the approval


def _set_lines(admin, invoice, accounts):
    distribution_set_lines(
        actor=admin,
        invoice=invoice,
        lines=manual(accounts, ("ar", "680.00"), ("materials", "-680.00")),
    )


def _apply_policy(admin, invoice, accounts):
    distribution_apply_policy(actor=admin, invoice=invoice, policy=DistributionPolicy.CATEGORY)


def _edit_invoice(admin, invoice, accounts):
    invoice_update(actor=admin, invoice=invoice, lines=[labor_line(hours="9")])


def _unapprove(admin, invoice, accounts):
    distribution_unapprove(actor=admin, invoice=invoice)


@pytest.mark.parametrize("change", [_set_lines, _apply_policy, _edit_invoice, _unapprove])
def test_any_change_withdraws_the_approval(
    administrator, invoice, category_mappings, change
) -> None:
    _set_lines(administrator, invoice, category_mappings)
    distribution_approve(actor=administrator, invoice=invoice)
    assert approved(invoice)

    change(administrator, invoice, category_mappings)

    assert not approved(invoice)
    assert Invoice.objects.get(pk=invoice.pk).distribution_approved_by is None


def test_unapprove_records_the_withdrawal(administrator, invoice, accounts) -> None:
    _set_lines(administrator, invoice, accounts)
    distribution_approve(actor=administrator, invoice=invoice)

    distribution_unapprove(actor=administrator, invoice=invoice)

    event = events_for(invoice).first()
    assert (event.action, event.from_value) == ("distribution unapproved", "Approved")


# Who may distribute, and when


def _approve(admin, invoice, accounts):
    distribution_approve(actor=admin, invoice=invoice)


DISTRIBUTION_ACTIONS = [
    pytest.param(_set_lines, id="set-lines"),
    pytest.param(_apply_policy, id="apply-policy"),
    pytest.param(_approve, id="approve"),
    pytest.param(_unapprove, id="unapprove"),
]


@pytest.mark.parametrize("action", DISTRIBUTION_ACTIONS)
@pytest.mark.parametrize("user", ["project_manager", "field_user"])
def test_only_administrators_distribute(
    refused, request, invoice, category_mappings, action, user
) -> None:
    with refused(
        "Only Administrators can distribute invoices to GL accounts.",
        invoice,
        error=PermissionRefused,
    ):
        action(request.getfixturevalue(user), invoice, category_mappings)


@pytest.mark.parametrize("action", DISTRIBUTION_ACTIONS)
def test_distribution_refused_when_accounting_integration_is_off(
    refused, company, administrator, invoice, category_mappings, action
) -> None:
    company.accounting_integration = False
    company.save()

    with refused("Invoice distribution is used only when accounting integration is on.", invoice):
        action(administrator, invoice, category_mappings)


def test_only_administrators_map_categories(refused, project_manager, accounts) -> None:
    with refused("Only Administrators can set up distribution policies.", error=PermissionRefused):
        distribution_category_map(
            actor=project_manager,
            policy=DistributionPolicy.CATEGORY,
            key="kind:labor",
            label="Labor",
            account=accounts["labor"],
        )


def test_mapping_for_an_unknown_policy_refused(refused, administrator, accounts) -> None:
    with refused("“by_mood” is not a distribution policy."):
        distribution_category_map(
            actor=administrator, policy="by_mood", key="x", label="X", account=accounts["ar"]
        )
