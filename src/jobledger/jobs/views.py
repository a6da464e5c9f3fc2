"""The job list, the job page, and the New invoice flow from a job.

The job screens sit above invoicing: they show a job's invoices and raise new ones
through the invoicing services and policies.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobledger.core.errors import DomainError
from jobledger.core.models import CompanySettings
from jobledger.core.roles import ADMINISTRATOR, PROJECT_MANAGER, Actor, require_role
from jobledger.invoicing.job_billing import JobBilling, job_billing
from jobledger.invoicing.models import InvoicingPolicy, LineKind
from jobledger.invoicing.policies import (
    GeneratedInvoice,
    allowed_policies,
    generate_invoice,
)
from jobledger.invoicing.services import earliest_invoice_date, invoice_create
from jobledger.jobs import services
from jobledger.jobs.invoice_form import invoice_header, policy_request, posted_lines
from jobledger.jobs.models import BillingType, Job, JobStatus
from jobledger.jobs.selectors import job_list_page

SEE = "see jobs"
NEW_INVOICE = "jobs/invoice_new.html"
BLANK_ROWS = 2
LINE_FIELDS = (
    "kind", "description", "quantity", "unit", "rate", "taxable",
    "task", "department", "dwr_line", "fixed_price_request", "remove",
)  # fmt: skip


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, ADMINISTRATOR, PROJECT_MANAGER, action=SEE)
    filters = {
        name: request.GET.get(name, "")
        for name in ("status", "customer", "project_manager", "billing_type", "q")
    }
    page = job_list_page(
        request.user,
        status=filters["status"],
        customer=filters["customer"],
        project_manager=filters["project_manager"],
        billing_type=filters["billing_type"],
        search=filters["q"],
        page=request.GET.get("page"),
    )
    context = {
        "page": page,
        "filters": filters,
        "statuses": JobStatus.choices,
        "billing_types": BillingType.choices,
        "project_managers": User.objects.filter(groups__name=PROJECT_MANAGER).order_by("username"),
        "query": request.GET.copy(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/job_list.html#job_table", context)
    return render(request, "jobs/job_list.html", context)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk, action=SEE)
    invoices = job.invoices.select_related("customer", "corrects").order_by("number")
    context = {
        "job": job,
        "billing": job_billing(job),
        "invoices": invoices,
        "policies": allowed_policies(job.status),
        "integration": CompanySettings.load().accounting_integration,
    }
    return render(request, "jobs/job_detail.html", context)


@require_POST
@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Close or reopen the job; Billed is set only by saving its Complete invoice."""
    job = _job(request, pk, action="change job status")
    change = {"close": services.job_close, "reopen": services.job_reopen}.get(
        request.POST.get("action", "")
    )
    if change is None:
        messages.warning(request, "Choose Close job or Reopen job.")
    else:
        try:
            job = change(actor=_actor(request), job=job)
        except DomainError as error:
            messages.warning(request, error.message)
        else:
            messages.success(request, f"Job {job.number} is {job.get_status_display()}.")
    return redirect("job_detail", pk=job.pk)


@login_required
def invoice_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a policy, see the generated lines, edit them, save the invoice."""
    job = _job(request, pk, action="create invoices")
    if request.method == "POST":
        return _save_invoice(request, job)
    billing = job_billing(job)
    context = _form_context(job, billing, request.GET)
    if request.GET.get("policy"):
        try:
            generated = generate_invoice(billing, policy_request(job, request.GET))
        except DomainError as error:
            context["problem"] = error.message
        else:
            context |= _lines_context(generated)
    return render(request, NEW_INVOICE, context)


def _save_invoice(request: HttpRequest, job: Job) -> HttpResponse:
    context = _form_context(job, job_billing(job), request.POST)
    policy = request.POST.get("policy", "")
    try:
        header = invoice_header(job, request.POST)
        lines = posted_lines(job, request.POST)
        invoice = invoice_create(
            actor=_actor(request),
            job=job,
            policy=policy,
            invoice_date=header.invoice_date,
            lines=lines,
            customer=header.customer,
            freight=header.freight,
            deposit_applied=header.deposit_applied,
            po_number=header.po_number,
            notes=header.notes,
            corrects=header.corrects,
        )
    except DomainError as error:
        context |= {"problem": error.message, "editing": True, "posted": request.POST}
        context |= {"rows": _posted_rows(request), "policy": _policy(policy)}
        context["corrects_pk"] = request.POST.get("corrects", "")
        return render(request, NEW_INVOICE, context, status=400)
    messages.success(
        request,
        f"{invoice} saved as a draft: {invoice.get_policy_display()}, total {invoice.total:,.2f}.",
    )
    return redirect(reverse("job_detail", args=[job.pk]) + f"#invoice-{invoice.pk}")


def _form_context(job: Job, billing: JobBilling, data: QueryDict) -> dict[str, object]:
    return {
        "chosen_charges": data.getlist("charges"),
        "job": job,
        "billing": billing,
        "policies": allowed_policies(job.status),
        "corrigible": job.invoices.order_by("number"),
        "chosen": data,
        "today": timezone.localdate(),
        "earliest_date": earliest_invoice_date(),
        "line_kinds": LineKind.choices,
        "posted": {},
    }


def _lines_context(generated: GeneratedInvoice) -> dict[str, object]:
    rows = [
        {
            "kind": line.kind,
            "description": line.description,
            "quantity": line.quantity,
            "unit": line.unit,
            "rate": line.rate,
            "taxable": line.taxable,
            "task": line.task.pk if line.task else "",
            "department": line.department.pk if line.department else "",
            "dwr_line": line.dwr_line.pk if line.dwr_line else "",
            "fixed_price_request": (
                line.fixed_price_request.pk if line.fixed_price_request else ""
            ),
        }
        for line in generated.lines
    ]
    return {
        "editing": True,
        "generated": generated,
        "policy": generated.policy,
        "rows": rows + [{} for _ in range(BLANK_ROWS)],
        "deposit_applied": generated.deposit_applied,
        "corrects": generated.corrects,
        "corrects_pk": generated.corrects.pk if generated.corrects else "",
    }


def _posted_rows(request: HttpRequest) -> list[dict[str, str]]:
    count = request.POST.get("line_count", "0")
    total = int(count) if count.isdigit() else 0
    return [
        {name: request.POST.get(f"lines-{index}-{name}", "") for name in LINE_FIELDS}
        for index in range(min(total, 500))
    ]


def _policy(value: str) -> InvoicingPolicy | None:
    return InvoicingPolicy(value) if value in InvoicingPolicy.values else None


def _job(request: HttpRequest, pk: int, *, action: str) -> Job:
    # Refuse other roles before saying whether the job exists.
    require_role(request.user, ADMINISTRATOR, PROJECT_MANAGER, action=action)
    job = get_object_or_404(Job.objects.select_related("customer", "department"), pk=pk)
    services.require_job_manager(_actor(request), job, action=action)
    return job


def _actor(request: HttpRequest) -> Actor:
    # login_required let only signed-in users this far; the services check the role.
    user = request.user
    assert isinstance(user, Actor)
    return user
