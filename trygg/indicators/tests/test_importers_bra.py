import pytest

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, parse_bra
from trygg.indicators.models import Indicator, Observation

BRA_FILE = "bra_sol_riket_2000_2016.csv"


def test_real_bra_export_gives_national_totals_and_categories(shared_data):
    parsed = parse_bra((shared_data / BRA_FILE).read_bytes())
    assert len(parsed.rows) == 170
    rows = {(r[2], r[5]): r for r in parsed.rows}
    assert {r[1] for r in parsed.rows} == {"00"}  # "Hela landet" is riket
    assert rows[("2015", "")][6] == 1503399  # Totalt antal brott 2015
    assert rows[("2000", "")][6] == 1210821
    assert rows[("2000", "brottskategori=Våldsbrott")][6] == 75696
    assert rows[("2016", "")][8] is True  # "År, 2016 prel."
    assert rows[("2015", "")][8] is False
    # A category whose quoted name spans two lines in the file is one category.
    assert ("2014", "brottskategori=Stöld-, rån- och häleribrott") in rows


def test_importing_the_real_bra_file_is_idempotent_and_creates_its_indicator(shared_data, regions):
    data = (shared_data / BRA_FILE).read_bytes()
    assert actions.do_import_file("bra", data).created == 170
    again = actions.do_import_file("bra", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 170)
    assert Observation.objects.count() == 170
    total = Observation.objects.get(
        indicator__code="BRA.anmalda_brott", region__code="00", period="2016", breakdown=""
    )
    assert (total.value, total.preliminary) == (1502023, True)
    assert Indicator.objects.get(code="BRA.anmalda_brott").higher_is_better is False


def test_semicolon_windows_1252_export_with_suppressed_and_named_regions(test_data):
    parsed = parse_bra((test_data / "bra_export_semicolon_cp1252.csv").read_bytes())
    rows = {(r[1], r[2], r[5]): (r[6], r[7], r[8]) for r in parsed.rows}
    assert rows[("1482", "2022", "")] == (4310.0, "ok", False)
    assert rows[("1482", "2023", "brottskategori=Våldsbrott")] == (489.0, "ok", True)
    assert rows[("1407", "2023", "brottskategori=Sexualbrott")] == (None, "suppressed", True)  # Öckerö ".."
    assert rows[("00", "2023", "brottskategori=Skadegörelse (inkl. mordbrand)")] == (178402.0, "ok", True)


def test_errors_name_the_row_and_what_is_wrong():
    data = "brott,period,region,value\nVåldsbrott,År 2020,Gotham,12\nVåldsbrott,2021,Kungälv,tolv\n"
    with pytest.raises(ImportValidationError) as info:
        parse_bra(data.encode())
    message = info.value.message
    assert "Rad 2: okänd region 'Gotham'" in message
    assert "Rad 3: värdet 'tolv' är inte ett tal" in message


def test_missing_columns_are_named():
    with pytest.raises(ImportValidationError, match="saknar kolumnerna år \\(period\\)"):
        parse_bra("crime,region,value\nA,Kungälv,1\n".encode())


def test_a_bad_row_means_nothing_is_written(regions):
    data = "brott;år;region;antal\nVåldsbrott;2022;Kungälv;462\nVåldsbrott;2023;Kungälv;fel\n".encode()
    with pytest.raises(ImportValidationError):
        actions.do_import_file("bra", data)
    assert not Observation.objects.exists()
    assert not Indicator.objects.filter(code="BRA.anmalda_brott").exists()
