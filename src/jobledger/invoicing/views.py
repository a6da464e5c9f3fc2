"""The invoice page: the invoice as the office checks it, and the administrator's actions
on it (Edit, Delete, Post). Back returns to the backlog the invoice was opened from.

The page shows the invoice's distribution status beside it, so this front door reads from
the ledger, above invoicing in the dependency order.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from jobledger.core.audit import events_for
from jobledger.core.models import CompanySettings
from jobledger.core.roles import ADMINISTRATOR, Actor, has_role, require_administrator
from jobledger.invoicing.errors import InvoiceError
from jobledger.invoicing.models import Invoice, Stage
from jobledger.invoicing.services import invoice_delete, invoice_office_update, invoice_post
from jobledger.jobs.models import DWR, ChargeKind, DWRLine
from jobledger.ledger.selectors import distribution_summary

PAGE = "invoicing/invoice_detail.html"


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    """The invoice, for an Administrator or the Project Manager of its job."""
    invoice = (
        Invoice.objects.select_related("customer", "job__project_manager", "created_by")
        .filter(pk=pk)
        .first()
    )
    if invoice is None:
        raise Http404("No such invoice.")
    own_job = invoice.job.project_manager_id == request.user.pk
    if not own_job:
        require_administrator(request.user, action="see invoices of other people's jobs")
    return invoice


def back_url(request: HttpRequest) -> str:
    """Where Back leads: the backlog, with the filters it was left with."""
    back = request.GET.get("back") or request.POST.get("back") or ""
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    )
    return back if safe else reverse("invoice_process_backlog")


def _with_back(url: str, back: str) -> str:
    return f"{url}?{urlencode({'back': back})}"


def page_context(request: HttpRequest, invoice: Invoice) -> dict[str, object]:
    lines = invoice.lines.select_related("dwr_line__dwr")
    batches = invoice.export_batches.defer("content").select_related("created_by")
    return {
        "invoice": invoice,
        "lines": list(lines),
        "dwrs": list(DWR.objects.filter(lines__invoice_lines__invoice=invoice).distinct()),
        "expenses": list(
            DWRLine.objects.filter(invoice_lines__invoice=invoice, kind=ChargeKind.EXPENSES)
        ),
        "distribution": distribution_summary(invoice),
        "batches": list(batches.order_by("-created_at")),
        "events": list(events_for(invoice)[:100]),
        "integration": CompanySettings.load().accounting_integration,
        "back": back_url(request),
        "is_admin": has_role(request.user, ADMINISTRATOR),
        "in_office": invoice.stage in (Stage.ADMIN, Stage.PROCESSED, Stage.PAID),
    }


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    return render(request, PAGE, page_context(request, invoice))


@login_required
@require_http_methods(["GET", "POST"])
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Accounting Reference, Processed and Paid, saved together."""
    actor = _actor(request)
    require_administrator(actor, action="process and export invoices")
    invoice = _invoice(request, pk)
    context = page_context(request, invoice) | {"editing": True}
    if request.method == "GET":
        return render(request, PAGE, context)
    data = request.POST
    try:
        invoice_office_update(
            actor=actor,
            invoice=invoice,
            accounting_reference=data.get("accounting_reference", ""),
            processed=data.get("processed") == "on",
            paid=data.get("paid") == "on",
        )
    except InvoiceError as error:
        context |= {"problem": error.message, "submitted": data}
        return render(request, PAGE, context, status=400)
    messages.success(request, f"{invoice} saved.")
    return redirect(_with_back(reverse("invoice_detail", args=[pk]), context["back"]))  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
def invoice_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes, or shows why it may not."""
    actor = _actor(request)
    invoice = _invoice(request, pk)
    context = page_context(request, invoice)
    if request.method == "GET":
        return render(request, PAGE, context | {"confirm_delete": True})
    try:
        invoice_delete(actor=actor, invoice=invoice)
    except InvoiceError as error:
        return render(request, PAGE, context | {"problem": error.message}, status=400)
    messages.success(request, f"{invoice} deleted.")
    return redirect(str(context["back"]))


@require_POST
@login_required
def invoice_post_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    invoice = _invoice(request, pk)
    try:
        invoice_post(actor=actor, invoice=invoice)
    except InvoiceError as error:
        context = page_context(request, invoice) | {"problem": error.message}
        return render(request, PAGE, context, status=400)
    messages.success(request, f"{invoice} posted: it can no longer be changed.")
    return redirect(_with_back(reverse("invoice_detail", args=[pk]), back_url(request)))


def _actor(request: HttpRequest) -> Actor:
    # login_required let only signed-in users this far; the services check the role.
    user = request.user
    assert isinstance(user, Actor)
    return user
