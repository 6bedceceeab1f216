"""Where the law's work stands for one municipality: the facts read from the database (a fixed number of
queries), judged by the plain rules in :mod:`deadlines`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min

from trygg.plans.models import FollowUp

from . import deadlines
from .models import (
    ActionPlan,
    Agreement,
    Assessment,
    CoordinationFunction,
    CouncilReport,
    Forum,
    ForumMeeting,
)


def facts_for(municipality, today: dt.date) -> deadlines.Facts:
    lagesbild = Assessment.objects.filter(municipality=municipality, completed_on__lte=today).aggregate(
        d=Max("completed_on")
    )["d"]
    plan = (
        ActionPlan.objects.filter(municipality=municipality, decided_on__lte=today)
        .order_by("-decided_on", "-pk")
        .first()
    )
    follow_up = None
    if plan is not None and plan.plan_id:
        follow_up = FollowUp.objects.filter(plan_id=plan.plan_id, date__lte=today).aggregate(d=Max("date"))[
            "d"
        ]
    report = CouncilReport.objects.filter(municipality=municipality, date__lte=today).aggregate(
        d=Max("date")
    )["d"]
    in_force = Agreement.objects.filter(municipality=municipality).in_force(today)
    council = (
        Forum.objects.filter(municipality=municipality, kind=Forum.Kind.STRATEGIC).order_by("pk").first()
    )
    last_meeting = None
    if council is not None:
        last_meeting = ForumMeeting.objects.filter(forum=council, date__lte=today).aggregate(d=Max("date"))[
            "d"
        ]
    function = CoordinationFunction.objects.filter(municipality=municipality).first()
    contact = ""
    if function is not None and (function.email or function.phone):
        contact = f"{function.name}: " + ", ".join(x for x in (function.email, function.phone) if x)
    return deadlines.Facts(
        lagesbild_on=lagesbild,
        plan_decided_on=plan.decided_on if plan else None,
        plan_decided_by=plan.decided_by if plan else "",
        last_follow_up_on=follow_up,
        last_council_report_on=report,
        agreements_in_force=in_force.count(),
        next_agreement_revision=in_force.aggregate(d=Min("revision_on"))["d"],
        strategic_council=council.name if council else "",
        council_last_meeting=last_meeting,
        coordination_function=contact,
    )


def events_for(municipality, today: dt.date) -> list[tuple[dt.date, str]]:
    """Recorded events for the årshjul (the last three years and what is already planned)."""
    since = deadlines.add_years(today, -3)
    events: list[tuple[dt.date, str]] = []
    for a in Assessment.objects.filter(municipality=municipality, completed_on__gte=since):
        events.append((a.completed_on, f"Lägesbild fastställd: {a.title}"))
    for ap in ActionPlan.objects.filter(municipality=municipality, decided_on__gte=since):
        events.append((ap.decided_on, f"Åtgärdsplan beslutad av {ap.decided_by}: {ap.title}"))
    plan_ids = ActionPlan.objects.filter(municipality=municipality, plan__isnull=False).values("plan_id")
    for f in FollowUp.objects.filter(plan_id__in=plan_ids, date__gte=since).select_related("plan"):
        events.append((f.date, f.title))
    for r in CouncilReport.objects.filter(municipality=municipality, date__gte=since):
        events.append((r.date, f"Rapport till {r.body}: {r.subject}"))
    for m in ForumMeeting.objects.filter(forum__municipality=municipality, date__gte=since).select_related(
        "forum"
    ):
        events.append((m.date, f"Möte: {m.forum.name}"))
    for ag in Agreement.objects.filter(municipality=municipality, revision_on__gte=since):
        events.append((ag.revision_on, f"Revidering: {ag.title}"))
    return events


def checklist_for(municipality, today: dt.date) -> list[deadlines.Duty]:
    return deadlines.checklist(facts_for(municipality, today), today)


def overdue_for(municipality, today: dt.date) -> list[deadlines.Duty]:
    return deadlines.overdue(facts_for(municipality, today), today)
