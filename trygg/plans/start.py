"""The start page: what needs this user now, in the current municipality, by role.

Each block is asked of its app's permission helper first, so a role sees only what it may open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from . import permissions
from .models import Activity, ActivityStatus, FollowUp
from .status_rules import FINISHED

LAST_VISIT_KEY = "trygg_start_last_visit"


@dataclass
class StartPage:
    follow_up: FollowUp | None = None
    my_unreported: list[Activity] = field(default_factory=list)
    unreported_total: int = 0
    activities_total: int = 0
    overdue: list[Activity] = field(default_factory=list)
    next_meeting: object | None = None
    open_actions: list = field(default_factory=list)
    overdue_actions: int = 0
    new_incidents: int | None = None
    since: dt.datetime | None = None
    deadlines: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (date, text, url)
    law_overdue: list = field(default_factory=list)  # assessments.deadlines.Duty, for coordinators


def build_start_page(request, municipality, today: dt.date) -> StartPage:
    from django.urls import reverse

    user = request.user
    page = StartPage()
    if municipality is None:
        return page
    if permissions.can_view_plans(user, municipality):
        _plans(page, user, municipality, today)
        if page.follow_up is not None:
            page.deadlines.append(
                (
                    page.follow_up.date,
                    f"{page.follow_up.title} ska vara klar",
                    reverse("plans:follow_up_detail", args=[page.follow_up.plan.slug, page.follow_up.year]),
                )
            )
    _situation(page, request, municipality, today)
    from trygg.assessments import checklist
    from trygg.assessments import permissions as law

    if law.can_manage(user, municipality):
        page.law_overdue = checklist.overdue_for(municipality, today)
    page.deadlines.sort(key=lambda d: d[0])
    return page


def _plans(page: StartPage, user, municipality, today: dt.date) -> None:
    # The follow-up being written now: the latest one of the municipality's plans.
    follow_up = (
        FollowUp.objects.filter(plan__municipality=municipality)
        .select_related("plan")
        .order_by("-year", "-date")
        .first()
    )
    if follow_up is None:
        return
    page.follow_up = follow_up
    activities = Activity.objects.for_plan(follow_up.plan).select_related("intervention__area")
    statuses = dict(ActivityStatus.objects.filter(follow_up=follow_up).values_list("activity_id", "status"))
    all_activities = list(activities.in_report_order())
    page.activities_total = len(all_activities)
    page.unreported_total = sum(1 for a in all_activities if a.pk not in statuses)
    unit_ids = set(user.units.values_list("pk", flat=True))
    if unit_ids:
        mine = activities.filter(units__in=unit_ids).distinct().in_report_order()
        page.my_unreported = [a for a in mine if a.pk not in statuses]
    page.overdue = [
        a
        for a in all_activities
        if a.planned_end and a.planned_end < today and statuses.get(a.pk) not in FINISHED
    ][:10]


def _situation(page: StartPage, request, municipality, today: dt.date) -> None:
    from django.urls import reverse

    from trygg.situation import permissions as situation
    from trygg.situation.models import Action, Incident, Meeting

    if not situation.can_view_situation(request.user, municipality):
        return
    page.next_meeting = (
        Meeting.objects.filter(municipality=municipality, date__gte=today).order_by("date").first()
    )
    actions = Action.objects.filter(municipality=municipality).open()
    if page.next_meeting is not None:
        page.open_actions = list(actions.order_by("due_date", "pk")[:8])
        page.deadlines.append(
            (
                page.next_meeting.date,
                "Nästa lägesbildsmöte",
                reverse("situation:meeting_detail", args=[page.next_meeting.pk]),
            )
        )
    page.overdue_actions = actions.overdue(today).count()
    for action in actions.filter(due_date__gte=today).order_by("due_date")[:5]:
        page.deadlines.append(
            (action.due_date, f"Åtgärd: {action.title}", reverse("situation:action_detail", args=[action.pk]))
        )
    # "Since my last visit": the time this start page was last shown to the user, else the last login.
    stored = request.session.get(LAST_VISIT_KEY)
    since = dt.datetime.fromisoformat(stored) if stored else request.user.last_login
    if since is None:
        since = timezone.now() - dt.timedelta(days=7)
    page.since = since
    page.new_incidents = Incident.objects.filter(municipality=municipality, created_at__gt=since).count()
    request.session[LAST_VISIT_KEY] = timezone.now().isoformat()
