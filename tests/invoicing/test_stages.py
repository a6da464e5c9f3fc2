"""Draft → PM Review → Admin → Processed → Paid, and posting, which locks an invoice for good."""

from decimal import Decimal

import pytest

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.invoicing.models import Invoice, Stage
from jobledger.invoicing.services import (
    invoice_approve,
    invoice_delete,
    invoice_mark_paid,
    invoice_mark_unpaid,
    invoice_post,
    invoice_process,
    invoice_return_to_draft,
    invoice_set_accounting_reference,
    invoice_submit,
    invoice_unprocess,
    invoice_update,
)
from jobledger.ledger.models import DistributionPolicy
from jobledger.ledger.services import (
    distribution_apply_policy,
    distribution_approve,
    distribution_set_lines,
    distribution_unapprove,
)
from tests.factories import labor_line, make_admin_invoice, make_invoice


@pytest.fixture
def draft(project_manager, job) -> Invoice:
    return make_invoice(actor=project_manager, job=job)


@pytest.fixture
def in_review(project_manager, draft) -> Invoice:
    return invoice_submit(actor=project_manager, invoice=draft)


@pytest.fixture
def admin_invoice(project_manager, job) -> Invoice:
    return make_admin_invoice(actor=project_manager, job=job)


@pytest.fixture
def processed(administrator, admin_invoice) -> Invoice:
    return invoice_process(actor=administrator, invoice=admin_invoice)


@pytest.fixture
def paid(administrator, processed) -> Invoice:
    return invoice_mark_paid(actor=administrator, invoice=processed)


@pytest.fixture
def exported_processed(administrator, admin_invoice, export) -> Invoice:
    export(admin_invoice)
    return invoice_process(actor=administrator, invoice=admin_invoice)


@pytest.fixture
def posted(administrator, exported_processed) -> Invoice:
    return invoice_post(actor=administrator, invoice=exported_processed)


def assert_moved(invoice: Invoice, stage: str, *, action: str, actor, before: str, after: str):
    invoice.refresh_from_db()
    assert invoice.stage == stage
    event = events_for(invoice).first()
    assert (event.action, event.actor, event.from_value, event.to_value) == (
        action,
        actor,
        before,
        after,
    )
    return event


# Submit: Draft → PM Review


def test_creator_submits_draft_for_pm_review(project_manager, draft) -> None:
    invoice_submit(actor=project_manager, invoice=draft)

    assert_moved(
        draft,
        Stage.PM_REVIEW,
        action="invoice submitted",
        actor=project_manager,
        before="Draft",
        after="PM Review",
    )


def test_job_manager_submits_draft_an_administrator_created(
    administrator, project_manager, job
) -> None:
    draft = make_invoice(actor=administrator, job=job)

    invoice_submit(actor=project_manager, invoice=draft)

    assert Invoice.objects.get(pk=draft.pk).stage == Stage.PM_REVIEW


def test_administrator_submits_a_managers_draft(administrator, draft) -> None:
    invoice_submit(actor=administrator, invoice=draft)

    assert Invoice.objects.get(pk=draft.pk).stage == Stage.PM_REVIEW


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("other_project_manager", "is managed by another Project Manager"),
        ("field_user", "Only Administrators or Project Managers can submit invoices."),
        ("outsider", "Only Administrators or Project Managers can submit invoices."),
    ],
)
def test_submit_refused_to_others(refused, request, draft, user, message) -> None:
    with refused(message, draft, error=PermissionRefused):
        invoice_submit(actor=request.getfixturevalue(user), invoice=draft)


def test_submit_refused_to_a_creator_who_no_longer_holds_a_role(
    refused, project_manager, draft
) -> None:
    project_manager.groups.clear()
    project_manager = type(project_manager).objects.get(pk=project_manager.pk)
    with refused("can submit invoices.", draft, error=PermissionRefused):
        invoice_submit(actor=project_manager, invoice=draft)


def test_submit_refused_unless_draft(refused, project_manager, in_review) -> None:
    with refused("is PM Review; it must be Draft to do that.", in_review):
        invoice_submit(actor=project_manager, invoice=in_review)


# Approve: PM Review → Admin


@pytest.mark.parametrize("user", ["project_manager", "administrator"])
def test_job_manager_or_administrator_approves_to_admin(request, in_review, user) -> None:
    actor = request.getfixturevalue(user)

    invoice_approve(actor=actor, invoice=in_review)

    assert_moved(
        in_review,
        Stage.ADMIN,
        action="invoice approved",
        actor=actor,
        before="PM Review",
        after="Admin",
    )


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("other_project_manager", "is managed by another Project Manager"),
        ("field_user", "Only Administrators or Project Managers can approve invoices."),
    ],
)
def test_approve_refused_to_others(refused, request, in_review, user, message) -> None:
    with refused(message, in_review, error=PermissionRefused):
        invoice_approve(actor=request.getfixturevalue(user), invoice=in_review)


