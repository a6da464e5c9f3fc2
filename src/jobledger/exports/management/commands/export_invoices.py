from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobledger.core.errors import DomainError
from jobledger.exports.management.commands import _cli
from jobledger.exports.selectors import format_label
from jobledger.exports.services import AlreadyExported, ExportBlocked, export_batch_create


class Command(BaseCommand):
    help = (
        "Export invoices to a file for accounting, as one recorded batch (the same batch the "
        "Export Log lists). Invoices that cannot go out are named with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, help="a key from export_formats")
        parser.add_argument("--out", required=True, help="the file to write, or a folder")
        _cli.add_invoice_filters(parser)
        parser.add_argument(
            "--include-exported", action="store_true", help="export already exported ones again"
        )
        parser.add_argument("--prefix", default="", help="file name prefix")
        parser.add_argument("--note", default="", help="internal note on the batch")
        parser.add_argument("--user", help="who exports (default: the only Administrator)")

    def handle(self, *args: Any, **options: Any) -> None:
        key = _cli.format_key(options["format"])
        invoices = _cli.chosen_invoices(options, outcome="nothing was exported")
        out = _cli.output_path(options["out"])
        actor = _cli.acting_user(options["user"])
        try:
            result = export_batch_create(
                actor=actor,
                format_key=key,
                invoices=invoices,
                prefix=options["prefix"],
                note=options["note"],
                include_already_exported=options["include_exported"],
                only_ready=True,
            )
        except ExportBlocked as error:
            self._skipped(error.preflight.problems, error.preflight.already_exported)
            raise CommandError("Nothing was exported: no matching invoice can go out.") from None
        except AlreadyExported as error:
            self._skipped({}, error.numbers)
            raise CommandError(
                "Nothing was exported: every matching invoice was exported before."
            ) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        batch = result.batch
        path = _cli.write_batch_file(out, batch)
        count = batch.invoices.count()
        self.stdout.write(
            f"Batch {batch.pk}: {count} invoice{'s' if count != 1 else ''} in the "
            f"{format_label(key)} format, file {batch.file_name}."
        )
        if len(result.files) > 1:
            self.stdout.write(f"The file is a zip of {len(result.files)} parts.")
        self.stdout.write(f"Wrote {path} ({len(batch.content):,} bytes, SHA-256 {batch.checksum}).")
        self._skipped(result.problems, result.left_out_already_exported)

    def _skipped(
        self, problems: dict[int, tuple[str, ...]], exported: list[int] | tuple[int, ...]
    ) -> None:
        for number in sorted(problems):
            for message in problems[number]:
                self.stdout.write(f"Skipped {message}")
        for number in exported:
            self.stdout.write(
                f"Skipped Invoice {number}: exported before; add --include-exported to "
                "send it again."
            )
