"""Fixtures for lägesbild tests: Kungälv with its places, and small helpers to create incidents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from trygg.places.demo import load_demo_places
from trygg.places.models import Place
from trygg.situation.actions import LocationContext, apply_location
from trygg.situation.models import Category, Incident
from trygg.situation.taxonomy import seed_categories

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
POLISEN_FILE = SHARED_DATA / "polisen_events_2023-12-31.json"


@pytest.fixture
def kungalv(db):
    """Kungälv's boundary, approximate districts, the named demo places and the seed categories."""
    seed_categories(Category)
    return load_demo_places("1482")


@pytest.fixture
def ctx(kungalv):
    return LocationContext.current()


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
        place_obj = Place.objects.get(name=place) if isinstance(place, str) else place
        apply_location(incident, ctx, place=place_obj, lat=lat, lon=lon)
        incident.save()
        return incident

    return _make
