"""Bounded, clean input to the plan import: unpacked XLSX size, text limits as in the forms, bidi controls and
NUL, and fully Swedish messages for broken files and missing paths."""

import io
import json
import tracemalloc
import zipfile

import pytest
from django.core.management import CommandError, call_command

from trygg.accounts import writes
from trygg.plans import exchange_json
from trygg.plans.exchange import PlanImportError, export_plan, import_plan, import_plan_json, import_plan_xlsx
from trygg.plans.exchange_xlsx import XLSX_MAX_UNCOMPRESSED, document_to_xlsx
from trygg.plans.models import Activity, ActivityStatus, Area
from trygg.plans.tests.conftest import plan_db_state

ENGLISH = ("Expecting", "Errno", "No such file", "delimiter", "Traceback", "Permission denied")


def refused(call) -> list[str]:
    before = plan_db_state()
    with pytest.raises(PlanImportError) as info:
        call()
    assert plan_db_state() == before
    for message in info.value.errors:
        assert not any(word in message for word in ENGLISH), message
    return info.value.errors


def bomb(base: bytes, megabytes: int) -> bytes:
    """A real workbook plus one part that unpacks to `megabytes` MB of the same byte (deflate packs it
    about a thousand to one), written in chunks so that building it needs little memory."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member, source.read(member.filename))
        with target.open("xl/media/filler.bin", "w", force_zip64=True) as filler:
            chunk = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                filler.write(chunk)
    return out.getvalue()


def test_a_small_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_with_bounded_memory(sample_plan):
    content = bomb(document_to_xlsx(export_plan(sample_plan)), 300)
    assert len(content) < 1024 * 1024  # under a megabyte on disk …
    assert XLSX_MAX_UNCOMPRESSED < 300 * 1024 * 1024  # … and far over the limit unpacked

    tracemalloc.start()
    try:
        errors = refused(lambda: import_plan_xlsx(content, acting_user=None))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert errors[0].startswith("Arbetsboken är 30") and "när den packas upp" in errors[0]
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_a_workbook_under_the_limit_still_imports(sample_plan):
    content = bomb(document_to_xlsx(export_plan(sample_plan)), 2)
    assert not import_plan_xlsx(content, acting_user=None).changed


def patched(content: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """The workbook with one part's XML edited (openpyxl itself would not write such a file)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        assert old in source.read(member)
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = data.replace(old, new, 1)
            target.writestr(info, data)
    return out.getvalue()


def test_a_cell_over_excels_limit_is_refused_naming_the_row(sample_plan):
    content = document_to_xlsx(export_plan(sample_plan))
    content = patched(content, "xl/worksheets/sheet1.xml", b">KS 2023/0<", b">" + b"x" * 40_000 + b"<")
    errors = refused(lambda: import_plan_xlsx(content, acting_user=None))
    assert errors == ["Bladet ”Aktiviteter”, rad 2, kolumn H: cellen har 40000 tecken; högst 32767 tas emot."]


def test_the_import_text_limit_is_the_forms_limit():
    assert exchange_json.TEXT_MAX == writes.TEXT_MAX


def test_a_ten_megabyte_comment_is_refused_like_in_the_form(sample_plan):
    doc = export_plan(sample_plan)
    doc["follow_ups"][0]["statuses"][0]["comment"] = "x" * (10 * 1024 * 1024)
    errors = refused(lambda: import_plan(doc, acting_user=None))
    assert errors == [
        f"follow_ups[0].statuses[0].comment: för lång text ({10 * 1024 * 1024} tecken, högst {writes.TEXT_MAX})"
    ]


def test_a_text_that_grows_past_its_column_when_redacted_is_refused_naming_the_place(sample_plan):
    doc = export_plan(sample_plan)
    doc["units"] = None
    doc["areas"][0]["title"] = "19811218-9876 " * 21  # 294 characters; the placeholders make it longer
    errors = refused(lambda: import_plan(doc, acting_user=None))
    assert errors[0].startswith("areas[0]: Rubrik får vara högst 300 tecken")


