from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.lib.text import BIDI_CONTROLS, NotANumber, clean_text, has_unsafe_characters, parse_decimal


@pytest.mark.parametrize("char", ["\x00", *BIDI_CONTROLS])
def test_nul_and_every_bidi_control_are_removed(char):
    text = f"Kungälv{char}s torg"
    assert has_unsafe_characters(text)
    assert clean_text(text) == "Kungälvs torg"
    assert not has_unsafe_characters(clean_text(text))


def test_other_text_is_kept_and_line_endings_become_newlines():
    assert clean_text("Rad 1\r\nRad 2\rRad 3\n– åäö ✓ \u200f") == "Rad 1\nRad 2\nRad 3\n– åäö ✓ \u200f"


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_nothing_unsafe(text):
    once = clean_text(text)
    assert clean_text(once) == once and not has_unsafe_characters(once)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("3,5", "3.5"),
        ("3.5", "3.5"),
        (" 1 234,5 ", "1234.5"),
        ("1\u00a0234", "1234"),
        ("\u22122,25", "-2.25"),
        ("59,33", "59.33"),
        (7, "7"),
        (0.1, "0.1"),
    ],
)
def test_numbers_written_the_swedish_or_english_way(raw, value):
    assert parse_decimal(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["", "tre", "1,2,3", "1.234,5", "NaN", "inf", True])
def test_what_is_not_a_number_gets_a_swedish_message(raw):
    with pytest.raises(NotANumber) as error:
        parse_decimal(raw)
    assert "tal" in str(error.value)
