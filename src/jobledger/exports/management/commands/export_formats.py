from typing import Any

from django.core.management.base import BaseCommand

from jobledger.exports.formats import FORMATS


class Command(BaseCommand):
    help = "List the export formats: the key to pass to export_invoices, and its name."

    def handle(self, *args: Any, **options: Any) -> None:
        width = max(len(key) for key in FORMATS)
        for key in sorted(FORMATS):
            fmt = FORMATS[key]
            extras = [f".{fmt.extension}"]
            if fmt.max_invoices_per_file:
                extras.append(f"{fmt.max_invoices_per_file} invoices a file")
            if fmt.write_customers is not None:
                extras.append("customer export")
            self.stdout.write(f"{key:<{width}}  {fmt.label} ({', '.join(extras)})")
