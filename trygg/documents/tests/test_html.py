from __future__ import annotations

from html.parser import HTMLParser

from django.template import Context, Template

from trygg.documents.html import render_blocks_html, render_html
from trygg.documents.markdown import parse_markdown
from trygg.documents.model import Paragraph, Run, Symbol
from trygg.documents.symbols import STYLES, symbol_svg

from .conftest import IMG, SCRIPT


class Tree(HTMLParser):
    """Flat list of (tag, attrs, text inside) for every element — enough to check structure and escaping."""

    VOID = {"br", "img", "meta", "col", "link", "rect", "circle", "path", "use", "image"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index]["tag"] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        self.text.append(data)
        for element in self.open:
            element["text"] += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            e for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k.rstrip("_")) == v for k, v in attrs.items())
        ]  # fmt: skip


def _section_headings(tree: Tree) -> list[dict]:
    return [e for e in tree.elements if e["attrs"].get("id", "").startswith("avsnitt-")]


def test_headings_are_numbered_and_levelled_by_their_number(document):
    tree = Tree(render_html(document))
    headings = [(e["tag"], " ".join(e["text"].split())) for e in _section_headings(tree)]
    assert headings == [
        ("h1", "1 Inledning"),
        ("h1", "2 Sammanfattning"),
        ("h1", "3 Nulägesanalys"),
        ("h1", "4 Uppföljning av planens delområden"),
        ("h2", "4.1 Våld i nära relationer samt hedersrelaterat våld och förtryck"),
        ("h3", "4.1.1 Insats: Motverka våld i nära relation"),
    ]
    h3 = _section_headings(tree)[-1]
    assert h3["attrs"]["id"] == "avsnitt-4-1-1"
    # the italic title is inside <em>, the number is not
    em = tree.elements[tree.elements.index(h3) + 2]
    assert (em["tag"], em["text"]) == ("em", "Insats: Motverka våld i nära relation")
    assert [e["text"] for e in tree.find("h3", class_="subtitle")] == ["Beskrivning"]  # under the h2 "4.1"


def test_contents_links_to_every_heading_in_order(document):
    tree = Tree(render_html(document))
    nav = tree.find("nav", class_="toc")[0]
    assert "Innehållsförteckning" in nav["text"]
    links = [
        e["attrs"]["href"]
        for e in tree.elements
        if e["tag"] == "a" and e["attrs"].get("href", "").startswith("#")
    ]
    ids = [e["attrs"]["id"] for e in _section_headings(tree)]
    assert links == [f"#{i}" for i in ids]
    assert "4.1.1" in nav["text"]


def test_document_without_contents_has_no_toc(document):
    document.with_contents = False
    assert not Tree(render_html(document)).find("nav")


def test_user_text_is_escaped_and_never_becomes_markup(document):
    html = render_html(document)
    tree = Tree(html)
    assert not tree.find("script")
    assert not [
        e for e in tree.elements if e["tag"] == "img" or "onerror" in e["attrs"] or "onclick" in e["attrs"]
    ]
    text = "".join(tree.text)
    assert SCRIPT in text and IMG in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_status_table_shows_symbol_title_status_badge_and_comment(document):
    tree = Tree(render_html(document))
    table = tree.find("table", class_="status-table")[0]
    assert [e["text"] for e in tree.find("th", scope="col")][-2:] == ["Aktivitet", "Kommentar"]
    first_item = tree.find("th", scope="row")[0]
    assert "Fortsatt strukturerat arbete" in first_item["text"]
    index = tree.elements.index(first_item)
    inside = tree.elements[index : index + 12]
    [svg] = [e for e in inside if e["tag"] == "svg"]
    assert "symbol-check_green" in svg["attrs"]["class"]
    assert (svg["attrs"]["role"], svg["attrs"]["aria-label"]) == ("img", "Avslutat")
    assert [e["text"] for e in tree.find("span", class_="badge")] == ["Politiskt uppdrag"]
    assert [e["text"] for e in tree.find("span", class_="status-label")][:2] == [
        "Avslutat",
        "Avslutat med avvikelse",
    ]
    # the comment keeps the underlined sub-heading, bold, and the three list levels
    assert "Stöld ur motorfordon" in [e["text"] for e in tree.find("u")]
    assert "proaktivt" in [e["text"] for e in tree.find("strong")]
    assert "otrygga" in [e["text"] for e in tree.find("strong")]
    assert len(tree.find("ul")) >= 4  # 2 in section 1 + 3 nested in the comment
    assert "polisens lokala Facebook" in table["text"]


