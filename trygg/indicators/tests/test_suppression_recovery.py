"""Must-show of issue 9: nothing the dashboard or its downloads publish lets a reader work a hidden small
count back out.

The attack reads only what is published (the page's table, the points its chart draws, the CSV, the XLSX, for
every breakdown of the indicator; and section 3 of the follow-up report: its charts and drafted text), plus what the app itself holds and shows elsewhere (the population of each region, the län each
kommun belongs to). It then tries: subtraction (a total minus its shown parts, a län minus its shown
kommuner), every combination of the hidden values consistent with all relations ("<5" meaning 0–4, ".."
at least 5), and a rate turned back into a count with `count_from_rate`. The same attack run on what
primary suppression alone would publish must succeed, so the test can fail.
"""

import csv
import io
import itertools

import openpyxl
import pytest
from django.urls import reverse

from trygg.indicators import charts, report_section
from trygg.indicators.analysis import count_from_rate
from trygg.indicators.models import Indicator, Observation, Region

from .builders import html_table, load_demo_plan, local_indicator, observe

LIMIT = 5
COUNTY, KOMMUNER = "98", ("9801", "9802", "9803")
# (period, region, breakdown) -> count. 2023: women 3 (< 5) beside the total; kommun 9801 has 2 beside its
# län and the other kommuner. 2022: nothing small.
COUNTS = {
    ("2023", "1482", ""): 14,
    ("2023", "1482", "kön=K"): 3,
    ("2023", "1482", "kön=M"): 11,
    ("2022", "1482", ""): 20,
    ("2022", "1482", "kön=K"): 9,
    ("2022", "1482", "kön=M"): 11,
    ("2023", COUNTY, ""): 30,
    ("2023", "9801", ""): 2,
    ("2023", "9802", ""): 12,
    ("2023", "9803", ""): 16,
}
POPULATION = 47_000
RATES = {("2023", "1482", ""): 6.4, ("2022", "1482", ""): 25.5}  # 3.0 and 12.0 inhabitants-worth of cases


@pytest.fixture
def sensitive(db, regions):
    county = Region.objects.create(code=COUNTY, kind=Region.Kind.COUNTY, name="Provlän", short_name="Provlän")
    for i, code in enumerate(KOMMUNER):
        Region.objects.create(
            code=code, kind=Region.Kind.MUNICIPALITY, name=f"Provkommun {i + 1}", county=county
        )
    Region.objects.filter(code="1482").update(population=POPULATION, group="Provgrupp")
    counts = local_indicator("LOKAL.prov_vinr", "Provärenden våld i nära relation")
    Indicator.objects.filter(pk=counts.pk).update(breakdowns=["kön"])
    rates = local_indicator("LOKAL.prov_takt", "Provärenden per 100 000 invånare", unit="per_100k")
    regions_by_code = {r.code: r for r in Region.objects.all()}
    rows = [observe(counts, regions_by_code[c], int(p), v, breakdown=b) for (p, c, b), v in COUNTS.items()]
    rows += [observe(rates, regions_by_code[c], int(p), v, breakdown=b) for (p, c, b), v in RATES.items()]
    Observation.objects.bulk_create(rows)
    assert counts.needs_protection and rates.needs_protection
    return counts, rates


# --- reading what is published -------------------------------------------------------------------------


def _number(text: str) -> float | None:
    text = text.replace("\u00a0", "").replace(" ", "").replace("−", "-").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def spy_on_charts(monkeypatch) -> list[dict]:
    """Record the data every chart is drawn from (a reader can measure a drawn point off the chart)."""
    drawn: list[dict] = []
    for name in ("line_chart_rates", "ntu_chart", "category_counts_chart"):
        real = getattr(charts, name)

        def wrapper(data, *args, real=real, name=name, **kwargs):
            drawn.append({"chart": name, "data": {label: list(points) for label, points in data.items()}})
            return real(data, *args, **kwargs)

        monkeypatch.setattr(charts, name, wrapper)
    return drawn


