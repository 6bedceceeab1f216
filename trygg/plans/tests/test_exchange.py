"""Import and export of a plan with its follow-ups as JSON/YAML (trygg.plan/1)."""

import copy
import json
import uuid
from datetime import date

import pytest
import yaml
from django.core.management import CommandError, call_command

from trygg.accounts.models import Unit
from trygg.demo import plans as demo_plans
from trygg.plans.exchange import (
    PlanImportError,
    export_plan,
    export_plan_json,
    export_plan_xlsx,
    import_plan,
    import_plan_json,
    load_plan_yaml,
)
from trygg.plans.models import Activity, ActivityStatus, Area, FollowUp, Plan, StatusChange
from trygg.plans.tests.conftest import clear_plan_data, load_demo, plan_db_state


def first_activity(doc: dict) -> dict:
    return doc["areas"][0]["interventions"][0]["activities"][0]


def refused(data, **kwargs) -> list[str]:
    """Import that must fail: return its messages after checking nothing was written."""
    before = plan_db_state()
    with pytest.raises(PlanImportError) as info:
        import_plan(data, acting_user=None, **kwargs)
    assert plan_db_state() == before
    assert info.value.errors
    return info.value.errors


# --- Round trips and idempotency ----------------------------------------------------------------------


def test_json_export_imported_into_an_empty_database_exports_identically(sample_plan):
    text = export_plan_json(sample_plan)
    clear_plan_data()

    result = import_plan_json(text, acting_user=None)

    assert export_plan_json(result.plan) == text
    assert result.counts["activity"].created == 12
    assert result.counts["status"].created == 22  # 11 of 12 activities in each of 2 follow-ups
    assert result.counts["unit"].created == 2  # units used by activities: Säkerhetsenheten, Sektor …


def test_export_has_the_documented_shape(sample_plan):
    doc = export_plan(sample_plan)

    assert list(doc) == ["format", "program", "plan", "units", "areas", "follow_ups"]
    assert doc["format"] == "trygg.plan/1"
    assert doc["plan"]["period_start"] == 2023 and doc["program"]["adopted_on"] == "2019-12-19"
    assert [a["number"] for a in doc["areas"]] == [1, 2]
    assert [f["year"] for f in doc["follow_ups"]] == [2023, 2024]
    activity = first_activity(doc)
    assert set(activity) == {
        "uid",
        "title",
        "units",
        "planned_start",
        "planned_end",
        "political_assignment",
        "political_reference",
    }
    assert activity["planned_start"] == "2023-01-01" and activity["political_assignment"] is True
    assert doc["follow_ups"][0]["statuses"][0]["activity"] == activity["uid"]


def test_reimporting_the_same_document_changes_nothing_and_writes_no_history(sample_plan):
    doc = export_plan(sample_plan)
    before = plan_db_state()

    result = import_plan(doc, acting_user=None)

    assert plan_db_state() == before
    assert not result.changed
    assert result.counts["activity"].unchanged == 12 and result.counts["status"].unchanged == 22
    assert result.counts["plan"].unchanged == result.counts["program"].unchanged == 1


def test_reimport_after_one_status_change_updates_that_activity_and_records_one_history_row(
    sample_plan, personas
):
    doc = export_plan(sample_plan)
    changes_before = StatusChange.objects.count()
    entry = doc["follow_ups"][1]["statuses"][4]
    old_status, old_comment = entry["status"], entry["comment"]
    entry["status"] = "delayed" if old_status != "delayed" else "done"
    entry["comment"] = "Försenat på grund av ny lagstiftning."

    result = import_plan(doc, acting_user=personas["coordinator"])

    assert result.counts["status"].updated == 1 and result.counts["status"].unchanged == 21
    assert result.counts["activity"].updated == 0
    assert StatusChange.objects.count() == changes_before + 1
    change = StatusChange.objects.first()
    assert change.activity.uid == uuid.UUID(entry["activity"]) and change.follow_up.year == 2024
    assert (change.old_status, change.new_status) == (old_status, entry["status"])
    assert (change.old_comment, change.new_comment) == (old_comment, entry["comment"])
    assert change.source == "import" and change.changed_by == personas["coordinator"]
    assert export_plan(sample_plan) == doc


