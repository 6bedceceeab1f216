from trygg.indicators.suppression import format_number, suppress, suppress_all, suppression_note


def test_counts_below_the_threshold_are_hidden_and_say_so():
    shown = suppress(4, 5)
    assert (shown.text, shown.value, shown.suppressed) == ("<5", None, True)
    assert suppress(5, 5).text == "5"
    assert suppress(0, 5).suppressed  # zero is a count too
    assert suppression_note(5) == "Värden under 5 redovisas inte."


def test_the_threshold_comes_from_settings(settings):
    settings.TRYGG_SUPPRESS_BELOW = 10
    assert suppress(9).text == "<10"
    assert suppress(10).text == "10"
    assert suppression_note() == "Värden under 10 redovisas inte."


def test_rates_and_shares_are_not_suppressed_and_missing_stays_missing():
    assert suppress(2.5, 5, is_count=False).text == "2,5"
    assert suppress(None, 5).text == ".."
    assert not suppress(None, 5).suppressed


def test_suppress_all_adds_the_note_only_when_something_was_hidden():
    shown, note = suppress_all([89, 63, 1, 4, 22], 5)
    assert [s.text for s in shown] == ["89", "63", "<5", "<5", "22"]
    assert note == "Värden under 5 redovisas inte."
    assert suppress_all([89, 63], 5)[1] == ""


def test_numbers_are_formatted_the_swedish_way():
    assert format_number(1503399) == "1\u00a0503\u00a0399"
    assert format_number(12.34) == "12,3"
    assert format_number(-3) == "−3"
