from trygg.documents.model import Cover, Document, Section
from trygg.documents.walk import clean_text, outline, source_line


def test_outline_levels_come_from_numbers_and_depth_for_unnumbered_sections():
    doc = Document(
        Cover("Kommun", "Titel"),
        [
            Section(
                "1", "Ett", subsections=[Section("1.1", "Ett ett", subsections=[Section("1.1.1", "Djup")])]
            ),
            Section("", "Bilaga", subsections=[Section("", "Underbilaga")]),
        ],
    )
    assert [(e.level, e.label, e.anchor) for e in outline(doc)] == [
        (1, "1 Ett", "avsnitt-1"),
        (2, "1.1 Ett ett", "avsnitt-1-1"),
        (3, "1.1.1 Djup", "avsnitt-1-1-1"),
        (1, "Bilaga", "avsnitt-4"),
        (2, "Underbilaga", "avsnitt-5"),
    ]


def test_outline_anchors_stay_unique_when_numbers_repeat():
    doc = Document(Cover("K", "T"), [Section("2", "A"), Section("2", "B")])
    anchors = [e.anchor for e in outline(doc)]
    assert len(set(anchors)) == 2


def test_source_line_adds_kalla_once():
    assert source_line("Brå") == "Källa: Brå"
    assert source_line("Källa: Brå, NTU") == "Källa: Brå, NTU"
    assert source_line("  ") == ""


def test_clean_text_keeps_newlines_and_tabs_but_drops_other_controls():
    assert clean_text("a\tb\nc\x00\x07\x1fd") == "a\tb\ncd"