def _published(client, indicator: str, breakdowns, regions, compare=(), monkeypatch=None) -> dict:
    """(period, region code or column label, breakdown) -> shown text, from page, chart, CSV and XLSX;
    every source must agree on every cell (a point the chart draws must be the number the table shows)."""
    names = {r.short_name or r.name: r.code for r in Region.objects.all()}
    out: dict = {}
    drawn = spy_on_charts(monkeypatch) if monkeypatch else None

    def put(key, text):
        assert out.setdefault(key, text) == text, (key, out[key], text)

    for breakdown in breakdowns:
        params = {"indicator": indicator, "regions": list(regions), "compare": list(compare)}
        if breakdown:
            params["breakdown"] = breakdown
        if drawn is not None:
            drawn.clear()
        page = client.get(reverse("indicators:dashboard"), params).content.decode()
        header, *rows = html_table(page, "values")
        for row in rows:
            for label, text in zip(header[1:], row[1:], strict=True):
                put((row[0], names.get(label, label), breakdown), text.split("±")[0].strip())
        if drawn is not None:
            assert drawn, "the page draws its chart"
            for chart in drawn:
                for label, points in chart["data"].items():
                    for year, value, *_interval in points:
                        shown = out[(str(year), names.get(label, label), breakdown)]
                        # a hidden cell is not drawn; a drawn point is the number the table shows
                        assert (value is None) == (_number(shown) is None), (label, year, value, shown)
                        assert value is None or value == pytest.approx(_number(shown)), (label, year)
        response = client.get(reverse("indicators:export_csv"), params)
        for line in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"):
            put((line["Period"], line["Regionkod"] or line["Region"], breakdown), line["Visas som"])
            if line["Värde"]:
                assert _number(line["Värde"]) == _number(line["Visas som"])
        workbook = openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("indicators:export_xlsx"), params).content)
        )
        sheet = workbook.worksheets[0]
        head = [c.value for c in sheet[1]]
        for values in sheet.iter_rows(min_row=2, values_only=True):
            line = dict(zip(head, values, strict=True))
            put((line["Period"], line["Regionkod"] or line["Region"], breakdown), line["Visas som"])
            if line["Värde"] is not None:
                assert line["Värde"] == _number(line["Visas som"])
    return out


# --- the attack ------------------------------------------------------------------------------------------


def _relations(published: dict) -> list[tuple[tuple, tuple]]:
    """What a reader knows to add up: a region's total and its women and men; the län and its kommuner."""
    relations = []
    for period in {p for p, _c, _b in published}:
        relations.append(((period, "1482", ""), ((period, "1482", "kön=K"), (period, "1482", "kön=M"))))
        relations.append(((period, COUNTY, ""), tuple((period, k, "") for k in KOMMUNER)))
    return [(t, parts) for t, parts in relations if all(k in published for k in (t, *parts))]


def recovered(published: dict) -> dict:
    """Hidden cells whose value the published figures pin down: key -> the value."""
    known = {k: _number(t) for k, t in published.items() if _number(t) is not None}
    ranges = {}
    for key, text in published.items():
        if key in known:
            continue
        if text == f"<{LIMIT}":
            ranges[key] = range(0, LIMIT)
        elif text == "..":
            ranges[key] = range(LIMIT, 200)
    found = {}
    relations = _relations(published)
    # Subtraction: one unknown in a relation.
    for total, parts in relations:
        members = (total, *parts)
        unknown = [k for k in members if k not in known]
        if len(unknown) == 1:
            k = unknown[0]
            rest = sum(known[p] for p in parts if p in known)
            found[k] = known[total] - rest if k != total else rest
    # Every combination of hidden values consistent with every relation, per period.
    for period in {p for p, _c, _b in ranges}:
        hidden = [k for k in ranges if k[0] == period]
        involved = [k for k in hidden if any(k in (t, *ps) for t, ps in relations)]
        bounds = []
        for k in involved:
            top = min((known[t] for t, ps in relations if k in ps and t in known), default=199)
            bounds.append([v for v in ranges[k] if v <= top])
        solutions = [
            combo
            for combo in itertools.product(*bounds)
            if all(_holds(t, ps, {**known, **dict(zip(involved, combo, strict=True))}) for t, ps in relations)
        ]
        for i, k in enumerate(involved):
            values = {s[i] for s in solutions}
            if len(values) == 1:
                found[k] = values.pop()
    return found


def _holds(total, parts, values) -> bool:
    if any(k not in values for k in (total, *parts)):
        return True
    return values[total] == sum(values[p] for p in parts)


