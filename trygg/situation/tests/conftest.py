"""Fixtures for lägesbild tests: Kungälv with its places, small helpers to create incidents, and a small
world with one object of every kind (used by the view and fuzz tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from trygg.accounts.models import Organisation
from trygg.demo import places as demo_places
from trygg.places.models import Place
from trygg.situation.actions import LocationContext, apply_location
from trygg.situation.models import Action, CameraSite, Category, FocusArea, Incident, Meeting
from trygg.situation.taxonomy import seed_categories

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
POLISEN_FILE = SHARED_DATA / "polisen_events_2023-12-31.json"


@pytest.fixture
def kungalv(municipality):
    """Kungälv (municipality A) with its approximate districts, the named demo places and the seed
    categories."""
    seed_categories(Category)
    demo_places.load(municipality, acting_user=None)
    return municipality


@pytest.fixture
def ale(other_municipality):
    """Ale (municipality B) with its made-up demo places."""
    seed_categories(Category)
    demo_places.load(other_municipality, acting_user=None)
    return other_municipality


@pytest.fixture
def ctx(kungalv):
    return LocationContext.of(kungalv)


def at(day: dt.date | str, hour: int = 12, minute: int = 0) -> dt.datetime:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


@pytest.fixture
def make_incident(ctx):
    """make_incident(category_slug, when, place=name | None, lat=None, lon=None, **fields) -> saved Incident."""

    def _make(slug="ungdomshang", when=None, place=None, lat=None, lon=None, **fields):
        incident = Incident(
            category=Category.objects.get(slug=slug),
            occurred_from=when or at(timezone.localdate() - dt.timedelta(days=3)),
            **fields,
        )
        place_obj = (
            Place.objects.get(municipality=ctx.municipality, name=place) if isinstance(place, str) else place
        )
        apply_location(incident, ctx, place=place_obj, lat=lat, lon=lon)
        incident.save()
        return incident

    return _make


@pytest.fixture
def world(kungalv, personas, make_incident):
    """Two incidents (one the partner's organisation reported), a meeting, a focus area, an action, a camera."""
    today = timezone.localdate()
    housing = Organisation.objects.create(name="Kungälvsbostäder", kind=Organisation.Kind.HOUSING)
    own = make_incident(
        "ungdomshang",
        at(today - dt.timedelta(days=2), 21),
        place="Komarken",
        source_organisation=personas["partner"].organisation,
        description="Häng vid porten.",
    )
    foreign = make_incident(
        "skadegorelse",
        at(today - dt.timedelta(days=3), 2),
        place="Skarpe Nord",
        source_organisation=housing,
        description="=SUM(A1) klotter",
    )
    meeting = Meeting.objects.create(
        municipality=kungalv, date=today - dt.timedelta(days=1), kind=Meeting.Kind.LST_BIWEEKLY
    )
    area = FocusArea.objects.create(
        municipality=kungalv,
        meeting=meeting,
        place=Place.objects.get(name="Komarken"),
        problem="Häng",
        start=meeting.date,
        weeks=4,
    )
    action = Action.objects.create(
        municipality=kungalv,
        focus_area=area,
        meeting=meeting,
        kind="guards",
        title="Väktare Komarken",
        start_date=meeting.date,
    )
    camera = CameraSite.objects.create(
        municipality=kungalv,
        name="Kamera Vita fläcken",
        lat=57.8745,
        lon=11.956,
        purpose="Trygghet",
        permit_status="supervision",
    )
    return {
        "own": own,
        "foreign": foreign,
        "meeting": meeting,
        "area": area,
        "action": action,
        "camera": camera,
        "category": Category.objects.get(slug="brand"),
    }


def incident_post(**extra) -> dict:
    """A valid POST to the incident form (a drug sale at Utmarksvägen three hours ago), with overrides."""
    now = timezone.localtime()
    data = {
        "category": Category.objects.get(slug="narkotikaforsaljning").pk,
        "occurred_from": (now - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "occurred_to": "",
        "place": Place.objects.get(name="Utmarksvägen").pk,
        "lat": "",
        "lon": "",
        "source_organisation": "",
        "description": "Misstänkt försäljning, ring 070-123 45 67.",
    }
    data.update(extra)
    return data
