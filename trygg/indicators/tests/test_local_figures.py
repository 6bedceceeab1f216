import pytest
from django.urls import reverse

from trygg.accounts.models import AuditEvent, Role
from trygg.conftest import make_user
from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, parse_local_csv
from trygg.indicators.importers.local_csv import template_csv
from trygg.indicators.models import Indicator, Observation, Region

from .builders import CRIMES_PER_100K, DEMO_SOURCE, NTU_UNSAFE_EVENING, load_demo_indicators, local_indicator

URL = reverse("indicators:local_figures")


def test_the_template_parses_as_a_valid_local_file(regions, other_municipality):
    result = actions.do_import_file(
        "local", template_csv(other_municipality.code).encode("utf-8"), municipality=other_municipality
    )
    assert result.created == 1
    obs = Observation.objects.select_related("indicator", "region").get()
    assert (obs.indicator.code, obs.value, obs.indicator.municipality, obs.region.code) == (
        "LOKAL.krismottagningen_personer",
        97,
        other_municipality,
        "1440",
    )


def test_two_municipalities_may_use_the_same_local_code_and_each_gets_its_own(
    regions, municipality, other_municipality
):
    for owner in (municipality, other_municipality):
        data = template_csv(owner.code).replace(";97;", f";{owner.code[-2:]};").encode()
        actions.do_import_file("local", data, municipality=owner)
    by_owner = {
        obs.indicator.municipality.code: (obs.region.code, obs.value)
        for obs in Observation.objects.select_related("indicator__municipality", "region")
    }
    assert by_owner == {"1482": ("1482", 82), "1440": ("1440", 40)}


def test_a_local_file_may_not_write_another_municipalitys_figures(regions, municipality, other_municipality):
    data = template_csv(other_municipality.code).encode()  # Ale's region, imported as Kungälv's figures
    with pytest.raises(
        ImportValidationError, match="kan bara gälla kommunen, dess län, polisregion eller riket"
    ):
        actions.do_import_file("local", data, municipality=municipality)
    assert not Observation.objects.exists() and not Indicator.objects.filter(is_local=True).exists()


def test_a_new_local_code_must_start_with_lokal(regions, municipality):
    data = template_csv().replace("LOKAL.krismottagningen_personer", "N99999").encode()
    with pytest.raises(ImportValidationError, match="ska ha en kod som börjar med LOKAL."):
        actions.do_import_file("local", data, municipality=municipality)


def test_an_excel_style_semicolon_windows_1252_file_imports(test_data, regions):
    parsed = parse_local_csv((test_data / "lokala_nyckeltal_cp1252.csv").read_bytes())
    rows = {(r[0], r[2], r[5]): (r[6], r[7], r[8]) for r in parsed.rows}
    assert rows[("LOKAL.vinr_arenden", "2022", "")] == (72.0, "ok", False)
    assert rows[("LOKAL.vinr_arenden", "2023", "")] == (144.0, "ok", False)
    assert rows[("LOKAL.sspf_andel", "2023", "")] == (65.0, "ok", True)
    assert rows[("LOKAL.minimaria_samtal", "2023", "kön=M")] == (None, "missing", False)
    units = {s.code: s.unit for s in parsed.indicators}
    assert units == {
        "LOKAL.vinr_arenden": "antal",
        "LOKAL.sspf_andel": "procent",
        "LOKAL.minimaria_samtal": "antal",
    }


def test_local_csv_errors_name_the_row():
    data = "indikator;region;år;värde;kön\nLOKAL.x;Kungälv;2023;tolv;\nLOKAL.x;Kungälv;i år;1;X\n"
    with pytest.raises(ImportValidationError) as info:
        parse_local_csv(data.encode())
    assert "Rad 2: värdet 'tolv' är inte ett tal" in info.value.message
    assert "Rad 3: perioden 'i år'" in info.value.message
    assert "kön 'X' ska vara K, M eller tomt" in info.value.message


def test_unknown_columns_are_refused_before_any_row_is_read():
    with pytest.raises(ImportValidationError, match="okända kolumner färg"):
        parse_local_csv("indikator;period;värde;färg\nLOKAL.x;2023;1;röd\n".encode())


