"""A lägesbild across municipalities: a partner in Kungälv and Ale sees the union with every incident
labelled with its municipality (map data, table, CSV and GeoJSON exports, hotspots), while Kungälv's
coordinator sees only Kungälv, even when asking for all."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.accounts.models import Role
from trygg.conftest import grant, make_user
from trygg.places.models import Place
from trygg.situation.queries import IncidentFilter

from .conftest import at

ALL = {"kommuner": "alla"}


@pytest.fixture
def two(kungalv, ale, make_incident):
    from trygg.situation.actions import LocationContext, apply_location
    from trygg.situation.models import Category, Incident

    day = timezone.localdate() - dt.timedelta(days=2)
    make_incident("ungdomshang", at(day, 21), place="Komarken", description="I Kungälv.")
    row = Incident(
        category=Category.objects.get(slug="skadegorelse"), occurred_from=at(day, 22), description="I Ale."
    )
    apply_location(row, LocationContext.of(ale), place=Place.objects.get(name="Ale torg"), lat=None, lon=None)
    row.save()
    partner = grant(make_user("polis-ab", Role.PARTNER, municipality=kungalv), ale, Role.PARTNER)
    coordinator = make_user("samordnare-a", Role.COORDINATOR, municipality=kungalv)
    return partner, coordinator


def descriptions_by_municipality(features) -> set[tuple[str, str]]:
    return {(f["properties"]["municipality"], f["properties"]["description"]) for f in features}


DESCRIPTION_OF_MUNICIPALITY = {"Kungälv": "I Kungälv.", "Ale": "I Ale."}


def points_by_municipality(client, params=None) -> set[tuple[str, str]]:
    """The single incidents of the map's view endpoint as (municipality, description); the points carry no
    description (it is on the incident's page), and the fixture has one incident per municipality."""
    data = client.get(reverse("situation:map_view"), params or {}).json()
    assert data["mode"] == "points"
    names = data["lookup"]["municipality"]
    column = data["points"]["fields"].index("municipality")
    return {(names[r[column]], DESCRIPTION_OF_MUNICIPALITY[names[r[column]]]) for r in data["points"]["rows"]}


def test_a_partner_in_both_sees_the_union_labelled_on_the_map(client, two):
    partner, _ = two
    client.force_login(partner)
    assert points_by_municipality(client) == {("Kungälv", "I Kungälv.")}
    union = client.get(reverse("situation:map_data"), ALL).json()
    assert points_by_municipality(client, ALL) == {
        ("Kungälv", "I Kungälv."),
        ("Ale", "I Ale."),
    }
    assert union["meta"]["municipalities"] == ["Ale", "Kungälv"]
    assert {f["properties"]["code"] for f in union["layers"]["boundary"]["features"]} == {"1440", "1482"}
    page = client.get(reverse("situation:map"), ALL).content.decode()
    assert "Alla mina kommuner" in page and "Visar alla dina kommuner" in page


def test_a_partner_in_both_gets_the_union_in_the_table_and_exports(client, two):
    partner, _ = two
    client.force_login(partner)
    table = client.get(reverse("situation:table"), ALL).content.decode()
    assert "I Ale." in table and "I Kungälv." in table and '<th scope="col">Kommun</th>' in table
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("situation:export_csv"), ALL).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0][1] == "kommun"
    assert sorted((r[1], r[-1]) for r in rows[1:]) == [("Ale", "I Ale."), ("Kungälv", "I Kungälv.")]
    geo = client.get(reverse("situation:export_geojson"), ALL).json()
    assert descriptions_by_municipality(geo["features"]) == {("Kungälv", "I Kungälv."), ("Ale", "I Ale.")}


def test_a_coordinator_of_kungalv_sees_only_kungalv_even_when_asking_for_all(client, two):
    _, coordinator = two
    client.force_login(coordinator)
    data = client.get(reverse("situation:map_data"), ALL).json()
    assert points_by_municipality(client, ALL) == {("Kungälv", "I Kungälv.")}
    assert data["meta"]["municipalities"] == ["Kungälv"]
    table = client.get(reverse("situation:table"), ALL).content.decode()
    assert "I Kungälv." in table and "I Ale." not in table and "Alla mina kommuner" not in table
    csv_text = client.get(reverse("situation:export_csv"), ALL).content.decode("utf-8-sig")
    assert "I Kungälv." in csv_text and "I Ale." not in csv_text
    geo = client.get(reverse("situation:export_geojson"), ALL).json()
    assert descriptions_by_municipality(geo["features"]) == {("Kungälv", "I Kungälv.")}


def test_the_hotspot_study_area_is_the_union_of_the_municipalities(two):
    from trygg.places.models import Municipality
    from trygg.situation.queries import IncidentFilter, hotspot_result

    kungalv, ale = Municipality.objects.get(code="1482"), Municipality.objects.get(code="1440")
    filt = IncidentFilter.default()
    one = hotspot_result(filt, [kungalv])
    both = hotspot_result(filt, [kungalv, ale])
    assert int(one.counts.sum()) == 1 and int(both.counts.sum()) == 2
    assert len(both.cells) > len(one.cells)


def test_an_incident_form_offers_only_the_current_municipalitys_places_and_a_partner_only_their_organisation(
    client, two
):
    from trygg.accounts.models import Organisation

    partner, coordinator = two
    police = Organisation.objects.create(name="Polisen Nordväst", kind=Organisation.Kind.POLICE)
    other = Organisation.objects.create(name="Bostadsbolaget", kind=Organisation.Kind.HOUSING)
    partner.organisation = police
    partner.save(update_fields=["organisation"])
    client.force_login(partner)
    form = client.get(reverse("situation:incident_create")).context["form"]
    assert "Ale torg" not in {p.name for p in form.fields["place"].queryset}
    assert list(form.fields["source_organisation"].queryset) == [police]
    client.force_login(coordinator)
    form = client.get(reverse("situation:incident_create")).context["form"]
    assert {police, other} <= set(form.fields["source_organisation"].queryset)


def test_a_partial_filter_link_shows_the_defaults_it_uses(kungalv, ale, client):
    user = grant(make_user("polis-ab", Role.PARTNER, municipality=kungalv), ale, Role.PARTNER)
    client.force_login(user)
    response = client.get(reverse("situation:table"), {"kommuner": "alla"})
    form = response.context["form"]
    assert form["resolution"].value() in ("", None)  # "Automatiskt"
    assert "selected>Automatiskt" in response.content.decode()
    assert form["start"].value() == str(IncidentFilter.default().start)
