"""Property-based tests: malformed JSON-stat, PX, CSV and Kolada payloads never raise anything but
ImportValidationError, and a refused file never leaves a partial write."""

import copy
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError
from trygg.indicators.models import Indicator, Observation

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("TRYGG_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Numbers of any size: unbounded integers, integers beyond float (> 1.8e308, which float() refuses with
# OverflowError), and floats including inf and NaN (json.dumps writes them as Infinity / NaN, which
# json.loads reads back).
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400).flatmap(lambda n: st.sampled_from([n, -n]))
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
# Raw JSON number tokens json.dumps cannot produce from Python values: digit strings beyond Python's
# 4 300-digit int() limit (json.loads raises a plain ValueError), exponents beyond float.
raw_numbers = (
    st.integers(min_value=300, max_value=6000).map(lambda n: "9" * n)
    | st.integers(min_value=309, max_value=99999).map(lambda e: f"1e{e}")
    | st.sampled_from(["-1e999", "Infinity", "-Infinity", "NaN", "1E400", "-" + "9" * 4400])
    | st.integers().map(str)
    | st.floats().map(lambda f: json.dumps(f))
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)

VALID_JSONSTAT = {
    "version": "2.0",
    "class": "dataset",
    "label": "Test",
    "source": "SCB",
    "id": ["Region", "Kon", "Tid"],
    "size": [2, 3, 2],
    "role": {"time": ["Tid"], "geo": ["Region"]},
    "extension": {"px": {"tableid": "TAB1"}},
    "dimension": {
        "Region": {
            "label": "region",
            "category": {"index": {"1482": 0, "00": 1}, "label": {"1482": "Kungälv", "00": "Riket"}},
        },
        "Kon": {
            "label": "kön",
            "extension": {"elimination": True, "eliminationValueCode": "TotSa"},
            "category": {"index": ["TotSa", "1", "2"]},
        },
        "Tid": {"label": "år", "category": {"index": ["2022", "2023"]}},
    },
    "value": list(range(12)),
    "status": {"3": ".."},
}

VALID_KOLADA = {
    "values": [
        {
            "kpi": "N07540",
            "municipality": "1482",
            "period": 2023,
            "values": [{"gender": "T", "count": 1, "status": "", "value": 8310.4}],
        },
        {
            "kpi": "N07609",
            "municipality": "0000",
            "period": 2022,
            "values": [
                {"gender": "K", "count": 1, "status": "", "value": 30.0},
                {"gender": "M", "value": None},
            ],
        },
    ],
    "next_url": None,
}

PX_TOKENS = st.sampled_from(
    [
        'CHARSET="ANSI";',
        'CODEPAGE="utf-8";',
        'CODEPAGE="x";',
        'LANGUAGE="sv";',
        'LANGUAGES="sv","en";',
        'MATRIX="T1";',
        'CONTENTS="Antal";',
        'STUB="region";',
        'HEADING="år";',
        'STUB[en]="region";',
        'VALUES("region")="Kungälv","Riket";',
        'VALUES("år")="2022","2023";',
        'CODES("region")="1482","00";',
        'VALUES[en]("region")="Kungälv";',
        'TIMEVAL("år")=TLIST(A1, "2022"-"2023");',
        'KEYS("region")=CODES;',
        'CONTVARIABLE="region";',
        'ELIMINATION("region")="Riket";',
        "DATA=",
        '"',
        ";",
        "=",
        "(",
        ")",
        "[",
        "]",
        ",",
        '".."',
        "..",
        "-",
        "1",
        "2.5",
        "1e999",
        "9" * 400,
        "-Infinity",
        "\n",
        " ",
        "abc",
        "TITLE=",
        "VALUES(",
        '"år"',
    ]
)
VALID_PX = (
    'CHARSET="ANSI";\nMATRIX="T1";\nCONTENTS="Antal";\nSTUB="region";\nHEADING="år";\n'
    'VALUES("region")="Kungälv","Riket";\nVALUES("år")="2022","2023";\nCODES("region")="1482","00";\n'
    'DATA=\n1 ".." - 4;\n'
)

CSV_CELLS = st.sampled_from(
    [
        "1e999",
        "-1e999",
        "9" * 5000,
        "inf",
        "Infinity",
        "NaN",
        "-5",
        "1 234 567 890 123 456 789 012 345 678 901 234 567 890",
        "",
        "..",
        "-",
        "1 234,5",
        "12",
        "x",
        "2023",
        "År, 2016 prel.",
        "2021-2022",
        "Kungälv",
        "Hela landet",
        "1482",
        "Atlantis",
        "Våldsbrott",
        "K",
        "M",
        "ja",
        ";",
        '"',
        "LOKAL.x",
        "brottskategori=a",
        "\n",
    ]
)


def _counts():
    return Observation.objects.count(), Indicator.objects.count()


def _import_must_be_all_or_nothing(kind, data):
    before = _counts()
    try:
        result = actions.do_import_file(kind, data)
    except ImportValidationError as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
        assert _counts() == before  # nothing written, not even a new indicator
    else:
        assert Observation.objects.count() >= before[0]
        assert result.rows >= 0


