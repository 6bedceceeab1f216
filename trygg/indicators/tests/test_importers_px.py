import pytest

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, parse_px
from trygg.indicators.importers.px import detect_encoding, read_px
from trygg.indicators.models import Observation

BILINGUAL = "px_bra_bilingual_latin1.px"
POPULATION = "px_population_utf8.px"


def _rows(parsed):
    return {(r[0], r[1], r[2], r[5]): (r[6], r[7], r[8]) for r in parsed.rows}


def test_ansi_iso_8859_1_file_is_decoded_with_swedish_letters(test_data):
    data = (test_data / BILINGUAL).read_bytes()
    assert "å".encode() not in data  # really Latin-1 on disk
    px = read_px(data)
    assert px.text("SUBJECT-AREA") == "Rättsväsende"
    assert px.get("VALUES", None, ("brottskategori",)) == ["Våldsbrott", "Skadegörelse (inkl. mordbrand)"]


def test_strings_split_over_lines_are_joined_and_notes_may_contain_data_keyword(test_data):
    px = read_px((test_data / BILINGUAL).read_bytes())
    assert px.text("TITLE", "en") == "Reported offences by region, offence category, sex of victim and year"
    assert "DATA= i en not" in px.text("NOTE")


def test_contvariable_values_become_indicators_and_gender_a_breakdown(test_data):
    parsed = parse_px((test_data / BILINGUAL).read_bytes())
    assert [s.code for s in parsed.indicators] == ["BRA0001.VALD", "BRA0001.SKADE"]
    assert parsed.indicators[0].title == "Våldsbrott"
    assert parsed.indicators[0].source == "Brottsförebyggande rådet (Brå)"
    assert parsed.indicators[0].breakdowns == ["kön"]
    assert len(parsed.rows) == 2 * 2 * 3 * 3
    rows = _rows(parsed)
    assert rows[("BRA0001.VALD", "1482", "2021", "")] == (412.0, "ok", False)
    assert rows[("BRA0001.VALD", "1482", "2023", "")] == (431.0, "ok", True)  # "2023 prel."
    assert rows[("BRA0001.VALD", "1482", "2021", "kön=K")] == (None, "suppressed", False)  # ".."
    assert rows[("BRA0001.VALD", "1482", "2021", "kön=M")] == (0.0, "ok", False)  # "-" is a true zero
    assert rows[("BRA0001.SKADE", "1482", "2021", "kön=K")] == (None, "missing", False)  # "..."
    assert rows[("BRA0001.SKADE", "14", "2023", "kön=M")] == (9900.0, "ok", True)
    assert rows[("BRA0001.SKADE", "14", "2022", "kön=K")] == (9300.0, "ok", False)
    assert rows[("BRA0001.SKADE", "14", "2023", "kön=K")] == (None, "missing", True)  # "."


def test_the_english_language_variant_gives_the_same_cells_with_english_titles(test_data):
    sv = parse_px((test_data / BILINGUAL).read_bytes())
    en = parse_px((test_data / BILINGUAL).read_bytes(), language="en")
    assert en.indicators[0].title == "Violent crime"
    assert _rows(en) == _rows(sv)


def test_an_unknown_language_is_refused(test_data):
    with pytest.raises(ImportValidationError, match="språket 'de'"):
        parse_px((test_data / BILINGUAL).read_bytes(), language="de")


def test_utf8_codepage_file_with_tlist_imports(test_data, regions):
    result = actions.do_import_file("px", (test_data / POPULATION).read_bytes())
    assert result.created == 6
    assert (
        Observation.objects.get(indicator__code="TAB638", region__code="1482", period="2023").value == 48647
    )
    assert (
        Observation.objects.get(indicator__code="TAB638", region__code="00", period="2022").value == 10521556
    )


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        (b'CHARSET="ANSI";', "cp1252"),
        (b'CODEPAGE="utf-8";', "utf-8"),
        (b'CODEPAGE="iso-8859-1";', "cp1252"),
        (b'CODEPAGE="windows-1252";', "windows-1252"),
        (b"", "utf-8"),
    ],
)
def test_encoding_follows_codepage_then_charset(header, encoding):
    assert detect_encoding(header + b'\nMATRIX="X";\nDATA=\n1;') == encoding


def test_a_file_without_charset_that_is_not_utf8_falls_back_to_dos_850():
    assert detect_encoding('TITLE="Kungälv";DATA=1;'.encode("cp850")) == "cp850"


def _px(data_section: str, extra: str = "") -> bytes:
    return (
        'CHARSET="ANSI";\nLANGUAGE="sv";\nMATRIX="T1";\nCONTENTS="Antal";\nUNITS="antal";\n'
        'STUB="region";\nHEADING="år";\n'
        'VALUES("region")="Kungälv","Riket";\nVALUES("år")="2022","2023";\nCODES("region")="1482","00";\n'
        f"{extra}DATA=\n{data_section};\n"
    ).encode("cp1252")


@pytest.mark.parametrize(
    ("data", "extra", "message"),
    [
        ("1 2 3", "", "DATA har 3 värden men variablerna ger 4 celler"),
        ("1 2 x 4", "", "DATA-värde nr 3 ('x')"),
        ("1 2 3 4", 'KEYS("region")=CODES;\n', "KEYS"),
        ("1 2 3 4", 'CODEPAGE="klingon";\n', "okänd teckenkodning"),
        ("1 2 3 4", 'TITLE="oavslutad;\n', "citattecken"),
        ("1 2 3 4", 'MATRIX="T2";\n', "två gånger"),
    ],
)
def test_malformed_px_files_get_a_swedish_error(data, extra, message):
    with pytest.raises(ImportValidationError) as info:
        parse_px(_px(data, extra))
    assert message in info.value.message


def test_data_may_be_separated_by_commas_tabs_and_newlines():
    parsed = parse_px(_px('1,2\t"3"\n4'))
    assert [r[6] for r in parsed.rows] == [1.0, 2.0, 3.0, 4.0]


def test_a_missing_values_keyword_is_named():
    data = _px("1 2 3 4").replace('VALUES("år")="2022","2023";\n'.encode("cp1252"), b"")
    with pytest.raises(ImportValidationError, match='VALUES\\("år"\\)'):
        parse_px(data)
