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
    event = _event(actor, action, subject, from_value, to_value, detail)
    event.save()
    return event


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
    AuditEvent.objects.bulk_create(
        _event(actor, action, subject, from_value, to_value, detail) for subject in subjects
    )


def _event(
    actor: AnyUser,
    action: str,
    subject: models.Model,
    from_value: object,
    to_value: object,
    detail: str,
) -> AuditEvent:
    return AuditEvent(
        actor=actor if isinstance(actor, User) else None,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        subject_label=str(subject)[:200],
        from_value=str(from_value)[:200],
        to_value=str(to_value)[:200],
        detail=detail,
    )


def events_for(subject: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=subject.pk
    ).select_related("actor")