def test_changing_one_activity_title_updates_only_that_activity(sample_plan):
    doc = export_plan(sample_plan)
    doc["areas"][1]["interventions"][0]["activities"][2]["title"] = "Ny rubrik"

    result = import_plan(doc, acting_user=None)

    assert (result.counts["activity"].updated, result.counts["activity"].unchanged) == (1, 11)
    assert Activity.objects.filter(title="Ny rubrik").count() == 1
    assert export_plan(sample_plan) == doc


def test_activity_units_are_set_and_new_units_created_by_name(sample_plan):
    doc = export_plan(sample_plan)
    doc["units"].append("Trafik Gata Park")
    first_activity(doc)["units"] = ["Trafik Gata Park", "Säkerhetsenheten"]

    result = import_plan(doc, acting_user=None)

    assert result.counts["unit"].created == 1
    activity = Activity.objects.get(uid=first_activity(doc)["uid"])
    assert sorted(activity.units.values_list("name", flat=True)) == ["Säkerhetsenheten", "Trafik Gata Park"]
    assert result.counts["activity"].updated == 1


def test_activity_order_follows_the_position_in_the_list(sample_plan):
    doc = export_plan(sample_plan)
    activities = doc["areas"][0]["interventions"][1]["activities"]
    activities.reverse()

    import_plan(doc, acting_user=None)

    assert export_plan(sample_plan)["areas"][0]["interventions"][1]["activities"] == activities
    orders = [Activity.objects.get(uid=a["uid"]).order for a in activities]
    assert orders == [0, 1, 2]


def test_items_absent_from_the_file_are_left_alone(sample_plan):
    doc = export_plan(sample_plan)
    removed_area = doc["areas"].pop(1)
    doc["follow_ups"][0]["statuses"] = []
    doc["follow_ups"].pop(1)
    before = plan_db_state()

    result = import_plan(doc, acting_user=None)

    assert not result.changed
    assert plan_db_state() == before
    assert Area.objects.filter(uid=removed_area["uid"]).exists()


def test_missing_optional_field_keeps_the_stored_value_and_null_clears_it(sample_plan):
    doc = export_plan(sample_plan)
    activity = doc["areas"][0]["interventions"][0]["activities"][2]
    del activity["planned_start"], activity["units"]
    del doc["follow_ups"][0]["statuses"][2]["comment"]
    stored = Activity.objects.get(uid=activity["uid"])
    comment = ActivityStatus.objects.get(activity=stored, follow_up__year=2023).comment
    assert comment and stored.units.count() == 2

    assert not import_plan(doc, acting_user=None).changed
    assert Activity.objects.get(pk=stored.pk).planned_start == date(2023, 3, 1)
    assert stored.units.count() == 2
    assert ActivityStatus.objects.get(activity=stored, follow_up__year=2023).comment == comment

    activity["planned_start"] = None
    activity["units"] = ["Säkerhetsenheten"]
    import_plan(doc, acting_user=None)
    stored.refresh_from_db()
    assert stored.planned_start is None
    assert list(stored.units.values_list("name", flat=True)) == ["Säkerhetsenheten"]


def test_program_null_detaches_the_plan_from_its_program(sample_plan):
    doc = export_plan(sample_plan)
    doc["program"] = None

    import_plan(doc, acting_user=None)

    sample_plan.refresh_from_db()
    assert sample_plan.program is None


