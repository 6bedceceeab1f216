"""Peer groups (Region.group) follow the kommun populations: set by every import that brings them (Kolada
N01951, SCB's population table), by `manage.py update_region_groups`, and used by the dashboard's
"kommungrupp" comparison; without populations the dashboard says how to get them."""

import json
from html import unescape

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from trygg.indicators import actions
from trygg.indicators.models import Indicator, Observation, Region

from .builders import html_table, load_demo_indicators, observe

URL = reverse("indicators:dashboard")
MELLANSTOR = "Mellanstor kommun (15 000–49 999 inv.)"
STORRE = "Större kommun (50 000–199 999 inv.)"
STORSTAD = "Storstad (minst 200 000 inv.)"
HOWTO = "Jämförelsen med kommungruppen kräver kommunernas folkmängd."

# Kungälv, Ale, Stenungsund, Lerum (mellanstora), Uddevalla, Borås (större), Göteborg (storstad).
POPULATION = {
    "1482": 48_647,
    "1440": 32_000,
    "1415": 27_500,
    "1441": 44_000,
    "1485": 58_000,
    "1490": 115_000,
    "1480": 600_000,
}


def kolada_population(year=2023, values=POPULATION) -> bytes:
    items = [
        {"kpi": "N01951", "municipality": code, "period": year, "values": [{"gender": "T", "value": v}]}
        for code, v in values.items()
    ]
    return json.dumps({"values": items, "next_url": None}).encode()


def scb_population(values: dict[str, int]) -> bytes:
    """A JSON-stat 2.0 dataset shaped like SCB's population table (TAB638, content "Folkmängd")."""
    codes = list(values)
    return json.dumps(
        {
            "version": "2.0",
            "class": "dataset",
            "label": "Folkmängden efter region och år",
            "source": "SCB",
            "id": ["Region", "ContentsCode", "Tid"],
            "size": [len(codes), 1, 1],
            "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
            "extension": {"px": {"tableid": "TAB638"}},
            "dimension": {
                "Region": {"label": "region", "category": {"index": {c: i for i, c in enumerate(codes)}}},
                "ContentsCode": {
                    "label": "tabellinnehåll",
                    "category": {"index": {"BE0101N1": 0}, "label": {"BE0101N1": "Folkmängd"}},
                },
                "Tid": {"label": "år", "category": {"index": {"2023": 0}}},
            },
            "value": list(values.values()),
        }
    ).encode()


def groups() -> dict[str, str]:
    return dict(Region.objects.filter(code__in=POPULATION).values_list("code", "group"))


def test_a_kolada_population_import_fills_the_groups(catalogue):
    result = actions.do_import_file("kolada", kolada_population())
    assert result.groups_updated == 7
    assert "folkmängd och kommungrupp uppdaterade för 7 kommuner" in result.summary
    assert groups() == {
        "1482": MELLANSTOR,
        "1440": MELLANSTOR,
        "1415": MELLANSTOR,
        "1441": MELLANSTOR,
        "1485": STORRE,
        "1490": STORRE,
        "1480": STORSTAD,
    }
    kungalv = Region.objects.get(code="1482")
    assert (kungalv.population, kungalv.population_period) == (48_647, "2023")


def test_a_later_year_moves_a_kommun_to_its_new_group(catalogue):
    actions.do_import_file("kolada", kolada_population())
    actions.do_import_file("kolada", kolada_population(2024, {"1482": 50_100}))
    assert Region.objects.get(code="1482").group == STORRE
    assert Region.objects.get(code="1440").group == MELLANSTOR  # not in the later file: unchanged


def test_an_scb_population_table_fills_the_groups(regions):
    result = actions.do_import_file("jsonstat", scb_population({"1482": 48_647, "1480": 600_000}))
    assert result.groups_updated == 2
    assert Region.objects.get(code="1480").group == STORSTAD


def test_other_imports_leave_the_groups_alone(catalogue):
    payload = json.loads(kolada_population())
    for item in payload["values"]:
        item["kpi"] = "N07403"  # violent crimes, not a population
    result = actions.do_import_file("kolada", json.dumps(payload).encode())
    assert result.groups_updated == 0
    assert set(groups().values()) == {""}


def test_the_demo_generates_no_groups(db):
    load_demo_indicators(with_population=True)  # demo population (Kungälv, riket) and SCB's län file
    assert not Region.objects.exclude(group="").exists()


def test_the_command_updates_the_groups_from_the_latest_population(catalogue, capsys):
    actions.do_import_file("kolada", kolada_population())
    Region.objects.update(group="")
    call_command("update_region_groups")
    assert "Kommungrupper uppdaterade för 7 kommuner från N01951." in capsys.readouterr().out
    assert groups()["1480"] == STORSTAD


def test_the_command_without_population_says_what_to_import(catalogue):
    with pytest.raises(CommandError, match="Importera folkmängd från SCB"):
        call_command("update_region_groups")


def test_dashboard_compares_with_the_kommungrupp_median_after_a_population_import(personas, login, catalogue):
    actions.do_import_file("kolada", kolada_population())
    indicator = Indicator.objects.get(code="N07403")
    violence = {"1482": 300, "1440": 500, "1415": 400, "1441": 700, "1485": 900, "1490": 1000, "1480": 1500}
    Observation.objects.bulk_create(
        observe(indicator, Region.objects.get(code=code), 2023, value) for code, value in violence.items()
    )
    params = {"indicator": "N07403", "regions": ["1482"], "compare": ["kommungrupp"]}
    html = login(personas["reader"]).get(URL, params).content.decode()
    # Mellanstora: Kungälv 300, Ale 500, Stenungsund 400, Lerum 700 → median 450.
    assert html_table(html, "values") == [
        ["Period", "Kungälv", f"{MELLANSTOR}, median"],
        ["2023", "300", "450"],
    ]
    assert HOWTO not in html


def test_dashboard_says_how_to_get_groups_when_there_are_none(personas, login, catalogue):
    observe(Indicator.objects.get(code="N07403"), Region.objects.get(code="1482"), 2023, 300).save()
    params = {"indicator": "N07403", "regions": ["1482"], "compare": ["kommungrupp"]}
    html = unescape(login(personas["reader"]).get(URL, params).content.decode())
    assert "Kommungrupp saknas för Kungälv. " + HOWTO in html
    assert 'id="groups-howto"' in html
    html = unescape(login(personas["reader"]).get(URL).content.decode())
    assert HOWTO in html  # also beside the comparison choices, before anything is chosen
