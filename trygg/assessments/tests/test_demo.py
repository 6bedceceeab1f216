"""The demo: Kungälv's 2024 kartläggning skeleton and åtgärdsplan, adopted into the demo plan, rendered, with
the chain navigable both ways."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from trygg.assessments.chain import chain_for_activity, load_action_plan, load_assessment
from trygg.assessments.document import build_action_plan_document, build_assessment_document, evidence_info
from trygg.assessments.models import ActionPlan, Assessment, Cause, Measure
from trygg.demo import assessments as demo_assessments
from trygg.demo import places as demo_places
from trygg.demo import plans as demo_plans
from trygg.documents.docx import render_docx
from trygg.plans.models import Activity


@pytest.fixture
def demo(municipality, personas):
    user = personas["admin"]
    demo_places.load(municipality, acting_user=user)
    demo_plans.load(municipality, acting_user=user)
    summary = demo_assessments.load(municipality, acting_user=user)
    return {"municipality": municipality, "summary": summary}


def test_the_demo_builds_the_kartlaggning_and_adopts_the_plan(demo):
    assert "7 problem" in demo["summary"] and "6 kopplade, 0 nya" in demo["summary"]
    a = Assessment.objects.get(municipality=demo["municipality"])
    titles = list(a.problems.values_list("title", flat=True))
    assert titles[:2] == ["Stöld ur motorfordon", "Ordningsstörningar från ungdomar"]
    assert {"Fyrverkerier vid jul och nyår", "Våld i nära relationer"} <= set(titles)
    # two worked cause analyses, each a tree with underlying causes
    for rank in (1, 2):
        causes = Cause.objects.filter(problem__assessment=a, problem__rank=rank)
        assert (
            causes.filter(parent__isnull=True).count() == 3 and causes.filter(parent__isnull=False).exists()
        )
    ap = ActionPlan.objects.get(assessment=a)
    assert ap.adopted and ap.plan.slug == "trygg-i-kungalv" and ap.decided_by == "Kommunfullmäktige"
    assert all(m.link_state == Measure.LinkState.LINKED for m in ap.measures.all())


def test_the_demo_chain_is_navigable_both_ways(demo, personas, login):
    activity = Activity.objects.get(title="Områdesbaserat arbete utifrån aktuell lägesbild.")
    back = chain_for_activity(activity)
    assert back.measure.cause.problem.title == "Stöld ur motorfordon"
    assert [s.follow_up.year for s in back.statuses] == [2023]
    ap = ActionPlan.objects.get()
    data = load_action_plan(ap)
    measure = next(m for m in data.problems[0].measures if m.activity_id == activity.pk)
    assert data.status_of(measure).status == "done"  # ✓ in the 2023 follow-up
    client = login(personas["reader"])
    page = client.get(reverse("assessments:actionplan_detail", args=[ap.pk])).content.decode()
    assert reverse("plans:activity_detail", args=[activity.pk]) in page
    chain_page = client.get(reverse("assessments:activity_chain", args=[activity.pk])).content.decode()
    assert "Stöld ur motorfordon" in chain_page and measure.title in chain_page


def test_the_demo_documents_render(demo):
    a = Assessment.objects.get()
    data = load_assessment(a)
    text = "\n".join(
        p.text
        for p in docx.Document(
            io.BytesIO(render_docx(build_assessment_document(data, evidence_info(data))))
        ).paragraphs
    )
    assert "8.1 Stöld ur motorfordon" in text and "Mobila stöldligor" in text
    plan_text = "\n".join(
        p.text
        for p in docx.Document(
            io.BytesIO(render_docx(build_action_plan_document(load_action_plan(ActionPlan.objects.get()))))
        ).paragraphs
    )
    assert "Problem 2: Ordningsstörningar från ungdomar" in plan_text


def test_loading_the_demo_twice_changes_nothing(demo, personas):
    counts = (Assessment.objects.count(), Cause.objects.count(), Measure.objects.count())
    assert (
        demo_assessments.load(demo["municipality"], acting_user=personas["admin"])
        == "kartläggningen finns redan"
    )
    assert (Assessment.objects.count(), Cause.objects.count(), Measure.objects.count()) == counts


def test_other_municipalities_get_no_demo(other_municipality, personas):
    assert demo_assessments.load(other_municipality, acting_user=personas["admin"]) == ""
