"""The export log: batches sent to accounting, their files, import confirmation, and the
customer export. Administrators only; every action also works as a plain form post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobledger.core.roles import Actor, require_administrator
from jobledger.exports import services
from jobledger.exports.errors import ExportError
from jobledger.exports.models import ExportBatch
from jobledger.exports.selectors import (
    BatchRow,
    batch_customers_page,
    batch_invoices_page,
    customer_formats,
    export_batch_row,
    export_log_page,
)

SEE = "see the export log"
PAGE = "exports/export_log.html"


@login_required
def export_log(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action=SEE)
    return render(request, PAGE, _log_context(request.GET.get("page")))


@login_required
def export_batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, action=SEE)
    row = _row(pk)
    context = {
        "row": row,
        "invoices": batch_invoices_page(row.batch, request.GET.get("page")),
        "customers": batch_customers_page(row.batch, request.GET.get("customers_page")),
    }
    return render(request, "exports/batch_detail.html", context)


@login_required
def export_batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's file, byte for byte as it was first written."""
    require_administrator(request.user, action="download export files")
    batch = ExportBatch.objects.filter(pk=pk).first()
    if batch is None:
        raise Http404("No such export batch.")
    response = HttpResponse(bytes(batch.content), content_type=batch.media_type)
    response["Content-Disposition"] = f'attachment; filename="{batch.file_name}"'
    response["Content-Length"] = str(len(batch.content))
    return response


@require_POST
@login_required
def export_batch_confirm_import(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, action="confirm imports into accounting")
    batch = _row(pk).batch
    try:
        services.export_batch_confirm_import(actor=_actor(request), batch=batch)
    except ExportError as error:
        problem = error.message
    else:
        problem = ""
    if request.htmx:  # type: ignore[attr-defined]
        context = {"row": _row(pk), "problem": problem}
        return render(request, f"{PAGE}#batch_row", context)
    if problem:
        messages.warning(request, problem)
    else:
        messages.success(request, f"Import of {batch.file_name} confirmed.")
    return redirect("export_log")


@require_POST
@login_required
def customer_export(request: HttpRequest) -> HttpResponse:
    try:
        batch = services.customer_export_create(
            actor=_actor(request),
            format_key=request.POST.get("format", ""),
            all_customers=request.POST.get("all_customers") == "on",
        )
    except ExportError as error:
        level, text = messages.WARNING, error.message
    else:
        count = batch.customers.count()
        level = messages.SUCCESS
        text = f"{count} customer{'s' if count != 1 else ''} exported to {batch.file_name}."
    if request.htmx:  # type: ignore[attr-defined]
        notice = {"level": "success" if level == messages.SUCCESS else "warning", "text": text}
        return render(request, f"{PAGE}#log_section", _log_context(1) | {"notice": notice})
    messages.add_message(request, level, text)
    return redirect("export_log")


def _log_context(page: str | int | None) -> dict[str, object]:
    found, rows = export_log_page(page)
    return {"page": found, "rows": rows, "customer_formats": customer_formats()}


def _row(pk: int) -> BatchRow:
    try:
        return export_batch_row(pk)
    except ExportBatch.DoesNotExist:
        raise Http404("No such export batch.") from None


def _actor(request: HttpRequest) -> Actor:
    # login_required let only signed-in users this far; the services check the role.
    user = request.user
    assert isinstance(user, Actor)
    return user
