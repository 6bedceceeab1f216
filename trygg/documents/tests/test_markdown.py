from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.documents.html import render_blocks_html
from trygg.documents.markdown import parse_markdown, runs_text, to_plain_text
from trygg.documents.model import BulletList, Paragraph, Run


def test_it_keeps_bold_italic_and_underline_as_run_flags():
    [paragraph] = parse_markdown("Vi har **fortsatt** arbetet *enligt plan* med ^^Stöld ur motorfordon^^.")
    assert paragraph.runs == [
        Run("Vi har "),
        Run("fortsatt", bold=True),
        Run(" arbetet "),
        Run("enligt plan", italic=True),
        Run(" med "),
        Run("Stöld ur motorfordon", underline=True),
        Run("."),
    ]


def test_it_combines_nested_emphasis():
    [paragraph] = parse_markdown("**fet och ^^understruken^^**")
    assert paragraph.runs == [Run("fet och ", bold=True), Run("understruken", bold=True, underline=True)]


def test_nested_bullet_lists_become_children_three_levels_deep():
    [lst] = parse_markdown("- a\n  - b\n    - c\n- d")
    assert isinstance(lst, BulletList) and not lst.ordered
    a, d = lst.items
    assert runs_text(a.runs) == "a" and runs_text(d.runs) == "d"
    assert runs_text(a.children[0].runs) == "b"
    assert runs_text(a.children[0].children[0].runs) == "c"
    assert d.children == []


def test_ordered_list_keeps_its_start_number_and_nested_ordered_lists_are_marked():
    [first, second] = parse_markdown("3. tre\n4. fyra\n\n---\n\n- punkt\n\n  1. ett\n  2. två")
    assert first.ordered and first.start == 3 and len(first.items) == 2
    assert not second.ordered
    assert second.items[0].children_ordered
    assert [runs_text(i.runs) for i in second.items[0].children] == ["ett", "två"]


def test_loose_list_item_with_two_paragraphs_keeps_both_on_separate_lines():
    [lst] = parse_markdown("- första stycket\n\n  andra stycket\n- nästa")
    assert runs_text(lst.items[0].runs) == "första stycket\nandra stycket"


def test_raw_html_is_kept_as_literal_text():
    blocks = parse_markdown(
        "Text <script>alert(1)</script> och <img src=x onerror=alert(1)>\n\n<div>block</div>"
    )
    assert [runs_text(b.runs) for b in blocks] == [
        "Text <script>alert(1)</script> och <img src=x onerror=alert(1)>",
        "<div>block</div>",
    ]


def test_heading_becomes_bold_paragraph_and_quote_its_text():
    heading, quote = parse_markdown("## Rubrik\n\n> citat")
    assert heading.runs == [Run("Rubrik", bold=True)]
    assert quote.runs == [Run("citat")]


def test_links_show_their_text_and_address_once():
    [p] = parse_markdown(
        "Se [hemsidan](https://www.kungalv.se/droger) eller <https://polisen.se> och <info@kungalv.se>"
    )
    assert runs_text(p.runs) == (
        "Se hemsidan (https://www.kungalv.se/droger) eller https://polisen.se och info@kungalv.se"
    )


def test_images_are_reduced_to_their_alt_text_and_never_fetched():
    [p] = parse_markdown("![karta över Kode](http://example.org/karta.png)")
    assert runs_text(p.runs) == "karta över Kode"


def test_code_is_plain_text_and_line_breaks_are_kept():
    [p] = parse_markdown("Kör `<b>x</b>` nu\nsamma rad  \nny rad")
    assert runs_text(p.runs) == "Kör <b>x</b> nu samma rad\nny rad"


def test_entities_are_decoded_only_when_complete():
    [p] = parse_markdown("R&amp;D, AT&T och &para utan semikolon, &lt;b&gt;")
    assert runs_text(p.runs) == "R&D, AT&T och &para utan semikolon, <b>"


def test_empty_or_blank_input_gives_no_blocks():
    assert parse_markdown("") == []
    assert parse_markdown("  \n\n ") == []


def test_control_characters_are_dropped():
    [p] = parse_markdown("a\x00b\x0bc")
    assert runs_text(p.runs) == "abc"


def test_to_plain_text_indents_nested_items_and_numbers_ordered_ones():
    blocks = parse_markdown("Inledning\n\n- a\n  1. ett\n  2. två\n- b")
    assert to_plain_text(blocks) == "Inledning\n- a\n  1. ett\n  2. två\n- b"
    assert to_plain_text([Paragraph([Run("x", bold=True), Run("y")])]) == "xy"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)


MARKDOWNISH = st.lists(
    st.sampled_from(list("ab <>/=\"'&;*_^-`#[]()!\n 1.:") + ["script", "img", "onerror", "&lt;", "  - "])
).map("".join)


@settings(max_examples=150, deadline=None)
@given(MARKDOWNISH)
def test_any_input_renders_to_only_the_safe_subset_of_html(text):
    parser = _Tags()
    parser.feed(render_blocks_html(parse_markdown(text)))
    assert parser.tags <= {"p", "ul", "ol", "li", "strong", "em", "u", "br"}
    assert all(name == "start" for name, _ in parser.attrs)