def test_area_and_follow_up_numbers_can_be_swapped_in_one_import(sample_plan):
    doc = export_plan(sample_plan)
    first, second = doc["areas"]
    first["number"], second["number"] = 2, 1
    first_iv, second_iv = first["interventions"]
    first_iv["number"], second_iv["number"] = 2, 1
    fu_2023, fu_2024 = doc["follow_ups"]
    fu_2023["year"], fu_2024["year"] = 2024, 2023

    result = import_plan(doc, acting_user=None)

    assert Area.objects.get(uid=first["uid"]).number == 2
    assert FollowUp.objects.get(uid=fu_2023["uid"]).year == 2024
    assert result.counts["area"].updated == 2 and result.counts["follow_up"].updated == 2
    exported = export_plan(sample_plan)
    assert [a["uid"] for a in exported["areas"]] == [second["uid"], first["uid"]]
    assert [i["uid"] for i in exported["areas"][1]["interventions"]] == [second_iv["uid"], first_iv["uid"]]


def test_activity_can_move_to_another_intervention_of_the_plan(sample_plan):
    doc = export_plan(sample_plan)
    moved = doc["areas"][0]["interventions"][0]["activities"].pop(0)
    doc["areas"][1]["interventions"][1]["activities"].append(moved)

    import_plan(doc, acting_user=None)

    assert Activity.objects.get(uid=moved["uid"]).intervention.title == "Insats: åtgärder 2.2"


def test_comment_with_a_script_tag_is_stored_verbatim_as_text(sample_plan):
    doc = export_plan(sample_plan)
    comment = '<script>alert("x")</script> & <b>fet</b> =1+1'
    doc["follow_ups"][0]["statuses"][0]["comment"] = comment

    import_plan(doc, acting_user=None)

    assert (
        ActivityStatus.objects.get(
            activity__uid=doc["follow_ups"][0]["statuses"][0]["activity"], follow_up__year=2023
        ).comment
        == comment
    )
    assert export_plan(sample_plan)["follow_ups"][0]["statuses"][0]["comment"] == comment


def test_status_may_be_given_as_swedish_label_in_any_case(sample_plan):
    doc = export_plan(sample_plan)
    doc["follow_ups"][0]["statuses"][0]["status"] = "  pÅgående MED avvikelse "
    doc["follow_ups"][0]["statuses"][1]["status"] = "DONE"

    import_plan(doc, acting_user=None)

    statuses = export_plan(sample_plan)["follow_ups"][0]["statuses"]
    assert [statuses[0]["status"], statuses[1]["status"]] == ["ongoing_deviation", "done"]


def test_json_import_accepts_bytes_with_a_byte_order_mark(sample_plan):
    text = export_plan_json(sample_plan)
    clear_plan_data()

    result = import_plan_json("\ufeff".encode() + text.encode("utf-8"), acting_user=None)

    assert export_plan_json(result.plan) == text


def test_export_uses_the_same_number_of_queries_for_a_five_times_larger_plan(
    make_plan, django_assert_num_queries
):
    small = make_plan(slug="liten", areas=1, interventions=2, activities=2, years=(2023, 2024))
    large = make_plan(slug="stor", areas=5, interventions=2, activities=2, years=(2023, 2024))
    assert Activity.objects.for_plan(large).count() == 5 * Activity.objects.for_plan(small).count()

    # plan+program, areas, interventions, activities, activity units, follow-ups, statuses
    for plan in (small, large):
        with django_assert_num_queries(7):
            export_plan(plan)
        with django_assert_num_queries(7):
            export_plan_xlsx(plan)


# --- Refused input: nothing written, a Swedish message naming the place ---------------------------------


def test_malformed_json_is_refused_with_line_and_column(sample_plan):
    before = plan_db_state()
    with pytest.raises(PlanImportError) as info:
        import_plan_json('{"format": "trygg.plan/1",\n  "plan": {', acting_user=None)
    assert info.value.errors[0].startswith("Filen är inte giltig JSON: rad 2")
    assert plan_db_state() == before


@pytest.mark.parametrize(
    "payload, expected",
    [
        (b"\xff\xfe\x00", "inte UTF-8"),
        ('{"a": 1, "a": 2}', "förekommer två gånger"),
        ("[1, 2]", "ett objekt på översta nivån"),
        ("[" * 100_000, "inte giltig JSON"),
    ],
)
def test_unreadable_json_gives_a_clear_error(db, payload, expected):
    with pytest.raises(PlanImportError) as info:
        import_plan_json(payload, acting_user=None)
    assert expected in info.value.errors[0]


