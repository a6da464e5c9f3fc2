"""Invoice documents: one invoice as PDF or Word, many as a zip or one merged print, and
the jobs that make large ones in the background with their progress in the database.

Rendering is a read: `invoice_pdf`, `invoice_docx`, `invoices_pdf_zip` and
`invoices_pdf_merged` take invoices the caller may see (`require_document_access`).
Every PDF goes through the cache (`CachedPdf`), keyed by a hash of what it prints.
"""

import logging
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jobledger.core.audit import audit
from jobledger.core.errors import PermissionRefused
from jobledger.core.roles import (
    ADMINISTRATOR,
    PROJECT_MANAGER,
    Actor,
    AnyUser,
    is_administrator,
    require_administrator,
    require_role,
)
from jobledger.documents import word
from jobledger.documents.engine import PdfRequest, Renderer
from jobledger.documents.errors import DocumentError
from jobledger.documents.merge import join_pdfs
from jobledger.documents.models import CachedPdf, DocumentJob, JobKind, JobStatus, WordTemplate
from jobledger.documents.selectors import (
    CHUNK,
    PrintDoc,
    invoice_ids_in_order,
    print_doc,
    print_docs,
    sample_print_doc,
    word_template,
)
from jobledger.invoicing.models import Invoice

logger = logging.getLogger(__name__)

Invoices = QuerySet[Invoice] | Iterable[Invoice]
Progress = Callable[[int, int], None]
# At most this many invoices render while the person waits; more go to a background task.
INLINE_LIMIT = 20
KEPT_FOR = timedelta(days=1)
CACHE_UNUSED_FOR = timedelta(days=30)
PROGRESS_EVERY = 0.5  # seconds between progress writes of a background job
WORD_TEMPLATE_MAX_BYTES = 10 * 1024 * 1024


def require_document_access(actor: AnyUser, invoices: Invoices | Sequence[int]) -> None:
    """Administrators print any invoice; a Project Manager only those of jobs they manage."""
    require_role(actor, ADMINISTRATOR, PROJECT_MANAGER, action="print or download invoices")
    if is_administrator(actor):
        return
    ids = _ids(invoices)
    foreign = Invoice.objects.filter(pk__in=ids).exclude(job__project_manager_id=actor.pk)
    number = foreign.order_by("number").values_list("number", flat=True).first()
    if number is not None:
        raise PermissionRefused(f"Invoice {number} is on a job managed by another Project Manager.")


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF, from the cache when nothing printed on it has changed."""
    with Renderer() as renderer:
        return next(_pdfs([print_doc(invoice)], renderer))[1]


def invoice_docx(invoice: Invoice) -> bytes:
    """The invoice as a Word document, from the company's template or the default one."""
    doc = print_doc(invoice)
    with _word_template_file() as template:
        return word.render_docx(template, doc.data, _images(doc, {}))


def invoices_pdf_files(
    invoices: Invoices, progress: Progress | None = None
) -> Iterator[tuple[str, bytes]]:
    """(`{number}_{customer code}.pdf`, PDF) for each invoice in number order, one at a
    time; `progress(rendered, total)` follows each invoice."""
    for doc, pdf in _counted(invoice_ids_in_order(invoices), progress):
        yield f"{doc.file_stem}.pdf", pdf


def invoices_docx_files(invoices: Invoices) -> Iterator[tuple[str, bytes]]:
    """(`{number}_{customer code}.docx`, Word file) for each invoice in number order."""
    with _word_template_file() as handle:
        template = handle.read()
    images: dict[str, bytes | None] = {}
    for doc in print_docs(invoice_ids_in_order(invoices)):
        yield f"{doc.file_stem}.docx", word.render_docx(template, doc.data, _images(doc, images))


def invoices_pdf_zip(invoices: Invoices, progress: Progress | None = None) -> Path:
    """A zip of one PDF per invoice, named `{number}_{customer code}.pdf`, written to a
    temporary file the caller removes, so memory stays flat however many there are."""
    return write_zip(invoices_pdf_files(invoices, progress))


