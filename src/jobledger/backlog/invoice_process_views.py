"""The Invoice Process Backlog: the grid, the row details, and the bulk actions.

Administrators only. Each action is a GET that fills the modal (the form, or the
confirmation with the count) and a POST that acts. Under htmx a successful POST re-draws
the grid in place; as a plain form post it redirects back to the grid.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from jobledger.backlog.grid import grid_page, parse_state
from jobledger.backlog.invoice_process import INVOICE_PROCESS, invoice_details
from jobledger.backlog.selection import Selection, read_selection
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.documents.errors import DocumentError
from jobledger.documents.services import document_job_start
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import Invoice
from jobledger.invoicing.selectors import undoable_process_batch
from jobledger.invoicing.services import invoices_process, process_batch_undo
from jobledger.invoicing.services.batches import skip_reason

ACTION = "process and export invoices"
PAGE = "backlog/invoice_process/page.html"
GRID_UPDATE = "backlog/grid.html#grid_update"
CONFIRM = "backlog/invoice_process/confirm.html"
PDFS = "backlog/invoice_process/pdfs.html"


def _admin(request: HttpRequest) -> Actor:
    require_administrator(request.user, action=ACTION)
    user = request.user
    assert isinstance(user, Actor)
    return user


@login_required
def invoice_process_backlog(request: HttpRequest) -> HttpResponse:
    _admin(request)
    # A history restore asks for the whole page, since htmx's own copy was not kept.
    htmx = request.htmx  # type: ignore[attr-defined]
    template = GRID_UPDATE if htmx and not htmx.history_restore_request else PAGE
    return render(request, template, grid_context(request, state_query=request.GET.urlencode()))


def grid_context(request: HttpRequest, *, state_query: str, notice: str = "") -> dict:
    """Everything the grid shows for the state in `state_query`."""
    state = parse_state(INVOICE_PROCESS, QueryDict(state_query))
    return {
        "grid": grid_page(INVOICE_PROCESS, state, request.user),
        "undo_batch": undoable_process_batch(),
        "integration": CompanySettings.load().accounting_integration,
        "notice": notice,
    }


@login_required
def invoice_process_details(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    try:
        details = invoice_details(pk)
    except Invoice.DoesNotExist:
        raise Http404("No such invoice in the backlog.") from None
    return render(request, "backlog/invoice_process/details.html", {"details": details})


@login_required
@require_http_methods(["GET", "POST"])
def invoice_process_process(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    selection = read_selection(INVOICE_PROCESS, request)
    if request.method == "GET":
        return _modal(request, CONFIRM, {"selection": selection, "action": "process"})
    try:
        batch = invoices_process(actor=actor, invoice_ids=selection.ids)
    except InvoiceError as error:
        context = {"selection": selection, "action": "process", "problem": error.message}
        return _modal(request, CONFIRM, context)
    count = batch.invoices.count()
    done = f"{count} invoice{'s' if count != 1 else ''} processed."
    return _done(request, selection, done)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_process_undo(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    selection = read_selection(INVOICE_PROCESS, request)
    if request.method == "GET":
        context = {"selection": selection, "action": "undo", "batch": undoable_process_batch()}
        return _modal(request, CONFIRM, context)
    try:
        result = process_batch_undo(actor=actor)
    except InvoiceError as error:
        return _done(request, selection, error.message)
    count = len(result.reverted)
    done = f"{count} invoice{'s' if count != 1 else ''} returned to the Admin tab."
    if result.skipped:
        skipped = "; ".join(f"{inv} ({skip_reason(inv)})" for inv in result.skipped)
        done += f" Skipped: {skipped}."
    return _done(request, selection, done)


@require_POST
@login_required
def invoice_process_pdfs(request: HttpRequest) -> HttpResponse:
    """One zip of the selected invoices' PDFs: made at once when few, else by a task whose
    progress the modal shows until the download is ready."""
    actor = _admin(request)
    selection = read_selection(INVOICE_PROCESS, request)
    try:
        job = document_job_start(actor, selection.rows, "zip")
    except DocumentError as error:
        return _modal(request, PDFS, {"selection": selection, "problem": error.message})
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("document_job", pk=job.pk)
    return _modal(request, PDFS, {"selection": selection, "job": job})


def _modal(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The modal's content under htmx; on its own page otherwise."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, f"{template}#modal", context)
    return render(request, template, context)


def _done(request: HttpRequest, selection: Selection, notice: str) -> HttpResponse:
    """After an action: the grid re-drawn in place (and the modal closed), or back to it."""
    if not request.htmx:  # type: ignore[attr-defined]
        messages.info(request, notice)
        return redirect(f"{reverse('invoice_process_backlog')}?{selection.state_query}")
    context = grid_context(request, state_query=selection.state_query, notice=notice)
    response = render(request, GRID_UPDATE, context)
    response["HX-Retarget"] = "#grid-results"
    response["HX-Reswap"] = "innerHTML"
    response["HX-Trigger"] = json.dumps({"grid-modal-close": True})
    return response
