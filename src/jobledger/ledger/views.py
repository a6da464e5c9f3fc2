"""The Invoice Distribution page, its Distribution search entry, and the account look-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.models import Invoice
from jobledger.ledger.grid_form import GridRow, distribution_inputs, posted_rows
from jobledger.ledger.models import DistributionPolicy, DistributionStatus, LedgerSettings
from jobledger.ledger.selectors import (
    account_lookup,
    distribution_search,
    distribution_status_label,
    distribution_summary,
    policy_distribution,
)
from jobledger.ledger.services import ACTION, DistributionError, distribution_save

PAGE = "ledger/invoice_distribution.html"


@login_required
def distribution_search_page(request: HttpRequest) -> HttpResponse:
    """Please Select an Invoice: by job number, invoice number or customer code."""
    require_administrator(request.user, action=ACTION)
    _require_integration()
    text = request.GET.get("q", "")
    searched = "q" in request.GET
    page = distribution_search(text, request.GET.get("page")) if searched else None
    return render(
        request, "ledger/distribution_search.html", {"q": text, "page": page, "searched": searched}
    )


@login_required
def gl_account_lookup(request: HttpRequest) -> JsonResponse:
    """Accounts whose code begins with what was typed; `*` lists them all."""
    require_administrator(request.user, action=ACTION)
    found = account_lookup(request.GET.get("code", ""))
    return JsonResponse({"accounts": [{"code": a.code, "name": a.name} for a in found]})


@login_required
def invoice_distribution(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, action=ACTION)
    _require_integration()
    invoice = _invoice(pk)
    if invoice.is_posted:
        raise DistributionError(f"{invoice} is posted; its distribution can no longer change.")
    if request.method == "POST":
        return _save(request, invoice)
    policy = request.GET.get("policy", "")
    context = _context(invoice)
    if policy:
        context |= _redistributed(invoice, policy)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, f"{PAGE}#distribution_grid", context)
    return render(request, PAGE, context)


def _save(request: HttpRequest, invoice: Invoice) -> HttpResponse:
    approve = request.POST.get("approve") == "on"
    rows: list[GridRow] = []
    try:
        rows = posted_rows(request.POST)
        invoice = distribution_save(
            actor=_actor(request),
            invoice=invoice,
            lines=distribution_inputs(rows),
            note=request.POST.get("note", "").strip(),
            approve=approve,
            policy=request.POST.get("policy", ""),
        )
    except DistributionError as error:
        context = _context(invoice) | {
            "problem": error.message,
            "rows": rows,
            "note": request.POST.get("note", ""),
        }
        return render(request, PAGE, context, status=400)
    saved = "saved and approved" if invoice.is_distribution_approved else "saved"
    messages.success(request, f"The distribution of {invoice} is {saved}.")
    return redirect("invoice_distribution", pk=invoice.pk)


def _context(invoice: Invoice) -> dict[str, object]:
    summary = distribution_summary(invoice)
    rows = [
        GridRow(line.account.code, line.account.name, f"{line.amount:.2f}", line.memo)
        for line in summary.lines
    ]
    enabled = LedgerSettings.load().enabled_policies
    return {
        "invoice": invoice,
        "items": invoice.lines.select_related("task").order_by("position", "id"),
        "summary": summary,
        "status": distribution_status_label(invoice, summary),
        "can_approve": summary.status != DistributionStatus.NOT_READY,
        "rows": rows,
        "note": invoice.distribution_note,
        "policies": [p for p in DistributionPolicy if p.value in enabled],
        "policy": "",
    }


def _redistributed(invoice: Invoice, policy: str) -> dict[str, object]:
    if policy not in LedgerSettings.load().enabled_policies:
        return {"problem": "That distribution policy is not enabled."}
    found = policy_distribution(invoice, policy)
    rows = [
        GridRow(entry.account.code, entry.account.name, f"{entry.amount:.2f}", entry.memo)
        for entry in found.entries
    ]
    return {"rows": rows, "policy": policy, "unmapped": found.unmapped}


def _invoice(pk: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.select_related("job", "customer", "created_by", "corrects"), pk=pk
    )


def _require_integration() -> None:
    if not CompanySettings.load().accounting_integration:
        raise DistributionError(
            "Invoice distribution is used only when accounting integration is on; "
            "an Administrator turns it on in Accounting settings."
        )


def _actor(request: HttpRequest) -> Actor:
    user = request.user
    assert isinstance(user, Actor)
    return user