def test_demo_data_holds_the_reports_local_figures_and_marked_demo_series(db):
    load_demo_indicators()

    def value(code, period, breakdown=""):
        return Observation.objects.get(
            indicator__code=code, region__code="1482", period=period, breakdown=breakdown
        ).value

    assert value("LOKAL.vinr_arenden", "2023") == 144
    assert value("LOKAL.vinr_arenden", "2022") == 72
    assert value("LOKAL.vinr_personer", "2023") == 107
    assert value("LOKAL.polis_brott_nara_relation", "2023", "brottskategori=Barnfridsbrott") == 22
    assert value("LOKAL.polis_brott_nara_relation", "2022", "brottskategori=Grov kvinnofridskränkning") == 6
    assert value("LOKAL.sspf_samtycken", "2023") == 34
    assert value("LOKAL.sspf_andel_pojkar", "2023") == 65
    assert value("LOKAL.minimaria_samtal", "2022") == 9
    assert value("LOKAL.krismottagning_samtal", "2023") == 667
    assert value("LOKAL.krismottagning_forovare_kungalv", "2023") == 35
    assert value(NTU_UNSAFE_EVENING, "2022") == 20
    assert value(NTU_UNSAFE_EVENING, "2023") == 23
    assert value("DEMO.oppna_jamforelser_rang", "2023") == 71
    assert value("DEMO.oppna_jamforelser_rang", "2022") == 89
    demo = Indicator.objects.filter(code__startswith="DEMO.")
    assert demo.count() == 5
    assert set(demo.values_list("source", flat=True)) == {DEMO_SOURCE}
    assert not Indicator.objects.filter(code__startswith="DEMO.", is_local=True).exists()
    per_100k = Observation.objects.filter(indicator__code=CRIMES_PER_100K)
    assert sorted({o.region.code for o in per_100k.select_related("region")}) == ["00", "1482"]
    assert per_100k.get(region__code="1482", period="2023").preliminary is True


def test_loading_demo_data_twice_changes_nothing(db):
    load_demo_indicators()
    count = Observation.objects.count()
    audited = AuditEvent.objects.count()
    load_demo_indicators()
    assert Observation.objects.count() == count
    assert AuditEvent.objects.count() == audited  # nothing changed, nothing audited


def test_demo_local_figures_belong_to_their_own_municipality(db):
    load_demo_indicators(with_population=False)
    owners = {
        (code, owner)
        for code, owner in Indicator.objects.filter(code="LOKAL.krismottagning_samtal").values_list(
            "code", "municipality__code"
        )
    }
    assert owners == {("LOKAL.krismottagning_samtal", "1482"), ("LOKAL.krismottagning_samtal", "1440")}
    ale = Indicator.objects.filter(municipality__code="1440")
    assert ale.count() == 2 and all("påhittad" in i.title for i in ale)
    assert not Observation.objects.filter(indicator__in=ale).exclude(region__code="1440").exists()


def test_coordinator_enters_a_figure_and_an_empty_value_means_missing(personas, login, regions):
    indicator = local_indicator("LOKAL.samtal", "Samtal", "antal")
    kungalv = Region.objects.get(code="1482")
    client = login(personas["coordinator"])
    form = {
        "save_figure": "1",
        "indicator": indicator.pk,
        "region": kungalv.pk,
        "period": "2023",
        "value": "36",
    }
    assert client.post(URL, form).status_code == 302
    assert Observation.objects.get(indicator=indicator, period="2023").value == 36
    client.post(URL, {**form, "value": "40"})  # a correction replaces the value
    assert Observation.objects.get(indicator=indicator, period="2023").value == 40
    client.post(URL, {**form, "period": "2022", "value": ""})
    missing = Observation.objects.get(indicator=indicator, period="2022")
    assert (missing.value, missing.status) == (None, "missing")


def test_negative_and_bad_periods_are_refused(personas, login, regions):
    indicator = local_indicator("LOKAL.samtal", "Samtal", "antal")
    client = login(personas["coordinator"])
    kungalv = Region.objects.get(code="1482")
    response = client.post(
        URL,
        {
            "save_figure": "1",
            "indicator": indicator.pk,
            "region": kungalv.pk,
            "period": "förra året",
            "value": "-3",
        },
    )
    assert response.status_code == 200
    assert "Skriv ett år" in response.content.decode()
    assert not Observation.objects.exists()


