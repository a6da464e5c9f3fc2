"""What the export and print commands share: who acts, which invoices, where the file
goes, how dates are read."""

import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.db.models import Q, QuerySet

from jobledger.core.roles import ADMINISTRATOR
from jobledger.exports.formats import FORMATS
from jobledger.exports.models import ExportBatch
from jobledger.exports.selectors import STAGE_CHOICES, invoices_matching
from jobledger.invoicing.models import Invoice


def acting_user(username: str | None) -> User:
    """The user named by --user, or else the only active Administrator."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user called “{username}”.")
        return user
    administrators = list(
        User.objects.filter(Q(groups__name=ADMINISTRATOR) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")[:2]
    )
    if not administrators:
        raise CommandError(
            "There is no active Administrator; name the user who exports with --user."
        )
    if len(administrators) > 1:
        raise CommandError(
            "There is more than one active Administrator; name the one who exports with --user."
        )
    return administrators[0]


def format_key(key: str) -> str:
    if key not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise CommandError(f"“{key}” is not an export format; choose one of {known}.")
    return key


def output_path(value: str) -> Path:
    """--out: a file, or a folder that gets the batch's own file name."""
    path = Path(value).expanduser()
    if path.is_dir():
        return path
    if not path.parent.is_dir():
        raise CommandError(f"The folder {path.parent} does not exist; nothing was exported.")
    return path


def write_batch_file(out: Path, batch: ExportBatch) -> Path:
    target = out / batch.file_name if out.is_dir() else out
    try:
        target.write_bytes(bytes(batch.content))
    except OSError as error:
        raise CommandError(
            f"Batch {batch.pk} was recorded but {target} could not be written ({error.strerror}); "
            "download the file from the Export Log."
        ) from None
    return target


def date_option(value: str | None, option: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} takes a date as YYYY-MM-DD, not “{value}”.") from None


def add_invoice_filters(parser: CommandParser) -> None:
    """The options that choose invoices: stage, customer, job and invoice dates."""
    parser.add_argument("--stage", choices=sorted(STAGE_CHOICES), default="admin")
    parser.add_argument("--client", default="", help="customer code")
    parser.add_argument("--job", default="", help="job number")
    parser.add_argument("--from", dest="date_from", help="first invoice date, YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", help="last invoice date, YYYY-MM-DD")


def chosen_invoices(options: dict[str, Any], *, outcome: str) -> QuerySet[Invoice]:
    """The invoices the filter options choose; `outcome` ends the refusals ("nothing was
    exported")."""
    date_from = date_option(options["date_from"], "--from")
    date_to = date_option(options["date_to"], "--to")
    if date_from and date_to and date_from > date_to:
        raise CommandError(f"--from is after --to; {outcome}.")
    invoices = invoices_matching(
        stage=options["stage"],
        client=options["client"],
        job=options["job"],
        date_from=date_from,
        date_to=date_to,
    )
    if not invoices.exists():
        raise CommandError(f"No invoice matches these options; {outcome}.")
    return invoices
