"""Post Invoices, Invoice Find (with its CSV) and the Invoice Journal (screen, CSV, PDF)."""

import csv
import datetime
import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from jobledger.core.errors import DomainError
from jobledger.core.models import CompanySettings
from jobledger.core.money import parse_money
from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.models import Invoice, InvoiceType, InvoicingPolicy, Stage
from jobledger.ledger.journal_files import journal_csv, journal_pdf, spreadsheet_cell
from jobledger.ledger.posting import invoices_post
from jobledger.ledger.reports import (
    ACCOUNTING_STATUSES,
    FindFilters,
    invoice_find,
    invoice_journal,
    postable_invoices,
)
from jobledger.ledger.services import DistributionError

PAGE_SIZE = 50
CSV_HEADER = [
    "Invoice", "Invoice date", "Customer", "Job", "Type", "Policy", "Stage",
    "Accounting status", "Total",
]  # fmt: skip


@login_required
def post_invoices(request: HttpRequest) -> HttpResponse:
    """Choose exported invoices, confirm, post: they are locked for good."""
    require_administrator(request.user, action="post invoices")
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("invoice") if value.isdigit()]
        if request.POST.get("confirmed") != "yes":
            chosen = Invoice.objects.filter(pk__in=ids).select_related("customer", "job")
            return render(request, "ledger/post_confirm.html", {"invoices": chosen})
        try:
            posted = invoices_post(actor=_actor(request), invoice_ids=ids)
        except DomainError as error:
            messages.warning(request, f"Nothing was posted. {error.message}")
        else:
            messages.success(request, f"{len(posted)} invoice{'s'[: len(posted) != 1]} posted.")
        return redirect("post_invoices")
    filters = _find_filters(request.GET, for_posting=True)
    invoices = postable_invoices(filters)
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": request.GET, "query": _query(request.GET)}
    return render(request, "ledger/post_invoices.html", context)


@login_required
def invoice_find_page(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action="find invoices")
    try:
        filters = _find_filters(request.GET)
    except DomainError as error:
        filters, problem = FindFilters(), error.message
    else:
        problem = ""
    invoices = invoice_find(filters)
    if request.GET.get("format") == "csv" and not problem:
        return _find_csv(invoices)
    context = {
        "page": Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": request.GET,
        "query": _query(request.GET),
        "problem": problem,
        "types": InvoiceType.choices,
        "policies": InvoicingPolicy.choices,
        "stages": Stage.choices,
        "statuses": ACCOUNTING_STATUSES,
        "integration": CompanySettings.load().accounting_integration,
    }
    return render(request, "ledger/invoice_find.html", context)


@login_required
def invoice_journal_page(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action="see the invoice journal")
    today = timezone.localdate()
    try:
        date_from = _date(request.GET.get("from", ""), "From") or today.replace(day=1)
        date_to = _date(request.GET.get("to", ""), "To") or today
        if date_from > date_to:
            raise DistributionError("The From date must be on or before the To date.")
    except DomainError as error:
        date_from, date_to, problem = today.replace(day=1), today, error.message
    else:
        problem = ""
    journal = invoice_journal(date_from, date_to)
    stem = f"invoice-journal-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if request.GET.get("format") == "csv" and not problem:
        return _download(journal_csv(journal), f"{stem}.csv", "text/csv")
    if request.GET.get("format") == "pdf" and not problem:
        pdf = journal_pdf(journal, CompanySettings.load().name)
        return _download(pdf, f"{stem}.pdf", "application/pdf")
    context = {"journal": journal, "problem": problem, "query": _query(request.GET)}
    return render(request, "ledger/invoice_journal.html", context)


def _find_filters(data: QueryDict, *, for_posting: bool = False) -> FindFilters:
    number = data.get("number", "").strip()
    if number and not number.isdigit():
        raise DistributionError("The invoice number is a whole number.")
    return FindFilters(
        number=int(number) if number else None,
        job=data.get("job", ""),
        customer=data.get("customer", ""),
        date_from=_date(data.get("from", ""), "From"),
        date_to=_date(data.get("to", ""), "To"),
        type="" if for_posting else data.get("type", ""),
        policy="" if for_posting else data.get("policy", ""),
        stage="" if for_posting else data.get("stage", ""),
        accounting_status="" if for_posting else data.get("accounting_status", ""),
        amount_from=_amount(data.get("amount_from", ""), "Amount from"),
        amount_to=_amount(data.get("amount_to", ""), "Amount to"),
        project_manager=data.get("project_manager", ""),
    )


def _date(text: str, label: str) -> datetime.date | None:
    if not text.strip():
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise DistributionError(f"{label}: “{text}” is not a date.") from None


def _amount(text: str, label: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_money(text)
    except ValueError as error:
        raise DistributionError(f"{label}: {error}") from None


def _find_csv(invoices: QuerySet[Invoice]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for invoice in invoices.iterator(chunk_size=1000):
        writer.writerow(
            [
                invoice.number,
                invoice.invoice_date.isoformat(),
                spreadsheet_cell(invoice.customer.code),
                spreadsheet_cell(invoice.job.number),
                invoice.get_type_display(),
                invoice.get_policy_display(),
                invoice.get_stage_display(),
                invoice.accounting_status,
                f"{invoice.total:.2f}",
            ]
        )
    return _download(out.getvalue().encode("utf-8"), "invoices.csv", "text/csv")


def _download(content: bytes, name: str, media_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _query(data: QueryDict) -> str:
    kept = data.copy()
    for name in ("page", "format"):
        kept.pop(name, None)
    return kept.urlencode()


def _actor(request: HttpRequest) -> Actor:
    user = request.user
    assert isinstance(user, Actor)
    return user