def test_approve_refused_unless_in_pm_review(refused, project_manager, draft) -> None:
    with refused("is Draft; it must be PM Review to do that.", draft):
        invoice_approve(actor=project_manager, invoice=draft)


# Return to draft


def test_return_to_draft_needs_a_comment(refused, project_manager, in_review) -> None:
    with refused("Say what needs fixing when returning an invoice to draft.", in_review):
        invoice_return_to_draft(actor=project_manager, invoice=in_review, comment="  ")


def test_manager_returns_invoice_in_review_to_draft_with_comment(
    project_manager, in_review
) -> None:
    invoice_return_to_draft(actor=project_manager, invoice=in_review, comment="Wrong PO")

    event = assert_moved(
        in_review,
        Stage.DRAFT,
        action="invoice returned",
        actor=project_manager,
        before="PM Review",
        after="Draft",
    )
    assert event.detail == "Wrong PO"


def test_administrator_returns_admin_invoice_to_draft(administrator, admin_invoice) -> None:
    invoice_return_to_draft(actor=administrator, invoice=admin_invoice, comment="Missing DWR")

    assert Invoice.objects.get(pk=admin_invoice.pk).stage == Stage.DRAFT


def test_manager_cannot_return_an_invoice_the_office_holds(
    refused, project_manager, admin_invoice
) -> None:
    with refused("is with the office; ask an Administrator to return it.", admin_invoice):
        invoice_return_to_draft(actor=project_manager, invoice=admin_invoice, comment="Oops")


def test_exported_invoice_cannot_return_to_draft(
    refused, administrator, admin_invoice, export
) -> None:
    export(admin_invoice)

    with refused("has been exported; correct it with a Correction invoice.", admin_invoice):
        invoice_return_to_draft(actor=administrator, invoice=admin_invoice, comment="Redo")


def test_processed_invoice_cannot_return_to_draft(refused, administrator, processed) -> None:
    with refused("is Processed; it must be PM Review or Admin to do that.", processed):
        invoice_return_to_draft(actor=administrator, invoice=processed, comment="Redo")


# Process and unprocess


def test_administrator_processes_admin_invoice(administrator, admin_invoice) -> None:
    invoice_process(actor=administrator, invoice=admin_invoice)

    assert_moved(
        admin_invoice,
        Stage.PROCESSED,
        action="invoice processed",
        actor=administrator,
        before="Admin",
        after="Processed",
    )
    assert admin_invoice.processed_at is not None


def test_process_refused_unless_in_admin(refused, administrator, in_review) -> None:
    with refused("is PM Review; it must be Admin to do that.", in_review):
        invoice_process(actor=administrator, invoice=in_review)


@pytest.mark.parametrize("user", ["project_manager", "field_user", "outsider"])
def test_only_administrators_process(refused, request, admin_invoice, user) -> None:
    with refused(
        "Only Administrators can process and export invoices.",
        admin_invoice,
        error=PermissionRefused,
    ):
        invoice_process(actor=request.getfixturevalue(user), invoice=admin_invoice)


def test_unprocess_returns_invoice_to_admin(administrator, processed) -> None:
    invoice_unprocess(actor=administrator, invoice=processed)

    assert_moved(
        processed,
        Stage.ADMIN,
        action="invoice unprocessed",
        actor=administrator,
        before="Processed",
        after="Admin",
    )
    assert processed.processed_at is None


def test_unprocess_refused_unless_processed(refused, administrator, admin_invoice) -> None:
    with refused("is Admin; it must be Processed to do that.", admin_invoice):
        invoice_unprocess(actor=administrator, invoice=admin_invoice)


def test_unprocess_refused_when_paid(refused, administrator, paid) -> None:
    with refused("is paid; mark it unpaid before unchecking Processed.", paid):
        invoice_unprocess(actor=administrator, invoice=paid)


def test_unprocess_refused_when_posted(refused, administrator, posted) -> None:
    with refused("is posted and can no longer be changed", posted):
        invoice_unprocess(actor=administrator, invoice=posted)


def test_only_administrators_unprocess(refused, project_manager, processed) -> None:
    with refused(
        "Only Administrators can process and export invoices.", processed, error=PermissionRefused
    ):
        invoice_unprocess(actor=project_manager, invoice=processed)


# Paid and unpaid


def test_mark_paid_and_unpaid(administrator, processed) -> None:
    invoice_mark_paid(actor=administrator, invoice=processed)
    assert_moved(
        processed,
        Stage.PAID,
        action="invoice paid",
        actor=administrator,
        before="Processed",
        after="Paid",
    )
    assert processed.paid_at is not None

    invoice_mark_unpaid(actor=administrator, invoice=processed)
    assert_moved(
        processed,
        Stage.PROCESSED,
        action="invoice unpaid",
        actor=administrator,
        before="Paid",
        after="Processed",
    )
    assert processed.paid_at is None


