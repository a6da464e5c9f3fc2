"""The three roles, as Django groups, and the checks services make against them."""

from collections.abc import Mapping
from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

from jobledger.core.errors import PermissionRefused

ADMINISTRATOR = "Administrator"
PROJECT_MANAGER = "Project Manager"
FIELD = "Field"
ROLES = (ADMINISTRATOR, PROJECT_MANAGER, FIELD)

# The acting user a service receives; views pass request.user after login_required.
Actor: TypeAlias = User
AnyUser: TypeAlias = User | AnonymousUser


def role_names(user: AnyUser) -> set[str]:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return set()
    cached: set[str] | None = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMINISTRATOR)
        user._role_names = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_administrator(user: AnyUser) -> bool:
    return has_role(user, ADMINISTRATOR)


def require_role(user: AnyUser, *roles: str, action: str) -> None:
    """Refuse `action` unless the user holds one of `roles`."""
    if not has_role(user, *roles):
        allowed = " or ".join(f"{role}s" for role in roles)
        raise PermissionRefused(f"Only {allowed} can {action}.")


def require_administrator(user: AnyUser, *, action: str) -> None:
    require_role(user, ADMINISTRATOR, action=action)


# What each role may do in the Django admin and through model permissions.
# The services make the real checks; these keep the admin screens consistent with them.
_ADMIN_APPS = ("core", "customers", "jobs", "invoicing", "ledger", "exports")
_PROJECT_MANAGER_PERMS: dict[str, tuple[str, ...]] = {
    "customers": ("view_customer", "view_taxcode"),
    "jobs": (
        "view_department",
        "view_task",
        "view_job",
        "add_job",
        "change_job",
        "view_dwr",
        "add_dwr",
        "change_dwr",
        "view_dwrline",
        "add_dwrline",
        "change_dwrline",
        "view_fixedpricerequest",
        "add_fixedpricerequest",
        "change_fixedpricerequest",
    ),
    "invoicing": ("view_invoice", "add_invoice", "change_invoice", "view_invoiceline"),
}
# Administrators give people their logins and roles; they do not delete users, whose
# names stay on the invoices and audit events they wrote.
_ADMIN_USER_PERMS: dict[str, tuple[str, ...]] = {
    "auth": ("view_user", "add_user", "change_user", "view_group"),
}
_FIELD_PERMS: dict[str, tuple[str, ...]] = {
    "jobs": (
        "view_job",
        "view_task",
        "view_dwr",
        "add_dwr",
        "change_dwr",
        "view_dwrline",
        "add_dwrline",
        "change_dwrline",
    ),
}


def ensure_role_groups(**kwargs: object) -> None:
    """Create the three role groups with their permissions; safe to run again."""
    from django.contrib.auth.models import Group, Permission

    def permissions(spec: Mapping[str, tuple[str, ...]]) -> list[Permission]:
        found: list[Permission] = []
        for app_label, codenames in spec.items():
            found += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        return found

    admin_group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin_group.permissions.set(
        [
            *Permission.objects.filter(content_type__app_label__in=_ADMIN_APPS),
            *permissions(_ADMIN_USER_PERMS),
        ]
    )
    pm_group, _ = Group.objects.get_or_create(name=PROJECT_MANAGER)
    pm_group.permissions.set(permissions(_PROJECT_MANAGER_PERMS))
    field_group, _ = Group.objects.get_or_create(name=FIELD)
    field_group.permissions.set(permissions(_FIELD_PERMS))