@PROPERTY_SETTINGS
@given(
    path=st.lists(
        st.sampled_from(
            [
                "id",
                "size",
                "dimension",
                "value",
                "status",
                "role",
                "Region",
                "Kon",
                "Tid",
                "category",
                "index",
                "label",
                "extension",
                0,
                1,
                2,
            ]
        ),
        min_size=1,
        max_size=4,
    ),
    replacement=json_values,
)
def test_mutated_jsonstat_never_crashes_or_half_writes(regions, path, replacement):
    js = copy.deepcopy(VALID_JSONSTAT)
    node = js
    for key in path[:-1]:
        if (
            isinstance(node, dict)
            and key in node
            or isinstance(node, list)
            and isinstance(key, int)
            and key < len(node)
        ):
            node = node[key]
    last = path[-1]
    if isinstance(node, dict) or isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = replacement
    _import_must_be_all_or_nothing("jsonstat", json.dumps(js).encode())


def _with_raw_number(payload, path, token: str) -> bytes:
    """The payload as JSON with the value at `path` written as a raw number token."""
    payload = copy.deepcopy(payload)
    node = payload
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = "__RAW_NUMBER__"
    return json.dumps(payload).replace('"__RAW_NUMBER__"', token).encode()


@PROPERTY_SETTINGS
@given(cell=st.integers(0, 11), token=raw_numbers)
def test_jsonstat_with_numbers_of_any_size_never_crashes(regions, cell, token):
    _import_must_be_all_or_nothing("jsonstat", _with_raw_number(VALID_JSONSTAT, ["value", cell], token))


@PROPERTY_SETTINGS
@given(
    path=st.sampled_from(
        [
            ["values", 0, "values", 0, "value"],
            ["values", 1, "values", 0, "value"],
            ["values", 0, "period"],
            ["values", 0, "municipality"],
            ["values", 0, "kpi"],
            ["values", 0, "values", 0, "gender"],
        ]
    ),
    token=raw_numbers,
)
def test_kolada_with_numbers_of_any_size_never_crashes(catalogue, path, token):
    _import_must_be_all_or_nothing("kolada", _with_raw_number(VALID_KOLADA, path, token))


@PROPERTY_SETTINGS
@given(token=raw_numbers, position=st.integers(0, 3))
def test_px_data_with_numbers_of_any_size_never_crashes(regions, token, position):
    cells = ["1", '".."', "-", "4"]
    cells[position] = token
    _import_must_be_all_or_nothing("px", VALID_PX.replace('1 ".." - 4', " ".join(cells)).encode("cp1252"))


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bytes_as_jsonstat_or_kolada_never_crash(regions, data):
    for kind in ("jsonstat", "kolada"):
        _import_must_be_all_or_nothing(kind, data)


@PROPERTY_SETTINGS
@given(
    item=st.integers(0, 1),
    field=st.sampled_from(
        ["kpi", "municipality", "period", "values", "gender", "value", "status", "isdeleted"]
    ),
    replacement=json_values,
)
def test_mutated_kolada_responses_never_crash_or_half_write(catalogue, item, field, replacement):
    payload = copy.deepcopy(VALID_KOLADA)
    target = payload["values"][item]
    if field in {"gender", "value", "status"}:
        target = target["values"][0]
    target[field] = replacement
    _import_must_be_all_or_nothing("kolada", json.dumps(payload).encode())


@PROPERTY_SETTINGS
@given(tokens=st.lists(PX_TOKENS, max_size=40))
def test_px_like_token_soup_never_crashes(regions, tokens):
    _import_must_be_all_or_nothing("px", "".join(tokens).encode("utf-8"))


@PROPERTY_SETTINGS
@given(
    position=st.integers(0, len(VALID_PX.encode("cp1252")) - 1),
    junk=st.binary(min_size=0, max_size=6),
    cut=st.booleans(),
)
def test_corrupted_px_files_never_crash_or_half_write(regions, position, junk, cut):
    data = VALID_PX.encode("cp1252")
    data = data[:position] + junk + (b"" if cut else data[position:])
    _import_must_be_all_or_nothing("px", data)


@PROPERTY_SETTINGS
@given(
    rows=st.lists(st.lists(CSV_CELLS, min_size=0, max_size=6), max_size=6),
    header=st.sampled_from(
        [
            "brott;år;region;antal",
            "crime,period,region,value",
            "indikator;titel;enhet;region;år;kön;värde;preliminär",
            "indikator,period,värde",
            "a;b;c",
        ]
    ),
    kind=st.sampled_from(["bra", "local"]),
)
def test_malformed_csv_never_crashes_or_half_writes(regions, rows, header, kind):
    delimiter = ";" if ";" in header else ","
    text = header + "\n" + "\n".join(delimiter.join(row) for row in rows)
    for encoding in ("utf-8", "cp1252"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        _import_must_be_all_or_nothing(kind, data)


def test_the_valid_seeds_of_the_property_tests_do_import(catalogue):
    """The mutation bases are valid files, so the properties above start from a passing import."""
    assert actions.do_import_file("jsonstat", json.dumps(VALID_JSONSTAT).encode()).created == 12
    assert actions.do_import_file("kolada", json.dumps(VALID_KOLADA).encode()).created == 3
    assert actions.do_import_file("px", VALID_PX.encode("cp1252")).created == 4
