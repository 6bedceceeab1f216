"""Fixtures for publishing tests: a published plan of municipality A and an unpublished one of B."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from trygg.plans.actions import do_set_comment_published, do_set_follow_up_published, do_set_plan_published
from trygg.plans.models import ActivityStatus, FollowUp, Plan
from trygg.plans.tests.builders import build_plan

PUBLISHED_COMMENT = "Arbetet går enligt plan"
INTERNAL_COMMENT = "Intern anteckning som inte får visas"


@dataclass
class Published:
    plan: Plan
    follow_up: FollowUp  # 2023, published
    draft: FollowUp  # 2024, not published
    shown: ActivityStatus  # its comment is published
    hidden: ActivityStatus  # its comment is internal


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def published(municipality) -> Published:
    plan, follow_up = build_plan(
        slug="trygg-i-kungalv",
        areas=2,
        activities=3,
        municipality=municipality,
        comment=INTERNAL_COMMENT + " {n}",
    )
    draft = FollowUp.objects.create(
        plan=plan,
        year=2024,
        date=follow_up.date.replace(year=2025),
        summary="Utkast till sammanfattning 2024",
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(summary="Sammanfattning av året 2023")
    follow_up.refresh_from_db()
    statuses = list(ActivityStatus.objects.filter(follow_up=follow_up).order_by("activity__pk"))
    shown, hidden = statuses[0], statuses[1]
    ActivityStatus.objects.filter(pk=shown.pk).update(comment=PUBLISHED_COMMENT)
    shown.refresh_from_db()
    do_set_plan_published(plan, True, acting_user=None)
    do_set_follow_up_published(follow_up, True, acting_user=None)
    do_set_comment_published(shown, True, acting_user=None)
    plan.refresh_from_db()
    return Published(plan, follow_up, draft, shown, hidden)


@pytest.fixture
def private_plan(other_municipality) -> Plan:
    """B's plan, never published (its follow-up is marked published, which alone must not open it)."""
    plan, follow_up = build_plan(
        slug="ale-plan",
        areas=1,
        activities=2,
        municipality=other_municipality,
        comment="Ales interna kommentar {n}",
    )
    do_set_follow_up_published(follow_up, True, acting_user=None)
    return plan