def write_zip(files: Iterable[tuple[str, bytes]]) -> Path:
    """The files in a zip, in a temporary file the caller removes."""

    def write(handle: IO[bytes]) -> None:
        # Stored, not deflated: a PDF's streams are compressed already.
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
            for name, content in files:
                archive.writestr(name, content)

    return _temporary_file(".zip", write)


def invoices_pdf_merged(invoices: Invoices, progress: Progress | None = None) -> Path:
    """One PDF of all the invoices for printing, each starting on a new page, with a
    bookmark per invoice; written to a temporary file the caller removes."""
    ids = invoice_ids_in_order(invoices)
    sources = ((pdf, f"Invoice {doc.number}") for doc, pdf in _counted(ids, progress))
    return _temporary_file(".pdf", partial(join_pdfs, sources))


def document_job_start(actor: Actor, invoices: Invoices, kind: str) -> DocumentJob:
    """A zip ("zip") or merged print ("merged") of the invoices. Up to INLINE_LIMIT render
    at once and the job comes back finished; more go to a background task, whose progress
    the job page shows."""
    ids = invoice_ids_in_order(invoices)
    require_document_access(actor, ids)
    if kind not in JobKind.values:
        raise DocumentError(f"“{kind}” is not a kind of print; choose zip or merged.")
    if not ids:
        raise DocumentError("Choose at least one invoice.")
    documents_cleanup()
    job = _job_create(actor, ids, JobKind(kind))
    if len(ids) <= INLINE_LIMIT:
        document_job_run(job.pk)
    else:
        from jobledger.documents.tasks import render_document_job

        render_document_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def document_job_run(job_id: int) -> None:
    """Render a queued job's file, writing its progress as it goes. A job already started
    is left alone, so a task delivered twice renders once."""
    started = DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    if not started:
        return
    job = DocumentJob.objects.get(pk=job_id)
    make = invoices_pdf_zip if job.kind == JobKind.ZIP else invoices_pdf_merged
    try:
        path = make(Invoice.objects.filter(pk__in=job.invoice_ids), _progress_writer(job))
    except Exception as error:
        logger.exception("Document job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.error = (
            f"Rendering stopped ({type(error).__name__}). Start the print again, and tell an "
            "administrator if it stops again."
        )
    else:
        _attach(job, path)
        job.status = JobStatus.DONE
        job.rendered = DocumentJob.objects.values_list("rendered", flat=True).get(pk=job.pk)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "file", "rendered", "finished_at"])


def require_job_viewer(actor: AnyUser, job: DocumentJob) -> None:
    """A print is seen by the person who started it, and by Administrators."""
    require_role(actor, ADMINISTRATOR, PROJECT_MANAGER, action="print or download invoices")
    if job.created_by_id != actor.pk and not is_administrator(actor):
        raise PermissionRefused("This print was started by someone else.")


def document_job_file(actor: AnyUser, job: DocumentJob) -> IO[bytes]:
    """The finished job's file, open for reading."""
    require_job_viewer(actor, job)
    if job.status != JobStatus.DONE:
        raise DocumentError("This print is not ready yet; its page shows the progress.")
    if job.is_expired or not job.file:
        raise DocumentError(
            "Prints are kept for a day and this one has been removed; start it again."
        )
    return job.file.open("rb")


def documents_cleanup(now: datetime | None = None) -> tuple[int, int]:
    """Remove prints past their day and cached PDFs unused for CACHE_UNUSED_FOR; returns
    how many of each went."""
    now = now or timezone.now()
    jobs = _remove_with_files(DocumentJob.objects.filter(expires_at__lte=now))
    cached = _remove_with_files(CachedPdf.objects.filter(last_used_at__lt=now - CACHE_UNUSED_FOR))
    return jobs, cached


