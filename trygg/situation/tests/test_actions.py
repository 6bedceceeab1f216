"""Writes of the lägesbild: location rules, PII redaction before storage, audit rows, action status."""

from __future__ import annotations

import datetime as dt

import h3
import pytest

from trygg.accounts.models import AuditEvent
from trygg.places.models import Municipality, Place
from trygg.situation.actions import (
    SituationError,
    do_save_action,
    do_save_camera,
    do_save_focus_area,
    do_save_incident,
    do_save_meeting,
    do_set_action_status,
)
from trygg.situation.models import Action, CameraSite, Category, FocusArea, Incident, Meeting

from .conftest import at


def h3_cell(lat: float, lon: float, resolution: int) -> int:
    """The H3 cell as the h3 library computes it (an independent oracle for the stored columns)."""
    return h3.str_to_int(h3.latlng_to_cell(lat, lon, resolution))


PNR = "19121212-1212"  # Skatteverket's test personnummer, valid check digit


def new_incident(**fields) -> Incident:
    return Incident(
        municipality=Municipality.objects.get(code="1482"),
        category=Category.objects.get(slug="ungdomshang"),
        occurred_from=at("2024-05-03", 21),
        **fields,
    )


def test_an_incident_at_a_place_gets_the_place_location_and_cells(kungalv, personas):
    place = Place.objects.get(name="Komarken")
    incident, explanation = do_save_incident(
        new_incident(),
        place=place,
        lat=None,
        lon=None,
        description="Grupp ungdomar.",
        acting_user=personas["partner"],
    )
    incident.refresh_from_db()
    assert incident.location_precision == Incident.Precision.PLACE
    assert (incident.lat, incident.lon, incident.h3_r8) == (place.lat, place.lon, place.h3_r8)
    assert incident.district == place.district
    assert incident.reported_by == personas["partner"]
    assert incident.source_organisation == personas["partner"].organisation
    assert explanation == ""


def test_a_clicked_point_wins_over_the_place_and_is_checked_against_the_boundary(kungalv, personas):
    place = Place.objects.get(name="Komarken")
    incident, _ = do_save_incident(
        new_incident(), place=place, lat=57.8815, lon=11.9640, description="", acting_user=personas["partner"]
    )
    assert incident.location_precision == Incident.Precision.POINT
    assert incident.place == place and incident.lat == 57.8815
    assert incident.h3_r9 == h3_cell(57.8815, 11.9640, 9)
    with pytest.raises(SituationError, match="ligger utanför Kungälvs kommun"):
        do_save_incident(
            new_incident(),
            place=None,
            lat=57.7089,
            lon=11.9746,
            description="",
            acting_user=personas["partner"],
        )
    assert Incident.objects.count() == 1


def test_an_incident_needs_a_place_or_a_point(kungalv, personas):
    with pytest.raises(SituationError, match="Välj en plats"):
        do_save_incident(
            new_incident(), place=None, lat=None, lon=None, description="", acting_user=personas["partner"]
        )
    assert not Incident.objects.exists()


def test_personal_data_is_redacted_before_storage_and_explained(kungalv, personas):
    text = f"Ungdom med pnr {PNR} ringde från 070-123 45 67, mejla a.b@example.se. Bil ABC 123."
    incident, explanation = do_save_incident(
        new_incident(),
        place=Place.objects.get(name="Kode busstation"),
        lat=None,
        lon=None,
        description=text,
        acting_user=personas["partner"],
    )
    stored = Incident.objects.get(pk=incident.pk).description
    for secret in (PNR, "070-123 45 67", "a.b@example.se", "ABC 123"):
        assert secret not in stored
    assert "[borttaget: personnummer]" in stored
    assert explanation.startswith(
        "Vi tog bort 1 personnummer, 1 telefonnummer, 1 e-postadress och 1 registreringsnummer"
    )
    assert incident.redacted_kinds == "email,personnummer,phone,registration_number"
    audit = AuditEvent.objects.get(object_type="situation.incident")
    assert PNR not in str(audit.changes)


def test_editing_an_incident_records_only_the_changes(kungalv, personas):
    place = Place.objects.get(name="Komarken")
    incident, _ = do_save_incident(
        new_incident(),
        place=place,
        lat=None,
        lon=None,
        description="Första.",
        acting_user=personas["partner"],
    )
    incident.category = Category.objects.get(slug="skadegorelse")
    do_save_incident(
        incident, place=place, lat=None, lon=None, description="Första.", acting_user=personas["coordinator"]
    )
    update = AuditEvent.objects.get(action="incident.update")
    category_id = Category.objects.get(slug="skadegorelse").pk
    assert set(update.changes) == {"category"} and update.changes["category"][1] == category_id
    assert Incident.objects.get().reported_by == personas["partner"]  # the reporter stays