def test_wrong_format_marker_is_refused(sample_plan):
    doc = export_plan(sample_plan)
    doc["format"] = "trygg.plan/2"
    assert refused(doc) == ["format: okänt format ”trygg.plan/2” (förväntat ”trygg.plan/1”)"]
    del doc["format"]
    assert refused(doc) == ["format: obligatoriskt fält saknas (förväntat ”trygg.plan/1”)"]


def mutate(path: str, value):
    """A change to a document: set the value at a dotted path with [n] indexes (None value = delete)."""

    def apply(doc):
        *parents, last = path.replace("[", ".").replace("]", "").split(".")
        target = doc
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if isinstance(target, list) else last] = value(doc) if callable(value) else value
        return doc

    return apply


_DELETE = object()
ACT = "areas[1].interventions[0].activities[2]"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            mutate("follow_ups[0].statuses[3].status", "klar"),
            "follow_ups[0].statuses[3].status: okänt värde ”klar”. Tillåtna: Ej påbörjad (not_started), ",
        ),
        (
            mutate("follow_ups[1].statuses[0].activity", str(uuid.UUID(int=7))),
            f"follow_ups[1].statuses[0].activity: okänd aktivitet {uuid.UUID(int=7)} (finns inte i filen)",
        ),
        (
            mutate(f"{ACT}.planned_end", "2023-13-01"),
            f"{ACT}.planned_end: ogiltigt datum ”2023-13-01” (förväntat ÅÅÅÅ-MM-DD)",
        ),
        (mutate(f"{ACT}.planned_start", "1/2 2023"), f"{ACT}.planned_start: ogiltigt datum ”1/2 2023”"),
        (
            mutate(f"{ACT}.planned_start", "2028-01-01"),
            f"{ACT}.planned_end: planerat slut 2027-12-31 ligger före planerad start 2028-01-01",
        ),
        (mutate(f"{ACT}.uid", lambda d: d["areas"][0]["uid"]), f"{ACT}.uid: id "),
        (mutate(f"{ACT}.uid", "inte-ett-id"), f"{ACT}.uid: ogiltigt id ”inte-ett-id”"),
        (mutate(f"{ACT}.title", _DELETE), f"{ACT}.title: obligatoriskt fält saknas"),
        (mutate(f"{ACT}.title", "  "), f"{ACT}.title: får inte vara tomt"),
        (mutate(f"{ACT}.title", 42), f"{ACT}.title: förväntat text, fick talet 42"),
        (mutate(f"{ACT}.title", "x" * 501), f"{ACT}.title: för lång text (501 tecken, högst 500)"),
        (mutate(f"{ACT}.title", "a\x00b"), f"{ACT}.title: texten innehåller otillåtna styrtecken"),
        (mutate(f"{ACT}.political_assignment", "ja"), f"{ACT}.political_assignment: förväntat Ja/Nej"),
        (
            mutate(f"{ACT}.units", ["Okänd enhet"]),
            f"{ACT}.units[0]: enheten ”Okänd enhet” saknas i filens lista",
        ),
        (mutate(f"{ACT}.colour", "blå"), f"{ACT}: okänt fält ”colour”"),
        (mutate("areas[1].number", 1), "areas[1].number: nummer 1 förekommer redan i areas[0]"),
        (
            mutate("areas[0].interventions[1].number", 1),
            "areas[0].interventions[1].number: nummer 1 förekommer redan i areas[0].interventions[0]",
        ),
        (mutate("areas[0].number", 0), "areas[0].number: 0 ligger utanför det tillåtna intervallet 1–9999"),
        (mutate("areas[0].interventions", {}), "areas[0].interventions: förväntat en lista, fick ett objekt"),
        (mutate("plan.period_end", 2022), "plan.period_end: slutåret 2022 ligger före startåret 2023"),
        (
            mutate("plan.period_start", 1066),
            "plan.period_start: 1066 ligger utanför det tillåtna intervallet 1990–2100",
        ),
        (mutate("plan.slug", "trygg i test"), "plan.slug: ogiltigt kortnamn"),
        (
            mutate("follow_ups[1].year", 2030),
            "follow_ups[1].year: året 2030 ligger utanför planens period 2023–2027",
        ),
        (mutate("follow_ups[1].year", 2023), "follow_ups[1].year: år 2023 förekommer redan i follow_ups[0]"),
        (mutate("follow_ups[0].date", None), "follow_ups[0].date: ogiltigt datum ett tomt värde (null)"),
        (
            mutate(
                "follow_ups[0].statuses[1].activity", lambda d: d["follow_ups"][0]["statuses"][0]["activity"]
            ),
            "follow_ups[0].statuses[1].activity: aktiviteten har redan en status i denna uppföljning (follow_ups[0].statuses[0])",
        ),
        (mutate("units[0]", "A; B"), "units[0]: enhetens namn ”A; B” får inte innehålla semikolon"),
        (mutate("plan", _DELETE), "plan: obligatoriskt fält saknas"),
        (mutate("extra", 1), "Okänt fält ”extra”"),
    ],
)
def test_invalid_document_is_refused_naming_the_place(sample_plan, change, message):
    doc = change(export_plan(sample_plan))
    errors = refused(doc)
    assert any(e.startswith(message) for e in errors), errors