@transaction.atomic
def word_template_upload(*, actor: Actor, upload: IO[bytes] | None, name: str) -> WordTemplate:
    """Replace the Word invoice template with the company's own, after trying it on a
    sample invoice: a broken template is refused with the reason."""
    require_administrator(actor, action="replace the Word invoice template")
    if upload is None:
        raise DocumentError("Choose a Word document (.docx) to upload.")
    if not name.lower().endswith(".docx"):
        raise DocumentError("Upload a Word document (.docx); nothing was changed.")
    content = upload.read(WORD_TEMPLATE_MAX_BYTES + 1)
    if len(content) > WORD_TEMPLATE_MAX_BYTES:
        raise DocumentError("The template is larger than 10 MB; nothing was changed.")
    word.check_template(content, sample_print_doc().data)
    _remove_word_templates(actor, action="word template replaced")
    template = WordTemplate.objects.create(
        file=ContentFile(content, name="invoice-template.docx"),
        original_name=Path(name).name[:200],
        uploaded_by=actor,
    )
    audit(actor=actor, action="word template uploaded", subject=template, to_value=template)
    return template


@transaction.atomic
def word_template_reset(*, actor: Actor) -> None:
    """Go back to the Word template jobledger ships."""
    require_administrator(actor, action="replace the Word invoice template")
    if not _remove_word_templates(actor, action="word template removed"):
        raise DocumentError("The default Word template is already in use.")


def word_template_content() -> tuple[str, bytes]:
    """The Word template in use, as (file name, bytes), to start a new one from."""
    custom = word_template()
    with _word_template_file() as template:
        return (custom.original_name if custom else "invoice-template.docx"), template.read()


def _temporary_file(suffix: str, write: Callable[[IO[bytes]], object]) -> Path:
    """A temporary file filled by `write`; removed again if writing fails."""
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115
    try:
        with handle:
            write(handle)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return Path(handle.name)


def _ids(invoices: Invoices | Sequence[int]) -> Any:
    if isinstance(invoices, QuerySet):
        return invoices.values("pk")
    return [item if isinstance(item, int) else item.pk for item in invoices]


def _counted(ids: list[int], progress: Progress | None) -> Iterator[tuple[PrintDoc, bytes]]:
    report = progress or (lambda done, total: None)
    report(0, len(ids))
    with Renderer() as renderer:
        for done, pair in enumerate(_pdfs(print_docs(ids), renderer), start=1):
            yield pair
            report(done, len(ids))


def _pdfs(docs: Iterable[PrintDoc], renderer: Renderer) -> Iterator[tuple[PrintDoc, bytes]]:
    """Each invoice's PDF in order: cached ones read back, the rest rendered and cached."""
    images: dict[str, bytes | None] = {}
    docs = iter(docs)
    while chunk := list(islice(docs, CHUNK)):
        cached = _cached_files(chunk)
        missing = [doc for doc in chunk if doc.key not in cached]
        fresh = renderer.render([_request(doc, images) for doc in missing])
        for doc in chunk:
            pdf = _read(cached[doc.key]) if doc.key in cached else None
            if pdf is None:
                # A cached file that went missing is rendered again, alone.
                again = doc.key in cached
                pdf = next(renderer.render([_request(doc, images)]) if again else fresh)
                _remember(doc, pdf)
            yield doc, pdf


def _cached_files(chunk: list[PrintDoc]) -> dict[str, str]:
    now = timezone.now()
    rows = CachedPdf.objects.filter(key__in=[doc.key for doc in chunk])
    found = dict(rows.values_list("key", "file"))
    # Touched at most daily: a warm zip reads, it does not rewrite every row.
    rows.filter(last_used_at__lt=now - timedelta(days=1)).update(last_used_at=now)
    return found


def _read(name: str) -> bytes | None:
    """A stored file's bytes, or None when it has gone."""
    try:
        try:
            # A local folder is read directly: through a File object costs half a
            # millisecond a PDF, which is most of a warm zip.
            return Path(default_storage.path(name)).read_bytes()
        except NotImplementedError:  # a remote store (S3) has no local path
            with default_storage.open(name, "rb") as handle:
                return handle.read()
    except FileNotFoundError:
        return None


