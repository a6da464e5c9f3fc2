"""Post Invoices: many exported invoices locked for good, in one transaction."""

from collections.abc import Sequence

from django.db import transaction

from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.models import Invoice
from jobledger.invoicing.services import invoice_post
from jobledger.ledger.services import DistributionError


@transaction.atomic
def invoices_post(*, actor: Actor, invoice_ids: Sequence[int]) -> list[Invoice]:
    """Post every chosen invoice, or none of them if one may not be posted."""
    require_administrator(actor, action="post invoices")
    if not invoice_ids:
        raise DistributionError("Choose at least one invoice to post.")
    invoices = list(Invoice.objects.filter(pk__in=invoice_ids).order_by("number"))
    if len(invoices) != len(set(invoice_ids)):
        raise DistributionError("Some of the chosen invoices no longer exist.")
    return [invoice_post(actor=actor, invoice=invoice) for invoice in invoices]
