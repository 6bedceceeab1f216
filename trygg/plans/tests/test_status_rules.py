from datetime import date

import pytest

from trygg.plans.status_rules import Status, count_statuses, date_warnings, derived_status, parse_status

ON = date(2024, 2, 20)


def test_it_marks_overdue_unfinished_activity_delayed():
    assert derived_status(date(2023, 1, 1), date(2023, 12, 31), ON, Status.ONGOING) is Status.DELAYED


def test_it_keeps_finished_activity_finished_after_its_end():
    assert derived_status(date(2023, 1, 1), date(2023, 12, 31), ON, Status.DONE) is Status.DONE
    assert (
        derived_status(date(2023, 1, 1), date(2023, 6, 1), ON, Status.DONE_DEVIATION) is Status.DONE_DEVIATION
    )


def test_it_marks_activity_starting_after_the_follow_up_not_started():
    assert derived_status(date(2025, 1, 1), date(2027, 12, 31), ON) is Status.NOT_STARTED


def test_dates_imply_nothing_for_activity_within_its_period():
    assert derived_status(date(2023, 1, 1), date(2027, 12, 31), ON) is None
    assert derived_status(None, None, ON) is None


def test_end_on_the_follow_up_date_is_not_yet_delayed():
    assert derived_status(date(2023, 1, 1), ON, ON, Status.ONGOING) is None


def test_it_warns_when_status_contradicts_dates():
    late = date_warnings(Status.ONGOING, date(2023, 1, 1), date(2023, 12, 31), ON)
    assert len(late) == 1 and "Försenat" in late[0]
    early = date_warnings(Status.ONGOING, date(2025, 1, 1), date(2027, 12, 31), ON)
    assert len(early) == 1 and "Ej påbörjad" in early[0]
    wrong_delay = date_warnings(Status.DELAYED, date(2023, 1, 1), date(2027, 12, 31), ON)
    assert wrong_delay == ["Status ”Försenat” men planerat slutdatum har inte passerats."]


def test_it_does_not_warn_when_status_fits_dates():
    assert date_warnings(Status.ONGOING, date(2023, 1, 1), date(2027, 12, 31), ON) == []
    assert date_warnings(Status.DONE, date(2023, 1, 1), date(2023, 12, 31), ON) == []
    assert date_warnings(Status.DELAYED, date(2023, 1, 1), date(2023, 12, 31), ON) == []
    assert date_warnings(Status.NOT_STARTED, date(2025, 1, 1), None, ON) == []


def test_parse_status_rejects_unknown_code_in_swedish():
    with pytest.raises(ValueError, match="Okänd status ”klar”"):
        parse_status("klar")
    assert parse_status("done") is Status.DONE


def test_counts_follow_legend_order_and_skip_unreported():
    counts = count_statuses(["done", "done", "delayed", "", None, "ongoing"])
    assert counts.total == 4
    assert [s for s, _ in counts.items()] == list(Status)
    assert dict(counts.items())[Status.DONE] == 2
    assert dict(counts.items())[Status.NOT_STARTED] == 0
