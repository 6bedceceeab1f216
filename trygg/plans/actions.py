"""Every write of shared plan data goes through a do_* function here: transactional and audited."""

from __future__ import annotations

from django.db import transaction

from .models import Activity, ActivityStatus, FollowUp, StatusChange
from .status_rules import parse_status


class PlanError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


@transaction.atomic
def do_set_activity_status(
    activity: Activity,
    follow_up: FollowUp,
    status: str,
    comment: str,
    *,
    acting_user,
    source: str = "web",
) -> ActivityStatus:
    """Set an activity's status and comment in a follow-up, recording the change in the history.

    Nothing is written when neither value changes. Raises PlanError (Swedish) for an invalid status or an
    activity that does not belong to the follow-up's plan.
    """
    try:
        new_status = parse_status(status).value
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    if activity.intervention.area.plan_id != follow_up.plan_id:
        raise PlanError("Aktiviteten hör inte till uppföljningens plan.")
    comment = (comment or "").replace("\r\n", "\n").strip()

    current = (
        ActivityStatus.objects.select_for_update().filter(follow_up=follow_up, activity=activity).first()
    )
    if current is not None and current.status == new_status and current.comment == comment:
        return current
    old_status, old_comment = (current.status, current.comment) if current else ("", "")
    if current is None:
        current = ActivityStatus.objects.create(
            follow_up=follow_up, activity=activity, status=new_status, comment=comment
        )
    else:
        current.status, current.comment = new_status, comment
        current.save(update_fields=["status", "comment", "updated_at"])
    StatusChange.objects.create(
        follow_up=follow_up,
        activity=activity,
        changed_by=acting_user if getattr(acting_user, "pk", None) else None,
        old_status=old_status,
        new_status=new_status,
        old_comment=old_comment,
        new_comment=comment,
        source=source,
    )
    return current


FOLLOW_UP_TEXT_FIELDS = ("date", "recipient", "introduction", "summary", "current_analysis")


@transaction.atomic
def do_update_follow_up(follow_up: FollowUp, values: dict, *, acting_user) -> list[str]:
    """Update a follow-up's date, recipient and report texts; audit what changed. Returns changed fields."""
    from trygg.accounts.audit import record_audit

    changed = {}
    for name in FOLLOW_UP_TEXT_FIELDS:
        if name in values and getattr(follow_up, name) != values[name]:
            changed[name] = [str(getattr(follow_up, name)), str(values[name])]
            setattr(follow_up, name, values[name])
    if changed:
        follow_up.save(update_fields=list(changed))
        record_audit(acting_user, "follow_up.update", follow_up, changed)
    return list(changed)