def test_a_time_window_must_not_end_before_it_starts(kungalv, personas):
    incident = new_incident(occurred_to=at("2024-05-03", 20))
    with pytest.raises(SituationError, match="Sluttiden"):
        do_save_incident(
            incident,
            place=Place.objects.first(),
            lat=None,
            lon=None,
            description="",
            acting_user=personas["partner"],
        )


def test_meeting_notes_are_redacted(kungalv, personas):
    meeting, explanation = do_save_meeting(
        Meeting(
            municipality=kungalv,
            date=dt.date(2024, 5, 7),
            kind=Meeting.Kind.LST_BIWEEKLY,
            notes="Ring 0303-21 00 00.",
        ),
        organisations=[personas["partner"].organisation],
        units=[],
        acting_user=personas["coordinator"],
    )
    assert "0303" not in Meeting.objects.get(pk=meeting.pk).notes
    assert "telefonnummer" in explanation
    assert list(meeting.organisations.all()) == [personas["partner"].organisation]


def test_a_focus_area_needs_a_place_or_district_and_gets_its_end(kungalv, personas):
    with pytest.raises(SituationError):
        do_save_focus_area(
            FocusArea(municipality=kungalv, problem="x", start=dt.date(2024, 5, 7), weeks=4), acting_user=None
        )
    area, _ = do_save_focus_area(
        FocusArea(
            municipality=kungalv,
            problem="Häng",
            place=Place.objects.get(name="Kode busstation"),
            start=dt.date(2024, 5, 7),
            weeks=6,
        ),
        acting_user=personas["partner"],
    )
    assert area.end == dt.date(2024, 6, 18)
    assert FocusArea.objects.active_on(dt.date(2024, 6, 17)).get() == area
    assert not FocusArea.objects.active_on(dt.date(2024, 6, 18)).exists()


def test_action_status_changes_are_audited_and_overdue_is_computed(kungalv, personas):
    action, _ = do_save_action(
        Action(municipality=kungalv, kind="guards", title="Väktare", due_date=dt.date(2024, 5, 1)),
        acting_user=personas["partner"],
    )
    assert action.is_overdue(dt.date(2024, 5, 2))
    assert list(Action.objects.overdue(dt.date(2024, 5, 2))) == [action]
    do_set_action_status(action, "done", acting_user=personas["partner"])
    assert not Action.objects.overdue(dt.date(2024, 5, 2)).exists()
    event = AuditEvent.objects.get(action="action.status")
    assert event.changes == {"status": ["planned", "done"]}
    do_set_action_status(action, "done", acting_user=personas["partner"])  # no change, no row
    assert AuditEvent.objects.filter(action="action.status").count() == 1
    with pytest.raises(SituationError):
        do_set_action_status(action, "klar", acting_user=personas["partner"])


def test_an_action_cannot_end_before_it_starts(kungalv):
    with pytest.raises(SituationError):
        do_save_action(
            Action(
                municipality=kungalv,
                kind="other",
                title="x",
                start_date=dt.date(2024, 5, 2),
                due_date=dt.date(2024, 5, 1),
            ),
            acting_user=None,
        )


def test_a_camera_outside_the_municipality_is_refused(kungalv):
    camera = CameraSite(
        municipality=kungalv, name="Fel", lat=57.7089, lon=11.9746, purpose="x", permit_status="applied"
    )
    with pytest.raises(SituationError, match="utanför"):
        do_save_camera(camera, acting_user=None)
    assert not CameraSite.objects.exists()


# --- personal data in every free-text field --------------------------------------------------------


def test_a_focus_area_problem_is_redacted_before_it_is_stored_and_audited(kungalv, personas):
    area, explanation = do_save_focus_area(
        FocusArea(
            municipality=kungalv,
            problem=f"Häng, anmälare {PNR} ringer från 070\u2013123 45 67",
            place=Place.objects.get(name="Komarken"),
            start=dt.date(2024, 5, 7),
            weeks=4,
        ),
        acting_user=personas["partner"],
    )
    stored = FocusArea.objects.get(pk=area.pk).problem
    assert stored == "Häng, anmälare [borttaget: personnummer] ringer från [borttaget: telefonnummer]"
    assert explanation == (
        "Vi tog bort 1 personnummer och 1 telefonnummer ur problembeskrivningen: "
        "personuppgifter hör inte hemma i lägesbilden."
    )
    audit = AuditEvent.objects.get(action="focusarea.create")
    assert PNR not in str(audit.changes) and "070" not in str(audit.changes)


