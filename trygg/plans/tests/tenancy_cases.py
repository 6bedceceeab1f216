"""Tenant-isolation cases for every plans URL that takes an id (trygg/tests/test_tenant_isolation.py)."""

from trygg.plans.tests.builders import build_plan


def _plan(municipality):
    """A plan of `municipality` with one follow-up (2023) and an activity; slugs differ per municipality."""
    plan, follow_up = build_plan(
        slug=f"plan-{municipality.code}", areas=1, activities=1, municipality=municipality
    )
    activity = plan.areas.get().interventions.get().activities.get()
    return plan, follow_up, activity


def _slug(municipality):
    return {"slug": _plan(municipality)[0].slug}


def _slug_year(municipality):
    plan, follow_up, _ = _plan(municipality)
    return {"slug": plan.slug, "year": follow_up.year}


def _activity(municipality):
    return {"pk": _plan(municipality)[2].pk}


def _activity_year(municipality):
    _, follow_up, activity = _plan(municipality)
    return {"pk": activity.pk, "year": follow_up.year}


CASES = {
    "plans:plan_detail": _slug,
    "plans:plan_export": lambda m: {**_slug(m), "fmt": "json"},
    "plans:follow_up_detail": _slug_year,
    "plans:follow_up_edit": _slug_year,
    "plans:follow_up_report": lambda m: {**_slug_year(m), "fmt": "html"},
    "plans:activity_detail": _activity,
    "plans:activity_status_edit": _activity_year,
    "plans:follow_up_row": lambda m: (lambda p, f, a: {"slug": p.slug, "year": f.year, "pk": a.pk})(
        *_plan(m)
    ),
}
EXEMPT: dict[str, str] = {}
