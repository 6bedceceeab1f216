"""Documents and charts work under a Content-Security-Policy without 'unsafe-inline': no style attribute and
no <style> element anywhere in their HTML, CSS turned into SVG presentation attributes with its cascade."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from trygg.documents.html import render_html
from trygg.documents.model import Cover, Document, Figure, Section
from trygg.documents.svg import prepare_svg, presentation_attributes
from trygg.indicators import charts
from trygg.indicators.analysis import ShareEstimate

from .conftest import make_document, tiny_png

INLINE_CSS = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)

# What matplotlib writes: a <style> element with a universal rule and style attributes on every element.
MATPLOTLIB_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" viewBox="0 0 100 50">
 <defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>
 <g id="figure_1">
  <path d="M 0 0 L 100 0" style="fill: none; stroke: #0072b2; stroke-width: 2.2; stroke-linecap: square"/>
  <text x="5" y="40" style="font-size: 9px; font-family: 'DejaVu Sans', sans-serif; text-anchor: middle">2023</text>
 </g>
</svg>"""

SVG = "{http://www.w3.org/2000/svg}"


def _element(svg: str, tag: str) -> etree._Element:
    return etree.fromstring(svg.encode()).find(f".//{SVG}{tag}")


def test_matplotlib_style_attributes_become_presentation_attributes():
    svg = presentation_attributes(MATPLOTLIB_SVG)
    assert not INLINE_CSS.search(svg)
    path = _element(svg, "path")
    assert (path.get("fill"), path.get("stroke"), path.get("stroke-width")) == ("none", "#0072b2", "2.2")
    assert path.get("stroke-linecap") == "square"  # the inline style wins over the <style> rule
    text = _element(svg, "text")
    assert text.get("font-size") == "9px" and text.get("text-anchor") == "middle"
    assert text.get("font-family") == "'DejaVu Sans', sans-serif"
    # the universal rule reaches every drawn element: set once where it is inherited from
    root = etree.fromstring(svg.encode())
    assert root.get("stroke-linejoin") == "round" and root.get("stroke-linecap") == "butt"
    assert path.get("stroke-linejoin") is None  # inherited from the root, same value


def test_style_rules_keep_the_css_cascade():
    svg = presentation_attributes(
        '<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: red } .a { fill: green } #b { fill: blue }'
        " circle, .c { stroke: black; behavior: url(x.htc) } g > rect { fill: pink }</style>"
        '<rect fill="yellow"/><rect class="a"/><rect id="b" class="a"/><rect id="b2" class="a" style="fill: #fff"/>'
        '<circle/><g stroke="none"><path class="c" stroke="white"/></g></svg>'
    )
    root = etree.fromstring(svg.encode())
    rects = root.findall(f"{SVG}rect")
    # a rule overrides the presentation attribute; class beats tag, id beats class; inline beats all
    assert [r.get("fill") for r in rects] == ["red", "green", "blue", "#fff"]
    assert root.find(f"{SVG}circle").get("stroke") == "black"
    assert root.find(f".//{SVG}path").get("stroke") == "black"
    assert "behavior" not in svg and "pink" not in svg  # not a presentation attribute; unsupported selector
    assert not INLINE_CSS.search(svg)


def test_prepared_chart_in_a_document_has_no_inline_css():
    html = prepare_svg(MATPLOTLIB_SVG, alt="Linjediagram: 2023 5 432", id_prefix="f1-")
    assert not INLINE_CSS.search(html) and 'stroke="#0072b2"' in html


@pytest.mark.parametrize("standalone", [True, False])
def test_document_html_for_the_web_has_no_style_attribute_or_element(standalone):
    doc = make_document()
    doc.sections.append(
        Section(
            "5",
            "Diagram",
            blocks=[Figure(svg=MATPLOTLIB_SVG, png=tiny_png(), caption="Brott", alt="Brott 2023: 5 432")],
        )
    )
    html = render_html(doc, standalone=standalone)
    assert not INLINE_CSS.search(html), INLINE_CSS.search(html)
    assert 'stroke="#0072b2"' in html  # the chart is inline and keeps its look
    if standalone:
        assert re.search(r'<link rel="stylesheet" href="/static/documents/document\.css">', html)
        assert '<body class="document-page">' in html


def test_the_page_layout_rule_moved_to_the_static_stylesheet():
    from trygg.documents.html import stylesheet

    assert ".document-page {" in stylesheet("document.css")


def test_print_html_still_carries_its_css_for_weasyprint():
    doc = Document(Cover("Kommun", "Titel"), [Section("1", "Ett")])
    assert "<style>" in render_html(doc, for_print=True)  # never served to a browser
    assert "<style" not in render_html(doc, for_print=True, inline_css=False)


def test_every_statistics_chart_is_free_of_inline_css():
    rates = {"Kungälv": [(2021, 5100.0), (2022, 4900.0), (2023, 4500.0)], "Riket": [(2023, 6800.0)]}
    shares = {"Kungälv": [(2022, ShareEstimate(21.0, 18.0, 24.0)), (2023, ShareEstimate(19.0, 16.0, 22.0))]}
    made = [
        charts.line_chart_rates(rates),
        charts.category_counts_chart({"Stöld": [(2022, 300.0), (2023, 280.0)], "Våld": [(2023, 90.0)]}),
        charts.ntu_chart(shares),
        charts.ntu_gender_chart({"Kvinnor": [(2023, 25.0, 22.0, 28.0)], "Män": [(2023, 12.0, 10.0, 14.0)]}),
    ]
    for chart in made:
        assert not INLINE_CSS.search(chart.svg), (chart.title, INLINE_CSS.search(chart.svg))
        root = etree.fromstring(chart.svg.encode())
        assert root.get("role") == "img" and root.find(f"{SVG}desc").text == chart.description
        fills = {el.get("fill") for el in root.iter() if el.get("fill")}
        assert "#0072b2" in fills or "#E69F00".lower() in fills  # the palette survived as attributes
        texts = [el for el in root.iter(f"{SVG}text")]
        assert texts and all(el.get("font-size") or el.getparent().get("font-size") for el in texts)
