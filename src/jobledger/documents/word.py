"""Invoice data in, Word bytes out, through a docxtpl template a company may replace."""

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from jobledger.documents.errors import DocumentError

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "word" / "invoice.docx"
# What a template may use: the invoice's data, and its two images.
CONTEXT_NAMES = frozenset(
    {"company", "invoice", "customer", "lines", "sections", "totals", "signature", "logo",
     "signature_image"}
)  # fmt: skip
IMAGE_WIDTHS = {"logo": Mm(40), "signature_image": Mm(50)}
WORD_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp"})


def render_docx(
    template: bytes | IO[bytes], data: Mapping[str, Any], images: Mapping[str, bytes]
) -> bytes:
    """The invoice as a .docx; `images` holds the logo and signature by their path in `data`."""
    document = DocxTemplate(io.BytesIO(template) if isinstance(template, bytes) else template)
    context = dict(data)
    pictures = {"logo": data["company"]["logo"], "signature_image": _signature_path(data)}
    for name, path in pictures.items():
        content = images.get(path)
        # Word takes bitmaps only; an SVG logo prints on the PDF alone.
        if content and Path(path).suffix in WORD_IMAGE_SUFFIXES:
            context[name] = InlineImage(document, io.BytesIO(content), width=IMAGE_WIDTHS[name])
        else:
            context[name] = ""
    # Sandboxed: an uploaded template's tags may read the invoice, never reach the server.
    document.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def check_template(content: bytes, sample: Mapping[str, Any]) -> None:
    """Refuse a template that is not a Word file, has a broken tag, or asks for data
    jobledger does not have; `sample` is an invoice's data to try it with."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise DocumentError("That file is not a Word document (.docx); nothing was changed.")
    try:
        document = DocxTemplate(io.BytesIO(content))
        unknown = sorted(document.get_undeclared_template_variables() - CONTEXT_NAMES)
        if unknown:
            known = ", ".join(sorted(CONTEXT_NAMES))
            raise DocumentError(
                f"The template uses {', '.join(unknown)}, which jobledger does not fill in "
                f"(it fills in {known}); nothing was changed."
            )
        render_docx(content, sample, {})
    except TemplateSyntaxError as error:
        raise DocumentError(
            f"The template has a broken tag: {error.message}; nothing was changed."
        ) from None
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DocumentError(
            f"The template cannot be filled in ({error}); nothing was changed."
        ) from None


def _signature_path(data: Mapping[str, Any]) -> str:
    signature = data.get("signature")
    return signature["image"] if signature else ""
