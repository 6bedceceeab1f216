"""A coordinator builds a problem with two causes (one underlying the other) and a measure, adopts the
åtgärdsplan, and finds the measure as an activity in the plan, then follows the chain back. axe-core finds no
serious or critical WCAG violation on the problem page and the åtgärdsplan."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.assessments.models import ActionPlan, Cause, Measure
from trygg.conftest import assert_accessible, log_in

from .builders import make_assessment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_build_a_problem_adopt_the_plan_and_see_the_activity(live_server, page, municipality, personas, unit):
    assessment = make_assessment(municipality, personas["coordinator"], completed_on=dt.date(2024, 5, 31))
    log_in(page, live_server.url, "samordnare", "pw-samordnare", f"/lagen/kartlaggning/{assessment.pk}/")

    page.get_by_role("link", name="Lägg till problem").click()
    page.get_by_label("Prioritet").fill("1")
    page.locator("#id_title").fill("Stöld ur motorfordon")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name="Problem 1: Stöld ur motorfordon").wait_for()

    page.get_by_role("link", name="Lägg till orsak").click()
    page.locator("#id_title").fill("Parkeringarna saknar kontroll nattetid")
    page.get_by_label("Nivå").select_option(label="Område/situation")
    page.get_by_label("Brottstriangeln").select_option(label="Plats")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Uppgifterna är sparade.").wait_for()
    page.get_by_role(
        "link", name="Lägg till underliggande orsak Parkeringarna saknar kontroll nattetid"
    ).click()
    page.locator("#id_title").fill("Dålig belysning vid ställplatserna")
    page.get_by_label("Nivå").select_option(label="Område/situation")
    page.get_by_label("Brottstriangeln").select_option(label="Plats")
    page.get_by_role("button", name="Spara").click()
    page.locator("strong", has_text="Dålig belysning vid ställplatserna").wait_for()
    top, under = Cause.objects.order_by("pk")
    assert under.parent == top
    assert_accessible(page)

    page.goto(f"{live_server.url}/lagen/")
    page.get_by_role("link", name="Ny åtgärdsplan").click()
    page.get_by_label("Kartläggning").select_option(label=assessment.title)
    page.get_by_label("Rubrik").fill("Åtgärdsplan 2024–2025")
    page.get_by_label("Gäller från år").fill("2024")
    page.get_by_label("Gäller till och med år").fill("2025")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name="Åtgärdsplan 2024–2025").wait_for()

    page.get_by_role("link", name="Lägg till åtgärd").click()
    page.locator("#id_cause").select_option(
        label="1. Stöld ur motorfordon → Dålig belysning vid ställplatserna"
    )
    page.locator("#id_title").fill("Byt belysning vid ställplatserna")
    page.get_by_label("Typ").select_option(label="Situationell")
    page.get_by_label("Ansvarig enhet").select_option(label="Säkerhetsenheten")
    page.locator("#id_start").fill("2024-08-01")
    page.locator("#id_end").fill("2025-06-30")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Inte antagen ännu").wait_for()

    page.get_by_role("link", name="Anta åtgärdsplanen").click()
    page.get_by_label("Beslutsdatum").fill("2024-06-17")
    page.get_by_label("Diarienummer").fill("KS2024/0123")
    page.get_by_role("button", name="Anta och skapa aktiviteter").click()
    page.get_by_text("Åtgärdsplanen är antagen.").wait_for()
    assert_accessible(page)
    ap = ActionPlan.objects.get()
    measure = Measure.objects.get()
    assert ap.adopted and measure.activity is not None and ap.plan is not None

    page.get_by_role("link", name="Byt belysning vid ställplatserna", exact=True).click()
    page.get_by_role("heading", name="Byt belysning vid ställplatserna").wait_for()
    assert "/planer/" in page.url
    assert page.get_by_text("Orsak: Dålig belysning vid ställplatserna").is_visible()
    page.get_by_role("link", name=ap.plan.name).click()
    page.get_by_text("Byt belysning vid ställplatserna").first.wait_for()

    # and back from the activity to the problem and its causes
    page.goto(f"{live_server.url}/lagen/aktivitet/{measure.activity_id}/")
    page.get_by_role("link", name="1. Stöld ur motorfordon").wait_for()
    assert page.locator(".chain").get_by_text("Parkeringarna saknar kontroll nattetid").is_visible()
