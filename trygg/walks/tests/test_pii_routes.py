"""A valid-checksum personnummer sent through every web route that writes a declared free-text field of the
walks never reaches the database (nor the audit log, nor the lägesbild incident of a finding)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.accounts.models import AuditEvent
from trygg.situation.models import Incident
from trygg.walks.models import Finding, Measure, Stop, Walk

from .conftest import place

PNR = "19811218-9876"


def _posts(world, housing):
    walk, finding, measure = world["walk"], world["finding"], world["housing_measure"]
    m = walk.municipality
    walk_data = {
        "title": "Vandring",
        "area": "Området",
        "date": "2024-04-18",
        "status": "planned",
        "description": "",
    }
    finding_data = {"category": "lighting", "place": place(m).pk, "description": ""}
    measure_data = {
        "title": "Lampa",
        "responsible_organisation": housing.pk,
        "status": "planned",
        "comment": "",
    }
    return [
        ("walks:walk_create", {}, walk_data, Walk, ["title", "area", "description"]),
        ("walks:walk_edit", {"pk": walk.pk}, walk_data, Walk, ["title", "area", "description"]),
        ("walks:stop_add", {"pk": walk.pk}, {"place": place(m).pk, "note": ""}, Stop, ["note"]),
        ("walks:finding_create", {"pk": walk.pk}, finding_data, Finding, ["description"]),
        ("walks:finding_edit", {"pk": finding.pk}, finding_data, Finding, ["description"]),
        ("walks:measure_create", {"pk": finding.pk}, measure_data, Measure, ["title", "comment"]),
        ("walks:measure_edit", {"pk": measure.pk}, measure_data, Measure, ["title", "comment"]),
    ]


ROUTES = [
    ("walks:walk_create", "title"),
    ("walks:walk_create", "area"),
    ("walks:walk_create", "description"),
    ("walks:walk_edit", "description"),
    ("walks:stop_add", "note"),
    ("walks:finding_create", "description"),
    ("walks:finding_edit", "description"),
    ("walks:measure_create", "title"),
    ("walks:measure_create", "comment"),
    ("walks:measure_edit", "comment"),
]


@pytest.mark.parametrize(("url_name", "field"), ROUTES, ids=[f"{u}.{f}" for u, f in ROUTES])
def test_a_personnummer_in_a_form_never_reaches_the_database(
    client, personas, walk_world, housing, url_name, field
):
    client.force_login(personas["coordinator"])
    route = next(r for r in _posts(walk_world, housing) if r[0] == url_name)
    _, kwargs, data, model, _fields = route
    response = client.post(reverse(url_name, kwargs=kwargs), {**data, field: f"Kontakt {PNR} idag"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert model.objects.filter(**{f"{field}__contains": "[borttaget: personnummer]"}).exists()
    for name in model.FREE_TEXT_FIELDS:
        assert not model.objects.filter(**{f"{name}__contains": "9876"}).exists(), name
    assert not Incident.objects.filter(description__contains="9876").exists()
    assert not AuditEvent.objects.filter(changes__icontains="9876").exists()
