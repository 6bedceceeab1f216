import pytest
from django.core.management import CommandError, call_command

from trygg.indicators.models import Indicator, Observation, Region


def test_seed_commands_and_import_from_the_command_line(db, shared_data, capsys):
    call_command("seed_regions")
    call_command("seed_kolada_catalogue")
    assert Region.objects.count() == 319
    assert Indicator.objects.count() == 184
    call_command(
        "import_indicators", "--kind", "jsonstat", str(shared_data / "scb_TAB6471_population.jsonstat2.json")
    )
    assert "2772 observationer lästa, 2772 nya" in capsys.readouterr().out
    assert Observation.objects.count() == 2772


def test_a_bad_file_stops_the_command_with_the_reason(db, tmp_path):
    call_command("seed_regions")
    bad = tmp_path / "fel.csv"
    bad.write_text("brott;år;region;antal\nVåldsbrott;2022;Gotham;1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="okänd region 'Gotham'.*Ingenting importerades"):
        call_command("import_indicators", "--kind", "bra", str(bad))


def test_load_demo_indicators_command(db, capsys):
    call_command("load_demo_indicators")
    assert "Demostatistik" in capsys.readouterr().out
    assert Observation.objects.filter(indicator__is_local=True).exists()
