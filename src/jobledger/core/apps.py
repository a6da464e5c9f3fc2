from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "jobledger.core"
    label = "core"
    verbose_name = "Company and audit"

    def ready(self) -> None:
        from jobledger.core.roles import ensure_role_groups

        # Permissions exist only after every app has migrated, so the role groups are
        # (re)built then; the step is idempotent.
        post_migrate.connect(ensure_role_groups, dispatch_uid="jobledger-role-groups")
