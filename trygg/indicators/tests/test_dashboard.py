"""The statistics dashboard /statistik/: permissions, search, table, suppression, chart, ranking, queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trygg.indicators import actions
from trygg.indicators.models import Indicator, Observation, Region

from .builders import (
    CRIMES_BY_CATEGORY,
    NTU_UNSAFE_EVENING,
    html_table,
    load_demo_indicators,
    local_indicator,
    national,
    observe,
)

URL = reverse("indicators:dashboard")
NBSP = "\u00a0"


@pytest.fixture
def demo(db):
    load_demo_indicators(with_population=False)


def table(html: str) -> list[list[str]]:
    """The values table as rows of cell texts (header row first)."""
    return html_table(html, "values")


# --- Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "coordinator", "unit_editor", "partner", "reader"])
def test_every_role_sees_the_dashboard(personas, login, demo, who):
    response = login(personas[who]).get(URL, {"indicator": NTU_UNSAFE_EVENING})
    assert response.status_code == 200
    assert '<table id="values"' in response.content.decode()


def test_outsider_is_refused(personas, login, demo):
    client = login(personas["outsider"])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("indicators:export_csv"), {"indicator": NTU_UNSAFE_EVENING}).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_wrong_http_method_is_refused(personas, login, demo):
    client = login(personas["reader"])
    assert client.post(URL, {"indicator": NTU_UNSAFE_EVENING}).status_code == 405
    assert client.post(reverse("indicators:export_xlsx")).status_code == 405


def test_import_links_only_for_those_who_may_import(personas, login, demo):
    assert reverse("indicators:import") not in login(personas["reader"]).get(URL).content.decode()
    assert reverse("indicators:import") in login(personas["coordinator"]).get(URL).content.decode()


def test_the_first_visit_shows_the_key_figures_and_only_indicators_with_data(personas, login, demo):
    html = login(personas["reader"]).get(URL).content.decode()
    key = html.split('id="key-heading"')[1].split("</section>")[0]
    assert "Plats 71 av 290" in key  # Öppna jämförelser, demo 2023
    assert "<svg" in key and "Källa: Demodata (ej officiell statistik)" in key
    assert "23 %" in key and "(2023)" in key  # the latest NTU share with its year
    themes = html.split('id="themes-heading"')[1].split("</section>")[0]
    assert "Anmälda brott" in themes and "Trygghet och oro" in themes
    assert "?indicator=DEMO.ntu_otrygghet_kvall" in themes
    assert "?indicator=N07609" not in html  # in the catalogue, but no value for Kungälv
    # No raw codes or developer commands in what users read.
    text = re.sub(r"<[^>]+>", " ", html.split("<main")[1])
    assert not re.search(r"\bDEMO\.|\bN\d{5}\b|manage\.py", text)


def test_an_empty_database_shows_the_form_and_no_table(personas, login):
    html = login(personas["reader"]).get(URL).content.decode()
    assert 'name="indicator"' in html and 'name="q"' in html
    assert '<table id="values"' not in html


# --- Search ---------------------------------------------------------------------------------------


def test_search_by_title_ignores_case_also_for_swedish_letters(personas, login, demo):
    html = login(personas["reader"]).get(URL, {"q": "öppna JÄMFÖRELSER"}).content.decode()
    results = "".join(re.findall(r'<ul class="[^"]*search-results">(.*?)</ul>', html, re.S))
    assert "?indicator=DEMO.oppna_jamforelser_rang" in results
    assert results.count("<li>") == 1


def test_search_needs_every_word_and_says_when_nothing_matches(personas, login, demo):
    client = login(personas["reader"])
    Indicator.objects.filter(code=NTU_UNSAFE_EVENING).update(title="Otrygghet vid utomhusvistelse, andel (%)")
    html = client.get(URL, {"q": "otrygghet"}).content.decode()
    assert f"?indicator={NTU_UNSAFE_EVENING}" in html
    html = client.get(URL, {"q": "otrygghet utevistelse"}).content.decode()
    assert f"?indicator={NTU_UNSAFE_EVENING}" not in html
    html = client.get(URL, {"q": "finns inte alls"}).content.decode()
    assert "Inga nyckeltal matchar sökningen." in html


# --- Table ----------------------------------------------------------------------------------------


def test_default_regions_are_the_municipality_its_lan_its_polisregion_and_riket(personas, login, demo):
    html = login(personas["reader"]).get(URL, {"indicator": NTU_UNSAFE_EVENING}).content.decode()
    rows = table(html)
    assert rows[0] == ["Period", "Kungälv", "Västra Götaland", "Polisregion Väst", "Riket"]
    assert rows[-1][0] == "2023"
    assert rows[-1][1] == "23 ±3,5" and rows[-1][3] == "27 ±1,2"
    assert rows[-1][2] == "saknas"  # no län values: missing, not zero


def test_regions_and_period_range_can_be_chosen(personas, login, demo):
    params = {"indicator": "DEMO.anmalda_brott_per_100k", "regions": ["1482"], "start": 2021, "end": 2022}
    rows = table(login(personas["reader"]).get(URL, params).content.decode())
    assert rows == [["Period", "Kungälv"], ["2021", f"9{NBSP}770"], ["2022", f"9{NBSP}070"]]


def test_compare_adds_riket_and_the_lan_of_the_chosen_kommun(personas, login, demo):
    params = {"indicator": "DEMO.anmalda_brott_per_100k", "regions": ["1482"], "compare": ["riket", "lan"]}
    rows = table(login(personas["reader"]).get(URL, params).content.decode())
    assert rows[0] == ["Period", "Kungälv", "Västra Götaland", "Riket"]
    assert rows[-1] == ["2023", f"8{NBSP}310{NBSP}p", "saknas", f"13{NBSP}610{NBSP}p"]  # p: preliminary


def test_breakdown_select_appears_for_indicators_with_breakdowns(personas, login, demo):
    client = login(personas["reader"])
    html = client.get(URL, {"indicator": CRIMES_BY_CATEGORY}).content.decode()
    assert 'name="breakdown"' in html and "brottskategori=Våldsbrott" in html
    params = {"indicator": CRIMES_BY_CATEGORY, "breakdown": "brottskategori=Våldsbrott", "regions": ["1482"]}
    rows = table(client.get(URL, params).content.decode())
    assert rows[-1] == ["2023", f"489{NBSP}p"]
    assert (
        'name="breakdown"'
        not in client.get(URL, {"indicator": "DEMO.anmalda_brott_per_100k"}).content.decode()
    )


def test_a_breakdown_left_from_another_indicator_falls_back_to_the_total(personas, login, demo):
    params = {"indicator": "DEMO.anmalda_brott_per_100k", "breakdown": "brottskategori=Våldsbrott"}
    html = login(personas["reader"]).get(URL, params).content.decode()
    assert table(html)[-1][1] == f"8{NBSP}310{NBSP}p"


def test_small_counts_are_suppressed_and_the_page_says_so(personas, login, demo):
    params = {
        "indicator": "LOKAL.polis_brott_nara_relation",
        "breakdown": "brottskategori=Grov fridskränkning",
        "regions": ["1482"],
    }
    html = login(personas["reader"]).get(URL, params).content.decode()
    assert table(html)[1:] == [["2022", "<5"], ["2023", "<5"]]  # 2 and 4
    assert "Värden under 5 redovisas inte." in html


def test_the_threshold_is_a_setting(personas, login, demo, settings):
    settings.TRYGG_SUPPRESS_BELOW = 3
    params = {
        "indicator": "LOKAL.polis_brott_nara_relation",
        "breakdown": "brottskategori=Grov fridskränkning",
        "regions": ["1482"],
    }
    html = login(personas["reader"]).get(URL, params).content.decode()
    assert table(html)[1:] == [["2022", "<3"], ["2023", "4"]]
    assert "Värden under 3 redovisas inte." in html


def test_suppressed_by_the_source_and_missing_are_told_apart(personas, login, demo):
    indicator = Indicator.objects.get(code="LOKAL.vinr_arenden")
    kungalv, riket = Region.objects.get(code="1482"), Region.objects.get(code="00")
    Observation.objects.bulk_create(
        [
            observe(indicator, riket, 2022, None, status="suppressed"),
            observe(indicator, riket, 2023, None, status="missing"),
        ]
    )
    params = {"indicator": indicator.code, "regions": [kungalv.code, riket.code]}
    rows = table(login(personas["reader"]).get(URL, params).content.decode())
    assert rows[1:] == [["2022", "72", ".."], ["2023", "144", "saknas"]]


def test_shares_and_rates_are_not_suppressed(personas, login, demo, settings):
    settings.TRYGG_SUPPRESS_BELOW = 100
    html = login(personas["reader"]).get(URL, {"indicator": NTU_UNSAFE_EVENING}).content.decode()
    assert table(html)[-1][1] == "23 ±3,5"
    assert "Värden under 100 redovisas inte." not in html


def test_invalid_choices_show_errors_instead_of_crashing(personas, login, demo):
    client = login(personas["reader"])
    html = client.get(URL, {"indicator": "FINNS.INTE"}).content.decode()
    assert "FINNS.INTE" in html and '<table id="values"' not in html
    response = client.get(URL, {"indicator": NTU_UNSAFE_EVENING, "start": 2023, "end": 2020})
    assert "Till år kan inte vara före Från år." in response.content.decode()
    assert client.get(URL, {"indicator": NTU_UNSAFE_EVENING, "start": "x"}).status_code == 200


# --- Chart ----------------------------------------------------------------------------------------


def test_chart_is_inline_svg_and_the_table_is_its_text_alternative(personas, login, demo):
    html = login(personas["reader"]).get(URL, {"indicator": NTU_UNSAFE_EVENING}).content.decode()
    svg = re.search(r"<svg\b.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Kungälv 2023: 23 procent (felmarginal 19,5–26,5)" in svg  # error bars from the margins
    assert 'href="#values"' in html and '<caption id="values-caption">' in html


def test_no_chart_for_months_but_the_table_stays(personas, login, db):
    actions.do_seed_regions()
    indicator = Indicator.objects.create(code="LOKAL.manad", title="Per månad", unit="antal")
    Observation.objects.bulk_create(
        [
            Observation(
                indicator=indicator,
                region=Region.objects.get(code="1482"),
                period=f"2026M0{m}",
                period_start=2026,
                period_end=2026,
                value=10 * m,
                imported_at=timezone.now(),
            )
            for m in (1, 2)
        ]
    )
    html = (
        login(personas["reader"])
        .get(URL, {"indicator": indicator.code, "regions": ["1482"]})
        .content.decode()
    )
    assert "<svg" not in html and "Diagrammet visas bara för årsvärden" in html
    assert table(html)[1:] == [["2026M01", "10"], ["2026M02", "20"]]


def test_markup_in_titles_and_names_is_escaped(personas, login, regions):
    indicator = local_indicator("LOKAL.x", "<script>alert(1)</script>", "procent")
    Observation.objects.bulk_create([observe(indicator, Region.objects.get(code="1482"), 2023, 12.5)])
    html = login(personas["reader"]).get(URL, {"indicator": indicator.code}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Ranking and peers ----------------------------------------------------------------------------


def test_rank_and_quartile_among_all_kommuner_for_the_latest_period(personas, login, catalogue):
    national((2022, 2023), 20)
    html = login(personas["reader"]).get(URL, {"indicator": "N07403", "regions": ["1482"]}).content.decode()
    # Four kommuner have lower values than Kungälv's 300: place 5 of 20, and 5 > 20/4, so quartile 2.
    assert "Kungälv 2023: plats 5 av 20 kommuner (kvartil 2)." in html
    assert "Plats 1 har det lägsta värdet (lägre är bättre)." in html


def test_a_kommun_in_the_best_quarter_is_told_so(personas, login, catalogue):
    national((2023,), 40)
    html = login(personas["reader"]).get(URL, {"indicator": "N07403", "regions": ["1482"]}).content.decode()
    assert "Kungälv 2023: plats 5 av 40 kommuner (kvartil 1)." in html
    assert "Kommunen är bland de 25 procent av kommunerna med lägst värden." in html


def test_peer_median_column_and_rank_within_the_group(personas, login, catalogue):
    national((2023,), 20)
    params = {"indicator": "N07403", "regions": ["1482"], "compare": ["kommungrupp"]}
    html = login(personas["reader"]).get(URL, params).content.decode()
    rows = table(html)
    # Group: Kungälv 300 and the first five others 100, 150, 200, 250, 300 → median 225.
    assert rows[0] == ["Period", "Kungälv", "Mellanstor kommun, median"]
    assert rows[1] == ["2023", "300", "225"]
    assert "I kommungruppen Mellanstor kommun: plats 5 av 6, gruppens median 225." in html


def test_no_rank_for_counts_or_when_few_kommuner_have_values(personas, login, demo):
    client = login(personas["reader"])
    html = client.get(URL, {"indicator": "LOKAL.vinr_arenden"}).content.decode()
    assert "visas inte för antal" in html
    html = client.get(URL, {"indicator": NTU_UNSAFE_EVENING}).content.decode()
    assert "Placering visas när minst 10 kommuner har värden" in html


# --- Query count ----------------------------------------------------------------------------------


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_data(personas, login, catalogue, django_assert_num_queries):
    client = login(personas["reader"])
    params = {"indicator": "N07403", "regions": ["1482", "00"], "compare": ["kommungrupp", "lan"]}
    national((2023,), 12)
    small = _count_queries(client, params)
    Observation.objects.all().delete()
    national(range(2009, 2024), 290)
    with django_assert_num_queries(small):  # the same number, for 12 × 1 or 290 × 15 values
        response = client.get(URL, params)
    assert table(response.content.decode())[-1][0] == "2023"
    assert len(table(response.content.decode())) == 16  # header + 15 years
    # session, user, the user's roles and municipalities (current one, the header's switch), indicators,
    # regions, observations, all kommuner (+ breakdowns)
    assert small <= 10
