"""Every change to an invoice. One grep for `def invoice_` lists what can happen to one."""

from jobledger.invoicing.services.batches import UndoResult, invoices_process, process_batch_undo
from jobledger.invoicing.services.editing import (
    check_invoice_date,
    earliest_invoice_date,
    invoice_create,
    invoice_delete,
    invoice_set_accounting_reference,
    invoice_update,
    lock_invoice,
)
from jobledger.invoicing.services.lines import LineInput, line_input
from jobledger.invoicing.services.review import invoice_office_update
from jobledger.invoicing.services.stages import (
    invoice_approve,
    invoice_mark_paid,
    invoice_mark_unpaid,
    invoice_post,
    invoice_process,
    invoice_return_to_draft,
    invoice_submit,
    invoice_unprocess,
)

__all__ = [
    "LineInput",
    "UndoResult",
    "check_invoice_date",
    "earliest_invoice_date",
    "invoice_approve",
    "invoice_create",
    "invoice_delete",
    "invoice_mark_paid",
    "invoice_mark_unpaid",
    "invoice_office_update",
    "invoice_post",
    "invoice_process",
    "invoice_return_to_draft",
    "invoice_set_accounting_reference",
    "invoice_submit",
    "invoice_unprocess",
    "invoice_update",
    "invoices_process",
    "line_input",
    "lock_invoice",
    "process_batch_undo",
]
