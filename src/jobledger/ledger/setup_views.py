"""Administrator set-up pages: invoice backdating, accounting integration and the enabled
distribution policies, GL accounts, and each policy's category → account mapping."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from jobledger.core.errors import DomainError
from jobledger.core.models import CompanySettings
from jobledger.core.roles import Actor, require_administrator
from jobledger.invoicing.services.invoice_dates import invoice_dates_set
from jobledger.ledger.models import AccountType, DistributionPolicy, GLAccount, LedgerSettings
from jobledger.ledger.selectors import category_mapping_rows
from jobledger.ledger.setup import (
    SET_UP,
    accounting_settings_set,
    distribution_categories_map,
    gl_account_save,
)


@login_required
def invoice_date_settings(request: HttpRequest) -> HttpResponse:
    """Setting Up Invoice Backdating: days allowed, and the lock date."""
    require_administrator(request.user, action="set up invoice backdating")
    company = CompanySettings.load()
    problem = ""
    if request.method == "POST":
        try:
            invoice_dates_set(
                actor=_actor(request),
                backdating_days=_whole(request.POST.get("backdating_days", "")),
                lock_date=_optional_date(request.POST.get("lock_date", "")),
            )
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, "Invoice date rules saved.")
            return redirect("invoice_date_settings")
    context = {"company": company, "problem": problem, "posted": request.POST}
    return render(
        request, "ledger/invoice_date_settings.html", context, status=400 if problem else 200
    )


@login_required
def accounting_settings(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action=SET_UP)
    problem = ""
    if request.method == "POST":
        try:
            accounting_settings_set(
                actor=_actor(request),
                integration=request.POST.get("integration") == "on",
                enabled_policies=request.POST.getlist("enabled"),
                default_policy=request.POST.get("default_policy", ""),
            )
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, "Accounting settings saved.")
            return redirect("accounting_settings")
    context = {
        "company": CompanySettings.load(),
        "ledger": LedgerSettings.load(),
        "policies": DistributionPolicy.choices,
        "problem": problem,
    }
    return render(
        request, "ledger/accounting_settings.html", context, status=400 if problem else 200
    )


@login_required
def gl_accounts(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The chart of accounts, with a form that adds one or edits the chosen one."""
    require_administrator(request.user, action=SET_UP)
    account = get_object_or_404(GLAccount, pk=pk) if pk else None
    problem = ""
    if request.method == "POST":
        try:
            saved = gl_account_save(
                actor=_actor(request),
                account=account,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                type=request.POST.get("type", ""),
                active=request.POST.get("active") == "on",
            )
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, f"Account {saved} saved.")
            return redirect("gl_accounts")
    typed = request.POST
    form = {
        "code": typed.get("code", account.code if account else ""),
        "name": typed.get("name", account.name if account else ""),
        "type": typed.get("type", account.type if account else AccountType.INCOME),
        "active": typed.get("active") == "on" if typed else account is None or account.active,
    }
    context = {
        "accounts": GLAccount.objects.order_by("code"),
        "account": account,
        "types": AccountType.choices,
        "problem": problem,
        "form": form,
    }
    return render(request, "ledger/gl_accounts.html", context, status=400 if problem else 200)


@login_required
def distribution_categories(request: HttpRequest) -> HttpResponse:
    """Each category of one distribution policy and the GL account it is booked to."""
    require_administrator(request.user, action=SET_UP)
    policy = request.GET.get("policy") or request.POST.get("policy") or DistributionPolicy.CATEGORY
    if policy not in DistributionPolicy.values:
        policy = DistributionPolicy.CATEGORY
    rows = category_mapping_rows(policy)
    accounts = {str(a.pk): a for a in GLAccount.objects.filter(active=True).order_by("code")}
    if request.method == "POST":
        chosen = {c.key: accounts.get(request.POST.get(f"account-{c.key}", "")) for c, _ in rows}
        distribution_categories_map(
            actor=_actor(request),
            policy=policy,
            labels={category.key: category.label for category, _ in rows},
            accounts=chosen,
        )
        messages.success(request, f"Categories of “{DistributionPolicy(policy).label}” saved.")
        return redirect(f"{request.path}?policy={policy}")
    context = {
        "policy": DistributionPolicy(policy),
        "policies": DistributionPolicy.choices,
        "rows": rows,
        "accounts": accounts.values(),
    }
    return render(request, "ledger/distribution_categories.html", context)


def _whole(text: str) -> int:
    if not text.strip().isdigit():
        raise DomainError("Days allowed for backdating must be a whole number of days.")
    return int(text.strip())


def _optional_date(text: str) -> datetime.date | None:
    if not text.strip():
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(f"The lock date “{text}” is not a date.") from None


def _actor(request: HttpRequest) -> Actor:
    user = request.user
    assert isinstance(user, Actor)
    return user
