"""Invoice documents: one invoice's PDF or Word file, the print jobs of many with their
progress, and the Word template in settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jobledger.core.roles import Actor, require_administrator
from jobledger.documents import services
from jobledger.documents.engine import TEMPLATE
from jobledger.documents.errors import DocumentError
from jobledger.documents.models import DocumentJob, JobKind
from jobledger.documents.selectors import document_job, file_stem, word_template
from jobledger.invoicing.models import Invoice

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SETTINGS = "documents/settings.html"
INVOICE_DOCUMENTS = {"pdf": (services.invoice_pdf, PDF), "docx": (services.invoice_docx, DOCX)}


@login_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Export to PDF."""
    return _invoice_document(request, pk, "pdf")


@login_required
def invoice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """Export to Word."""
    return _invoice_document(request, pk, "docx")


@require_POST
@login_required
def document_job_create(request: HttpRequest) -> HttpResponse:
    """Start a zip or merged print of the posted `invoice` ids."""
    try:
        ids = sorted({int(value) for value in request.POST.getlist("invoice")})
    except ValueError:
        raise DocumentError("The chosen invoices could not be read; choose them again.") from None
    invoices = Invoice.objects.filter(pk__in=ids)
    if invoices.count() != len(ids):
        raise DocumentError("Some of the chosen invoices no longer exist; choose them again.")
    job = services.document_job_start(_actor(request), invoices, request.POST.get("kind", ""))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/_job_progress.html", {"job": job})
    return redirect("document_job", pk=job.pk)


@login_required
def document_job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; with htmx, just its progress, which polls itself until done."""
    job = _job(request, pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/_job_progress.html", {"job": job})
    return render(request, "documents/job.html", {"job": job})


@login_required
def document_job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(DocumentJob, pk=pk)
    handle = services.document_job_file(request.user, job)
    media_type = "application/zip" if job.kind == JobKind.ZIP else PDF
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=media_type)


@login_required
def document_settings(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action="change the invoice templates")
    return render(request, SETTINGS, _settings_context())


@login_required
def word_template_download(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action="change the invoice templates")
    name, content = services.word_template_content()
    return _attachment(content, name, DOCX)


@require_POST
@login_required
def word_template_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("template")
    name = upload.name or "" if upload else ""
    try:
        services.word_template_upload(actor=_actor(request), upload=upload, name=name)
    except DocumentError as error:
        context = _settings_context() | {"problem": error.message}
        return render(request, SETTINGS, context, status=400)
    messages.success(request, f"Word invoices now use {name}.")
    return redirect("document_settings")


@require_POST
@login_required
def word_template_reset(request: HttpRequest) -> HttpResponse:
    services.word_template_reset(actor=_actor(request))
    messages.success(request, "Word invoices use the default template again.")
    return redirect("document_settings")


def _invoice_document(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("customer"), pk=pk)
    services.require_document_access(request.user, [invoice])
    render, media_type = INVOICE_DOCUMENTS[extension]
    name = f"{file_stem(invoice.number, invoice.customer.code)}.{extension}"
    return _attachment(render(invoice), name, media_type)


def _attachment(content: bytes, name: str, media_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Length"] = str(len(content))
    return response


def _job(request: HttpRequest, pk: int) -> DocumentJob:
    job = document_job(pk)
    if job is None:
        raise Http404("No such print.")
    services.require_job_viewer(request.user, job)
    return job


def _settings_context() -> dict[str, object]:
    return {"custom_template": word_template(), "pdf_template": TEMPLATE.name}


def _actor(request: HttpRequest) -> Actor:
    # login_required let only signed-in users this far; the services check the role.
    user = request.user
    assert isinstance(user, Actor)
    return user
