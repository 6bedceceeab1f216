"""Every write of shared plan data goes through a do_* function here: transactional and audited."""

from __future__ import annotations

from django.db import transaction

from trygg.lib.pii import PiiFinding, explain, redact

from .models import Activity, ActivityStatus, FollowUp, StatusChange
from .status_rules import parse_status

PUBLIC_RECORD_REASON = "uppföljningsrapporten är en allmän handling och ska inte innehålla personuppgifter."


def redaction_message(findings: list[PiiFinding], where: str) -> str:
    """Swedish sentence for the editor: what was removed from `where` and why ("" when nothing was)."""
    text = explain(findings, where=where)
    return f"{text.split(':')[0]}: {PUBLIC_RECORD_REASON}" if text else ""


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

    Personal data (personnummer, phone numbers, e-mail addresses, registration numbers) is redacted from the
    comment before storage; the findings are on the returned row as `redactions`. Nothing is written when
    neither value changes. Raises PlanError (Swedish) for an invalid status or an activity that does not
    belong to the follow-up's plan.
    """
    try:
        new_status = parse_status(status).value
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    if activity.intervention.area.plan_id != follow_up.plan_id:
        raise PlanError("Aktiviteten hör inte till uppföljningens plan.")
    redaction = redact((comment or "").replace("\r\n", "\n").strip())
    comment = redaction.text
    # Lock the activity so that two first saves of its status cannot race into a duplicate row.
    Activity.objects.select_for_update().filter(pk=activity.pk).first()

    current = (
        ActivityStatus.objects.select_for_update().filter(follow_up=follow_up, activity=activity).first()
    )
    if current is not None and current.status == new_status and current.comment == comment:
        current.redactions = redaction.findings
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
    current.redactions = redaction.findings
    return current


FOLLOW_UP_TEXT_FIELDS = ("date", "recipient", "introduction", "summary", "current_analysis")


@transaction.atomic
def do_update_follow_up(follow_up: FollowUp, values: dict, *, acting_user) -> list[str]:
    """Update a follow-up's date, recipient and report texts; audit what changed. Returns changed fields.

    Personal data is redacted from the texts; the findings are left on `follow_up.redactions`."""
    from trygg.accounts.audit import record_audit

    changed = {}
    findings: list[PiiFinding] = []
    values = dict(values)
    for name in ("introduction", "summary", "current_analysis"):
        if isinstance(values.get(name), str):
            redaction = redact(values[name])
            values[name] = redaction.text
            findings.extend(redaction.findings)
    follow_up.redactions = findings
    for name in FOLLOW_UP_TEXT_FIELDS:
        if name in values and getattr(follow_up, name) != values[name]:
            changed[name] = [str(getattr(follow_up, name)), str(values[name])]
            setattr(follow_up, name, values[name])
    if changed:
        follow_up.save(update_fields=list(changed))
        record_audit(acting_user, "follow_up.update", follow_up, changed)
    return list(changed)
