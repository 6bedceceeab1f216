"""Values no statistics can hold — numbers beyond float, 1e999, Infinity, NaN, integers with thousands of
digits, negative counts — and rows aimed at the wrong indicator or region: every importer refuses them with
a Swedish message naming the place, the command line says so, a web import job ends "failed" with that
message, and nothing is written."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, parse
from trygg.indicators.importers.bra import parse_bra
from trygg.indicators.importers.local_csv import parse_local_csv
from trygg.indicators.models import ImportJob, Indicator, Observation

from .test_importers_properties import VALID_JSONSTAT, VALID_KOLADA, VALID_PX

NOT_FINITE = "är inte ett ändligt tal"
TOO_LONG = "fler än 4 300 siffror"
HUGE_DIGITS = "9" * 5000  # beyond Python's 4 300-digit limit for int(); float() of it is inf
BIG_INT = "1" + "0" * 400  # an integer JSON reads fine, but float() overflows


def jsonstat_with(first_value: str) -> bytes:
    """VALID_JSONSTAT with its first cell written as raw JSON (json.dumps cannot write all of these)."""
    js = copy.deepcopy(VALID_JSONSTAT)
    js["value"][0] = "__RAW__"
    return json.dumps(js).replace('"__RAW__"', first_value).encode()


def kolada_with(value: str) -> bytes:
    payload = copy.deepcopy(VALID_KOLADA)
    payload["values"][0]["values"][0]["value"] = "__RAW__"
    return json.dumps(payload).replace('"__RAW__"', value).encode()


def px_with(value: str) -> bytes:
    return VALID_PX.replace('1 ".."', f'{value} ".."').encode("cp1252")


def bra_with(value: str, region: str = "Kungälv") -> bytes:
    return f"brott;år;region;antal\nVåldsbrott;2022;Kungälv;462\nVåldsbrott;2023;{region};{value}\n".encode()


def local_with(value: str, unit: str = "antal", code: str = "LOKAL.test", region: str = "1482") -> bytes:
    return (
        "indikator;titel;enhet;region;år;värde\n"
        f"LOKAL.test;Test;antal;1482;2022;5\n{code};Test;{unit};{region};2023;{value}\n"
    ).encode()


CASES = [
    ("jsonstat", jsonstat_with(BIG_INT), NOT_FINITE),
    ("jsonstat", jsonstat_with("1e999"), NOT_FINITE),
    ("jsonstat", jsonstat_with("-1E400"), NOT_FINITE),
    ("jsonstat", jsonstat_with("Infinity"), NOT_FINITE),
    ("jsonstat", jsonstat_with("NaN"), NOT_FINITE),
    ("jsonstat", jsonstat_with('"1e999"'), NOT_FINITE),
    ("jsonstat", jsonstat_with(HUGE_DIGITS), TOO_LONG),
    ("kolada", kolada_with(BIG_INT), NOT_FINITE),
    ("kolada", kolada_with("1e999"), NOT_FINITE),
    ("kolada", kolada_with("-Infinity"), NOT_FINITE),
    ("kolada", kolada_with('"1e999"'), NOT_FINITE),
    ("kolada", kolada_with(HUGE_DIGITS), TOO_LONG),
    ("px", px_with("1e999"), NOT_FINITE),
    ("px", px_with(HUGE_DIGITS), NOT_FINITE),
    ("bra", bra_with("1e999"), NOT_FINITE),
    ("bra", bra_with(HUGE_DIGITS), NOT_FINITE),
    ("bra", bra_with("inf"), NOT_FINITE),
    ("local", local_with("1e999"), NOT_FINITE),
    ("local", local_with(HUGE_DIGITS), NOT_FINITE),
    ("local", local_with("-Infinity"), NOT_FINITE),
]


@pytest.mark.parametrize(("kind", "data", "message"), CASES)
def test_non_finite_and_huge_numbers_are_refused_in_swedish(catalogue, kind, data, message):
    with pytest.raises(ImportValidationError) as refused:
        actions.do_import_file(kind, data)
    assert message in refused.value.message
    assert not Observation.objects.exists()


@pytest.mark.parametrize("key", ["²", "٣", "9" * 5000])
def test_odd_digit_keys_in_jsonstat_value_and_status_are_refused_or_ignored(regions, key):
    js = copy.deepcopy(VALID_JSONSTAT)
    js["status"] = {key: ".."}  # a status for a cell that does not exist: ignored
    assert len(parse("jsonstat", json.dumps(js).encode()).rows) == 12
    js["value"] = {key: 1}
    with pytest.raises(ImportValidationError, match="ligger utanför tabellen"):
        parse("jsonstat", json.dumps(js).encode())


def test_the_message_names_the_cell(catalogue):
    with pytest.raises(ImportValidationError, match=f"Cell 0: värdet 'inf' {NOT_FINITE}"):
        parse("jsonstat", jsonstat_with("1e999"))
    with pytest.raises(ImportValidationError, match=f"Rad 3: värdet '1e999' {NOT_FINITE}"):
        parse_bra(bra_with("1e999"))
    with pytest.raises(ImportValidationError, match="ett heltal med omkring 401 siffror"):
        parse("kolada", kolada_with(BIG_INT))
    with pytest.raises(ImportValidationError, match="PX-filen: DATA-värde nr 1 är inte ett ändligt tal"):
        parse("px", px_with("1e999"))


def test_a_huge_number_stops_the_command_with_a_swedish_reason(catalogue, tmp_path):
    for name, kind, data in (
        ("huge.json", "jsonstat", jsonstat_with(HUGE_DIGITS)),
        ("big.json", "kolada", kolada_with(BIG_INT)),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(CommandError, match="(siffror|ändligt tal).*Ingenting importerades"):
            call_command("import_indicators", "--kind", kind, str(path))
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("jsonstat", jsonstat_with(BIG_INT), NOT_FINITE),
        ("kolada", kolada_with(HUGE_DIGITS), TOO_LONG),
        ("bra", bra_with("1e999"), NOT_FINITE),
    ],
)
def test_a_web_import_of_a_huge_number_fails_with_the_swedish_reason(
    personas, login, catalogue, django_capture_on_commit_callbacks, kind, data, message
):
    client = login(personas["admin"])  # national files: the installation's administrator
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:import"), {"kind": kind, "file": SimpleUploadedFile("f", data)})
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert message in job.message
    assert "oväntat fel" not in job.message
    assert not Observation.objects.exists()


# --- negative counts ------------------------------------------------------------------------------------


def test_bra_refuses_a_negative_count():
    with pytest.raises(ImportValidationError, match="Rad 3: värdet '-5' är negativt, men ett antal"):
        parse_bra(bra_with("-5"))


def test_local_csv_refuses_negative_counts_shares_and_rates_but_not_other_units():
    with pytest.raises(ImportValidationError, match="Rad 3: värdet '-3' är negativt, men ett antal"):
        parse_local_csv(local_with("-3"))
    with pytest.raises(ImportValidationError, match="men en andel kan inte vara negativ\\."):
        parse_local_csv(local_with("-3", unit="procent"))
    assert parse_local_csv(local_with("-3", unit="annan")).rows[1][6] == -3


# --- names of places ------------------------------------------------------------------------------------


def test_bra_rows_naming_stockholm_go_to_the_kommun(regions):
    rows = parse_bra(bra_with("100", region="Stockholm")).rows
    assert rows[1][1] == "0180"
    assert parse_bra(bra_with("100", region="Stockholms län")).rows[1][1] == "01"
    assert parse_bra(bra_with("100", region="Polisregion Stockholm")).rows[1][1] == "PR-STHLM"
    assert parse_bra(bra_with("100", region="Hela landet")).rows[1][1] == "00"


def test_local_csv_rows_naming_stockholm_go_to_the_kommun(regions):
    assert parse_local_csv(local_with("7", region="Stockholm")).rows[1][1] == "0180"
    assert parse_local_csv(local_with("7", region="Uppsala län")).rows[1][1] == "03"


# --- local figures never overwrite official statistics ---------------------------------------------------


def test_local_csv_cannot_write_into_an_official_indicator(catalogue, municipality):
    data = local_with("8000", code="N07540")
    with pytest.raises(ImportValidationError) as refused:
        actions.do_import_file("local", data, municipality=municipality)
    assert refused.value.errors == [
        "Rad 3: indikatorn N07540 är officiell statistik, inte ett lokalt nyckeltal, och kan inte ändras med "
        "CSV-mallen för lokala nyckeltal. Använd en egen kod (t.ex. LOKAL.…)."
    ]
    assert not Observation.objects.exists()
    assert not Indicator.objects.filter(code="LOKAL.test").exists()  # nothing half-written


def test_local_csv_still_writes_local_indicators(catalogue, municipality):
    result = actions.do_import_file("local", local_with("7"), municipality=municipality)
    assert (result.created, result.indicators_created) == (2, 1)
    assert Indicator.objects.get(code="LOKAL.test").municipality == municipality


# --- the summary counts unchanged rows as unchanged -----------------------------------------------------


@pytest.mark.parametrize("fast", [True, False])
def test_reimporting_counts_rows_as_unchanged_not_updated(catalogue, fast):
    first = actions.do_import_observations(parse_bra(bra_with("10")), fast=fast)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    same = actions.do_import_observations(parse_bra(bra_with("10")), fast=fast)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 2)
    assert "0 nya, 0 uppdaterade, 2 oförändrade" in same.summary
    changed = actions.do_import_observations(parse_bra(bra_with("11")), fast=fast)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
