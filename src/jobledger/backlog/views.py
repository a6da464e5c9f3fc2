"""The dashboard and the backlogs still to come: until a backlog lands, its route shows what
it will do. The Invoice Process Backlog has views of its own."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobledger.backlog.selectors import dashboard_summary


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    summary = dashboard_summary(request.user)
    return render(request, "backlog/dashboard.html", {"summary": summary})


def _coming(request: HttpRequest, title: str, purpose: str, audience: str = "") -> HttpResponse:
    context = {"title": title, "purpose": purpose, "audience": audience}
    return render(request, "core/coming.html", context)


@login_required
def dwr_approval_backlog(request: HttpRequest) -> HttpResponse:
    return _coming(
        request,
        "DWR Approval Backlog",
        "Review the daily work reports that crews have submitted and approve them for billing.",
        audience="Project Managers and Administrators",
    )


@login_required
def dwr_invoice_backlog(request: HttpRequest) -> HttpResponse:
    return _coming(
        request,
        "DWR Invoice Backlog",
        "Turn approved daily work reports and fixed-price requests into invoices.",
        audience="Project Managers and Administrators",
    )


@login_required
def pm_review(request: HttpRequest) -> HttpResponse:
    return _coming(
        request,
        "PM Review",
        "Review draft invoices for the jobs you manage and send them on to the administrator.",
        audience="Project Managers and Administrators",
    )
