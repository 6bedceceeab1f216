"""The "Sammanvägt index" page /statistik/index/: who sees it, a worked example through the view, the
default inputs, bad parameters, and a query count that does not grow with the number of kommuner."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.indicators.models import Indicator, Observation, Region

from .builders import html_table, observe

URL = reverse("indicators:composite")
# Kommuner A–D of the worked example in docs/indicators-analysis.md; Kungälv (1482) is A.
A, B, C, D = "1482", "1440", "1415", "1441"
WORKED = {
    "N07403": {A: 10, B: 20, C: 30, D: 50},  # våldsbrott per 100 000: lower is better
    "U07417": {A: 40, B: 20, C: 20, D: 60},  # stöld per 100 000: lower is better
    "N00610": {A: 80, B: 60, C: 90, D: 70},  # trygg utomhus när det är mörkt, %: higher is better
}


def add(values: dict[str, dict[str, float]], year: int = 2023) -> None:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    regions = {r.code: r for r in Region.objects.filter(code__in={c for v in values.values() for c in v})}
    Observation.objects.bulk_create(
        observe(indicators[ind], regions[code], year, value)
        for ind, by_code in values.items()
        for code, value in by_code.items()
    )


def rows(html: str) -> list[list[str]]:
    return html_table(html, "composite")


def worked_params(**extra):
    return {"indicators": list(WORKED), "year": "2023", **extra}


@pytest.fixture
def worked(catalogue):
    add(WORKED)


# --- Who may see it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "coordinator", "unit_editor", "partner", "reader"])
def test_every_role_sees_the_index(personas, login, worked, who):
    response = login(personas[who]).get(URL, worked_params())
    assert response.status_code == 200
    assert '<table id="composite"' in response.content.decode()


def test_outsider_is_refused_and_anonymous_is_sent_to_login(personas, login, worked):
    assert login(personas["outsider"]).get(URL).status_code == 403
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_wrong_http_method_is_refused(personas, login, worked):
    assert login(personas["reader"]).post(URL, worked_params()).status_code == 405


def test_the_dashboard_links_to_the_index(personas, login, catalogue):
    html = login(personas["reader"]).get(reverse("indicators:dashboard")).content.decode()
    assert f'href="{URL}"' in html and "Sammanvägt index" in html


# --- The worked example -------------------------------------------------------------------------------------


def test_worked_example_scores_and_ranks_with_the_municipality_highlighted(personas, login, worked):
    html = login(personas["reader"]).get(URL, worked_params()).content.decode()
    table = rows(html)
    assert table[0][:3] == ["Plats", "Kommun", "Index (0–100)"]
    # våld (50−v)/40×100, stöld (60−v)/40×100, trygghet (v−60)/30×100, then the mean:
    # A (100 + 50 + 66,7)/3 = 72,2; B (75 + 100 + 0)/3 = 58,3; C (50 + 100 + 100)/3 = 83,3; D (0 + 0 + 33,3)/3 = 11,1.
    assert [r[:3] for r in table[1:]] == [
        ["1", "Stenungsund", "83,3"],
        ["2", "Kungälv (din kommun)", "72,2"],
        ["3", "Ale", "58,3"],
        ["4", "Lerum", "11,1"],
    ]
    assert table[2][3:] == ["10,0", "40,0", "80,0"]  # Kungälv's own values beside its score
    assert re.search(r'<tr class="highlight" id="home-row">\s*<td class="num">2</td>', html)
    assert "Kungälv: plats 2 av 4 kommuner, index 72,2." in unescape(html)


def test_the_method_is_named_and_described_beside_the_result(personas, login, worked):
    html = unescape(login(personas["reader"]).get(URL, worked_params()).content.decode())
    assert "Metod: Min–max-normalisering med lika vikter" in html
    assert "Varje nyckeltal normaliseras till en skala 0–100 där 100 är bäst" in html
    assert "Anmälda våldsbrott, antal/100 000 inv: lägre är bättre" in html and "(N07403)" not in html
    assert "mörkt ute, andel(%): högre är bättre" in html


def test_kommuner_with_too_few_values_are_listed_as_excluded(personas, login, worked):
    add({"N07403": {"0180": 40}})  # Stockholm: one of three inputs, below the half needed
    html = unescape(login(personas["reader"]).get(URL, worked_params()).content.decode())
    assert "1 kommun har värden för för få av nyckeltalen för att få ett index: Stockholm." in html
    assert "Stockholm" not in " ".join(r[1] for r in rows(html)[1:])


# --- Defaults ---------------------------------------------------------------------------------------------


def test_defaults_are_the_open_comparisons_inputs_and_their_latest_year(personas, login, catalogue):
    # Fires: U07415 until 2023, N07415 from 2024 — the one with the latest data is chosen.
    add(
        {
            "U07413": {A: 10, B: 12, C: 9},
            "N07415": {A: 0.8, B: 1.0, C: 1.2},
            "N07403": {A: 500, B: 800, C: 900},
            "U07417": {A: 3000, B: 2500, C: 2000},
        },
        year=2024,
    )
    add({"U07415": {A: 0.5, B: 0.6}, "N07403": {A: 600, B: 700}}, year=2022)
    html = unescape(login(personas["reader"]).get(URL).content.decode())
    selected = re.findall(r'<option value="([^"]+)"[^>]*selected', html)
    checked = re.findall(r'<input type="checkbox" name="indicators" value="([^"]+)"[^>]*checked', html)
    assert selected == ["2024"]
    assert sorted(checked) == ["N07403", "N07415", "U07413", "U07417"]
    assert '<option value="2024" selected>' in html
    assert "Index 2024" in html
    assert len(rows(html)) == 4  # three kommuner and the header


def test_without_any_values_the_page_says_what_to_import(personas, login, catalogue):
    html = unescape(login(personas["reader"]).get(URL).content.decode())
    assert "Det finns inga värden per kommun för de valda nyckeltalen" in html
    assert '<table id="composite"' not in html


def test_the_first_visit_shows_no_errors_before_the_user_has_chosen(personas, login, catalogue):
    html = unescape(login(personas["reader"]).get(URL).content.decode())
    assert "Detta fält måste fyllas i" not in html and 'class="error"' not in html
    # Once the user submits without choosing, the form says what is missing.
    html = unescape(login(personas["reader"]).get(URL, {"year": ""}).content.decode())
    assert "Detta fält måste fyllas i" in html


def test_an_input_without_values_that_year_is_named(personas, login, worked):
    params = {"indicators": [*WORKED, "U07413"], "year": "2023"}
    html = unescape(login(personas["reader"]).get(URL, params).content.decode())
    assert "har inga värden per kommun för 2023 och räknas inte med" in html
    assert rows(html)[2][:3] == ["2", "Kungälv (din kommun)", "72,2"]


# --- Bad parameters are answered, never a server error ------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"indicators": ["N07403"], "year": "2023"}, "Välj minst två nyckeltal."),
        ({"indicators": ["N07403", "X' OR 1=1"], "year": "2023"}, "giltigt"),
        ({"indicators": ["N07403", "N01951"], "year": "2023"}, "giltigt"),  # a count has no place in an index
        ({"indicators": list(WORKED), "year": "abc"}, "giltigt"),
        ({"indicators": list(WORKED), "year": "1850"}, "giltigt"),
        ({"indicators": list(WORKED), "year": "9" * 400}, "giltigt"),
        ({"indicators": [""], "year": ""}, ""),
    ],
)
def test_bad_parameters_give_the_form_back_with_a_reason(personas, login, worked, params, message):
    response = login(personas["reader"]).get(URL, params)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert '<table id="composite"' not in html
    assert message in html


# --- Queries ----------------------------------------------------------------------------------------------


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_kommuner(personas, login, catalogue):
    client = login(personas["reader"])
    codes = list(Region.objects.municipalities().order_by("code").values_list("code", flat=True))
    params = {"indicators": ["N07403", "U07417", "N00610"], "year": "2023"}

    def fill(kommuner):
        add({ind: {c: 100 + i for i, c in enumerate(kommuner)} for ind in params["indicators"]})

    fill(codes[:4])
    small = _queries(client, params)
    Observation.objects.all().delete()
    fill(codes)
    assert _queries(client, params) == small
    # session, user, the user's roles, their municipalities (current one and the header's switch),
    # indicators, years, values
    assert small <= 8
    assert len(rows(client.get(URL, params).content.decode())) == 291
