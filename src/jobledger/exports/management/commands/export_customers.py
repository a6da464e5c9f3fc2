from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobledger.core.errors import DomainError
from jobledger.exports.management.commands import _cli
from jobledger.exports.selectors import format_label
from jobledger.exports.services import customer_export_create


class Command(BaseCommand):
    help = (
        "Export the customers new or changed since their last export (or all of them) in a "
        "format's customer layout, as one recorded batch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, help="a key from export_formats")
        parser.add_argument("--out", required=True, help="the file to write, or a folder")
        parser.add_argument("--all", action="store_true", help="every customer, changed or not")
        parser.add_argument("--user", help="who exports (default: the only Administrator)")

    def handle(self, *args: Any, **options: Any) -> None:
        key = _cli.format_key(options["format"])
        out = _cli.output_path(options["out"])
        actor = _cli.acting_user(options["user"])
        try:
            batch = customer_export_create(
                actor=actor, format_key=key, all_customers=options["all"]
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        path = _cli.write_batch_file(out, batch)
        count = batch.customers.count()
        self.stdout.write(
            f"Batch {batch.pk}: {count} customer{'s' if count != 1 else ''} in the "
            f"{format_label(key)} layout, file {batch.file_name}."
        )
        self.stdout.write(f"Wrote {path} ({len(batch.content):,} bytes, SHA-256 {batch.checksum}).")