def test_all_problems_are_reported_at_once(sample_plan):
    doc = export_plan(sample_plan)
    doc["plan"]["name"] = ""
    first_activity(doc)["planned_end"] = "2023-02-30"
    doc["follow_ups"][0]["statuses"][2]["status"] = "klar"
    assert len(refused(doc)) == 3


def test_area_from_another_plan_is_refused(sample_plan, make_plan):
    other = make_plan(slug="annan-plan", areas=1, interventions=1, activities=1, years=())
    doc = export_plan(sample_plan)
    doc["areas"][0]["uid"] = str(other.areas.get().uid)
    errors = refused(doc)
    assert "areas[0].uid: delområdet hör redan till planen ”Trygg i test (annan-plan)”" in errors


def test_slug_used_by_another_plan_is_refused(sample_plan, make_plan):
    make_plan(slug="annan-plan", areas=1, interventions=1, activities=1, years=(), program=False)
    doc = export_plan(sample_plan)
    doc["plan"]["slug"] = "annan-plan"
    assert refused(doc) == [
        "plan.slug: kortnamnet ”annan-plan” används redan av planen ”Trygg i test (annan-plan)”"
    ]


def test_number_taken_by_an_area_left_out_of_the_file_is_refused(sample_plan):
    doc = export_plan(sample_plan)
    doc["areas"].pop(1)
    kept = {a["uid"] for iv in doc["areas"][0]["interventions"] for a in iv["activities"]}
    for follow_up in doc["follow_ups"]:
        follow_up["statuses"] = [s for s in follow_up["statuses"] if s["activity"] in kept]
    doc["areas"][0]["number"] = 2
    assert refused(doc) == [
        "areas[0].number: 2 används redan av delområdet ”2 Delområde 2” som inte finns i filen"
    ]


def test_database_refusal_is_reported_and_rolled_back(sample_plan, monkeypatch):
    from django.db import IntegrityError

    from trygg.plans import exchange

    doc = export_plan(sample_plan)
    first_activity(doc)["title"] = "Ändrad"
    doc["follow_ups"][0]["statuses"][0]["status"] = "delayed"

    def broken(*args, **kwargs):
        raise IntegrityError("simulerat fel")

    monkeypatch.setattr(exchange.actions, "do_set_activity_status", broken)
    errors = refused(doc)
    assert errors == ["Databasen avvisade importen (simulerat fel). Ingenting har sparats."]


# --- YAML and the demo plan ----------------------------------------------------------------------------


