"""`jobledger seed_demo [--scale N]`: the demo company, and more invoices for benchmarks."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobledger.demo.loader import DemoRefused, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo company (Ridgeline Site & Electric) on the first run, then print the "
        "demo logins. With --scale N, add N more invoices in bulk for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Add N more invoices with bulk inserts (loads the demo company first if absent).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if scale < 0:
            raise CommandError("--scale takes a number of invoices, 0 or more.")
        try:
            seed_demo(say=self.stdout.write, verbosity=options["verbosity"], scale=scale)
        except DemoRefused as refusal:
            if scale:
                raise CommandError(str(refusal)) from None
            # `make run` on a database with its own data goes on to serve that data.
            self.stderr.write(f"{refusal} The demo company was not loaded.")
