"""The municipality that owns a plan, in the exchange format and on the pages: named by name or kommunkod,
checked against the importer's role there, never changed by an import, and the unit names resolved within it."""

import io
import json

import pytest
from django.urls import reverse

from trygg.accounts.models import Role, Unit
from trygg.conftest import grant, make_user
from trygg.plans.exchange import PlanImportError, export_plan, import_plan
from trygg.plans.models import Plan, Program
from trygg.plans.tests.builders import build_plan
from trygg.plans.tests.conftest import clear_plan_data, plan_db_state

pytestmark = pytest.mark.django_db


def refused(doc, **kwargs) -> list[str]:
    before = plan_db_state()
    with pytest.raises(PlanImportError) as info:
        import_plan(doc, **{"acting_user": None, **kwargs})
    assert plan_db_state() == before
    return info.value.errors


def test_export_names_the_municipality_and_its_code(sample_plan, other_municipality):
    doc = export_plan(sample_plan)
    assert (doc["plan"]["municipality"], doc["plan"]["municipality_code"]) == ("Kungälvs kommun", "1482")
    ale, _ = build_plan(slug="ale", municipality=other_municipality)
    assert export_plan(ale)["plan"]["municipality"] == "Ale kommun"  # not "Ales kommun"


@pytest.mark.parametrize("name", ["Ale kommun", "Ale", "ale", "1440"])
def test_a_new_plan_is_owned_by_the_municipality_the_file_names(sample_plan, other_municipality, name):
    doc = export_plan(sample_plan)
    clear_plan_data()
    doc["plan"]["municipality"] = name
    del doc["plan"]["municipality_code"]
    plan = import_plan(doc, acting_user=None).plan
    assert plan.municipality == other_municipality
    assert {u.municipality_id for u in Unit.objects.filter(activities__intervention__area__plan=plan)} == {
        other_municipality.pk
    }
    assert plan.program.municipality == other_municipality


def test_unknown_name_and_disagreeing_code_are_refused_naming_the_field(sample_plan):
    doc = export_plan(sample_plan)
    doc["plan"]["municipality"] = "Gotham"
    assert refused(doc) == [
        "plan.municipality: ”Gotham” är ingen svensk kommun (skriv t.ex. ”Kungälvs kommun” eller kommunkoden 1482)"
    ]
    doc["plan"]["municipality"] = "Ale kommun"
    assert refused(doc) == [
        "plan.municipality_code: kommunkoden 1482 stämmer inte med kommunen ”Ale kommun” (1440)"
    ]
    doc["plan"]["municipality"], doc["plan"]["municipality_code"] = "", "9999"
    assert refused(doc)[0].startswith("plan.municipality_code: ”9999” är ingen kommunkod")


def test_a_municipality_not_hosted_here_is_refused(sample_plan):
    doc = export_plan(sample_plan)
    clear_plan_data()
    doc["plan"]["municipality"], doc["plan"]["municipality_code"] = "Göteborgs stad", "1480"
    assert refused(doc) == [
        "plan.municipality: kommunen 1480 finns inte i Trygg ännu; en administratör lägger till den med "
        "”manage.py load_municipality --code 1480”"
    ]


def test_importer_must_be_coordinator_in_the_named_municipality(sample_plan, other_municipality, personas):
    doc = export_plan(sample_plan)
    clear_plan_data()
    doc["plan"]["municipality"], doc["plan"]["municipality_code"] = "Ale kommun", "1440"
    coordinator = personas["coordinator"]  # coordinator in Kungälv only
    assert refused(doc, acting_user=coordinator) == [
        "plan.municipality: du är inte samordnare eller administratör i Ale kommun och kan inte importera "
        "planer dit"
    ]
    reader_there = grant(coordinator, other_municipality, Role.READER)
    assert refused(doc, acting_user=reader_there)
    both = grant(coordinator, other_municipality, Role.COORDINATOR)
    assert import_plan(doc, acting_user=both).plan.municipality == other_municipality


def test_a_file_without_a_municipality_needs_a_default(sample_plan, other_municipality):
    doc = export_plan(sample_plan)
    clear_plan_data()
    del doc["plan"]["municipality"], doc["plan"]["municipality_code"]
    assert refused(doc) == [
        "plan.municipality: filen anger inte vilken kommun planen hör till (t.ex. ”Kungälvs kommun”)"
    ]
    plan = import_plan(doc, acting_user=None, municipality=other_municipality).plan
    assert plan.municipality == other_municipality


