"""A valid-checksum personnummer sent through every route that writes a declared free-text field of the
lägesbild (web forms, the police import command and JSON, the read-only admin) never reaches the database."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from trygg.accounts.models import AuditEvent
from trygg.places.models import Place
from trygg.situation.models import Action, CameraSite, Category, FocusArea, Incident, Meeting

from .conftest import POLISEN_FILE
from .test_fuzz import url_of, valid_posts

PNR = "19811218-9876"


@pytest.fixture
def fuzz_world(world):
    return {**world, "place": Place.objects.get(name="Nordmannatorget")}


MODELS = {
    "incident": Incident,
    "meeting": Meeting,
    "focus_area": FocusArea,
    "action": Action,
    "camera": CameraSite,
    "category": Category,
}
ROUTES = [
    (f"situation:{what}_{verb}", what, field)
    for what, model in MODELS.items()
    for verb in ("create", "edit")
    for field in model.FREE_TEXT_FIELDS
    if not (what == "category" and verb == "create")  # the same form as edit; slug would clash
]


def assert_nowhere(model) -> None:
    for field in model.FREE_TEXT_FIELDS:
        assert not model.objects.filter(**{f"{field}__contains": "9876"}).exists(), field
    assert not AuditEvent.objects.filter(changes__icontains="9876").exists()


@pytest.mark.parametrize(("url_name", "what", "field"), ROUTES, ids=[f"{u}.{f}" for u, _, f in ROUTES])
def test_a_personnummer_in_a_form_never_reaches_the_database(
    personas, login, fuzz_world, url_name, what, field
):
    client = login(personas["admin"])
    base = valid_posts(fuzz_world)[url_name]
    text = f"Kontakt {PNR} idag"
    response = client.post(url_of(url_name, fuzz_world), {**base, field: text})
    assert response.status_code == 302, response.content.decode()[:2000]
    model = MODELS[what]
    assert model.objects.filter(**{f"{field}__contains": "[borttaget: personnummer]"}).exists()
    assert_nowhere(model)


def test_a_personnummer_in_a_police_event_never_reaches_the_database(kungalv, tmp_path):
    event = next(e for e in json.loads(POLISEN_FILE.read_text(encoding="utf-8")) if e["id"] == 479917)
    event["summary"] = f"Anmälaren har personnummer {PNR}."
    path = tmp_path / "handelser.json"
    path.write_text(json.dumps([event]), encoding="utf-8")
    call_command("import_polisen", str(path))
    incident = Incident.objects.get(external_id="polisen:479917")
    assert "[borttaget: personnummer]" in incident.description
    assert incident.redacted_kinds == "personnummer"
    assert_nowhere(Incident)


@pytest.mark.parametrize("what", ["incident", "meeting", "focusarea", "action", "camerasite", "category"])
def test_the_admin_cannot_write_a_personnummer(personas, login, fuzz_world, what):
    obj = {
        "incident": fuzz_world["own"],
        "meeting": fuzz_world["meeting"],
        "focusarea": fuzz_world["area"],
        "action": fuzz_world["action"],
        "camerasite": fuzz_world["camera"],
        "category": fuzz_world["category"],
    }[what]
    model = type(obj)
    client = login(personas["admin"])
    data = dict.fromkeys(model.FREE_TEXT_FIELDS, PNR)
    change = client.post(reverse(f"admin:situation_{what}_change", args=[obj.pk]), data)
    add = client.post(reverse(f"admin:situation_{what}_add"), data)
    assert (change.status_code, add.status_code) == (403, 403)
    assert_nowhere(model)
