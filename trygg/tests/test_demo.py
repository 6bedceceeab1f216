"""The demo (`manage.py load_demo`) hosts two municipalities, Kungälv and its neighbour Ale, each with its own
plan, boundary, places and incidents; the demo police officer is partner in both, each municipality's own
staff in one. It writes only through the apps' actions (audited), and no production module imports it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from trygg.accounts.models import AuditEvent, Role, User
from trygg.places.models import Municipality, Place
from trygg.plans.models import Plan
from trygg.situation.models import Incident


@pytest.mark.django_db
def test_the_demo_hosts_two_municipalities_and_a_partner_in_both():
    call_command("load_demo", verbosity=0)  # one load for every check: it takes a few seconds

    hosted = {m.code: m for m in Municipality.objects.all()}
    assert set(hosted) == {"1482", "1440"}
    for code, municipality in hosted.items():
        assert municipality.geometry, f"{code}: boundary"
        plan = Plan.objects.get(municipality=municipality)
        place = Place.objects.filter(municipality=municipality).first()
        assert place is not None, f"{code}: places"
        assert Incident.objects.filter(municipality=municipality).exists(), f"{code}: incidents"
        # Written through the actions: each row has its audit row.
        assert AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).exists(), code
        assert AuditEvent.objects.filter(object_type="places.place", object_id=str(place.pk)).exists(), code
    assert Plan.objects.get(municipality__code="1440").name.startswith("Trygg i Ale")

    kungalv, ale = hosted["1482"], hosted["1440"]
    police = User.objects.get(username="polis")
    assert police.role_in(kungalv) == police.role_in(ale) == Role.PARTNER
    assert set(User.objects.get(username="samordnare").municipality_ids()) == {kungalv.pk}
    assert set(User.objects.get(username="ale").municipality_ids()) == {ale.pk}


# That no production module imports trygg.demo is checked in test_project.py.
