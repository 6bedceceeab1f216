import copy
import json

import pytest
from pyjstat import pyjstat

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, parse_jsonstat
from trygg.indicators.models import Indicator, Observation

SCB_FILE = "scb_TAB6471_population.jsonstat2.json"


@pytest.fixture
def scb(shared_data):
    return json.loads((shared_data / SCB_FILE).read_text(encoding="utf-8"))


def _value(parsed, region, period, breakdown=""):
    return next(r[6] for r in parsed.rows if r[1] == region and r[2] == period and r[5] == breakdown)


def test_real_scb_population_file_gives_every_cell_with_known_values(scb):
    parsed = parse_jsonstat(scb)
    assert len(parsed.rows) == 21 * 11 * 3 * 4 == 2772
    assert [s.code for s in parsed.indicators] == ["TAB6471.000007SF"]
    spec = parsed.indicators[0]
    assert (spec.title, spec.unit, spec.source) == ("Folkmängden per månad", "antal", "SCB")
    assert spec.breakdowns == ["ålder", "kön"]
    # Stockholms län, 0-9 år, totalt, January and April 2026: the first values of the file.
    assert _value(parsed, "01", "2026M01", "ålder=0-9") == 245284
    assert _value(parsed, "01", "2026M04", "ålder=0-9") == 251635
    # SCB's Kon code 1 is män: the 5th value of the file.
    assert _value(parsed, "01", "2026M01", "kön=M;ålder=0-9") == 125373
    # Västra Götalands län (Kungälv's county), 0-9 år, total.
    assert _value(parsed, "14", "2026M01", "ålder=0-9") == 170041


def test_our_cell_order_matches_pyjstats_own_dataframe_on_the_real_file(scb, shared_data):
    parsed = parse_jsonstat(scb)
    frame = pyjstat.Dataset.read((shared_data / SCB_FILE).read_text(encoding="utf-8")).write(
        "dataframe", naming="id"
    )
    assert len(frame) == len(parsed.rows)
    gender = {"TotSa": "", "1": "M", "2": "K"}
    for row, ours in zip(frame.itertuples(index=False), parsed.rows, strict=True):
        assert (ours[1], ours[2], ours[6]) == (row.Region, row.Tid, row.value)
        expected = ";".join(
            p for p in (f"kön={gender[row.Kon]}" if gender[row.Kon] else "", f"ålder={row.Alder}") if p
        )
        assert ours[5] == expected


def test_importing_the_real_file_twice_is_idempotent(scb, regions):
    first = actions.do_import_observations(parse_jsonstat(scb))
    second = actions.do_import_observations(parse_jsonstat(scb))
    assert (first.created, second.created, second.updated, second.unchanged) == (2772, 0, 0, 2772)
    assert Observation.objects.count() == 2772
    obs = Observation.objects.get(region__code="14", period="2026M01", breakdown="ålder=0-9")
    assert obs.value == 170041
    assert obs.indicator.code == "TAB6471.000007SF"
    assert Indicator.objects.get(code="TAB6471.000007SF").title == "Folkmängden per månad"


def test_scb_metadata_lists_kungalv_whose_data_the_sample_does_not_hold(shared_data, scb):
    meta = json.loads((shared_data / "scb_TAB6471_metadata.json").read_text(encoding="utf-8"))
    assert meta["dimension"]["Region"]["category"]["label"]["1482"] == "Kungälv"
    assert "1482" not in scb["dimension"]["Region"]["category"]["index"]


def _small(values, status=None):
    js = {
        "version": "2.0",
        "class": "dataset",
        "label": "Test",
        "source": "SCB",
        "id": ["Region", "Tid"],
        "size": [2, 2],
        "role": {"time": ["Tid"]},
        "extension": {"px": {"tableid": "TAB1"}},
        "dimension": {
            "Region": {
                "label": "region",
                "category": {"index": {"1482": 0, "00": 1}, "label": {"1482": "Kungälv", "00": "Riket"}},
            },
            "Tid": {"label": "år", "category": {"index": ["2022", "2023"]}},
        },
        "value": values,
    }
    if status is not None:
        js["status"] = status
    return js


def test_status_dotdot_is_suppressed_and_null_without_status_is_missing():
    parsed = parse_jsonstat(_small([1.0, None, None, 4], status={"1": ".."}))
    by_key = {(r[1], r[2]): (r[6], r[7]) for r in parsed.rows}
    assert by_key[("1482", "2023")] == (None, "suppressed")
    assert by_key[("00", "2022")] == (None, "missing")
    assert by_key[("00", "2023")] == (4.0, "ok")
    assert parsed.indicators[0].code == "TAB1"


def test_sparse_value_objects_are_expanded():
    parsed = parse_jsonstat(_small({"0": 10, "3": 40}))
    assert [(r[6], r[7]) for r in parsed.rows] == [
        (10.0, "ok"),
        (None, "missing"),
        (None, "missing"),
        (40.0, "ok"),
    ]


def test_a_given_indicator_code_names_a_single_content_table():
    parsed = parse_jsonstat(_small([1, 2, 3, 4]), indicator_code="befolkning")
    assert {r[0] for r in parsed.rows} == {"befolkning"}


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda js: js.update(value=[1, 2, 3]), "3 värden men dimensionerna ger 4 celler"),
        (lambda js: js.update(size=[2]), '"size"'),
        (lambda js: js["dimension"]["Region"]["category"]["index"].update({"9999": 2}), "3 kategorier"),
        (
            lambda js: js["dimension"]["Region"]["category"].update(index={"9999": 0, "1482": 1}),
            "okänd regionkod '9999'",
        ),
        (lambda js: js["dimension"]["Tid"]["category"].update(index=["2022", "år 3000"]), "ingen period"),
        (lambda js: js.update(value=[1, "abc", 3, 4]), "Cell 1"),
        (
            lambda js: js.update(
                role={},
                id=["Region", "Matpunkt"],
                dimension={
                    "Region": js["dimension"]["Region"],
                    "Matpunkt": {**js["dimension"]["Tid"], "label": "mätpunkt"},
                },
            ),
            "tidsdimension",
        ),
        (lambda js: js.update({"class": "collection"}), "samling"),
    ],
)
def test_malformed_datasets_get_a_swedish_error_naming_the_problem(mutate, message):
    js = copy.deepcopy(_small([1, 2, 3, 4]))
    mutate(js)
    with pytest.raises(ImportValidationError) as info:
        parse_jsonstat(js)
    assert message in info.value.message


def test_invalid_json_names_line_and_column():
    with pytest.raises(ImportValidationError, match="rad 2, kolumn 1"):
        parse_jsonstat(b'{"version": "2.0",\n}')
