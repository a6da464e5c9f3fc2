import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jobledger.core.errors import DomainError
from jobledger.documents import services
from jobledger.exports.management.commands import _cli

FORMATS = ("pdf", "docx", "merged")


class Command(BaseCommand):
    help = (
        "Write invoices as documents for a print run: --format pdf or docx gives one file per "
        "invoice in the --out folder (or a zip when --out names a file), merged gives one PDF "
        "with every invoice starting on a new page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--out", required=True, help="a folder, or the file to write")
        _cli.add_invoice_filters(parser)
        parser.add_argument("--user", help="who prints (default: the only Administrator)")

    def handle(self, *args: Any, **options: Any) -> None:
        invoices = _cli.chosen_invoices(options, outcome="nothing was written")
        out = _cli.output_path(options["out"])
        actor = _cli.acting_user(options["user"])
        count = invoices.count()
        try:
            services.require_document_access(actor, invoices)
            written = self._write(options["format"], invoices, out)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Wrote {count} invoice{'s' if count != 1 else ''} to {written}.")

    def _write(self, kind: str, invoices: Any, out: Path) -> Path:
        if kind == "merged":
            stamp = timezone.localtime().strftime("%Y%m%d_%H%M%S")
            target = out / f"Invoices_{stamp}.pdf" if out.is_dir() else out
            return _move(services.invoices_pdf_merged(invoices), target)
        files = (
            services.invoices_pdf_files(invoices)
            if kind == "pdf"
            else services.invoices_docx_files(invoices)
        )
        if not out.is_dir():
            return _move(services.write_zip(files), out)
        for name, content in files:
            (out / name).write_bytes(content)
        return out


def _move(path: Path, target: Path) -> Path:
    try:
        shutil.move(path, target)
    except OSError as error:
        path.unlink(missing_ok=True)
        raise CommandError(f"{target} could not be written ({error.strerror}).") from None
    return target
