"""What the export commands share: who acts, where the file goes, how dates are read."""

import datetime
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db.models import Q

from jobledger.core.roles import ADMINISTRATOR
from jobledger.exports.formats import FORMATS
from jobledger.exports.models import ExportBatch


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
