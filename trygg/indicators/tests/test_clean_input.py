"""Every importer strips NUL and the bidi controls (U+202A–U+202E, U+2066–U+2069), raw or written as JSON
escapes, from everything it reads; truncated JSON and CSV errors are reported in Swedish; indicator names and
descriptions from files are redacted like any free text; every import leaves one audit row with its counts."""

import copy
import json

import pytest

from trygg.accounts.models import AuditEvent
from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, parse
from trygg.indicators.models import Indicator, Observation
from trygg.lib.text import has_unsafe_characters

from .test_importers_properties import VALID_JSONSTAT, VALID_KOLADA, VALID_PX

PERSONNUMMER = "19811218-9876"


def texts_of(parsed) -> list[str]:
    """Every string an import would store: codes, regions, periods, breakdowns, indicator fields."""
    out = []
    for row in parsed.rows:
        out += [row[0], row[1], row[2], row[5]]
    for spec in parsed.indicators:
        out += [spec.code, spec.title, spec.description, spec.source, *spec.breakdowns]
    return out


def assert_clean(parsed) -> None:
    dirty = [text for text in texts_of(parsed) if has_unsafe_characters(text)]
    assert not dirty, dirty
    assert parsed.rows


def jsonstat(ensure_ascii: bool) -> bytes:
    js = copy.deepcopy(VALID_JSONSTAT)
    js["label"] = "Folk\u202emängd\x00 per kön"
    js["dimension"]["Kon"]["category"]["label"] = {
        "TotSa": "totalt\u2066",
        "1": "män\x00",
        "2": "kvinnor\u202a",
    }
    return json.dumps(js, ensure_ascii=ensure_ascii).encode()


@pytest.mark.parametrize("ensure_ascii", [True, False], ids=["escaped", "raw"])
def test_jsonstat_strips_nul_and_bidi_controls(ensure_ascii):
    assert ("\\u0000" in jsonstat(ensure_ascii).decode()) is True  # json.dumps escapes NUL either way
    parsed = parse("jsonstat", jsonstat(ensure_ascii))
    assert_clean(parsed)
    assert "Folkmängd per kön" in parsed.indicators[0].title


def test_kolada_strips_nul_and_bidi_controls_and_still_resolves_the_codes():
    payload = copy.deepcopy(VALID_KOLADA)
    payload["values"][0]["municipality"] = "14\x0082"
    payload["values"][0]["kpi"] = "N07\u202e540"
    parsed = parse("kolada", json.dumps(payload).encode())
    assert_clean(parsed)
    assert ("N07540", "1482") in {(row[0], row[1]) for row in parsed.rows}


def test_px_strips_nul_and_bidi_controls():
    text = VALID_PX.replace('CHARSET="ANSI";', 'CODEPAGE="utf-8";').replace(
        'CONTENTS="Antal";', 'CONTENTS="An\x00tal\u202e";'
    )
    text = text.replace('"Kungälv","Riket"', '"Kung\u2067älv","Riket\x00"')
    parsed = parse("px", text.encode("utf-8"))
    assert_clean(parsed)


def test_bra_strips_nul_and_bidi_controls_and_still_resolves_the_region():
    data = "brott;år;region;antal\nVåld\u202esbrott;2022;Kung\x00älv;462\n".encode()
    parsed = parse("bra", data)
    assert_clean(parsed)
    assert parsed.rows[0][1] == "1482"
    assert "brottskategori=Våldsbrott" in parsed.rows[0][5]


def test_local_csv_never_stores_a_nul_byte_or_bidi_control(regions, municipality):
    data = (
        "indikator;titel;region;år;värde;beskrivning\n"
        "LOKAL.sam\x00tal;Samtal\x00 med\u202e unga;1482;2023;12;Antal\u2069 samtal\n"
    ).encode()
    assert_clean(parse("local", data))
    actions.do_import_file("local", data, municipality=municipality)
    indicator = Indicator.objects.get()
    assert (indicator.code, indicator.title, indicator.description) == (
        "LOKAL.samtal",
        "Samtal med unga",
        "Antal samtal",
    )


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("jsonstat", b'{"version": "2.0", "class": "dataset", "label"'),
        ("jsonstat", b'{"version": "2.0", "value": [1, 2,'),
        ("kolada", b'{"values": [{"kpi": "N07540", "municipality": '),
    ],
)
def test_truncated_json_is_reported_in_swedish(kind, data):
    with pytest.raises(ImportValidationError) as error:
        parse(kind, data)
    message = error.value.message
    assert "är inte giltig JSON" in message and "filen tycks vara avkortad" in message
    assert "Expecting" not in message and "delimiter" not in message


def test_a_json_syntax_error_in_the_middle_names_the_place_in_swedish():
    with pytest.raises(ImportValidationError) as error:
        parse("kolada", b'{"values" [1]}')
    assert error.value.message == "Kolada-svaret är inte giltig JSON: ett kolon saknas (rad 1, kolumn 11)."


def test_a_csv_error_is_reported_in_swedish():
    data = ("indikator;region;år;värde\nLOKAL.x;1482;2023;" + "1" * 140_000 + "\n").encode()
    with pytest.raises(ImportValidationError) as error:
        parse("local", data)
    assert "längre än 131 072 tecken" in error.value.message
    assert "field larger" not in error.value.message


def test_indicator_names_from_a_national_file_are_redacted(regions):
    js = copy.deepcopy(VALID_JSONSTAT)
    js["label"] = f"Folkmängd, kontakt {PERSONNUMMER}"
    result = actions.do_import_observations(parse("jsonstat", json.dumps(js).encode()))
    titles = list(Indicator.objects.values_list("title", flat=True))
    assert titles and not any(PERSONNUMMER in title for title in titles)
    assert "personnummer" in result.summary


def test_an_import_leaves_one_audit_row_with_its_counts_and_none_when_nothing_changed(regions, municipality):
    data = "indikator;titel;region;år;värde\nLOKAL.a;A;1482;2022;3\nLOKAL.a;;1482;2023;4\n".encode()
    actions.do_import_file("local", data, municipality=municipality)
    row = AuditEvent.objects.get(action=actions.IMPORT_AUDIT)
    assert row.changes["observations_created"] == [None, 2]
    assert row.changes["indicators_created"] == [None, 1]
    assert row.changes["municipality"] == [None, "1482"]
    assert Observation.objects.count() == 2
    actions.do_import_file("local", data, municipality=municipality)  # the same file again
    assert AuditEvent.objects.filter(action=actions.IMPORT_AUDIT).count() == 1
    actions.do_import_file("local", data.replace(b";4\n", b";5\n"), municipality=municipality)
    latest = AuditEvent.objects.filter(action=actions.IMPORT_AUDIT).first()
    assert latest.changes["observations_updated"] == [None, 1]