def test_coordinator_creates_a_local_indicator(personas, login, regions):
    client = login(personas["coordinator"])
    response = client.post(
        URL,
        {
            "create_indicator": "1",
            "code": "kris_samtal",
            "title": "Krismottagningen, samtal",
            "unit": "antal",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="LOKAL.kris_samtal")
    assert indicator.is_local
    response = client.post(
        URL, {"create_indicator": "1", "code": "kris_samtal", "title": "Igen", "unit": "antal"}
    )
    assert "Det finns redan" in response.content.decode()


def test_the_page_shows_small_counts_suppressed_with_the_note(
    personas, login, db, django_assert_max_num_queries
):
    load_demo_indicators(with_population=False)
    client = login(personas["coordinator"])
    with django_assert_max_num_queries(12):
        page = client.get(URL).content.decode()
    assert "&lt;5" in page  # sexuellt ofredande: 1 (2023)
    assert "Värden under 5 redovisas inte." in page
    assert "667" in page


def test_each_municipality_sees_and_edits_only_its_own_local_figures(
    personas, login, other_municipality, django_assert_max_num_queries
):
    load_demo_indicators(with_population=False)
    kungalv = login(personas["coordinator"]).get(URL).content.decode()
    assert "Krismottagningen, genomförda samtal" in kungalv and "påhittad demouppgift" not in kungalv
    ale_user = make_user("ale-samordnare", Role.COORDINATOR, municipality=other_municipality)
    client = login(ale_user)
    with django_assert_max_num_queries(12):
        ale = client.get(URL).content.decode()
    assert "Stödsamtal i krismottagningen (påhittad demouppgift)" in ale
    assert "Lokala nyckeltal för Ale" in ale
    assert "Krismottagningen, genomförda samtal" not in ale and "667" not in ale
    # Kungälv's indicator is no choice for Ale, even when its id is posted.
    theirs = Indicator.objects.get(code="LOKAL.vinr_arenden")
    ale_region = Region.objects.get(code="1440")
    form = {
        "save_figure": "1",
        "indicator": theirs.pk,
        "region": ale_region.pk,
        "period": "2024",
        "value": "1",
    }
    response = client.post(URL, form)
    assert response.status_code == 200
    assert not Observation.objects.filter(indicator=theirs, period="2024").exists()


def test_a_figure_may_be_written_with_a_decimal_comma_or_point(personas, login, regions):
    indicator = local_indicator("LOKAL.andel", "Andel", "procent")
    kungalv = Region.objects.get(code="1482")
    client = login(personas["coordinator"])
    form = {"save_figure": "1", "indicator": indicator.pk, "region": kungalv.pk, "period": "2023"}
    assert client.post(URL, {**form, "value": "3,5"}).status_code == 302
    assert Observation.objects.get(indicator=indicator, period="2023").value == 3.5
    assert client.post(URL, {**form, "period": "2022", "value": "4.25"}).status_code == 302
    assert Observation.objects.get(indicator=indicator, period="2022").value == 4.25
    response = client.post(URL, {**form, "period": "2021", "value": "tre"})
    assert "är inte ett tal (skriv t.ex. 3,5 eller 3.5)" in response.content.decode()
    assert not Observation.objects.filter(period="2021").exists()


def test_the_local_csv_accepts_a_decimal_comma(regions, municipality):
    data = "indikator;titel;region;år;värde\nLOKAL.andel;Andel;1482;2023;3,5\nLOKAL.andel;;1482;2022;4.5\n"
    actions.do_import_file("local", data.encode(), municipality=municipality)
    values = dict(Observation.objects.values_list("period", "value"))
    assert values == {"2023": 3.5, "2022": 4.5}


def test_the_manual_entry_refuses_a_national_indicator(regions, catalogue):
    national = Indicator.objects.get(code="N07540")
    with pytest.raises(ImportValidationError, match="officiell statistik"):
        actions.do_save_local_observation(national, Region.objects.get(code="1482"), "2023", 1.0)


@pytest.mark.parametrize("who", ["unit_editor", "partner", "reader", "outsider"])
def test_only_coordinators_and_admins_enter_local_figures(personas, login, who, db):
    client = login(personas[who])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"save_figure": "1"}).status_code == 403


def test_the_template_download_is_a_csv(personas, login, db):
    response = login(personas["coordinator"]).get(reverse("indicators:local_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("indikator;titel;enhet;region;period")
