"""The one audit trail (AuditEvent). Writes of shared data reach it through trygg.accounts.writes
(:func:`record_audit`); logins, failed logins, logouts and downloads through :func:`record_event` (signals in
trygg.accounts.signals, the download middleware in trygg.accounts.middleware). Rows are only ever inserted."""

from __future__ import annotations

from django.db import models

from .models import AuditEvent


def _municipality_id(obj: models.Model) -> int | None:
    """The owning municipality of `obj` when the model has one (MUNICIPALITY_PATH or a `municipality` FK),
    reading cached relations first so a write costs no extra query in the usual case."""
    from .tenancy import municipality_path

    model = type(obj)
    if obj._meta.model_name == "municipality" and obj._meta.app_label == "places":
        return obj.pk
    path = municipality_path(model)
    *hops, last = path.split("__")
    current = obj
    try:
        for hop in hops:
            field = current._meta.get_field(hop)
            if not field.is_cached(current):
                return (
                    model._default_manager.filter(pk=obj.pk).values_list(path, flat=True).first()
                    if obj.pk is not None
                    else None
                )
            current = getattr(current, hop)
            if current is None:
                return None
        return getattr(current, f"{last}_id", None)
    except Exception:  # noqa: BLE001 - a model without a municipality: the row has none
        return None


def record_audit(actor, action: str, obj, changes: dict) -> AuditEvent:
    """Write one audit row; `changes` maps field name to [old, new] (JSON-serialisable values)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
        municipality_id=_municipality_id(obj),
    )


def record_event(
    actor,
    action: str,
    *,
    what: str,
    municipality=None,
    actor_name: str = "",
    object_type: str = "",
    object_id: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Write one audit row for an event that is not a write of a row: a login, a failed login (no actor,
    `actor_name` the name that was typed), a download (`what` = the path)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name[:300],
        action=action,
        object_type=object_type,
        object_id=object_id[:64],
        object_repr=what[:300],
        changes=changes or {},
        municipality_id=getattr(municipality, "pk", municipality),
    )