def small_counts_from_rates(published: dict) -> dict:
    """Shown rates (and a median over one kommun is that kommun's rate) turned back into counts."""
    out = {}
    for (period, column, breakdown), text in published.items():
        rate = _number(text)
        if rate is None:
            continue
        population = POPULATION if column in ("1482", "Provgrupp, median") else None
        if population and round(count_from_rate(rate, population)) < LIMIT:
            out[(period, column, breakdown)] = round(count_from_rate(rate, population))
    return out


# --- the tests -------------------------------------------------------------------------------------------


def test_no_hidden_count_can_be_recovered_from_the_page_chart_csv_or_xlsx(
    personas, login, sensitive, monkeypatch
):
    client = login(personas["reader"])
    published = _published(
        client,
        "LOKAL.prov_vinr",
        ["", "kön=K", "kön=M"],
        ["1482", COUNTY, *KOMMUNER],
        monkeypatch=monkeypatch,
    )
    hidden = {k for k, t in published.items() if t in (f"<{LIMIT}", "..")}
    # The small counts are hidden, and so is at least one cell beside each of them.
    assert published[("2023", "1482", "kön=K")] == "<5"
    assert published[("2023", "9801", "")] == "<5"
    assert len(hidden) >= 4
    assert recovered(published) == {}
    # Nothing more is hidden than needed: 2022 has no small count and shows every value.
    assert all(published[k] == str(v) for k, v in COUNTS.items() if k[0] == "2022")


def test_the_attack_succeeds_on_primary_suppression_alone(sensitive):
    naive = {k: (f"<{LIMIT}" if v < LIMIT else str(v)) for k, v in COUNTS.items()}
    found = recovered(naive)
    assert found[("2023", "1482", "kön=K")] == 3
    assert found[("2023", "9801", "")] == 2


def test_a_rate_that_gives_a_small_count_back_is_hidden_and_so_is_a_median_over_it(
    personas, login, sensitive, monkeypatch
):
    client = login(personas["reader"])
    published = _published(
        client, "LOKAL.prov_takt", [""], ["1482"], compare=["kommungrupp"], monkeypatch=monkeypatch
    )
    assert published[("2023", "1482", "")] == ".."
    assert published[("2023", "Provgrupp, median", "")] == ".."
    assert _number(published[("2022", "1482", "")]) == 25.5
    assert small_counts_from_rates(published) == {}
    naive = {k: str(v) for k, v in RATES.items()}
    assert small_counts_from_rates({(p, c, b): t.replace(".", ",") for (p, c, b), t in naive.items()})


def test_the_page_and_downloads_say_what_the_symbols_mean(personas, login, sensitive):
    client = login(personas["reader"])
    params = {"indicator": "LOKAL.prov_vinr", "regions": ["1482"], "breakdown": "kön=M"}
    page = client.get(reverse("indicators:dashboard"), params).content.decode()
    assert "Värden under 5 redovisas inte" in page
    assert "kan räknas" in page and "fram ur summor" in page
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("indicators:export_csv"), params).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    hidden = [r for r in rows if r["Visas som"] == ".."]
    assert hidden and all(
        r["Status"] == "dold för att skydda små tal (..)" and not r["Värde"] for r in hidden
    )


def test_a_national_indicator_is_published_as_its_source_publishes_it(personas, login, sensitive):
    counts, _rates = sensitive
    Indicator.objects.filter(pk=counts.pk).update(sensitive=False)
    published = _published(login(personas["reader"]), "LOKAL.prov_vinr", ["", "kön=M"], ["1482"])
    assert published[("2023", "1482", "kön=M")] == "11"  # no complementary suppression
    assert published[("2023", "1482", "")] == "14"


def test_the_protection_does_not_depend_on_which_regions_a_view_shows(personas, login, sensitive):
    client = login(personas["reader"])
    alone = _published(client, "LOKAL.prov_vinr", [""], ["9802"])
    together = _published(client, "LOKAL.prov_vinr", [""], [COUNTY, *KOMMUNER])
    assert alone[("2023", "9802", "")] == together[("2023", "9802", "")] == ".."


def test_the_data_migration_flags_local_indicators_sensitive_and_national_not(sensitive):
    from importlib import import_module

    from django.apps import apps

    counts, _rates = sensitive
    national = Indicator.objects.create(code="N99999", title="Prov", unit="antal")
    Indicator.objects.filter(pk__in=[counts.pk, national.pk]).update(sensitive=None)
    import_module("trygg.indicators.migrations.0006_indicator_sensitive_data").set_sensitive(apps, None)
    assert Indicator.objects.get(pk=counts.pk).sensitive is True
    assert Indicator.objects.get(pk=national.pk).sensitive is False


