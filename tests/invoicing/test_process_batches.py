"""Processing a selection as one batch, and "Undo Last Process Batch"."""

import pytest

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.core.models import AuditEvent
from jobledger.invoicing.models import Invoice, ProcessBatch, Stage
from jobledger.invoicing.selectors import undoable_process_batch
from jobledger.invoicing.services import (
    invoice_mark_paid,
    invoice_post,
    invoice_unprocess,
    invoices_process,
    process_batch_undo,
)
from jobledger.invoicing.services.batches import skip_reason
from tests.factories import make_admin_invoice, make_invoice


@pytest.fixture
def admin_invoices(project_manager, job) -> list[Invoice]:
    return [make_admin_invoice(actor=project_manager, job=job) for _ in range(3)]


def stages(invoices: list[Invoice]) -> list[str]:
    return [Invoice.objects.get(pk=invoice.pk).stage for invoice in invoices]


def ids(invoices: list[Invoice]) -> list[int]:
    return [invoice.pk for invoice in invoices]


# Processing


def test_selection_is_processed_as_one_batch(administrator, admin_invoices) -> None:
    batch = invoices_process(actor=administrator, invoice_ids=ids(admin_invoices))

    assert stages(admin_invoices) == [Stage.PROCESSED] * 3
    assert all(Invoice.objects.get(pk=inv.pk).processed_at for inv in admin_invoices)
    assert set(batch.invoices.all()) == set(admin_invoices)
    assert batch.created_by == administrator
    for invoice in admin_invoices:
        event = events_for(invoice).first()
        assert (event.action, event.from_value, event.to_value) == (
            "invoice processed",
            "Admin",
            "Processed",
        )
        assert event.detail == f"Process batch {batch.pk}"


@pytest.mark.parametrize("straggler_stage", ["draft", "processed"])
def test_nothing_is_processed_when_one_invoice_is_not_in_admin(
    refused, administrator, project_manager, job, admin_invoices, straggler_stage
) -> None:
    if straggler_stage == "draft":
        straggler = make_invoice(actor=project_manager, job=job)
    else:
        straggler = make_admin_invoice(actor=project_manager, job=job)
        invoices_process(actor=administrator, invoice_ids=[straggler.pk])

    with refused(
        f"Invoice {straggler.number} is no longer in the Admin tab", straggler, *admin_invoices
    ):
        invoices_process(actor=administrator, invoice_ids=[*ids(admin_invoices), straggler.pk])

    assert stages(admin_invoices) == [Stage.ADMIN] * 3


def test_empty_selection_refused(refused, administrator, admin_invoices) -> None:
    with refused("Select at least one invoice to process.", *admin_invoices):
        invoices_process(actor=administrator, invoice_ids=[])


def test_selection_with_a_vanished_invoice_refused(refused, administrator, admin_invoices) -> None:
    missing = max(ids(admin_invoices)) + 1000

    with refused(
        "Some of the selected invoices no longer exist; nothing was processed.", *admin_invoices
    ):
        invoices_process(actor=administrator, invoice_ids=[*ids(admin_invoices), missing])


@pytest.mark.parametrize("user", ["project_manager", "field_user", "outsider"])
def test_only_administrators_process_batches(refused, request, admin_invoices, user) -> None:
    with refused(
        "Only Administrators can process and export invoices.",
        *admin_invoices,
        error=PermissionRefused,
    ):
        invoices_process(actor=request.getfixturevalue(user), invoice_ids=ids(admin_invoices))


# Undo


def test_nothing_to_undo_when_no_batch_exists(refused, administrator) -> None:
    assert undoable_process_batch() is None

    with refused("There is no process batch to undo."):
        process_batch_undo(actor=administrator)


def test_undo_reverts_the_newest_batch_only(administrator, admin_invoices) -> None:
    first = invoices_process(actor=administrator, invoice_ids=ids(admin_invoices[:2]))
    second = invoices_process(actor=administrator, invoice_ids=ids(admin_invoices[2:]))
    assert undoable_process_batch() == second

    result = process_batch_undo(actor=administrator)

    assert result.batch == second
    assert result.reverted == [admin_invoices[2]]
    assert result.skipped == []
    assert stages(admin_invoices) == [Stage.PROCESSED, Stage.PROCESSED, Stage.ADMIN]
    assert Invoice.objects.get(pk=admin_invoices[2].pk).processed_at is None
    second.refresh_from_db()
    assert (second.undone_by, second.undone_at is not None) == (administrator, True)
    assert ProcessBatch.objects.get(pk=first.pk).undone_at is None
    event = events_for(admin_invoices[2]).first()
    assert (event.action, event.from_value, event.to_value) == (
        "invoice unprocessed",
        "Processed",
        "Admin",
    )


def test_second_undo_takes_the_previous_batch_then_nothing_is_left(
    refused, administrator, admin_invoices
) -> None:
    first = invoices_process(actor=administrator, invoice_ids=ids(admin_invoices[:2]))
    invoices_process(actor=administrator, invoice_ids=ids(admin_invoices[2:]))
    process_batch_undo(actor=administrator)
    assert undoable_process_batch() == first

    result = process_batch_undo(actor=administrator)

    assert result.batch == first
    assert stages(admin_invoices) == [Stage.ADMIN] * 3
    assert undoable_process_batch() is None
    with refused("There is no process batch to undo.", *admin_invoices):
        process_batch_undo(actor=administrator)


def test_undo_skips_and_names_invoices_since_paid_or_posted(
    company, administrator, admin_invoices
) -> None:
    company.accounting_integration = False  # so posting needs no export
    company.save()
    paid, posted, plain = admin_invoices
    batch = invoices_process(actor=administrator, invoice_ids=ids(admin_invoices))
    invoice_mark_paid(actor=administrator, invoice=paid)
    invoice_post(actor=administrator, invoice=posted)

    result = process_batch_undo(actor=administrator)

    assert result.reverted == [plain]
    assert result.skipped == [paid, posted]
    assert stages(admin_invoices) == [Stage.PAID, Stage.PROCESSED, Stage.ADMIN]
    assert Invoice.objects.get(pk=posted.pk).is_posted
    event = AuditEvent.objects.get(action="process batch undone", subject_id=batch.pk)
    assert event.detail == (
        f"Skipped Invoice {paid.number} (paid since); "
        f"Skipped Invoice {posted.number} (posted since)"
    )


@pytest.mark.parametrize("user", ["project_manager", "field_user"])
def test_only_administrators_undo_a_batch(refused, request, administrator, admin_invoices, user):
    batch = invoices_process(actor=administrator, invoice_ids=ids(admin_invoices))

    with refused(
        "Only Administrators can process and export invoices.",
        batch,
        *admin_invoices,
        error=PermissionRefused,
    ):
        process_batch_undo(actor=request.getfixturevalue(user))


def test_undo_names_an_invoice_unprocessed_by_hand_as_already_back_in_admin(
    administrator, job
) -> None:
    invoice = make_admin_invoice(actor=administrator, job=job)
    invoices_process(actor=administrator, invoice_ids=[invoice.pk])
    invoice_unprocess(actor=administrator, invoice=invoice)

    result = process_batch_undo(actor=administrator)

    assert result.reverted == []
    assert [skip_reason(inv) for inv in result.skipped] == ["already Admin"]
