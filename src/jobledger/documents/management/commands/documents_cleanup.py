from typing import Any

from django.core.management.base import BaseCommand

from jobledger.documents.services import documents_cleanup


class Command(BaseCommand):
    help = (
        "Remove zips and merged prints kept past their day, and cached invoice PDFs "
        "unused for 30 days. Starting a new print does this too; run it daily from cron "
        "on a quiet system."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs, cached = documents_cleanup()
        self.stdout.write(f"Removed {jobs} expired print(s) and {cached} unused cached PDF(s).")