# --- section 3 of the follow-up report -------------------------------------------------------------------

REPORT_CATEGORIES = {  # a sensitive national series: every category shown and the total from the same series
    2022: {"Våldsbrott": 8, "Stöld- och tillgreppsbrott": 40, "Skadegörelsebrott": 12},
    2023: {"Våldsbrott": 3, "Stöld- och tillgreppsbrott": 50, "Skadegörelsebrott": 12},
}


@pytest.fixture
def report_case(db, regions):
    from trygg.plans.models import FollowUp

    load_demo_plan()
    follow_up = FollowUp.objects.select_related("plan__municipality").get(
        plan__slug="trygg-i-kungalv", year=2023
    )
    counts = Indicator.objects.create(
        code="BRA.anmalda_brott", title="Anmälda brott", unit="antal", sensitive=True
    )
    population, _ = Indicator.objects.get_or_create(
        code="N01951", defaults={"title": "Folkmängd", "unit": "antal"}
    )
    kungalv = Region.objects.get(code="1482")
    rows = []
    for year, categories in REPORT_CATEGORIES.items():
        rows.append(observe(counts, kungalv, year, sum(categories.values())))
        rows.append(observe(population, kungalv, year, POPULATION))
        rows += [
            observe(counts, kungalv, year, v, breakdown=f"brottskategori={c}") for c, v in categories.items()
        ]
    Observation.objects.bulk_create(rows)
    return follow_up, counts


def report_published(follow_up, monkeypatch) -> tuple[dict, dict, str]:
    """What section 3 publishes: per year the drawn category counts (None = left out), the total count a
    reader gets back from the drawn rate and the population, and the drafted text."""
    drawn = spy_on_charts(monkeypatch)
    report_section.current_analysis_blocks(follow_up)
    draft = report_section.draft_for(follow_up)
    categories: dict = {}
    totals: dict = {}
    for chart in drawn:
        for label, points in chart["data"].items():
            for year, value, *_rest in points:
                if chart["chart"] == "category_counts_chart":
                    categories.setdefault(year, {})[label.casefold()] = value
                elif chart["chart"] == "line_chart_rates" and value is not None:
                    totals[year] = round(count_from_rate(value, POPULATION))
    return categories, totals, draft


def recovered_from_report(categories: dict, totals: dict) -> dict:
    """(year, category) -> value for every left-out category that the total and the shown categories pin
    down: every combination of the hidden values (0 up to the total) that adds up to the total is tried."""
    found = {}
    for year, shown in categories.items():
        if year not in totals:
            continue
        hidden = [name for name, v in shown.items() if v is None]
        rest = totals[year] - sum(v for v in shown.values() if v is not None)
        solutions = [
            combo for combo in itertools.product(range(rest + 1), repeat=len(hidden)) if sum(combo) == rest
        ]
        for i, name in enumerate(hidden):
            values = {s[i] for s in solutions}
            if len(values) == 1:
                found[(year, name)] = values.pop()
    return found


def test_no_hidden_category_can_be_recovered_from_report_section_three(report_case, monkeypatch):
    follow_up, _counts = report_case
    categories, totals, draft = report_published(follow_up, monkeypatch)
    assert categories[2023]["våldsbrott"] is None  # the small one is left out …
    assert sum(v is None for v in categories[2023].values()) >= 2  # … and so is another beside it
    assert categories[2022] == {k.casefold(): v for k, v in REPORT_CATEGORIES[2022].items()}  # nothing small
    assert recovered_from_report(categories, totals) == {}
    assert "Värden under 5 redovisas inte" in draft
    # The draft quotes no hidden value: every "från X till Y" it gives for a category is drawn too.
    for name, shown in categories[2023].items():
        if shown is None:
            assert f"{name} (från" not in draft and f"anmälda {name} har" not in draft


def test_the_report_attack_succeeds_when_only_the_small_category_is_left_out(report_case, monkeypatch):
    follow_up, counts = report_case
    Indicator.objects.filter(pk=counts.pk).update(sensitive=False)  # primary suppression only
    categories, totals, _draft = report_published(follow_up, monkeypatch)
    assert recovered_from_report(categories, totals) == {(2023, "våldsbrott"): 3}
