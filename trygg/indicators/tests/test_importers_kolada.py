import json

import pytest

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, parse_catalogue, parse_kolada
from trygg.indicators.models import Indicator, Observation


@pytest.fixture
def pages(test_data):
    return [json.loads((test_data / f"kolada_data_page{n}.json").read_text(encoding="utf-8")) for n in (1, 2)]


def test_real_catalogue_seeds_184_kpis_with_units_and_margins(catalogue):
    assert Indicator.objects.count() == 184
    total = Indicator.objects.get(code="N07540")
    assert total.title == "Anmälda brott totalt, antal/100 000 inv"
    assert (total.unit, total.higher_is_better, total.source) == ("per_100k", False, "Kolada (RKA)")
    ntu = Indicator.objects.get(code="N07609")
    assert ntu.unit == "procent"
    assert Indicator.objects.get(code="N07657").margin_for == ntu
    # 48 NTU pairs, the 21 Medborgarundersökningen pairs (U016xx → N006xx, one with Kolada's typo
    # "trakaserier") and Folkhälsomyndighetens U01532 → U01420; U01664/U01665 have no target in the file.
    assert Indicator.objects.filter(margin_for__isnull=False).count() == 70
    medborgar = dict(
        Indicator.objects.filter(code__startswith="U016", margin_for__isnull=False).values_list(
            "code", "margin_for__code"
        )
    )
    assert len(medborgar) == 21
    assert all(target == "N006" + code[4:] for code, target in medborgar.items())
    assert Indicator.objects.get(code="U01615").margin_for.code == "N00615"
    assert Indicator.objects.get(code="U01532").margin_for.code == "U01420"
    assert set(
        Indicator.objects.filter(margin_for__isnull=True, title__startswith="Osäkerhetstal").values_list(
            "code", flat=True
        )
    ) == {"U01664", "U01665"}
    assert Indicator.objects.get(code="N00301").unit == "index"


def test_catalogue_from_a_kpi_api_response_marks_gender_breakdowns(test_data):
    parsed = parse_catalogue((test_data / "kolada_kpi_N07540_N07609.json").read_bytes())
    specs = {s.code: s for s in parsed.indicators}
    assert specs["N07609"].breakdowns == ["kön"]
    assert specs["N07540"].breakdowns == []


def test_data_pages_give_totals_genders_and_skip_deleted_rows(pages):
    parsed = parse_kolada(pages)
    rows = {(r[0], r[1], r[2], r[5]): (r[6], r[7]) for r in parsed.rows}
    assert parsed.skipped == 2
    assert rows[("N07540", "1482", "2023", "")] == (8310.4, "ok")
    assert rows[("N07540", "00", "2023", "")] == (13612.0, "ok")  # 0000 is riket
    assert rows[("N07540", "14", "2023", "")] == (13001.7, "ok")  # 0014 is the län
    assert ("N07540", "1482", "2021", "") not in rows  # isdeleted
    assert rows[("N07609", "1482", "2023", "kön=K")] == (33.0, "ok")
    assert rows[("N07609", "1482", "2022", "kön=K")] == (None, "missing")
    assert ("N07609", "1482", "2022", "kön=M") not in rows


def test_importing_a_margin_kpi_fills_the_margin_of_its_target(pages, catalogue):
    actions.do_import_observations(parse_kolada(pages))
    ntu = Observation.objects.get(indicator__code="N07609", region__code="1482", period="2023", breakdown="")
    assert (ntu.value, ntu.margin) == (23.0, 3.4)
    # Re-importing the value without a margin keeps the margin.
    actions.do_import_observations(parse_kolada([pages[1] | {"values": pages[1]["values"][:1]}]))
    ntu.refresh_from_db()
    assert ntu.margin == 3.4


def test_unknown_kpis_must_be_in_the_catalogue_first(pages, regions):
    with pytest.raises(ImportValidationError, match="N07540.*finns inte i indikatorkatalogen"):
        actions.do_import_observations(parse_kolada(pages))
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"kpi": "X1", "municipality": "1482", "period": 2023, "values": []}, "ogiltigt nyckeltals-id"),
        (
            {"kpi": "N07540", "municipality": "9999", "period": 2023, "values": []},
            "okänd kommun/region '9999'",
        ),
        ({"kpi": "N07540", "municipality": "1482", "period": "i fjol", "values": []}, "ogiltig period"),
        (
            {
                "kpi": "N07540",
                "municipality": "1482",
                "period": 2023,
                "values": [{"gender": "X", "value": 1}],
            },
            "okänt kön 'X'",
        ),
        (
            {
                "kpi": "N07540",
                "municipality": "1482",
                "period": 2023,
                "values": [{"gender": "T", "value": "mycket"}],
            },
            "värdet 'mycket'",
        ),
    ],
)
def test_malformed_rows_get_a_swedish_error_with_their_position(item, message):
    with pytest.raises(ImportValidationError) as info:
        parse_kolada({"values": [item], "next_url": None})
    assert message in info.value.message
    assert "post 1" in info.value.message


def test_a_response_without_values_is_refused():
    with pytest.raises(ImportValidationError, match='saknar listan "values"'):
        parse_kolada(b'{"error": "not found"}')
