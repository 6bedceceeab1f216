"""CSV and XLSX downloads of the dashboard table: same figures and suppression as the page, read back."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.indicators.exports import decimal_comma
from trygg.indicators.models import Observation, Region

from .builders import NTU_UNSAFE_EVENING, load_demo_indicators, local_indicator, national

CSV_URL = reverse("indicators:export_csv")
XLSX_URL = reverse("indicators:export_xlsx")
SMALL = {
    "indicator": "LOKAL.polis_brott_nara_relation",
    "breakdown": "brottskategori=Grov fridskränkning",
    "regions": ["1482"],
}


@pytest.fixture
def demo(db):
    load_demo_indicators(with_population=False)


def read_csv(response) -> list[dict]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].count(";") == 12
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_csv_is_semicolon_separated_utf8_with_decimal_comma(personas, login, demo):
    response = login(personas["reader"]).get(CSV_URL, {"indicator": NTU_UNSAFE_EVENING})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statistik-demo-ntu_otrygghet_kvall.csv"'
    rows = read_csv(response)
    kungalv = {r["Period"]: r for r in rows if r["Regionkod"] == "1482"}
    assert kungalv["2023"]["Värde"] == "23"
    assert kungalv["2023"]["Felmarginal"] == "3,5"
    assert kungalv["2023"]["Indikator"].startswith("Otrygghet vid utevistelse")
    assert kungalv["2023"]["Status"] == "värde"
    # The same regions as the page by default: kommun, län, polisregion, riket, one row per period each.
    assert [r["Region"] for r in rows[:4]] == ["Kungälv", "Västra Götaland", "Polisregion Väst", "Riket"]
    assert len(rows) == 4 * 7
    assert {r["Status"] for r in rows if r["Regionkod"] == "14"} == {"uppgift saknas"}


def test_csv_marks_preliminary_values(personas, login, demo):
    params = {"indicator": "DEMO.anmalda_brott_per_100k", "regions": ["1482"]}
    rows = read_csv(login(personas["reader"]).get(CSV_URL, params))
    assert [(r["Period"], r["Värde"], r["Preliminär"]) for r in rows[-2:]] == [
        ("2022", "9070", "nej"),
        ("2023", "8310", "ja"),
    ]


def test_csv_hides_small_counts_and_says_why(personas, login, demo):
    rows = read_csv(login(personas["reader"]).get(CSV_URL, SMALL))
    assert [(r["Period"], r["Värde"], r["Visas som"], r["Status"]) for r in rows] == [
        ("2022", "", "<5", "under 5, redovisas inte"),
        ("2023", "", "<5", "under 5, redovisas inte"),
    ]


def test_csv_follows_the_threshold_setting(personas, login, demo, settings):
    settings.TRYGG_SUPPRESS_BELOW = 3
    rows = read_csv(login(personas["reader"]).get(CSV_URL, SMALL))
    assert [(r["Värde"], r["Status"]) for r in rows] == [("", "under 3, redovisas inte"), ("4", "värde")]


def test_text_that_looks_like_a_formula_is_defused(personas, login, regions):
    indicator = local_indicator("LOKAL.f", '=HYPERLINK("http://x","klicka")', "antal")
    Observation.objects.create(
        indicator=indicator,
        region=Region.objects.get(code="1482"),
        period="2023",
        period_start=2023,
        period_end=2023,
        value=12,
        imported_at=timezone.now(),
    )
    params = {"indicator": indicator.code, "regions": ["1482"]}
    client = login(personas["reader"])
    rows = read_csv(client.get(CSV_URL, params))
    assert rows[0]["Indikator"] == '\'=HYPERLINK("http://x","klicka")'
    assert rows[0]["Värde"] == "12"
    sheet = read_xlsx(client.get(XLSX_URL, params))["Data"]
    assert sheet["B2"].value == '=HYPERLINK("http://x","klicka")'
    assert sheet["B2"].data_type == "s"  # text, never a formula


def test_xlsx_keeps_numbers_as_numbers_and_describes_the_extract(personas, login, demo):
    response = login(personas["reader"]).get(XLSX_URL, {"indicator": NTU_UNSAFE_EVENING, "regions": ["1482"]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = read_xlsx(response)
    assert workbook.sheetnames == ["Data", "Om uttaget"]
    data = workbook["Data"]
    header = [c.value for c in data[1]]
    assert header[:8] == [
        "Indikatorkod",
        "Indikator",
        "Enhet",
        "Uppdelning",
        "Period",
        "Regionkod",
        "Region",
        "Värde",
    ]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in data.iter_rows(min_row=2)]
    assert len(rows) == 7
    assert rows[-1]["Period"] == "2023" and rows[-1]["Värde"] == 23 and rows[-1]["Felmarginal"] == 3.5
    assert isinstance(rows[-1]["Värde"], int | float)
    about = {row[0].value: row[1].value for row in workbook["Om uttaget"].iter_rows()}
    assert about["Kod"] == NTU_UNSAFE_EVENING
    assert about["Källa"] == "Demodata (ej officiell statistik)"
    assert about["Perioder"] == "2017–2023"
    assert "Små tal" not in about  # a share, not a count


def test_xlsx_hides_small_counts_and_carries_the_note(personas, login, demo):
    workbook = read_xlsx(login(personas["reader"]).get(XLSX_URL, SMALL))
    data = workbook["Data"]
    header = [c.value for c in data[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in data.iter_rows(min_row=2)]
    assert [(r["Värde"], r["Visas som"]) for r in rows] == [(None, "<5"), (None, "<5")]
    about = {row[0].value: row[1].value for row in workbook["Om uttaget"].iter_rows()}
    assert about["Små tal"] == "Värden under 5 redovisas inte."


def test_export_has_the_same_peer_median_as_the_page(personas, login, catalogue):
    national((2023,), 20)
    params = {"indicator": "N07403", "regions": ["1482"], "compare": ["kommungrupp"]}
    rows = read_csv(login(personas["reader"]).get(CSV_URL, params))
    assert [(r["Region"], r["Regionkod"], r["Värde"]) for r in rows] == [
        ("Kungälv", "1482", "300"),
        ("Mellanstor kommun, median", "", "225"),
    ]


def test_export_without_an_indicator_is_a_bad_request_in_swedish(personas, login, demo):
    client = login(personas["reader"])
    response = client.get(CSV_URL)
    assert response.status_code == 400
    assert "Välj ett nyckeltal att ladda ned." in response.content.decode()
    response = client.get(XLSX_URL, {"indicator": "FINNS.INTE"})
    assert response.status_code == 400
    assert "FINNS.INTE" in response.content.decode()


def test_anonymous_and_outsiders_cannot_export(client, personas, login, demo):
    assert client.get(CSV_URL, {"indicator": NTU_UNSAFE_EVENING}).status_code == 302
    assert login(personas["outsider"]).get(XLSX_URL, {"indicator": NTU_UNSAFE_EVENING}).status_code == 403


def test_export_queries_do_not_grow_with_the_data(personas, login, catalogue, django_assert_num_queries):
    client = login(personas["reader"])
    params = {"indicator": "N07403", "regions": ["1482", "00"], "compare": ["kommungrupp"]}
    national((2023,), 12)
    # session, user, roles, the user's municipalities, indicators, which indicators have data, regions,
    # observations, all kommuner, and the audit row that records the download
    with django_assert_num_queries(10):
        client.get(XLSX_URL, params)
    Observation.objects.all().delete()
    national(range(2009, 2024), 290)
    with django_assert_num_queries(10):
        response = client.get(XLSX_URL, params)
    assert read_xlsx(response)["Data"].max_row == 1 + 15 * 3  # 15 years × (Kungälv, riket, median)


@pytest.mark.parametrize(
    ("value", "text"), [(8310.0, "8310"), (23.5, "23,5"), (-0.25, "-0,25"), (0, "0"), (10552000, "10552000")]
)
def test_decimal_comma_for_swedish_excel(value, text):
    assert decimal_comma(value) == text
