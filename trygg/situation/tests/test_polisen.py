"""The Polisen events importer, on the real saved feed (../shared/data) and on edge cases derived from it."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from trygg.situation.models import Incident
from trygg.situation.polisen import (
    STOCKHOLM,
    PolisenFormatError,
    belongs_to,
    import_events,
    infer_occurred,
    parse_event,
    parse_events,
    parse_published,
)

from .conftest import POLISEN_FILE


@pytest.fixture(scope="module")
def feed() -> list[dict]:
    return json.loads(POLISEN_FILE.read_text(encoding="utf-8"))


def by_id(feed, event_id: int) -> dict:
    return copy.deepcopy(next(e for e in feed if e["id"] == event_id))


def test_every_event_of_the_real_file_parses(feed):
    events = parse_events(feed)
    assert len(events) == len(feed) == 500
    assert all(e.occurred.tzinfo is not None for e in events)
    # Events happen before (or at most a day after) they are published: the inferred year is right.
    assert all(e.occurred <= e.published + dt.timedelta(days=1) for e in events)
    assert all(e.published - e.occurred < dt.timedelta(days=30) for e in events)


def test_year_wraps_for_an_event_of_31_december_published_on_1_january(feed):
    raw = by_id(feed, 480687)  # "31 december 00.07, Brand, Nacka", published 2024-01-01 0:40
    event = parse_event(raw)
    assert event.published.year == 2024
    assert event.occurred == dt.datetime(2023, 12, 31, 0, 7, tzinfo=STOCKHOLM)


def test_year_is_the_publication_year_when_no_wrap_is_needed():
    published = parse_published("2024-01-02 9:15:00 +01:00")
    assert infer_occurred("2 januari 08.30", published) == dt.datetime(2024, 1, 2, 8, 30, tzinfo=STOCKHOLM)
    assert infer_occurred("30 december 23.59", published) == dt.datetime(
        2023, 12, 30, 23, 59, tzinfo=STOCKHOLM
    )


def test_a_leap_day_is_placed_in_the_leap_year_and_an_impossible_date_is_refused():
    published = parse_published("2024-03-01 10:00:00 +01:00")
    assert infer_occurred("29 februari 10.00", published).date() == dt.date(2024, 2, 29)
    published = parse_published("2025-03-01 10:00:00 +01:00")
    assert infer_occurred("29 februari 10.00", published).date() == dt.date(2024, 2, 29)
    with pytest.raises(PolisenFormatError):
        infer_occurred("30 februari 10.00", published)
    with pytest.raises(PolisenFormatError):
        infer_occurred("3 brumaire 10.00", published)


def test_county_level_rows_of_the_real_file_are_county_level_and_not_kungalv(feed):
    events = parse_events(feed)
    county = [e for e in events if e.location_name == "Västra Götalands län"]
    assert len(county) >= 10
    assert all(e.is_county_level for e in county)
    assert not any(belongs_to(e, "Kungälv") for e in county)
    kungalv = [e for e in events if belongs_to(e, "Kungälv")]
    assert [e.id for e in kungalv] == [479917]


def test_importing_the_real_file_keeps_only_kungalv_and_never_plots_the_centroid(kungalv, feed):
    result = import_events(feed)
    assert (result.created, result.duplicates, result.other_places) == (1, 0, 499)
    assert result.by_municipality == {"Kungälv": 1}
    incident = Incident.objects.get()
    assert incident.external_id == "polisen:479917"
    assert incident.occurred_from == dt.datetime(2023, 12, 28, 15, 42, tzinfo=STOCKHOLM)
    assert incident.category.slug == "ovrigt"  # "Bedrägeri" is not in the lägesbild taxonomy
    assert incident.location_precision == Incident.Precision.MUNICIPALITY
    assert incident.lat is None and incident.h3_r8 is None  # the gps is Kungälv's centroid, not a place
    assert incident.source_organisation.kind == "police"
    assert (
        incident.external_url
        == "https://polisen.se/aktuellt/handelser/2023/december/28/28-december-15.42-bedrageri-kungalv/"
    )
    assert not Incident.objects.mappable().exists()


def test_reimporting_the_same_file_creates_nothing(kungalv, feed):
    import_events(feed)
    again = import_events(feed)
    assert (again.created, again.duplicates) == (0, 1)
    assert Incident.objects.count() == 1


def test_a_county_located_event_whose_title_names_the_municipality_is_kept_at_county_level(kungalv, feed):
    # Since 2026 most events carry only the county in location.name; the municipality is the title's last part.
    raw = by_id(feed, 479747)
    raw.update(
        id=999001,
        name="28 december 10.00, Skadegörelse, Kungälv",
        type="Skadegörelse",
        summary="Klotter på en skola.",
    )
    result = import_events([raw])
    assert result.created == 1
    incident = Incident.objects.get(external_id="polisen:999001")
    assert incident.location_precision == Incident.Precision.COUNTY
    assert incident.category.slug == "skadegorelse"
    assert incident.lat is None


def test_an_event_naming_one_of_our_places_is_stored_at_that_place(kungalv, feed):
    raw = by_id(feed, 479917)
    raw.update(
        id=999002,
        type="Misshandel",
        name="28 december 22.10, Misshandel, Kungälv",
        summary="En man misshandlades vid Kode busstation under kvällen.",
    )
    import_events([raw])
    incident = Incident.objects.get(external_id="polisen:999002")
    assert incident.place.name == "Kode busstation"
    assert incident.location_precision == Incident.Precision.PLACE
    assert incident.h3_r8 == incident.place.h3_r8
    assert incident.category.slug == "hot-och-vald"


def test_a_summary_of_the_night_is_kept_off_the_map_even_when_it_names_a_place(kungalv, feed):
    raw = by_id(feed, 480154)  # "Sammanfattning natt, Västra Götalands län"
    raw.update(
        id=999003,
        name="29 december 07.00, Sammanfattning natt, Kungälv",
        location={"name": "Kungälv", "gps": "57.869754,11.974032"},
        summary="Bråk vid Nordmannatorget, brand i Kode och stöld i Ytterby.",
    )
    import_events([raw])
    incident = Incident.objects.get(external_id="polisen:999003")
    assert incident.place is None
    assert incident.location_precision == Incident.Precision.NONE
    assert not Incident.objects.mappable().filter(pk=incident.pk).exists()


def test_personal_data_in_a_summary_is_redacted(kungalv, feed):
    raw = by_id(feed, 479917)
    raw.update(id=999004, summary="Bil med reg.nr ABC 123 stoppad, ring 070-123 45 67.")
    import_events([raw])
    description = Incident.objects.get(external_id="polisen:999004").description
    assert "ABC 123" not in description and "070-123 45 67" not in description
    assert "[borttaget: registreringsnummer]" in description


def test_a_bad_row_stops_the_import_before_anything_is_written(kungalv, feed):
    good = by_id(feed, 479917)
    bad = by_id(feed, 480687)
    bad["name"] = "Brand i Nacka"  # no "date, type, place"
    with pytest.raises(PolisenFormatError, match="Rad 2"):
        import_events([good, bad])
    assert not Incident.objects.exists()


@pytest.mark.parametrize("data", [{"id": 1}, [1, 2], [{"id": "x", "datetime": "igår", "name": "a, b, c"}]])
def test_malformed_feeds_are_refused_with_a_swedish_message(kungalv, data):
    with pytest.raises(PolisenFormatError) as info:
        import_events(data)
    assert any(word in str(info.value) for word in ("JSON", "Rad", "fält", "datum"))


def test_the_import_command_reads_the_real_file(kungalv, capsys):
    call_command("import_polisen", str(POLISEN_FILE))
    assert "1 nya händelser" in capsys.readouterr().out
    assert Incident.objects.filter(origin=Incident.Origin.POLISEN).count() == 1


def test_the_import_command_reports_a_missing_file(kungalv, tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("import_polisen", str(tmp_path / "saknas.json"))


def test_the_import_command_reports_broken_json_in_swedish(kungalv, tmp_path):
    broken = tmp_path / "trasig.json"
    broken.write_text('[{"id": 1', encoding="utf-8")
    with pytest.raises(CommandError, match="inte giltig JSON .fel på rad 1") as info:
        call_command("import_polisen", str(broken))
    assert "Expecting" not in str(info.value)


def _event(feed, event_id: int, place: str, summary: str = "Klotter på en vägg.") -> dict:
    raw = by_id(feed, 479747)
    raw.update(
        id=event_id,
        name=f"28 december 10.00, Skadegörelse, {place}",
        type="Skadegörelse",
        summary=summary,
        location={"name": "Västra Götalands län", "gps": "58.25,13.0"},
    )
    return raw


def test_each_event_goes_to_the_hosted_municipality_it_falls_in_and_county_events_to_none(kungalv, ale, feed):
    result = import_events(
        [
            _event(feed, 999101, "Kungälv"),
            _event(feed, 999102, "Ale", "Klotter vid Ale torg."),
            _event(feed, 999103, "Västra Götalands län"),
            _event(feed, 999104, "Lerum"),
        ]
    )
    assert (result.created, result.other_places) == (2, 2)
    assert Incident.objects.get(external_id="polisen:999101").municipality == kungalv
    in_ale = Incident.objects.get(external_id="polisen:999102")
    assert in_ale.municipality == ale and in_ale.place.name == "Ale torg"
    assert not Incident.objects.filter(external_id__in=["polisen:999103", "polisen:999104"]).exists()
    # one audit row per municipality and import, naming the source and the count
    from trygg.accounts.models import AuditEvent

    rows = AuditEvent.objects.filter(action="incident.bulk_create")
    assert sorted(r.object_id for r in rows) == sorted([str(kungalv.pk), str(ale.pk)])
    assert all(r.changes["incidents"] == [None, 1] for r in rows)


def test_the_same_police_id_may_exist_once_per_municipality(kungalv, ale, feed):
    from trygg.situation.actions import do_bulk_create_incidents

    import_events([_event(feed, 999201, "Kungälv")])
    row = Incident.objects.values(
        "category_id", "occurred_from", "location_precision", "origin", "external_id"
    ).get()
    created, _ = do_bulk_create_incidents(ale, [row], acting_user=None, source="test")
    assert created[0].municipality == ale
    assert Incident.objects.filter(external_id="polisen:999201").count() == 2
    again = import_events([_event(feed, 999201, "Kungälv")])
    assert (again.created, again.duplicates) == (0, 1)


def test_the_import_command_can_be_limited_to_one_municipality(kungalv, ale, feed, tmp_path):
    path = tmp_path / "handelser.json"
    path.write_text(
        json.dumps([_event(feed, 999301, "Kungälv"), _event(feed, 999302, "Ale")]), encoding="utf-8"
    )
    call_command("import_polisen", str(path), "--code", "1440")
    assert list(Incident.objects.values_list("external_id", flat=True)) == ["polisen:999302"]
    with pytest.raises(CommandError, match="finns inte i installationen"):
        call_command("import_polisen", str(path), "--code", "0180")
