import pytest

from trygg.indicators.importers.common import (
    MISSING,
    OK,
    SUPPRESSED,
    breakdown_key,
    gender_code,
    guess_higher_is_better,
    guess_unit,
    parse_breakdown,
    parse_period,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "prel"),
    [
        ("2023", "2023", 2023, 2023, False),
        (2023, "2023", 2023, 2023, False),
        ("År, 2016 prel.", "2016", 2016, 2016, True),
        ("2023 prel.", "2023", 2023, 2023, True),
        ("2021-2022", "2021–2022", 2021, 2022, False),
        ("2021–2022", "2021–2022", 2021, 2022, False),
        ("2026M04", "2026M04", 2026, 2026, False),
        ("2023Q1", "2023K1", 2023, 2023, False),
    ],
)
def test_it_parses_years_pooled_years_months_and_preliminary(text, label, start, end, prel):
    assert parse_period(text) == (label, start, end, prel)


@pytest.mark.parametrize("text", ["", "år", "2023M13", "2022-2021", "20234", "abc", True])
def test_it_rejects_what_is_not_a_period(text):
    assert parse_period(text) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("..", (None, SUPPRESSED)),
        ('".."', (None, SUPPRESSED)),
        ("...", (None, MISSING)),
        (".", (None, MISSING)),
        ("", (None, MISSING)),
        ("NaN", (None, MISSING)),
        (None, (None, MISSING)),
        ("-", (0.0, OK)),
        ("0", (0.0, OK)),
        ("1 234,5", (1234.5, OK)),
        ("1\u00a0503\u00a0399", (1503399.0, OK)),
        ("12,5 %", (12.5, OK)),
        ("1.234,5", (1234.5, OK)),
        (7, (7.0, OK)),
        (2.5, (2.5, OK)),
    ],
)
def test_it_reads_swedish_numbers_and_statistics_symbols(raw, expected):
    assert tuple(parse_value(raw)) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "inf", float("nan"), True, "12 kr"])
def test_it_rejects_what_is_not_a_number(raw):
    assert parse_value(raw) is None


def test_a_suppressed_value_is_kept_distinct_from_zero():
    assert parse_value("..") == (None, SUPPRESSED)
    assert parse_value("-") == (0.0, OK)
    assert parse_value("..") != parse_value("-")


def test_breakdown_keys_are_sorted_and_total_is_empty():
    assert breakdown_key({"kön": "K", "brottskategori": "Våldsbrott"}) == "brottskategori=Våldsbrott;kön=K"
    assert breakdown_key({"kön": ""}) == ""
    assert breakdown_key({}) == ""
    assert breakdown_key([("Ålder", "0-9")]) == "ålder=0-9"


def test_breakdown_values_cannot_break_the_key_syntax():
    key = breakdown_key({"kategori": "a;b=c"})
    assert parse_breakdown(key) == {"kategori": "a,b:c"}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("T", ""),
        ("TotSa", ""),
        ("totalt", ""),
        ("K", "K"),
        ("2", "K"),
        ("kvinnor", "K"),
        ("M", "M"),
        ("1", "M"),
        ("män", "M"),
        ("X", None),
    ],
)
def test_gender_codes_from_kolada_and_scb(raw, code):
    assert gender_code(raw) == code


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("Anmälda brott totalt, antal/100 000 inv", "per_100k"),
        ("Sjukhusvårdade till följd av oavsiktliga skador, antal/1000 inv", "per_1000"),
        ("NTU - Otrygghet vid utomhusvistelse sen kväll, andel (%)", "procent"),
        ("Folkmängden per månad", "antal"),
        ("Trygghet och säkerhet - Kommunindex", "index"),
        ("Räddningstjänstens kostnad, kr/inv", "annan"),
    ],
)
def test_units_are_read_from_kolada_style_titles(title, unit):
    assert guess_unit(title) == unit


def test_direction_is_lower_is_better_for_crime_and_none_for_margins():
    assert guess_higher_is_better("Anmälda våldsbrott, antal/100 000 inv") is False
    assert guess_higher_is_better("Förtroende för polisens sätt att bedriva sitt arbete, andel (%)") is True
    assert guess_higher_is_better("Osäkerhetstal - Otrygghet vid utomhusvistelse") is None
    assert guess_higher_is_better("Folkmängd") is None
