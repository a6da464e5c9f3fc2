"""Invoices to print, a private media folder, and readers for the files made."""

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from jobledger.invoicing.models import Invoice, LineKind
from jobledger.invoicing.services import LineInput
from tests.factories import make_admin_invoice


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    """Cached PDFs, prints and templates go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def lines(count: int, kind: str = LineKind.LABOR, rate: str = "85.00") -> list[LineInput]:
    return [
        LineInput(
            kind=kind,
            description=f"{kind.title()} charge {n:03d}",
            quantity=Decimal("8"),
            rate=Decimal(rate),
            unit="HR",
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture
def invoice(project_manager, job) -> Callable[..., Invoice]:
    """`invoice(lines=…)`: an invoice in the Admin tab on the project manager's job."""

    def make(**kwargs: Any) -> Invoice:
        return make_admin_invoice(actor=project_manager, job=kwargs.pop("on_job", job), **kwargs)

    return make


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages(content))


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word file, one a line."""
    document = docx.Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def zip_members(path: Any) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
