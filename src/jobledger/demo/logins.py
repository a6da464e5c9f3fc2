"""The demo users: who they are, their shared password, and the table printed at start-up."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from jobledger.core.roles import ADMINISTRATOR, ensure_role_groups
from jobledger.demo.catalog import LOGINS, STAFF

PASSWORD_FILE = "demo-password"


@dataclass(frozen=True)
class DemoPassword:
    value: str
    source: str  # where it came from, said once above the table


def demo_password() -> DemoPassword:
    """DEMO_PASSWORD when set; otherwise the one stored under VAR_DIR, made on first use."""
    from_env = os.environ.get("DEMO_PASSWORD", "").strip()
    if from_env:
        return DemoPassword(from_env, "from DEMO_PASSWORD")
    path = Path(settings.VAR_DIR) / PASSWORD_FILE
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return DemoPassword(stored, f"stored in {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(12)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return DemoPassword(value, f"generated and stored in {path}")


def ensure_people() -> dict[str, User]:
    """Every demo person as a user in their role group; only the three logins get a password."""
    if Group.objects.count() < 3:
        ensure_role_groups()
    groups = {group.name: group for group in Group.objects.all()}
    users = {}
    for person in (*LOGINS, *STAFF):
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.first_name[0].lower()}{person.last_name.lower()}"
                "@ridgeline-se.example",
                "is_staff": person.role == ADMINISTRATOR,
            },
        )
        if created and not person.login:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(groups[person.role])
        users[person.username] = user
    return users


def set_login_passwords(password: str) -> None:
    """Give the three demo logins the demo password, on every run, so a new one takes effect.

    The three share the password by design, so one hash serves them: each hash costs
    most of a second, and this runs at every start.
    """
    encoded = make_password(password)
    User.objects.filter(username__in=[p.username for p in LOGINS]).update(
        password=encoded, is_active=True
    )


def logins_table(password: DemoPassword) -> str:
    rows = [("User", "Role", "Name", "Password")]
    rows += [(p.username, p.role, p.full_name, password.value) for p in LOGINS]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(
        [f"Demo logins (password {password.source}):", *(f"  {line}" for line in lines)]
    )
