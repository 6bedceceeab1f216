"""Every write of plan data goes through a do_* function here, whatever the route (web form, import of JSON,
YAML or XLSX, management command, demo loader).

Each one calls the one write path, :mod:`trygg.accounts.writes`: text cleaned (NUL and bidi controls removed),
personal data redacted in the model's ``FREE_TEXT_FIELDS``, lengths checked against the column, one audit row
with the true old and new values, ``update_fields`` on existing rows. The status history (``StatusChange``) is
the audit trail of :func:`do_set_activity_status`. A refused write raises :class:`PlanError` (Swedish).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from trygg.accounts import writes
from trygg.accounts.models import Unit
from trygg.accounts.writes import Written
from trygg.lib.pii import PiiFinding, explain

from .models import Activity, ActivityStatus, Area, FollowUp, Intervention, Plan, Program, StatusChange
from .status_rules import parse_status

PUBLIC_RECORD_REASON = "uppföljningsrapporten är en allmän handling och ska inte innehålla personuppgifter."


class PlanError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


def plan_reason(explanation: str) -> str:
    """The write path's explanation ("Vi tog bort … ur beskrivningen: …") with the reason that applies to
    plans: the follow-up report is a public record. "" stays ""."""
    return f"{explanation.split(':')[0]}: {PUBLIC_RECORD_REASON}" if explanation else ""


def redaction_message(findings: list[PiiFinding], where: str) -> str:
    """Swedish sentence for the editor: what was removed from `where` and why ("" when nothing was)."""
    return plan_reason(explain(findings, where=where))


def _create(model, values: Mapping[str, Any], acting_user, m2m=None) -> Written:
    try:
        return writes.create(model, values, acting_user=acting_user, m2m=m2m)
    except writes.WriteError as exc:
        raise PlanError(str(exc)) from None


def _update(obj, values: Mapping[str, Any], acting_user, m2m=None) -> Written:
    try:
        return writes.update(obj, values, acting_user=acting_user, m2m=m2m)
    except writes.WriteError as exc:
        raise PlanError(str(exc)) from None


# --- Structure: units, program, plan, areas, interventions, activities, follow-ups ----------------------


def do_create_unit(municipality, name: str, *, acting_user) -> Written:
    """A responsible unit (enhet) of the municipality, created by a plan import."""
    return _create(Unit, {"municipality": municipality, "name": name}, acting_user)


def do_create_program(values: Mapping[str, Any], *, acting_user) -> Written:
    """values: municipality, name, adopted_by, adopted_on, diary_number (and uid from an import)."""
    return _create(Program, values, acting_user)


def do_update_program(program: Program, values: Mapping[str, Any], *, acting_user) -> Written:
    if "municipality" in values and values["municipality"].pk != program.municipality_id:
        raise PlanError("Ett program kan inte flyttas till en annan kommun.")
    return _update(program, values, acting_user)


def do_create_plan(values: Mapping[str, Any], *, acting_user) -> Written:
    """values: municipality, slug, name, period_start, period_end, program, adopted_by, adopted_on,
    diary_number (and uid from an import)."""
    return _create(Plan, values, acting_user)


def do_update_plan(plan: Plan, values: Mapping[str, Any], *, acting_user) -> Written:
    if "municipality" in values and values["municipality"].pk != plan.municipality_id:
        raise PlanError("En plan kan inte flyttas till en annan kommun.")
    return _update(plan, values, acting_user)


def do_create_area(values: Mapping[str, Any], *, acting_user) -> Written:
    """values: plan, number, title, description."""
    return _create(Area, values, acting_user)


def do_update_area(area: Area, values: Mapping[str, Any], *, acting_user) -> Written:
    return _update(area, values, acting_user)


def do_create_intervention(values: Mapping[str, Any], *, acting_user) -> Written:
    """values: area, number, title."""
    return _create(Intervention, values, acting_user)


def do_update_intervention(intervention: Intervention, values: Mapping[str, Any], *, acting_user) -> Written:
    return _update(intervention, values, acting_user)


def do_create_activity(
    values: Mapping[str, Any], *, units: Iterable[Unit] | None = None, acting_user
) -> Written:
    """values: intervention, title, planned_start, planned_end, political_assignment, political_reference,
    order; units: the responsible units (of the plan's municipality)."""
    return _create(Activity, values, acting_user, m2m={"units": units} if units is not None else None)


def do_update_activity(
    activity: Activity, values: Mapping[str, Any], *, units: Iterable[Unit] | None = None, acting_user
) -> Written:
    """Only the given fields change; units=None leaves the responsible units as they are."""
    return _update(activity, values, acting_user, m2m={"units": units} if units is not None else None)


def do_create_follow_up(values: Mapping[str, Any], *, acting_user) -> Written:
    """values: plan, year, date, recipient, introduction, summary, current_analysis."""
    return _create(FollowUp, values, acting_user)


FOLLOW_UP_TEXT_FIELDS = ("date", "recipient", "introduction", "summary", "current_analysis")


def do_update_follow_up(follow_up: FollowUp, values: Mapping[str, Any], *, acting_user) -> Written:
    """Update a follow-up's year, date, recipient and report texts (only those given); one audit row with
    the true old and new values. Personal data is redacted from the recipient and the texts: the findings
    are on the result (``.findings``, ``.explanation``)."""
    allowed = {"year", *FOLLOW_UP_TEXT_FIELDS}
    return _update(follow_up, {k: v for k, v in values.items() if k in allowed}, acting_user)


# --- Status and comment of an activity in a follow-up ----------------------------------------------------


@transaction.atomic
def do_set_activity_status(
    activity: Activity,
    follow_up: FollowUp,
    status: str,
    comment: str,
    *,
    acting_user,
    source: str = "web",
    base: Mapping[str, Any] | None = None,
) -> ActivityStatus:
    """Set an activity's status and comment in a follow-up, recording the change in the history
    (StatusChange: who, when, old and new value), which is this action's audit trail.

    The comment goes through the write path's cleaning (NUL and bidi controls removed, personal data redacted,
    at most writes.TEXT_MAX characters); the findings are on the returned row as `redactions`. Nothing is
    written when neither value changes. Raises PlanError (Swedish) for an invalid status, a comment that is
    too long or an activity that does not belong to the follow-up's plan.

    ``base``: the status and comment the form showed (``{"status": "", "comment": ""}`` when there was no row).
    Only what the user changed is written; if someone else changed the same value meanwhile, nothing is
    written and PlanError says what changed (optimistic locking, as ``writes.update(base=...)``).
    """
    try:
        new_status = parse_status(status).value
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    if activity.intervention.area.plan_id != follow_up.plan_id:
        raise PlanError("Aktiviteten hör inte till uppföljningens plan.")
    try:
        cleaned, findings, _ = writes.clean_values(ActivityStatus, {"comment": comment or ""})
    except writes.WriteError as exc:
        raise PlanError(str(exc)) from None
    comment = cleaned["comment"]
    # Lock the activity so that two first saves of its status cannot race into a duplicate row.
    Activity.objects.select_for_update().filter(pk=activity.pk).first()

    current = (
        ActivityStatus.objects.select_for_update().filter(follow_up=follow_up, activity=activity).first()
    )
    if base is not None:
        stored = (
            {"status": current.status, "comment": current.comment}
            if current
            else {"status": "", "comment": ""}
        )
        write, conflicts = writes.three_way(base, stored, {"status": new_status, "comment": comment})
        if conflicts:
            message = writes.stale_message(ActivityStatus, conflicts)
            raise PlanError(message) from writes.StaleWrite(message, conflicts)
        new_status, comment = write.get("status", stored["status"]), write.get("comment", stored["comment"])
        if not new_status:
            raise PlanError("Välj en status.")
    if current is not None and current.status == new_status and current.comment == comment:
        current.redactions = findings
        return current
    old_status, old_comment = (current.status, current.comment) if current else ("", "")
    if current is None:
        current = ActivityStatus.objects.create(
            follow_up=follow_up, activity=activity, status=new_status, comment=comment
        )
    else:
        current.status, current.comment = new_status, comment
        current.save(update_fields=["status", "comment", "updated_at"])
    history, _, _ = writes.clean_values(StatusChange, {"old_comment": old_comment, "new_comment": comment})
    StatusChange.objects.create(
        follow_up=follow_up,
        activity=activity,
        changed_by=acting_user if getattr(acting_user, "pk", None) else None,
        old_status=old_status,
        new_status=new_status,
        source=source,
        **history,
    )
    current.redactions = findings
    return current


# --- Publishing for residents (trygg.publishing) -----------------------------------------------------------


def do_set_plan_published(plan: Plan, published: bool, *, acting_user) -> Written:
    """Open the plan to residents, API clients and open data (or close it again). One audit row."""
    return _update(plan, {"published": bool(published)}, acting_user)


def do_set_follow_up_published(follow_up: FollowUp, published: bool, *, acting_user) -> Written:
    """Publish a year's follow-up of a published plan: its statuses, report texts and report files."""
    return _update(follow_up, {"published": bool(published)}, acting_user)


def do_set_comment_published(activity_status: ActivityStatus, published: bool, *, acting_user) -> Written:
    """Show (or hide) one activity's comment of one year on the public pages, in the API and open data."""
    if published and not activity_status.comment.strip():
        raise PlanError("Det finns ingen kommentar att publicera.")
    return _update(activity_status, {"comment_published": bool(published)}, acting_user)
