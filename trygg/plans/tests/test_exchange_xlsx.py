"""Import and export of a plan with its follow-ups as XLSX (sheets "Aktiviteter" and "Plan")."""

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from trygg.plans.exchange import (
    PlanImportError,
    export_plan,
    export_plan_json,
    export_plan_xlsx,
    import_plan,
    import_plan_json,
    import_plan_xlsx,
)
from trygg.plans.exchange_xlsx import COLUMNS
from trygg.plans.models import ActivityStatus, StatusChange
from trygg.plans.tests.conftest import clear_plan_data, load_demo, plan_db_state

HEADERS = list(COLUMNS.values())


def open_workbook(content: bytes):
    return load_workbook(BytesIO(content))


def to_bytes(wb) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def column(name: str) -> int:
    return HEADERS.index(name) + 1


def row_of(ws, activity_uid: str, year: int) -> int:
    for row in range(2, ws.max_row + 1):
        if (
            ws.cell(row, column("aktivitet-id")).value == activity_uid
            and ws.cell(row, column("År")).value == year
        ):
            return row
    raise AssertionError("row not found")


def refused_xlsx(content: bytes) -> list[str]:
    before = plan_db_state()
    with pytest.raises(PlanImportError) as info:
        import_plan_xlsx(content, acting_user=None)
    assert plan_db_state() == before
    return info.value.errors


def test_xlsx_export_imported_into_an_empty_database_gives_the_same_plan(sample_plan):
    expected = export_plan_json(sample_plan)
    content = export_plan_xlsx(sample_plan)
    clear_plan_data()

    result = import_plan_xlsx(content, acting_user=None)

    assert export_plan_json(result.plan) == expected
    assert cell_values(export_plan_xlsx(result.plan)) == cell_values(content)


def cell_values(content: bytes) -> dict:
    wb = open_workbook(content)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_reimporting_the_same_workbook_changes_nothing(sample_plan):
    content = export_plan_xlsx(sample_plan)
    before = plan_db_state()

    result = import_plan_xlsx(content, acting_user=None)

    assert not result.changed and plan_db_state() == before


def test_sheet_has_one_row_per_activity_and_follow_up_year_with_swedish_headers(sample_plan):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    ws = wb["Aktiviteter"]
    doc = export_plan(sample_plan)
    activity = doc["areas"][0]["interventions"][0]["activities"][0]

    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == 1 + 12 * 2
    row = [c.value for c in ws[2]]
    assert row[:3] == ["1 Delområde 1", "Insats: åtgärder 1.1", activity["title"]]
    assert row[6:10] == ["Ja", "KS 2023/0", 2023, "Pågående"]
    assert row[11:] == [activity["uid"], doc["areas"][0]["interventions"][0]["uid"], doc["areas"][0]["uid"]]
    third = [
        c.value for c in ws[row_of(ws, doc["areas"][0]["interventions"][0]["activities"][2]["uid"], 2024)]
    ]
    assert third[3] == "Sektor Trygghet och Stöd; Säkerhetsenheten"  # sorted by code point
    assert [c.value for c in wb["Plan"][1]] == ["Objekt", "Id", "Fält", "Värde"]


def test_status_edited_in_the_workbook_updates_that_activity_with_one_history_row(sample_plan, personas):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    ws = wb["Aktiviteter"]
    uid = export_plan(sample_plan)["areas"][1]["interventions"][1]["activities"][0]["uid"]
    row = row_of(ws, uid, 2024)
    ws.cell(row, column("Status")).value = "försenat"
    ws.cell(row, column("Kommentar")).value = "Skjuts upp till 2025."
    changes = StatusChange.objects.count()

    result = import_plan_xlsx(to_bytes(wb), acting_user=personas["admin"])

    assert result.counts["status"].updated == 1 and result.counts["status"].unchanged == 21
    assert StatusChange.objects.count() == changes + 1
    status = ActivityStatus.objects.get(activity__uid=uid, follow_up__year=2024)
    assert (status.status, status.comment) == ("delayed", "Skjuts upp till 2025.")


def test_status_code_is_accepted_as_well_as_the_label(sample_plan):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    ws = wb["Aktiviteter"]
    ws.cell(2, column("Status")).value = "DONE_deviation"

    import_plan_xlsx(to_bytes(wb), acting_user=None)

    assert export_plan(sample_plan)["follow_ups"][0]["statuses"][0]["status"] == "done_deviation"


def test_bad_status_in_row_n_is_refused_naming_the_row_and_the_field(sample_plan):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    wb["Aktiviteter"].cell(14, column("Status")).value = "klar"

    errors = refused_xlsx(to_bytes(wb))

    assert len(errors) == 1
    assert errors[0].startswith(
        "Rad 14, fält ”Status”: okänt värde ”klar”. Tillåtna: Ej påbörjad (not_started)"
    )


@pytest.mark.parametrize(
    "header, value, message",
    [
        (
            "Planerat slut",
            "2023-13-01",
            "fält ”Planerat slut”: ogiltigt datum ”2023-13-01” (förväntat ÅÅÅÅ-MM-DD)",
        ),
        ("Politiskt uppdrag", "kanske", "fält ”Politiskt uppdrag”: förväntat Ja/Nej (true/false)"),
        ("Aktivitet", None, "fält ”Aktivitet”: får inte vara tomt"),
        ("Ansvariga enheter", "Okänd", "fält ”Ansvariga enheter”: enheten ”Okänd” saknas"),
    ],
)
def test_bad_activity_cell_names_the_first_row_of_the_activity(sample_plan, header, value, message):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    ws = wb["Aktiviteter"]
    for row in (6, 7):  # the two rows (2023, 2024) of the third activity
        ws.cell(row, column(header)).value = value

    errors = refused_xlsx(to_bytes(wb))

    assert len(errors) == 1 and errors[0].startswith(f"Rad 6, {message}"), errors


