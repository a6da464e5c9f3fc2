"""Many invoices at once: the zip, the merged print, and the cache that spares re-rendering."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from jobledger.documents import engine
from jobledger.documents.models import CachedPdf
from jobledger.documents.services import invoice_pdf, invoices_pdf_merged, invoices_pdf_zip
from jobledger.invoicing.models import Invoice
from jobledger.invoicing.services import invoice_update
from tests.documents.conftest import lines, pdf_pages, pdf_text, zip_members


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The invoice numbers rendered in this process, in order."""
    rendered: list[str] = []
    real = engine.render_pdf

    def counting(request: engine.PdfRequest) -> bytes:
        rendered.append(request.data["invoice"]["number"])
        return real(request)

    monkeypatch.setattr(engine, "render_pdf", counting)
    return rendered


@pytest.fixture
def three(invoice) -> list[Invoice]:
    return [invoice(lines=lines(count)) for count in (1, 40, 3)]


def test_the_zip_holds_exactly_the_selected_invoices_one_valid_pdf_each(three, invoice):
    invoice(lines=lines(2))  # not selected
    path = invoices_pdf_zip(Invoice.objects.filter(pk__in=[i.pk for i in three]))
    members = zip_members(path)
    path.unlink()
    expected = {f"{i.number}_{i.customer.code}.pdf": i for i in three}
    assert set(members) == set(expected)
    for name, content in members.items():
        assert content.startswith(b"%PDF-")
        assert f"No. {expected[name].number}" in pdf_text(content)


def test_the_merged_pdf_has_the_pages_of_all_and_each_starts_a_page(three):
    pages = [len(pdf_pages(invoice_pdf(i))) for i in three]
    assert pages[1] > 1
    path = invoices_pdf_merged(three)
    merged = PdfReader(io.BytesIO(path.read_bytes()))
    path.unlink()
    assert len(merged.pages) == sum(pages)
    firsts = [0, pages[0], pages[0] + pages[1]]
    for start, made in zip(firsts, three, strict=True):
        assert f"No. {made.number}" in merged.pages[start].extract_text()
    assert [item.title for item in merged.outline] == [f"Invoice {i.number}" for i in three]


def test_a_second_zip_of_unchanged_invoices_renders_nothing(three, renders):
    invoices_pdf_zip(three).unlink()
    assert sorted(renders) == sorted(str(i.number) for i in three)
    assert CachedPdf.objects.count() == 3

    renders.clear()
    members = zip_members(invoices_pdf_zip(three))
    assert renders == []
    assert len(members) == 3


def test_editing_one_invoice_re_renders_only_that_one(three, renders, administrator):
    invoices_pdf_zip(three).unlink()
    renders.clear()
    edited = invoice_update(actor=administrator, invoice=three[1], freight=Decimal("45.00"))
    path = invoices_pdf_zip(three)
    assert renders == [str(edited.number)]
    assert "45.00" in pdf_text(zip_members(path)[f"{edited.number}_{edited.customer.code}.pdf"])


def test_a_cached_file_that_went_missing_is_rendered_again(three, renders):
    invoice_pdf(three[0])
    CachedPdf.objects.get().file.delete(save=False)
    renders.clear()
    assert f"No. {three[0].number}" in pdf_text(invoice_pdf(three[0]))
    assert renders == [str(three[0].number)]
    assert CachedPdf.objects.get().file.storage.exists(CachedPdf.objects.get().file.name)


def test_a_large_batch_renders_in_a_pool_of_processes_in_number_order(invoice, renders):
    many = [invoice(lines=lines(2)) for _ in range(engine.POOL_THRESHOLD + 2)]
    seen: list[tuple[int, int]] = []
    members = zip_members(
        invoices_pdf_zip(many, progress=lambda done, total: seen.append((done, total)))
    )
    assert renders == []  # rendered by the worker processes, not here
    assert list(members) == [f"{i.number}_{i.customer.code}.pdf" for i in many]
    assert all(content.startswith(b"%PDF-") for content in members.values())
    assert seen == [(n, len(many)) for n in range(len(many) + 1)]
