"""Export Selected Invoices: the modal, the export (inline, or as a task when large) and the
outcome: the download, or the problems per invoice with the choice to export the ready ones.
"""

import json

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from jobledger.backlog.invoice_process import INVOICE_PROCESS
from jobledger.backlog.invoice_process_views import _admin, _modal
from jobledger.backlog.selection import Selection, read_selection
from jobledger.exports.formats import FORMATS
from jobledger.exports.formats.base import ExportFormat
from jobledger.exports.models import BatchKind, ExportBatch
from jobledger.exports.tasks import (
    INLINE_LIMIT,
    ExportOutcome,
    export_invoices_task,
    export_outcome,
)

MODAL = "backlog/invoice_process/export.html"
SHOWN_EXPORTED = 50  # invoices named in the "exported before" list; the rest are counted


def export_formats() -> list[ExportFormat]:
    """Every format of the registry; the generic CSV last, "for other systems"."""
    return sorted(FORMATS.values(), key=lambda fmt: fmt.key == "csv")


def default_format_key() -> str:
    """The format of the last invoice export, so a company's habit is the default."""
    last = ExportBatch.objects.filter(kind=BatchKind.INVOICES).values_list("format", flat=True)
    key = last.order_by("-created_at", "-id").first()
    return key if key in FORMATS else export_formats()[0].key


@login_required
@require_http_methods(["GET", "POST"])
def invoice_process_export(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    selection = read_selection(INVOICE_PROCESS, request)
    if request.method == "GET":
        return _modal(request, MODAL, _form_context(selection, default_format_key()))
    form = _ExportForm(request)
    if form.error:
        return _modal(request, MODAL, _form_context(selection, form.format_key, form=form))
    if selection.count > INLINE_LIMIT:
        result = export_invoices_task.enqueue(actor_id=actor.pk, **form.arguments(selection))
        if not result.is_finished:
            return _modal(request, MODAL, {"task_id": result.id, "selection": selection,
                                           "form": form, "part": "progress"})  # fmt: skip
        outcome = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
    else:
        outcome = export_outcome(actor=actor, **form.arguments(selection))
    return _outcome(request, selection, form, outcome)


@login_required
@require_GET
def invoice_process_export_progress(request: HttpRequest, task_id: str) -> HttpResponse:
    """The export task polled by the modal until its outcome is ready."""
    actor = _admin(request)
    try:
        result = export_invoices_task.get_result(task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError, ValueError):
        raise Http404("No such export.") from None
    if result.kwargs.get("actor_id") != actor.pk:
        raise Http404("No such export.")
    selection = read_selection(INVOICE_PROCESS, request)
    form = _ExportForm.from_task(result.kwargs)
    if not result.is_finished:
        context = {"task_id": task_id, "selection": selection, "form": form, "part": "progress",
                   "running": result.status == TaskResultStatus.RUNNING}  # fmt: skip
        return _modal(request, MODAL, context)
    outcome = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
    return _outcome(request, selection, form, outcome)


class _ExportForm:
    """The modal's fields, checked; `error` says what to correct."""

    def __init__(self, request: HttpRequest) -> None:
        data = request.POST
        self.format_key = data.get("format", "")
        self.prefix = data.get("prefix", "").strip()
        self.note = data.get("note", "").strip()
        self.include_already_exported = data.get("include_already_exported") == "on"
        self.only_ready = data.get("only_ready") == "1"
        self.error = ""
        if self.format_key not in FORMATS:
            self.error = "Choose the file format your accounting system imports."
        elif len(self.prefix) > 60:
            self.error = "The file name prefix can be at most 60 characters."

    @classmethod
    def from_task(cls, kwargs: dict) -> "_ExportForm":
        form = cls.__new__(cls)
        form.format_key = kwargs["format_key"]
        form.prefix, form.note = kwargs.get("prefix", ""), kwargs.get("note", "")
        form.include_already_exported = kwargs.get("include_already_exported", False)
        form.only_ready, form.error = kwargs.get("only_ready", False), ""
        return form

    def arguments(self, selection: Selection) -> dict:
        return {
            "format_key": self.format_key,
            "invoice_ids": list(selection.ids),
            "prefix": self.prefix,
            "note": self.note,
            "include_already_exported": self.include_already_exported,
            "only_ready": self.only_ready,
        }


def _form_context(
    selection: Selection, format_key: str, form: _ExportForm | None = None
) -> dict[str, object]:
    exported = selection.rows.filter(last_exported_at__isnull=False)
    shown = exported.order_by("number").prefetch_related(_batches())[:SHOWN_EXPORTED]
    return {
        "selection": selection,
        "formats": export_formats(),
        "format_key": format_key,
        "form": form,
        "exported_before": list(shown),
        "exported_count": exported.count(),
        "part": "form",
    }


def _batches() -> Prefetch:
    batches = ExportBatch.objects.defer("content").select_related("created_by")
    return Prefetch("export_batches", queryset=batches.order_by("-created_at"))


def _outcome(
    request: HttpRequest, selection: Selection, form: _ExportForm, outcome: ExportOutcome | None
) -> HttpResponse:
    outcome = outcome or {"error": "The export stopped unexpectedly; nothing was exported."}
    batch_id = outcome.get("batch")
    batch = ExportBatch.objects.defer("content").filter(pk=batch_id).first() if batch_id else None
    problems = [(int(number), messages) for number, messages in outcome.get("problems", {}).items()]
    context = {
        "selection": selection,
        "form": form,
        "outcome": outcome,
        "batch": batch,
        "problems": problems,
        "part": "outcome",
    }
    response = _modal(request, MODAL, context)
    if batch is not None and request.htmx:  # type: ignore[attr-defined]
        # The Exported column changes: the grid re-draws behind the modal.
        response["HX-Trigger"] = json.dumps({"grid-changed": True})
    return response