def test_yaml_with_date_objects_imports_like_json(sample_plan, tmp_path):
    text = export_plan_json(sample_plan)
    path = tmp_path / "plan.yaml"
    path.write_text(
        yaml.safe_dump(json.loads(text), allow_unicode=True).replace("'2027-12-31'", "2027-12-31")
    )
    assert isinstance(
        yaml.safe_load(path.read_text())["areas"][0]["interventions"][0]["activities"][0]["planned_end"], date
    )
    clear_plan_data()

    result = load_plan_yaml(path, acting_user=None)

    assert export_plan_json(result.plan) == text


def test_broken_yaml_names_the_line(db, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("format: trygg.plan/1\nplan: [\n  - a: b\n c\n")
    with pytest.raises(PlanImportError) as info:
        load_plan_yaml(path, acting_user=None)
    assert info.value.errors[0].startswith("Filen är inte giltig YAML (rad ")


def test_demo_plan_loads_27_activities_with_2023_statuses_and_reloading_changes_nothing(db):
    plan = load_demo()

    assert plan.slug == "trygg-i-kungalv" and plan.program.diary_number == "KS2019/0202"
    assert Activity.objects.for_plan(plan).count() == 27
    follow_up = plan.follow_ups.get(year=2023)
    assert follow_up.statuses.count() == 27
    assert set(StatusChange.objects.values_list("source", flat=True)) == {"demo"}
    before = plan_db_state()
    again = demo_plans.load(plan.municipality, acting_user=None)
    assert again == "Trygg i Kungälv: inga ändringar" and plan_db_state() == before


# --- Management commands -------------------------------------------------------------------------------


def test_export_and_import_commands_round_trip_through_files(sample_plan, tmp_path, capsys):
    json_file, xlsx_file = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    call_command("export_plan", "--plan", sample_plan.slug, "-o", str(json_file))
    call_command("export_plan", "--plan", sample_plan.slug, "--format", "xlsx", "-o", str(xlsx_file))
    expected = export_plan_json(sample_plan)
    assert json_file.read_text(encoding="utf-8") == expected
    clear_plan_data()

    call_command("import_plan", str(xlsx_file))
    assert export_plan_json(Plan.objects.get()) == expected
    call_command("import_plan", str(json_file))
    out = capsys.readouterr().out
    assert "aktiviteter: 0 nya, 0 ändrade, 12 oförändrade" in out


def test_import_command_reports_every_error_and_refuses_unknown_file_types(sample_plan, tmp_path):
    bad = tmp_path / "plan.json"
    doc = export_plan(sample_plan)
    doc["follow_ups"][0]["statuses"][0]["status"] = "klar"
    bad.write_text(json.dumps(doc))
    with pytest.raises(
        CommandError, match="ingenting sparades:\nfollow_ups\\[0\\].statuses\\[0\\].status: okänt värde"
    ):
        call_command("import_plan", str(bad))
    with pytest.raises(CommandError, match="Okänd filtyp ”.csv”"):
        call_command("import_plan", str(tmp_path / "plan.csv"))
    with pytest.raises(CommandError, match="Det finns ingen plan"):
        call_command("export_plan", "--plan", "saknas")


def test_import_command_records_the_named_user_in_the_history(sample_plan, tmp_path, personas):
    doc = export_plan(sample_plan)
    doc["follow_ups"][0]["statuses"][0]["comment"] = "Ny kommentar"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    call_command("import_plan", str(path), "--user", "samordnare")

    assert StatusChange.objects.first().changed_by == personas["coordinator"]
    assert Unit.objects.filter(name="Säkerhetsenheten").count() == 1


def test_documents_are_not_modified_by_import(sample_plan):
    doc = export_plan(sample_plan)
    original = copy.deepcopy(doc)
    import_plan(doc, acting_user=None)
    assert doc == original


def test_a_very_broken_file_lists_at_most_200_problems(sample_plan):
    doc = export_plan(sample_plan)
    doc["follow_ups"][0]["statuses"] = [{"activity": str(uuid.uuid4()), "status": "done"} for _ in range(250)]
    errors = refused(doc)
    assert len(errors) == 201 and errors[-1] == "… och 50 fel till."
