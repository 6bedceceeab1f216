import pytest
from django.core.management import CommandError, call_command

from trygg.indicators.models import Indicator, Observation, Region
from trygg.places.loading import load_municipality


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


def test_local_figures_from_the_command_line_belong_to_the_named_municipality(db, test_data, capsys):
    call_command("seed_regions")
    ale = load_municipality("1440")
    path = test_data / "lokala_nyckeltal_cp1252.csv"
    # The file is Kungälv's: as Ale's figures it is refused (regions outside Ale), as Kungälv's imported.
    with pytest.raises(CommandError, match="kan bara gälla kommunen"):
        call_command("import_indicators", "--kind", "local", "--municipality", ale.code, str(path))
    kungalv = load_municipality("1482")
    call_command("import_indicators", "--kind", "local", "--municipality", "1482", str(path))
    assert "nya indikatorer" in capsys.readouterr().out
    assert set(Indicator.objects.filter(is_local=True).values_list("municipality", flat=True)) == {kungalv.pk}


def test_local_figures_need_a_hosted_municipality(db, test_data):
    path = str(test_data / "lokala_nyckeltal_cp1252.csv")
    with pytest.raises(CommandError, match="Ange --municipality"):
        call_command("import_indicators", "--kind", "local", path)
    with pytest.raises(CommandError, match="Kommunen '0180' finns inte i Trygg"):
        call_command("import_indicators", "--kind", "local", "--municipality", "0180", path)


@pytest.mark.parametrize("command", ["import_indicators", "seed_kolada_catalogue"])
def test_a_missing_file_is_reported_in_swedish(db, tmp_path, command):
    missing = tmp_path / "finns-inte.json"
    args = ["--kind", "jsonstat", str(missing)] if command == "import_indicators" else [str(missing)]
    with pytest.raises(CommandError) as error:
        call_command(command, *args)
    assert str(error.value) == f"Filen {missing} finns inte."
    assert "Errno" not in str(error.value) and "No such file" not in str(error.value)


def test_a_directory_is_not_a_file(db, tmp_path):
    with pytest.raises(CommandError, match="är en mapp, inte en fil"):
        call_command("import_indicators", "--kind", "bra", str(tmp_path))


def test_a_truncated_json_file_is_reported_in_swedish(db, tmp_path):
    call_command("seed_regions")
    cut = tmp_path / "avkortad.json"
    cut.write_text('{"version": "2.0", "class": "dataset", "label"', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_indicators", "--kind", "jsonstat", str(cut))
    message = str(error.value)
    assert "Filen är inte giltig JSON: ett kolon saknas; filen tycks vara avkortad" in message
    assert "Expecting" not in message and "delimiter" not in message
