"""Exports large enough to run in the background, and the outcome every export ends in.

An export of a few hundred invoices is written while the person waits; a larger one goes
to a task worker, and the page polls the task until its outcome is ready. Both ways end in
the same `ExportOutcome`, kept as JSON in the task's result, so the page shows them alike.
"""

from collections.abc import Sequence
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django_tasks import task

from jobledger.exports.errors import ExportError
from jobledger.exports.services import AlreadyExported, ExportBlocked, export_batch_create

# More invoices than this are exported by a task worker.
INLINE_LIMIT = 500


class ExportOutcome(TypedDict, total=False):
    batch: int  # the batch written
    count: int  # invoices in it
    left_out: list[int]  # already exported, not included on purpose
    problems: dict[str, list[str]]  # invoice number → what keeps it out
    ready: int  # invoices that could go out were the others left behind
    error: str  # why nothing was written


def export_outcome(
    *,
    actor: User,
    format_key: str,
    invoice_ids: Sequence[int],
    prefix: str = "",
    note: str = "",
    include_already_exported: bool = False,
    only_ready: bool = False,
) -> ExportOutcome:
    """Export the invoices, or say why not: the problems per invoice when some cannot go out
    and the ready ones were not asked for alone."""
    try:
        result = export_batch_create(
            actor=actor,
            format_key=format_key,
            invoice_ids=invoice_ids,
            prefix=prefix,
            note=note,
            include_already_exported=include_already_exported,
            only_ready=only_ready,
        )
    except ExportBlocked as blocked:
        return {
            "problems": {str(n): list(m) for n, m in sorted(blocked.preflight.problems.items())},
            "ready": len(blocked.preflight.ready),
            "left_out": list(blocked.preflight.already_exported),
            "error": blocked.message,
        }
    except (AlreadyExported, ExportError) as error:
        return {"error": error.message}
    return {
        "batch": result.batch.pk,
        "count": result.batch.invoices.count(),
        "left_out": result.left_out_already_exported,
        "problems": {str(n): list(m) for n, m in sorted(result.problems.items())},
    }


@task()
def export_invoices_task(*, actor_id: int, **arguments: Any) -> ExportOutcome:
    """`export_outcome` on a worker, with the same arguments (the actor by id); the actor's
    role is checked again there."""
    return export_outcome(actor=User.objects.get(pk=actor_id), **arguments)