def test_mark_paid_refused_unless_processed(refused, administrator, admin_invoice) -> None:
    with refused("is Admin; it must be Processed to do that.", admin_invoice):
        invoice_mark_paid(actor=administrator, invoice=admin_invoice)


def test_mark_unpaid_refused_unless_paid(refused, administrator, processed) -> None:
    with refused("is Processed; it must be Paid to do that.", processed):
        invoice_mark_unpaid(actor=administrator, invoice=processed)


@pytest.mark.parametrize("user", ["project_manager", "field_user"])
def test_only_administrators_mark_paid(refused, request, processed, user) -> None:
    with refused("Only Administrators can mark invoices paid.", processed, error=PermissionRefused):
        invoice_mark_paid(actor=request.getfixturevalue(user), invoice=processed)


# Posting


def test_post_needs_export_when_integration_is_on(refused, administrator, processed) -> None:
    with refused("has not been exported to accounting yet.", processed):
        invoice_post(actor=administrator, invoice=processed)


def test_post_needs_processing_even_when_exported(
    refused, administrator, admin_invoice, export
) -> None:
    export(admin_invoice)

    with refused("must be processed before it is posted.", admin_invoice):
        invoice_post(actor=administrator, invoice=admin_invoice)


def test_processed_exported_invoice_is_posted(administrator, exported_processed) -> None:
    invoice_post(actor=administrator, invoice=exported_processed)

    exported_processed.refresh_from_db()
    assert exported_processed.is_posted
    assert exported_processed.posted_by == administrator
    assert exported_processed.accounting_status == "Posted"
    event = events_for(exported_processed).first()
    assert (event.action, event.to_value) == ("invoice posted", "Posted")


def test_post_needs_only_processing_when_integration_is_off(
    company, administrator, processed
) -> None:
    company.accounting_integration = False
    company.save()

    invoice_post(actor=administrator, invoice=processed)

    assert Invoice.objects.get(pk=processed.pk).is_posted


def test_post_without_integration_still_needs_processing(
    refused, company, administrator, admin_invoice
) -> None:
    company.accounting_integration = False
    company.save()

    with refused("must be processed before it is posted.", admin_invoice):
        invoice_post(actor=administrator, invoice=admin_invoice)


def test_only_administrators_post(refused, project_manager, exported_processed) -> None:
    with refused(
        "Only Administrators can post invoices.", exported_processed, error=PermissionRefused
    ):
        invoice_post(actor=project_manager, invoice=exported_processed)


AFTER_POSTING = [
    pytest.param(lambda a, inv: invoice_update(actor=a, invoice=inv, notes="late"), id="edit"),
    pytest.param(
        lambda a, inv: invoice_update(actor=a, invoice=inv, lines=[labor_line(hours="9")]),
        id="edit-lines",
    ),
    pytest.param(lambda a, inv: invoice_unprocess(actor=a, invoice=inv), id="unprocess"),
    pytest.param(lambda a, inv: invoice_delete(actor=a, invoice=inv), id="delete"),
    pytest.param(lambda a, inv: invoice_post(actor=a, invoice=inv), id="post-again"),
    pytest.param(
        lambda a, inv: invoice_return_to_draft(actor=a, invoice=inv, comment="redo"),
        id="return-to-draft",
    ),
    pytest.param(
        lambda a, inv: invoice_set_accounting_reference(actor=a, invoice=inv, reference="QB-9"),
        id="accounting-reference",
    ),
    pytest.param(
        lambda a, inv: distribution_set_lines(actor=a, invoice=inv, lines=[]),
        id="distribution-lines",
    ),
    pytest.param(
        lambda a, inv: distribution_apply_policy(
            actor=a, invoice=inv, policy=DistributionPolicy.CATEGORY
        ),
        id="distribution-policy",
    ),
    pytest.param(lambda a, inv: distribution_approve(actor=a, invoice=inv), id="approve"),
    pytest.param(lambda a, inv: distribution_unapprove(actor=a, invoice=inv), id="unapprove"),
]


@pytest.mark.parametrize("action", AFTER_POSTING)
def test_posted_invoice_can_no_longer_change(refused, administrator, posted, action) -> None:
    with refused(
        f"Invoice {posted.number} is posted and can no longer be changed; issue a "
        "Correction invoice instead.",
        posted,
    ):
        action(administrator, posted)


def test_posted_invoice_can_still_be_marked_paid(administrator, posted) -> None:
    invoice_mark_paid(actor=administrator, invoice=posted)

    posted.refresh_from_db()
    assert (posted.stage, posted.is_posted) == (Stage.PAID, True)
    assert posted.total == Decimal("680.00")
