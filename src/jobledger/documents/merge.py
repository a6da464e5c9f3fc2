"""PDFs joined into one, written as they come: each source's pages and what they use are
copied to the file at once and forgotten, so memory stays flat however many are joined
(a PDF library's writer keeps every object until the end: 600 MB for 2,000 invoices).
"""

import io
from collections.abc import Iterable
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

# Page attributes a page may inherit from its page tree instead of holding them itself.
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
CATALOG, PAGES = 1, 2


class PdfJoiner:
    """Writes one PDF of many: `add(pdf, title)` for each, then `finish()`; each source
    starts on a new page and gets a bookmark with its title."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.bookmarks: list[tuple[str, int]] = []
        self.next_id = PAGES + 1
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def add(self, pdf: bytes, title: str) -> None:
        reader = PdfReader(io.BytesIO(pdf))
        ids: dict[int, int] = {}
        first = len(self.pages)
        for page in reader.pages:
            assert page.indirect_reference is not None
            page_id = self._id_of(page.indirect_reference.idnum, ids)
            # The source's page tree stays behind; what the page inherited from it comes along.
            copy = DictionaryObject({k: v for k, v in page.items() if k != "/Parent"})
            for key in INHERITED:
                if key not in copy and page.get_inherited(key, None) is not None:
                    copy[NameObject(key)] = page.get_inherited(key, None)
            self.pages.append(page_id)
            self._copy(copy, page_id, reader, ids)
        if len(self.pages) > first:
            self.bookmarks.append((title, self.pages[first]))

    def finish(self) -> None:
        kids = ArrayObject(_ref(page) for page in self.pages)
        self._write(PAGES, _dict(Type="/Pages", Kids=kids, Count=NumberObject(len(kids))))
        catalog = _dict(Type="/Catalog", Pages=_ref(PAGES))
        if self.bookmarks:
            catalog[NameObject("/Outlines")] = _ref(self._outline())
            catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        self._write(CATALOG, catalog)
        self._xref()

    def _copy(
        self, root: DictionaryObject, root_id: int, reader: PdfReader, ids: dict[int, int]
    ) -> None:
        """Write `root` and every object it reaches in `reader`, references renumbered."""
        pending: list[tuple[int, Any]] = [(root_id, root)]
        written: set[int] = set()
        while pending:
            new_id, obj = pending.pop()
            if new_id in written:
                continue
            written.add(new_id)
            found: list[IndirectObject] = []
            copy = _renumbered(obj, lambda ref: self._id_of(ref.idnum, ids), found)
            if new_id == root_id:
                copy[NameObject("/Parent")] = _ref(PAGES)  # type: ignore[index]
            self._write(new_id, copy)
            pending += [(ids[ref.idnum], reader.get_object(ref)) for ref in found]

    def _id_of(self, source_id: int, ids: dict[int, int]) -> int:
        if source_id not in ids:
            ids[source_id] = self.next_id
            self.next_id += 1
        return ids[source_id]

    def _outline(self) -> int:
        outline_id = self._new_id()
        items = [self._new_id() for _ in self.bookmarks]
        for index, ((title, page), item) in enumerate(zip(self.bookmarks, items, strict=True)):
            entry = _dict(Title=TextStringObject(title), Parent=_ref(outline_id))
            entry[NameObject("/Dest")] = ArrayObject([_ref(page), NameObject("/Fit")])
            if index:
                entry[NameObject("/Prev")] = _ref(items[index - 1])
            if index + 1 < len(items):
                entry[NameObject("/Next")] = _ref(items[index + 1])
            self._write(item, entry)
        outline = _dict(Type="/Outlines", First=_ref(items[0]), Last=_ref(items[-1]))
        outline[NameObject("/Count")] = NumberObject(len(items))
        self._write(outline_id, outline)
        return outline_id

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _write(self, obj_id: int, obj: PdfObject | bytes) -> None:
        self.offsets[obj_id] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % obj_id)
        if isinstance(obj, bytes):
            self.out.write(obj)
        else:
            obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def _xref(self) -> None:
        start = self.out.tell()
        size = self.next_id
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for obj_id in range(1, size):
            self.out.write(b"%010d 00000 n \n" % self.offsets.get(obj_id, 0))
        trailer = _dict(Size=NumberObject(size), Root=_ref(CATALOG))
        self.out.write(b"trailer\n")
        trailer.write_to_stream(self.out)
        self.out.write(b"\nstartxref\n%d\n%%%%EOF\n" % start)


def join_pdfs(sources: Iterable[tuple[bytes, str]], out: IO[bytes]) -> None:
    """Write the PDFs (with a bookmark title each) to `out` as one."""
    joiner = PdfJoiner(out)
    for pdf, title in sources:
        joiner.add(pdf, title)
    joiner.finish()


def _renumbered(obj: Any, renumber: Any, found: list[IndirectObject]) -> PdfObject | bytes:
    """`obj` with its references renumbered (the sources they point to added to `found`);
    a stream as its bytes, still compressed as it was."""
    if isinstance(obj, IndirectObject):
        found.append(obj)
        return IndirectObject(renumber(obj), 0, None)
    if isinstance(obj, StreamObject):
        header = DictionaryObject(
            {key: _renumbered(value, renumber, found) for key, value in obj.items()}
        )
        data = obj._data  # the stored bytes, still under their /Filter
        header[NameObject("/Length")] = NumberObject(len(data))
        text = io.BytesIO()
        header.write_to_stream(text)
        return text.getvalue() + b"\nstream\n" + data + b"\nendstream"
    if isinstance(obj, DictionaryObject):
        return DictionaryObject(
            {key: _renumbered(value, renumber, found) for key, value in obj.items()}
        )
    if isinstance(obj, ArrayObject):
        return ArrayObject(_renumbered(value, renumber, found) for value in obj)
    return obj


def _ref(obj_id: int) -> IndirectObject:
    return IndirectObject(obj_id, 0, None)


def _dict(**entries: Any) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject(f"/{key}"): NameObject(value) if type(value) is str else value
            for key, value in entries.items()
        }
    )