def _remember(doc: PrintDoc, pdf: bytes) -> None:
    """Keep a new PDF in the cache. A row whose file had gone gets the new one; a key
    another process cached at the same moment keeps its own (both hold the same PDF)."""
    name = default_storage.save(f"documents/cache/{doc.key[:2]}/{doc.key}.pdf", ContentFile(pdf))
    row = CachedPdf.objects.filter(key=doc.key)
    if not row.update(file=name):
        CachedPdf.objects.bulk_create(
            [CachedPdf(key=doc.key, file=name, last_used_at=timezone.now())],
            ignore_conflicts=True,
        )


def _request(doc: PrintDoc, images: dict[str, bytes | None]) -> PdfRequest:
    data = doc.data
    found: dict[str, bytes] = {}
    for path, name in doc.images.items():
        if name not in images:
            images[name] = _read(name)
        content = images[name]
        if content is None:
            data = _without_image(data, path)
        else:
            found[path] = content
    return PdfRequest(data, found)


def _without_image(data: dict[str, Any], path: str) -> dict[str, Any]:
    """The data with a missing image left out, so the invoice still prints."""
    data = dict(data)
    if data["company"]["logo"] == path:
        data["company"] = {**data["company"], "logo": ""}
    if data["signature"] and data["signature"]["image"] == path:
        data["signature"] = {**data["signature"], "image": ""}
    return data


def _images(doc: PrintDoc, images: dict[str, bytes | None]) -> dict[str, bytes]:
    return dict(_request(doc, images).images)


def _job_create(actor: Actor, ids: list[int], kind: JobKind) -> DocumentJob:
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d_%H%M%S")
    extension = "zip" if kind == JobKind.ZIP else "pdf"
    with transaction.atomic():
        job = DocumentJob.objects.create(
            kind=kind,
            invoice_ids=ids,
            total=len(ids),
            file_name=f"Invoices_{stamp}.{extension}",
            created_by=actor,
            expires_at=now + KEPT_FOR,
        )
        audit(
            actor=actor,
            action="invoice documents requested",
            subject=job,
            to_value=f"{kind.label}, {len(ids)} invoice{'s' if len(ids) != 1 else ''}",
        )
    return job


def _progress_writer(job: DocumentJob) -> Progress:
    """Writes progress where every web process can read it, at most every PROGRESS_EVERY."""
    last = 0.0

    def write(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= PROGRESS_EVERY:
            DocumentJob.objects.filter(pk=job.pk).update(rendered=done)
            last = now

    return write


def _attach(job: DocumentJob, path: Path) -> None:
    try:
        with path.open("rb") as handle:
            job.file.save(job.file_name, File(handle), save=False)
    finally:
        path.unlink(missing_ok=True)


def _remove_with_files(rows: QuerySet[Any]) -> int:
    removed = 0
    while batch := list(rows.values_list("pk", "file")[:500]):
        for _pk, name in batch:
            if name:
                default_storage.delete(name)
        removed += rows.model.objects.filter(pk__in=[pk for pk, _name in batch]).delete()[0]
    return removed


def _remove_word_templates(actor: Actor, *, action: str) -> int:
    templates = list(WordTemplate.objects.all())
    for template in templates:
        audit(actor=actor, action=action, subject=template, from_value=template)
        # The file goes only once the change is committed, so a rollback loses nothing.
        transaction.on_commit(partial(default_storage.delete, template.file.name))
    return WordTemplate.objects.filter(pk__in=[t.pk for t in templates]).delete()[0]


@contextmanager
def _word_template_file() -> Iterator[IO[bytes]]:
    custom = word_template()
    with custom.file.open("rb") if custom else word.DEFAULT_TEMPLATE.open("rb") as handle:
        yield handle
