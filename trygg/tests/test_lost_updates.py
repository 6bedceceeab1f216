"""Optimistic locking: a form opened before someone else's change never silently overwrites it.

For activities (the follow-up row and the activity's status page), incidents and meetings: open the edit
form (GET, as a user would), let a second user save a change, then post the first user's stale form.
- the same field changed by both: refused with a Swedish message naming what changed, the database keeps
  the second user's value, and the form shown again is based on the new value, so saving it once more
  (after checking) writes the first user's value;
- a different field changed by each: both changes are kept (only changed fields are written).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.plans.actions import do_set_activity_status
from trygg.plans.models import ActivityStatus
from trygg.plans.tests.builders import build_plan
from trygg.situation.actions import do_save_incident, do_save_meeting
from trygg.situation.models import Category, Incident, Meeting
from trygg.situation.taxonomy import seed_categories

pytestmark = pytest.mark.django_db


def form_values(html: str, form_marker: str = "") -> dict[str, str]:
    """The values a browser would post from the page's (first matching) form: inputs, selects, textareas."""
    at = html.find(form_marker) if form_marker else 0
    start = html.rfind("<form", 0, at)  # the marker may be inside the form's own tag …
    if start == -1 or html.find("</form>", start) < at:
        start = html.find("<form", at)  # … or before the form
    form = html[start : html.find("</form>", start)]
    values: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or re.search(r'type="(submit|button|file)"', tag):
            continue
        if re.search(r'type="(checkbox|radio)"', tag) and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        values.setdefault(name.group(1), value.group(1) if value else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        values[name] = unescape(body.lstrip("\n"))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen.group(1) if chosen else ""
    return {k: unescape(v) for k, v in values.items()}


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


def checked_lists(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]+)"[^>]*checked', html)


# --- Activities --------------------------------------------------------------------------------------------


@pytest.fixture
def activity_case(unit):
    plan, follow_up = build_plan(units=[unit], areas=1, activities=1, with_statuses=False)
    activity = plan.areas.first().interventions.first().activities.first()
    do_set_activity_status(activity, follow_up, "ongoing", "Startat.", acting_user=None)
    return plan, follow_up, activity


def row_url(plan, follow_up, activity):
    return reverse("plans:follow_up_row", args=[plan.slug, follow_up.year, activity.pk])


def stored_status(activity, follow_up):
    row = ActivityStatus.objects.get(activity=activity, follow_up=follow_up)
    return row.status, row.comment


def test_a_stale_activity_status_is_refused_and_then_saved_after_checking(personas, login, activity_case):
    plan, follow_up, activity = activity_case
    client = login(personas["unit_editor"])
    page = client.get(row_url(plan, follow_up, activity) + "?redigera=1", HTTP_HX_REQUEST="true")
    stale = form_values(page.content.decode())
    assert stale["status"] == "ongoing" and "base_version" in stale
    # Meanwhile the coordinator closes the activity.
    do_set_activity_status(activity, follow_up, "done", "Klart.", acting_user=personas["coordinator"])
    # The first user's old form sets "ongoing" with a new comment: both values were changed by someone else.
    response = client.post(row_url(plan, follow_up, activity), {**stale, "comment": "Pågår fortfarande."})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Någon annan har ändrat" in body and "Avslutat" in body
    assert stored_status(activity, follow_up) == ("done", "Klart.")
    # The form shown again is based on what is stored now: saving it (the user has checked) goes through.
    again = form_values(body, 'id="a-')
    assert again["base_version"] != stale["base_version"]
    client.post(
        row_url(plan, follow_up, activity), {**again, "status": "ongoing", "comment": "Pågår fortfarande."}
    )
    assert stored_status(activity, follow_up) == ("ongoing", "Pågår fortfarande.")


def test_a_stale_activity_form_that_changes_only_the_comment_keeps_the_new_status(
    personas, login, activity_case
):
    plan, follow_up, activity = activity_case
    client = login(personas["unit_editor"])
    edit_url = reverse("plans:activity_status_edit", args=[activity.pk, follow_up.year])
    stale = form_values(client.get(edit_url).content.decode(), 'id="status-form"')
    do_set_activity_status(activity, follow_up, "done", "Startat.", acting_user=personas["coordinator"])
    response = client.post(edit_url, {**stale, "comment": "Startat. Nu med fler skolor.", "save": ""})
    assert response.status_code == 302
    assert stored_status(activity, follow_up) == ("done", "Startat. Nu med fler skolor.")


