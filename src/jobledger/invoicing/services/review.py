"""The administrator's Edit of an invoice in the office: accounting reference, Processed
and Paid saved together, so one Save either takes whole or changes nothing."""

from collections.abc import Callable

from django.db import transaction

from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import Invoice, Stage
from jobledger.invoicing.services.editing import invoice_set_accounting_reference
from jobledger.invoicing.services.stages import (
    invoice_mark_paid,
    invoice_mark_unpaid,
    invoice_process,
    invoice_unprocess,
)

OFFICE_STAGES = (Stage.ADMIN, Stage.PROCESSED, Stage.PAID)


@transaction.atomic
def invoice_office_update(
    *, actor: Actor, invoice: Invoice, accounting_reference: str, processed: bool, paid: bool
) -> Invoice:
    """Record the accounting reference and move the invoice to where Processed and Paid put
    it: unchecking Processed returns it to the Admin tab, checking Paid moves it to Paid."""
    require_administrator(actor, action="process and export invoices")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.stage not in OFFICE_STAGES:
        raise InvoiceError(
            f"{invoice} is {invoice.get_stage_display()}; it reaches the office once its "
            "Project Manager approves it."
        )
    if paid and not processed:
        raise InvoiceError("An invoice must be Processed to be Paid; check Processed too.")
    if accounting_reference.strip() != invoice.accounting_reference:
        invoice = invoice_set_accounting_reference(
            actor=actor, invoice=invoice, reference=accounting_reference
        )
    target = Stage.PAID if paid else Stage.PROCESSED if processed else Stage.ADMIN
    for step in _steps(Stage(invoice.stage), target):
        invoice = step(actor=actor, invoice=invoice)
    return invoice


def _steps(current: Stage, target: Stage) -> list[Callable[..., Invoice]]:
    """The stage services that lead from `current` to `target`, in order."""
    order = list(OFFICE_STAGES)
    forward = (invoice_process, invoice_mark_paid)
    backward = (invoice_unprocess, invoice_mark_unpaid)
    here, there = order.index(current), order.index(target)
    if there > here:
        return list(forward[here:there])
    return list(reversed(backward[there:here]))