def test_activity_rows_that_disagree_are_refused(sample_plan):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    wb["Aktiviteter"].cell(7, column("Aktivitet")).value = "Annan rubrik"

    errors = refused_xlsx(to_bytes(wb))

    assert errors == [
        "Rad 7, fält ”Aktivitet”: skiljer sig från rad 6 för samma aktivitet; ändra alla rader lika"
    ]


def test_changed_area_text_in_the_activity_sheet_points_to_the_plan_sheet(sample_plan):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    wb["Aktiviteter"].cell(3, column("Insats")).value = "Ny insats"

    errors = refused_xlsx(to_bytes(wb))

    assert errors == [
        "Rad 3, fält ”Insats”: ”Ny insats” stämmer inte med bladet ”Plan” (”Insats: åtgärder 1.1”); ändra där"
    ]


def test_plan_sheet_errors_name_the_row(sample_plan):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    ws = wb["Plan"]
    rows = {(ws.cell(r, 1).value, ws.cell(r, 3).value): r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["Plan", "Gäller till och med år"], 4).value = 2020
    ws.cell(rows["Uppföljning", "Datum"], 4).value = "igår"

    errors = refused_xlsx(to_bytes(wb))

    end_row, date_row = rows["Plan", "Gäller till och med år"], rows["Uppföljning", "Datum"]
    assert errors == [
        f"Bladet ”Plan”, rad {date_row} (Uppföljning ”Datum”): ogiltigt datum ”igår” (förväntat ÅÅÅÅ-MM-DD)",
        f"Bladet ”Plan”, rad {end_row} (Plan ”Gäller till och med år”): slutåret 2020 ligger före startåret 2023",
    ]


def test_year_without_a_follow_up_and_duplicate_rows_are_refused(sample_plan):
    wb = open_workbook(export_plan_xlsx(sample_plan))
    ws = wb["Aktiviteter"]
    ws.cell(3, column("År")).value = 2026
    for col in range(1, len(HEADERS) + 1):
        ws.cell(ws.max_row + 1 if col == 1 else ws.max_row, col).value = ws.cell(2, col).value

    errors = refused_xlsx(to_bytes(wb))

    assert errors == [
        "Rad 3, fält ”År”: det finns ingen uppföljning för år ”2026” i bladet ”Plan”",
        f"Rad {ws.max_row}, fält ”År”: aktiviteten har redan en rad för år 2023 (rad 2)",
    ]


def test_text_that_looks_like_a_formula_stays_text(sample_plan):
    doc = export_plan(sample_plan)
    doc["follow_ups"][0]["statuses"][0]["comment"] = '=HYPERLINK("http://example.com","klicka")'
    import_plan(doc, acting_user=None)
    content = export_plan_xlsx(sample_plan)

    cell = open_workbook(content)["Aktiviteter"].cell(2, column("Kommentar"))
    assert cell.data_type == "s"
    clear_plan_data()
    result = import_plan_xlsx(content, acting_user=None)
    assert export_plan(result.plan) == doc


def test_plan_without_program_or_follow_ups_round_trips(make_plan):
    plan = make_plan(slug="utan", years=(), program=False)
    expected = export_plan_json(plan)
    content = export_plan_xlsx(plan)
    clear_plan_data()

    result = import_plan_xlsx(content, acting_user=None)

    assert export_plan_json(result.plan) == expected


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"not a zip file", "Filen kunde inte läsas som en XLSX-fil (Excel)"),
        (b"PK\x03\x04garbage", "Filen kunde inte läsas som en XLSX-fil (Excel)"),
        ("text", "förväntade filens innehåll som bytes"),
    ],
)
def test_bytes_that_are_not_xlsx_give_a_clear_error(db, content, expected):
    with pytest.raises(PlanImportError) as info:
        import_plan_xlsx(content, acting_user=None)
    assert expected in info.value.errors[0]


def test_missing_sheet_and_missing_columns_give_a_clear_error(sample_plan):
    wb = Workbook()
    wb.active.title = "Aktiviteter"
    assert refused_xlsx(to_bytes(wb)) == ["Arbetsboken saknar bladet ”Plan”."]

    wb = open_workbook(export_plan_xlsx(sample_plan))
    wb["Aktiviteter"].delete_cols(column("Status"))
    wb["Plan"].cell(1, 3).value = "Nyckel"
    assert refused_xlsx(to_bytes(wb)) == [
        "Bladet ”Plan” saknar kolumnen ”Fält” i rad 1.",
        "Bladet ”Aktiviteter” saknar kolumnen ”Status” i rad 1.",
    ]


def test_demo_plan_round_trips_exactly_through_json_and_xlsx(db):
    plan = load_demo()
    expected = export_plan_json(plan)
    content = export_plan_xlsx(plan)

    for reimport in (
        lambda: import_plan_xlsx(content, acting_user=None),
        lambda: import_plan_json(expected, acting_user=None),
    ):
        clear_plan_data()
        result = reimport()
        assert export_plan_json(result.plan) == expected
        assert result.counts["status"].created == 27
