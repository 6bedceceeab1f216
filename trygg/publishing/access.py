"""Who reads: an anonymous resident (public data only) or an API token (one role in one municipality).

The one place that decides what leaves through the public pages, the open-data files and the read API:

- a plan is public when the coordinator published it (``Plan.published``);
- a follow-up (the year's statuses, report texts and report files) when it is published too, in a public plan;
- a comment when ``ActivityStatus.comment_published`` is set, in a public follow-up;
- the status history (``StatusChange``) is shown as the status per published year, never who changed it.

A token of municipality A reads, besides everything public, A's own plans as a user with the token's role
reads them (unpublished plans and follow-ups, every comment); nothing of municipality B that is not public.
Anything else is a 404: it does not exist for the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.accounts.models import Role
from trygg.plans.models import Activity, ActivityStatus, FollowUp, Plan


@dataclass(frozen=True)
class Reader:
    """municipality_id/role: the API token's scope; None for an anonymous reader."""

    municipality_id: int | None = None
    role: str = ""
    token_id: int | None = None

    @property
    def is_public(self) -> bool:
        return self.municipality_id is None

    def owns(self, municipality_id: int) -> bool:
        return self.municipality_id is not None and self.municipality_id == municipality_id

    @property
    def sees_single_incidents(self) -> bool:
        """Roles that work the lägesbild see unsuppressed counts (the API still gives aggregates only)."""
        return not self.is_public and self.role in (Role.ADMIN, Role.COORDINATOR, Role.PARTNER)


PUBLIC = Reader()


def plans(reader: Reader = PUBLIC) -> QuerySet[Plan]:
    q = Q(published=True)
    if not reader.is_public:
        q |= Q(municipality_id=reader.municipality_id)
    return Plan.objects.filter(q).select_related("municipality", "program")


def get_plan(reader: Reader, slug: str) -> Plan:
    plan = plans(reader).filter(slug=slug).first()
    if plan is None:
        raise Http404("Planen finns inte eller är inte publicerad.")
    return plan


def follow_ups(reader: Reader, plan: Plan) -> list[FollowUp]:
    """The plan's follow-ups the reader may see, newest first."""
    qs = FollowUp.objects.filter(plan=plan).order_by("-year")
    if not reader.owns(plan.municipality_id):
        qs = qs.filter(published=True)
    return list(qs)


def comment_visible(reader: Reader, plan: Plan, status: ActivityStatus) -> bool:
    return reader.owns(plan.municipality_id) or status.comment_published


def shown_comment(reader: Reader, plan: Plan, status: ActivityStatus | None) -> str:
    if status is None or not comment_visible(reader, plan, status):
        return ""
    return status.comment


def get_activity(reader: Reader, plan: Plan, pk: int) -> Activity:
    activity = (
        Activity.objects.for_plan(plan)
        .select_related("intervention__area")
        .prefetch_related("units")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404("Aktiviteten finns inte.")
    return activity


def activity_history(reader: Reader, plan: Plan, activity: Activity) -> list[dict]:
    """The activity's status per visible year, newest first: year, status, comment (when shown) and the
    dates the status was set that year (from the status history; who set it is never shown)."""
    years = follow_ups(reader, plan)
    statuses = {s.follow_up_id: s for s in ActivityStatus.objects.filter(activity=activity)}
    changes: dict[int, list] = {}
    for change in activity.changes.filter(follow_up__in=years).order_by("changed_at", "pk"):
        changes.setdefault(change.follow_up_id, []).append(
            {"date": change.changed_at.date().isoformat(), "status": change.new_status}
        )
    rows = []
    for follow_up in years:
        status = statuses.get(follow_up.pk)
        steps = []
        for step in changes.get(follow_up.pk, []):
            if not steps or steps[-1]["status"] != step["status"]:  # comment-only edits are not a step
                steps.append(step)
        rows.append(
            {
                "year": follow_up.year,
                "status": status.status if status else "",
                "comment": shown_comment(reader, plan, status),
                "changes": steps,
            }
        )
    return rows
