"""The one way a service records a state change, inside its own transaction."""

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import models

from jobledger.core.models import AuditEvent
from jobledger.core.roles import AnyUser


def audit(
    *,
    actor: AnyUser,
    action: str,
    subject: models.Model,
    from_value: object = "",
    to_value: object = "",
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) else None,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        subject_label=str(subject)[:200],
        from_value=str(from_value)[:200],
        to_value=str(to_value)[:200],
        detail=detail,
    )


def audit_many(
    *,
    actor: AnyUser,
    action: str,
    subjects: Sequence[models.Model],
    from_value: object = "",
    to_value: object = "",
    detail: str = "",
) -> None:
    """One event per row, written in a single insert."""
    user = actor if isinstance(actor, User) else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            action=action,
            subject_type=subject._meta.label_lower,
            subject_id=subject.pk,
            subject_label=str(subject)[:200],
            from_value=str(from_value)[:200],
            to_value=str(to_value)[:200],
            detail=detail,
        )
        for subject in subjects
    )


def events_for(subject: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=subject.pk
    ).select_related("actor")