def test_an_import_never_moves_a_plan_to_another_municipality(sample_plan, other_municipality):
    doc = export_plan(sample_plan)
    doc["plan"]["municipality"], doc["plan"]["municipality_code"] = "Ale kommun", "1440"
    assert refused(doc) == [
        "plan.municipality: planen hör redan till Kungälvs kommun; en plan kan inte byta kommun"
    ]
    outsider = make_user("ale-samordnare", Role.COORDINATOR, municipality=other_municipality)
    errors = refused(doc, acting_user=outsider)
    assert errors == [
        "plan.municipality: planen hör redan till en annan kommun; en plan kan inte byta kommun"
    ]


def test_another_municipalitys_plan_and_program_are_not_named_or_reused(sample_plan, other_municipality):
    doc = export_plan(sample_plan)
    ale_user = make_user("ale-samordnare", Role.COORDINATOR, municipality=other_municipality)
    doc["plan"]["uid"] = "0b5b7c1e-6f0a-4c47-9d8e-2f4f3b1a9c11"
    doc["plan"]["municipality"], doc["plan"]["municipality_code"] = "Ale kommun", "1440"
    errors = refused(doc, acting_user=ale_user)
    assert "plan.slug: kortnamnet ”trygg-test” används redan av en annan plan" in errors
    assert "program.uid: programmet hör till en annan kommun än planen" in errors
    assert "areas[0].uid: delområdet hör redan till en plan i en annan kommun" in errors
    assert not any(sample_plan.name in error for error in errors)
    assert Program.objects.get().municipality == sample_plan.municipality


def test_unit_names_are_resolved_within_the_plans_municipality(sample_plan, other_municipality):
    Unit.objects.create(municipality=other_municipality, name="Säkerhetsenheten")
    doc = export_plan(sample_plan)
    doc["plan"].update(uid="0b5b7c1e-6f0a-4c47-9d8e-2f4f3b1a9c11", slug="ale", municipality="Ale kommun")
    doc["plan"]["municipality_code"] = "1440"
    doc["program"] = None
    for area in doc["areas"]:
        area["uid"] = area["uid"][:-4] + "aaaa"
        for iv in area["interventions"]:
            iv["uid"] = iv["uid"][:-4] + "aaaa"
            for act in iv["activities"]:
                act["uid"] = act["uid"][:-4] + "aaaa"
    for fu in doc["follow_ups"]:
        fu["uid"] = fu["uid"][:-4] + "aaaa"
        for st in fu["statuses"]:
            st["activity"] = st["activity"][:-4] + "aaaa"
    result = import_plan(doc, acting_user=None)
    assert result.counts["unit"].unchanged == 1  # Ale's own Säkerhetsenheten
    units = Unit.objects.filter(activities__intervention__area__plan=result.plan).distinct()
    assert {u.municipality_id for u in units} == {other_municipality.pk}
    assert Unit.objects.filter(name="Säkerhetsenheten").count() == 2


def test_web_import_defaults_to_the_current_municipality(sample_plan, other_municipality, login):
    doc = export_plan(sample_plan)
    clear_plan_data()
    del doc["plan"]["municipality"], doc["plan"]["municipality_code"]
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "plan.json"
    ale_user = make_user("ale-samordnare", Role.COORDINATOR, municipality=other_municipality)
    response = login(ale_user).post(reverse("plans:plan_import"), {"file": upload})
    assert response.status_code == 302
    assert Plan.objects.get().municipality == other_municipality


def test_plan_list_shows_only_the_current_municipalitys_plans(
    sample_plan, other_municipality, login, personas
):
    ale, _ = build_plan(slug="ale", municipality=other_municipality)
    user = grant(personas["reader"], other_municipality, Role.READER)
    client = login(user)
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert sample_plan.name in page and ale.name not in page  # Kungälv is the default
    client.post(reverse("switch_municipality"), {"kommun": other_municipality.pk})
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert ale.name in page and sample_plan.name not in page
    only_ale = login(make_user("ale-lasare", Role.READER, municipality=other_municipality))
    assert sample_plan.name not in only_ale.get(reverse("plans:plan_list")).content.decode()
    assert only_ale.get(reverse("plans:plan_detail", args=[sample_plan.slug])).status_code == 404