def test_bidi_controls_are_removed_in_json_and_xlsx(sample_plan):
    doc = export_plan(sample_plan)
    doc["areas"][0]["title"] = "Trygg\u202e miljö\u2066"
    doc["follow_ups"][0]["statuses"][0]["comment"] = "Klart\u202d enligt plan"
    import_plan(doc, acting_user=None)
    assert Area.objects.filter(title="Trygg miljö").exists()
    assert ActivityStatus.objects.filter(comment="Klart enligt plan").exists()

    doc["areas"][1]["description"] = "Text \u202b med \u2069 styrtecken"
    import_plan_xlsx(document_to_xlsx(doc), acting_user=None)
    assert Area.objects.get(uid=doc["areas"][1]["uid"]).description == "Text  med  styrtecken"


@pytest.mark.parametrize("where", ["title", "comment"])
def test_nul_is_refused_in_json_with_a_swedish_message(sample_plan, where):
    doc = export_plan(sample_plan)
    if where == "title":
        doc["areas"][0]["interventions"][0]["activities"][0]["title"] = "A\x00B"
    else:
        doc["follow_ups"][0]["statuses"][0]["comment"] = "A\x00B"
    errors = refused(lambda: import_plan_json(json.dumps(doc), acting_user=None))
    assert "otillåtna styrtecken (t.ex. NUL)" in errors[0]
    assert not any("\x00" in title for title in Activity.objects.values_list("title", flat=True))


def test_nul_in_an_xlsx_cell_never_reaches_the_database(sample_plan):
    content = document_to_xlsx(export_plan(sample_plan))
    content = patched(content, "xl/worksheets/sheet1.xml", b"Aktivitet 1.1.1", b"Aktivitet &#0;1.1.1")
    errors = refused(lambda: import_plan_xlsx(content, acting_user=None))
    assert errors == [
        "Arbetsboken är skadad eller innehåller otillåtna tecken (t.ex. NUL) och kan inte läsas."
    ]
    assert not any("\x00" in title for title in Activity.objects.values_list("title", flat=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "trygg.plan/1", "plan": {"slug" "x"}}', "rad 1, kolumn 44: kolon (:) saknas."),
        ('{"format": "trygg.plan/1", "plan": {', "ett fältnamn inom dubbla citattecken saknas"),
        ('{"format": "trygg.plan/1", "areas": [1, 2', "kommatecken (,) saknas"),
        ('{"format": "trygg.', "en text saknar sitt avslutande citattecken"),
        ("", "ett värde saknas (filen tar slut mitt i dokumentet: är den avkortad?)"),
    ],
)
def test_truncated_or_broken_json_gives_a_swedish_message(db, text, expected):
    errors = refused(lambda: import_plan_json(text, acting_user=None))
    assert errors[0].startswith("Filen är inte giltig JSON: rad ") and expected in errors[0]


def test_missing_files_and_unwritable_paths_give_swedish_messages(sample_plan, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("import_plan", str(tmp_path / "saknas.json"))
    assert f"Filen eller mappen {tmp_path / 'saknas.json'} finns inte." in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("import_plan", str(tmp_path / "saknas.yaml"))
    assert "finns inte" in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("export_plan", "--plan", sample_plan.slug, "-o", str(tmp_path / "saknas" / "plan.json"))
    assert "Kunde inte skriva" in str(info.value) and "finns inte" in str(info.value)
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with pytest.raises(CommandError) as info:
        call_command(
            "report",
            "--plan",
            sample_plan.slug,
            "--year",
            "2023",
            "--format",
            "html",
            "-o",
            str(blocker / "r.html"),
        )
    assert str(info.value).startswith(f"Kunde inte skriva {blocker / 'r.html'}")
    for message in (str(info.value),):
        assert not any(word in message for word in ENGLISH), message
