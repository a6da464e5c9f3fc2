"""Invoice data in, PDF bytes out: the one module that knows the engine is Typst.

It imports nothing of Django, so the worker processes of a large batch start quickly and
never touch the database: they receive plain data (a JSON-able dict and image bytes) only.
"""

import hashlib
import json
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from multiprocessing import get_context, util
from pathlib import Path
from typing import Any

import typst

TEMPLATE = Path(__file__).resolve().parent / "typst" / "invoice.typ"
# A batch with fewer invoices to render than this renders in the calling process:
# starting worker processes costs more than it saves.
POOL_THRESHOLD = 8


@dataclass(frozen=True)
class PdfRequest:
    """One invoice to render: its data, and the images it names (path in the data → bytes)."""

    data: Mapping[str, Any]
    images: Mapping[str, bytes] = field(default_factory=dict)


@cache
def template_version() -> str:
    """Changes whenever the template or the engine changes, so cached PDFs are not reused."""
    digest = hashlib.sha256(TEMPLATE.read_bytes())
    digest.update(version("typst").encode())
    return digest.hexdigest()[:16]


def render_pdf(request: PdfRequest) -> bytes:
    """The invoice as a PDF."""
    workspace = _workspace()
    for name, content in request.images.items():
        path = workspace.root / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    pdf = workspace.compiler.compile(sys_inputs={"data": json.dumps(request.data)})
    assert isinstance(pdf, bytes)  # one PDF, not the pages of an image format
    return pdf


class Renderer:
    """Renders runs of invoices: in this process for a few, by a pool of processes (one per
    core, started on first need and kept until the renderer closes) for many."""

    def __init__(self) -> None:
        self.processes = os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def render(self, requests: Sequence[PdfRequest]) -> Iterator[bytes]:
        """PDFs in the order of `requests`; only a few are in flight at a time, so memory
        stays flat however many come."""
        if len(requests) < POOL_THRESHOLD or self.processes == 1:
            yield from map(render_pdf, requests)
            return
        pool = self._started()
        pending: deque[Future[bytes]] = deque()
        for request in requests:
            pending.append(pool.submit(_render_in_worker, request))
            if len(pending) >= self.processes * 4:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Spawned, not forked: the caller may hold database connections and threads.
            self._pool = ProcessPoolExecutor(self.processes, mp_context=get_context("spawn"))
        return self._pool


def _render_in_worker(request: PdfRequest) -> bytes:
    # Sent to the workers by name, so each looks up its own module's renderer.
    return render_pdf(request)


@dataclass(frozen=True)
class _Workspace:
    root: Path
    compiler: typst.Compiler


@cache
def _workspace() -> _Workspace:
    # One compiler per process keeps its fonts and parsed template between invoices;
    # images are written beside the template, where Typst may read them.
    root = Path(tempfile.mkdtemp(prefix="jobledger-typst-"))
    # Finalize, not atexit: pool workers leave through os._exit, which skips atexit.
    util.Finalize(None, shutil.rmtree, args=(root, True), exitpriority=0)
    source = root / "invoice.typ"
    source.write_bytes(TEMPLATE.read_bytes())
    compiler = typst.Compiler(str(source), root=str(root), ignore_system_fonts=True)
    return _Workspace(root, compiler)
