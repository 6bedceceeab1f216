"""Fixtures for walk tests: Kungälv with its demo places and the lägesbild categories, the role personas
with a unit and organisations, and a walk with one finding and one measure."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from trygg.accounts.models import Organisation, Unit
from trygg.demo import places as demo_places
from trygg.places.models import Place
from trygg.situation.models import Category
from trygg.situation.taxonomy import seed_categories
from trygg.walks import actions
from trygg.walks.models import Finding, Measure, Walk


@pytest.fixture
def kungalv(municipality):
    seed_categories(Category)
    demo_places.load(municipality, acting_user=None)
    return municipality


@pytest.fixture
def tgp(kungalv):
    return Unit.objects.get_or_create(municipality=kungalv, name="Trafik Gata Park")[0]


@pytest.fixture
def housing(db):
    return Organisation.objects.get_or_create(name="Kungälvsbostäder", kind=Organisation.Kind.HOUSING)[0]


def place(m, name="Utmarksvägen") -> Place:
    return Place.objects.get(municipality=m, name=name)


def make_walk(m, user, **fields) -> Walk:
    values = {"title": "Utmarksvägen", "date": dt.date(2023, 10, 12), "start_time": dt.time(19, 30), **fields}
    walk, _ = actions.do_save_walk(Walk(municipality=m, **values), acting_user=user)
    return walk


def make_finding(walk, user, **fields) -> Finding:
    values = {
        "category": Finding.Category.LIGHTING,
        "place": place(walk.municipality),
        "feeling": 2,
        **fields,
    }
    finding, _ = actions.do_save_finding(Finding(walk=walk, **values), acting_user=user)
    return finding


def make_measure(finding, user, **fields) -> Measure:
    measure, _ = actions.do_save_measure(
        Measure(finding=finding, **{"title": "Byt armaturer", **fields}), acting_user=user
    )
    return measure


@pytest.fixture
def walk_world(kungalv, personas, unit, tgp, housing):
    """A walk planned by the coordinator; a finding the partner (Polisen) recorded; a measure for the
    unit editor's unit (Säkerhetsenheten) and one for the housing company."""
    coordinator, partner = personas["coordinator"], personas["partner"]
    walk = make_walk(kungalv, coordinator, published=True)
    finding = make_finding(walk, partner, description="Mörk gångtunnel.")
    own_unit = make_measure(finding, coordinator, responsible_unit=unit, due_date=dt.date(2024, 3, 1))
    other = make_measure(finding, coordinator, title="Beskär buskar", responsible_organisation=housing)
    return {"walk": walk, "finding": finding, "unit_measure": own_unit, "housing_measure": other}


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A JPEG carrying EXIF with a GPS position, camera make/model and orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Telefonfabrik"  # Make
    exif[0x0110] = "Modell X"  # Model
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (57.0, 52.0, 30.0)
    gps[3] = "E"
    gps[4] = (11.0, 58.0, 12.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
