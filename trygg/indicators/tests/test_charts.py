"""Charts: valid, accessible SVG with real Swedish text; a PNG for DOCX; identical bytes for identical data."""

import struct
import xml.etree.ElementTree as ET

import pytest

from trygg.documents.model import Figure
from trygg.indicators.analysis import NBSP, share_interval
from trygg.indicators.charts import (
    PNG_DPI,
    WIDTH_IN,
    category_counts_chart,
    line_chart_rates,
    ntu_chart,
    ntu_gender_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
YEARS = range(2014, 2024)
KUNGALV = list(zip(YEARS, [8900, 8700, 8800, 8600, 8400, 8500, 9700, 9500, 8600, 7812], strict=True))
RIKET = list(zip(YEARS, [15100, 15300, 15000, 14800, 14700, 15200, 15000, 14400, 14100, 14050], strict=True))
NTU = {
    "Kungälvs kommun": [(2021, 19, 15, 23), (2022, 20, 17, 24), (2023, 23, 19, 27)],
    "Polisregion Väst": [(2021, 27, 26, 28), (2022, 28, 27, 29), (2023, 29, 28, 30)],
    "Riket": [
        (2021, share_interval(26, 0.5)),
        (2022, share_interval(27, 0.5)),
        (2023, share_interval(28, 0.5)),
    ],
}


@pytest.fixture(scope="module")
def rates_chart():
    return line_chart_rates({"Kungälv": KUNGALV, "Riket": RIKET}, title="Anmälda brott per 100 000 invånare")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own chart output, parsed to check it is well-formed


def svg_texts(svg: str) -> list[str]:
    root = parse(svg)
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_svg_is_well_formed_with_title_and_description_first(rates_chart):
    root = parse(rates_chart.svg)
    assert root.tag == f"{SVG}svg"
    title, desc = list(root)[:2]
    assert (title.tag, title.text) == (f"{SVG}title", "Anmälda brott per 100 000 invånare")
    assert (desc.tag, desc.text) == (f"{SVG}desc", rates_chart.description)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_svg_is_a_bare_element_without_scripts_or_metadata(rates_chart):
    assert rates_chart.svg.startswith("<svg")
    root = parse(rates_chart.svg)
    local_names = {el.tag.split("}")[-1] for el in root.iter()}
    assert not local_names & {"script", "foreignObject", "metadata"}
    assert "<?xml" not in rates_chart.svg and "DOCTYPE" not in rates_chart.svg


def test_description_summarises_the_data(rates_chart):
    assert rates_chart.description == (
        f"Linjediagram: anmälda brott per 100 000 invånare 2014–2023, Kungälv jämfört med Riket. "
        f"Kungälv 2023: 7{NBSP}812; Riket 2023: 14{NBSP}050."
    )


def test_text_is_real_swedish_text_with_swedish_numbers(rates_chart):
    texts = svg_texts(rates_chart.svg)
    assert "Källa: Brå" in texts
    assert "Anmälda brott per 100 000 invånare" in texts
    assert {"Kungälv", "Riket"} <= set(texts)
    assert {str(year) for year in YEARS} <= set(texts)  # years never get a thousands space
    assert f"10{NBSP}000" in texts  # y axis: space as thousands separator
    assert not [t for t in texts if "," in t and t.replace(",", "").isdigit()]  # no English "10,000"


def test_png_is_a_png_at_a4_text_width(rates_chart):
    width, height = png_size(rates_chart.png)
    assert width == round(WIDTH_IN * PNG_DPI)
    assert 0.4 < height / width < 0.8
    assert 10_000 < len(rates_chart.png) < 400_000


def test_same_data_gives_identical_output(rates_chart):
    again = line_chart_rates({"Kungälv": KUNGALV, "Riket": RIKET}, title="Anmälda brott per 100 000 invånare")
    assert again.svg == rates_chart.svg
    assert again.png == rates_chart.png


def test_different_charts_get_different_element_ids(rates_chart):
    other = line_chart_rates({"Kungälv": KUNGALV}, title="Bara Kungälv")
    assert parse(other.svg)[0].get("id") != parse(rates_chart.svg)[0].get("id")


def test_to_figure_gives_the_document_model_figure(rates_chart):
    figure = rates_chart.to_figure("Nedan graf visar anmälda brott per 100 000 invånare.")
    assert isinstance(figure, Figure)
    assert figure.caption == "Nedan graf visar anmälda brott per 100 000 invånare."
    assert figure.alt == f"{rates_chart.description} Källa: Brå"  # the source is drawn in the chart …
    assert figure.source == ""  # … so the renderers must not print it a second time
    assert (figure.svg, figure.png) == (rates_chart.svg, rates_chart.png)
    assert rates_chart.to_figure().caption == rates_chart.title


def test_category_chart_lists_every_category():
    series = {
        "Våldsbrott": [(2022, 520), (2023, 545)],
        "Stöld- och tillgreppsbrott": [(2022, 1230), (2023, 1105)],
        "Skadegörelsebrott (inkl. mordbrand)": [(2022, 430), (2023, None)],
    }
    chart = category_counts_chart(series)
    texts = svg_texts(chart.svg)
    assert set(series) <= set(texts)
    assert "Antal anmälda brott" in texts
    assert chart.description == (
        f"Linjediagram: antal anmälda brott per brottskategori 2022–2023. Våldsbrott 2023: 545; "
        f"Stöld- och tillgreppsbrott 2023: 1{NBSP}105; Skadegörelsebrott (inkl. mordbrand) 2022: 430."
    )


def test_ntu_chart_shows_regions_and_margins():
    chart = ntu_chart(NTU)
    texts = svg_texts(chart.svg)
    assert {"Kungälvs kommun", "Polisregion Väst", "Riket", "Andel (%)"} <= set(texts)
    assert chart.source.startswith("Källa: Brå")
    assert "Kungälvs kommun 2023: 23 procent (felmarginal 19–27)" in chart.description
    assert "Riket 2023: 28 procent (felmarginal 27,5–28,5)" in chart.description
    png_size(chart.png)


def test_ntu_gender_chart():
    chart = ntu_gender_chart(
        {
            "Kvinnor": [(2022, 28, 24, 32), (2023, 31, 27, 36)],
            "Män": [(2022, 12, 9, 16), (2023, None, None, None)],
        }
    )
    texts = svg_texts(chart.svg)
    assert {"Kvinnor", "Män"} <= set(texts)
    assert "Män 2022: 12 procent (felmarginal 9–16)" in chart.description  # the latest year with data


def test_ntu_point_without_interval_is_drawn_without_margin():
    chart = ntu_chart({"Kungälv": [(2022, 20), (2023, 23)]})
    assert chart.description.endswith("Kungälv 2023: 23 procent.")


@pytest.mark.parametrize(
    "call",
    [
        lambda: line_chart_rates({}),
        lambda: category_counts_chart({"Våldsbrott": []}),
        lambda: ntu_chart({}),
    ],
)
def test_empty_data_is_refused_in_swedish(call):
    with pytest.raises(ValueError, match="Diagrammet saknar data"):
        call()


def test_malformed_ntu_point_is_refused():
    with pytest.raises(ValueError, match="Ogiltig punkt i serien Kungälv"):
        ntu_chart({"Kungälv": [(2023, 20, 17)]})


def test_svg_survives_the_document_renderers_clean_up(rates_chart):
    from trygg.documents.svg import prepare_svg

    cleaned = prepare_svg(rates_chart.svg, alt=rates_chart.description, id_prefix="fig1-")
    assert cleaned.startswith("<svg")
    assert "Källa: Brå" in cleaned
    assert 'aria-label="Linjediagram: anmälda brott' in cleaned