def test_legend_pairs_each_symbol_with_its_text(document):
    tree = Tree(render_html(document))
    legend = tree.find("ul", class_="legend")[0]
    symbols = [
        e["attrs"]["class"]
        for e in tree.elements
        if e["tag"] == "svg" and "symbol" in e["attrs"].get("class", "")
    ]
    assert symbols[:6] == [f"symbol symbol-{s.value}" for s in STYLES]
    assert "Streck = Ej påbörjad" in legend["text"]
    assert "Försenat, rött utropstecken" in legend["text"]


def test_figure_svg_is_cleaned_labelled_and_captioned(document):
    html = render_html(document)
    tree = Tree(html)
    figure = tree.find("figure")[0]
    chart = [e for e in tree.elements if e["tag"] == "svg" and e["attrs"].get("role") == "img"][0]
    assert chart["attrs"]["aria-label"] == "Stapeldiagram: anmälda brott minskar 2020–2023"
    assert tree.find("title")[1]["text"] == "Stapeldiagram: anmälda brott minskar 2020–2023"
    assert "alert('chart')" not in html and "onclick" not in html
    assert "example.org" not in html  # the external image reference is gone
    assert 'id="fig1-clip1"' in html and "url(#fig1-clip1)" in html
    assert "Anmälda brott per 100 000 invånare" in figure["text"] and "Källa: Brå" in figure["text"]


def test_print_html_has_page_number_css_and_charts_as_images_with_alt(document):
    html = render_html(document, for_print=True)
    assert "target-counter(attr(href), page)" in html
    assert 'content: "Sida " counter(page) " av " counter(pages)' in html
    img = Tree(html).find("img", class_="chart")[0]
    assert img["attrs"]["alt"] == "Stapeldiagram: anmälda brott minskar 2020–2023"
    assert img["attrs"]["src"].startswith("data:image/svg+xml;base64,")


def test_fragment_for_web_pages_is_an_article_without_page_or_css(document):
    html = render_html(document, standalone=False)
    assert html.lstrip().startswith("<article")
    assert "<html" not in html and "<style" not in html


def test_generic_table_marks_numeric_columns_and_has_caption(document):
    tree = Tree(render_html(document))
    table = tree.find("table", class_="data-table")[0]
    assert tree.find("caption")[0]["text"] == "Anmälda brott i Kungälv"
    assert [e["text"] for e in tree.find("td", class_="num")] == ["8 123", "7 456"]
    assert "2022" in table["text"]


def test_render_blocks_html_escapes_and_keeps_lists():
    html = render_blocks_html(parse_markdown("**Obs** <b>x</b>\n\n1. a\n2. b"))
    assert html == "<p><strong>Obs</strong> &lt;b&gt;x&lt;/b&gt;</p><ol><li>a</li><li>b</li></ol>"
    assert render_blocks_html([Paragraph([Run("rad 1\nrad 2 & mer")])]) == "<p>rad 1<br>rad 2 &amp; mer</p>"


def test_richtext_filter_renders_markdown_safely():
    template = Template("{% load documents %}<div>{{ comment|richtext }}</div>")
    html = template.render(Context({"comment": "- ^^Viktigt^^\n  - <script>x</script>"}))
    assert (
        html == "<div><ul><li><u>Viktigt</u><ul><li>&lt;script&gt;x&lt;/script&gt;</li></ul></li></ul></div>"
    )
    assert template.render(Context({"comment": None})) == "<div></div>"


def test_symbol_svg_label_is_escaped_and_unlabelled_symbols_are_decorative():
    labelled = symbol_svg(Symbol.DOT_GREEN, '"><script>x</script>')
    assert "<script" not in labelled and 'aria-label="&quot;&gt;&lt;script&gt;' in labelled
    assert 'aria-hidden="true"' in symbol_svg(Symbol.CHECK_RED)
    assert symbol_svg(Symbol.NONE) == ""