def test_a_tampered_base_is_refused_without_writing(personas, login, activity_case):
    plan, follow_up, activity = activity_case
    client = login(personas["unit_editor"])
    page = client.get(row_url(plan, follow_up, activity) + "?redigera=1", HTTP_HX_REQUEST="true")
    values = form_values(page.content.decode())
    response = client.post(
        row_url(plan, follow_up, activity),
        {**values, "status": "done", "base_version": values["base_version"][:-3] + "xyz"},
    )
    assert "Formuläret kunde inte läsas" in response.content.decode()
    assert stored_status(activity, follow_up) == ("ongoing", "Startat.")


# --- Incidents --------------------------------------------------------------------------------------------


@pytest.fixture
def incident(municipality, personas):
    from trygg.demo import places as demo_places
    from trygg.places.models import Place
    from trygg.situation.actions import LocationContext

    seed_categories(Category)
    demo_places.load(municipality, acting_user=None)
    ctx = LocationContext.of(municipality)
    new = Incident(
        municipality=municipality,
        category=Category.objects.get(slug="skadegorelse"),
        occurred_from=timezone.now() - dt.timedelta(days=2),
    )
    place = Place.objects.get(municipality=municipality, name="Komarken")
    saved, _ = do_save_incident(
        new,
        place=place,
        lat=None,
        lon=None,
        description="Klotter på väggen.",
        acting_user=personas["coordinator"],
        ctx=ctx,
    )
    return saved


def partner_corrects_the_description(incident, personas) -> None:
    """Meanwhile (the coordinator's form is open) the police partner saves a corrected description."""
    other = Incident.objects.get(pk=incident.pk)
    do_save_incident(
        other,
        place=other.place,
        lat=None,
        lon=None,
        description="Klotter på väggen, sanerat.",
        acting_user=personas["partner"],
    )


def test_a_stale_incident_edit_is_refused_when_the_same_field_changed(personas, login, incident):
    client = login(personas["coordinator"])
    url = reverse("situation:incident_edit", args=[incident.pk])
    stale = form_values(client.get(url).content.decode(), "incident-form")
    partner_corrects_the_description(incident, personas)
    response = client.post(url, {**stale, "description": "Klotter och krossad ruta."})
    assert response.status_code == 200
    assert "Någon annan har ändrat" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).description == "Klotter på väggen, sanerat."


def test_a_stale_incident_edit_of_another_field_keeps_both_changes(personas, login, incident):
    client = login(personas["coordinator"])
    url = reverse("situation:incident_edit", args=[incident.pk])
    stale = form_values(client.get(url).content.decode(), "incident-form")
    partner_corrects_the_description(incident, personas)
    category = Category.objects.get(slug="ungdomshang")
    response = client.post(url, {**stale, "category": str(category.pk)})
    assert response.status_code == 302
    saved = Incident.objects.get(pk=incident.pk)
    assert (saved.category_id, saved.description) == (category.pk, "Klotter på väggen, sanerat.")


# --- Meetings ---------------------------------------------------------------------------------------------


@pytest.fixture
def meeting(municipality, personas, unit):
    new = Meeting(
        municipality=municipality, date=dt.date(2026, 11, 2), kind=Meeting.Kind.LST_WEEKLY, notes="Vecka 45."
    )
    saved, _ = do_save_meeting(new, organisations=[], units=[unit], acting_user=personas["coordinator"])
    return saved


def test_a_stale_meeting_edit_is_refused_and_participants_are_compared_too(
    personas, login, meeting, unit, other_unit
):
    client = login(personas["coordinator"])
    url = reverse("situation:meeting_edit", args=[meeting.pk])
    html = client.get(url).content.decode()
    stale = form_values(html, "<main")
    stale["units"] = checked_lists(html, "units")
    # Meanwhile someone adds a unit and rewrites the notes.
    do_save_meeting(
        Meeting.objects.get(pk=meeting.pk),
        organisations=[],
        units=[unit, other_unit],
        acting_user=personas["coordinator"],
    )
    response = client.post(url, {**stale, "units": []})  # the stale form removes the only unit it knew
    assert "Någon annan har ändrat" in response.content.decode()
    assert set(Meeting.objects.get(pk=meeting.pk).units.values_list("pk", flat=True)) == {
        unit.pk,
        other_unit.pk,
    }
    # Changing only the notes from the stale form keeps the new participants.
    response = client.post(url, {**stale, "notes": "Vecka 45, med skolan."})
    assert response.status_code == 302
    saved = Meeting.objects.get(pk=meeting.pk)
    assert saved.notes == "Vecka 45, med skolan."
    assert set(saved.units.values_list("pk", flat=True)) == {unit.pk, other_unit.pk}