def test_an_action_title_and_description_are_redacted_before_they_are_stored_and_audited(kungalv, personas):
    action, explanation = do_save_action(
        Action(
            municipality=kungalv,
            kind="information",
            title="Brev till ABC 123:s ägare",
            description="Kontakt: a.b@exempel.se",
        ),
        acting_user=personas["partner"],
    )
    action.refresh_from_db()
    assert action.title == "Brev till [borttaget: registreringsnummer]:s ägare"
    assert action.description == "Kontakt: [borttaget: e-postadress]"
    assert "ur rubriken och beskrivningen" in explanation
    audit = AuditEvent.objects.get(action="action.create")
    assert "ABC 123" not in str(audit.changes)


def test_an_edited_action_is_redacted_too(kungalv, personas):
    action, _ = do_save_action(
        Action(municipality=kungalv, kind="other", title="Väktare"), acting_user=personas["partner"]
    )
    action.description = f"Ring {PNR}"
    _, explanation = do_save_action(action, acting_user=personas["coordinator"])
    assert Action.objects.get(pk=action.pk).description == "Ring [borttaget: personnummer]"
    assert "ur beskrivningen" in explanation


def test_the_camera_registers_texts_are_redacted(kungalv):
    camera = CameraSite(
        municipality=kungalv,
        name="Kamera Komarken",
        area_description="Entré, kontakt 0303-21 00 00",
        lat=57.881,
        lon=11.963,
        purpose="Trygghet",
        permit_status="applied",
        notes=f"Handläggare {PNR}",
    )
    saved, explanation = do_save_camera(camera, acting_user=None)
    saved.refresh_from_db()
    assert saved.notes == "Handläggare [borttaget: personnummer]"
    assert saved.area_description == "Entré, kontakt [borttaget: telefonnummer]"
    assert "ur det bevakade området och anteckningarna" in explanation


def test_a_redacted_title_that_no_longer_fits_is_refused_and_nothing_is_written(kungalv):
    title = "x" * 288 + " 070-1234567"  # 300 characters; the placeholder makes it longer
    with pytest.raises(SituationError, match="Åtgärd får vara högst 300 tecken"):
        do_save_action(Action(municipality=kungalv, kind="other", title=title), acting_user=None)
    assert not Action.objects.exists()


# --- time windows and who created a joint record ----------------------------------------------------


def test_an_incident_window_longer_than_fourteen_days_is_refused(kungalv, personas):
    incident = new_incident(occurred_to=at("2024-05-18", 21))
    place = Place.objects.get(name="Komarken")

    def save():
        do_save_incident(
            incident, place=place, lat=None, lon=None, description="", acting_user=personas["partner"]
        )

    with pytest.raises(SituationError, match="högst 14 dagar"):
        save()
    assert not Incident.objects.exists()
    incident.occurred_to = at("2024-05-17", 21)  # exactly 14 days is accepted
    save()
    assert Incident.objects.count() == 1


def test_joint_records_remember_the_creating_organisation_and_editors_do_not_change_it(kungalv, personas):
    partner, coordinator = personas["partner"], personas["coordinator"]
    meeting, _ = do_save_meeting(
        Meeting(municipality=kungalv, date=dt.date(2024, 5, 7)),
        organisations=[],
        units=[],
        acting_user=partner,
    )
    area, _ = do_save_focus_area(
        FocusArea(
            municipality=kungalv,
            problem="Häng",
            place=Place.objects.get(name="Komarken"),
            start=meeting.date,
            weeks=4,
        ),
        acting_user=partner,
    )
    action, _ = do_save_action(
        Action(municipality=kungalv, kind="guards", title="Väktare"), acting_user=partner
    )
    for record in (meeting, area, action):
        record.refresh_from_db()
        assert (record.created_by, record.created_by_organisation) == (partner, partner.organisation)
        assert record.creator_label == "Polisen"
    action.title = "Ändrad av samordnaren"
    do_save_action(action, acting_user=coordinator)
    action.refresh_from_db()
    assert action.created_by == partner and action.created_by_organisation == partner.organisation
