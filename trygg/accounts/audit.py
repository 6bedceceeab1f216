from .models import AuditEvent


def record_audit(actor, action: str, obj, changes: dict) -> AuditEvent:
    """Write one audit row; `changes` maps field name to [old, new] (JSON-serialisable values)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
    )
