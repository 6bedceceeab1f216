"""Every write of lägesbild data goes through a do_* function here, and each of them through
trygg.accounts.writes: texts cleaned, personal data redacted in the model's FREE_TEXT_FIELDS, lengths
checked, one audit row with the true before/after values, update_fields on existing rows.

Each do_save_* takes an instance that a form may already have changed (writes reads the old values from the
database) and returns (saved row, Swedish explanation of the personal data removed, "" when none), which the
caller shows to the person who wrote the text. A row belongs to its municipality; a point is checked against
that municipality's boundary. Records made jointly (meetings, focus areas, actions) remember the user and the
organisation that created them. Imports and the demo write many incidents through one bulk action that
applies the same cleaning and writes one audit row for the batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from trygg.accounts import writes
from trygg.accounts.audit import record_audit
from trygg.accounts.tenancy import municipality_id_of
from trygg.lib.geo import GeoError
from trygg.places.actions import check_inside
from trygg.places.boundary import cells_for_point, district_for_point
from trygg.places.models import District, Municipality, MunicipalityNotLoaded, Place

from .models import INCIDENT_MAX_WINDOW, Action, CameraSite, Category, FocusArea, Incident, Meeting


class SituationError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


@dataclass
class LocationContext:
    """A municipality and its districts, loaded once per request or import."""

    municipality: Municipality
    districts: list[District]

    @classmethod
    def of(cls, municipality: Municipality) -> LocationContext:
        return cls(municipality, list(District.objects.filter(municipality=municipality)))


def location_values(
    ctx: LocationContext,
    *,
    place: Place | None,
    lat: float | None,
    lon: float | None,
    fallback_precision: str = Incident.Precision.NONE,
) -> dict[str, Any]:
    """The location fields of an incident: a point (checked against the municipality's boundary) wins over a
    place; without either the incident keeps no coordinates and stays off the map."""
    if place is not None and place.municipality_id != ctx.municipality.pk:
        raise SituationError(f"Platsen {place.name} hör inte till {ctx.municipality.full_name}.")
    values: dict[str, Any] = {"place": place}
    if lat is not None and lon is not None:
        _check_inside(ctx.municipality, lat, lon)
        values.update(
            lat=lat,
            lon=lon,
            location_precision=Incident.Precision.POINT,
            district=district_for_point(lat, lon, ctx.districts),
        )
    elif place is not None:
        values.update(
            lat=place.lat,
            lon=place.lon,
            location_precision=Incident.Precision.PLACE,
            district=place.district,
        )
    else:
        values.update(lat=None, lon=None, location_precision=fallback_precision, district=None)
    if values["lat"] is not None:
        cells = cells_for_point(values["lat"], values["lon"])
        values.update(h3_r7=cells[7], h3_r8=cells[8], h3_r9=cells[9])
    else:
        values.update(h3_r7=None, h3_r8=None, h3_r9=None)
    return values


def apply_location(incident: Incident, ctx: LocationContext, **kwargs) -> None:
    """Set the location fields on an unsaved incident (tests and benchmarks build rows this way)."""
    incident.municipality = ctx.municipality
    for name, value in location_values(ctx, **kwargs).items():
        setattr(incident, name, value)


def _check_inside(municipality: Municipality, lat: float, lon: float) -> None:
    try:
        check_inside(municipality, lat, lon)
    except (GeoError, MunicipalityNotLoaded) as exc:
        raise SituationError(str(exc)) from None


def _write(model, obj, values: Mapping[str, Any], *, acting_user, m2m=None, action: str = "", base=None):
    """Create (obj None or unsaved) or update through the one write path; WriteError becomes
    SituationError so that views show it as a form error. Aware datetimes are passed in UTC, as the database
    returns them, so that the same instant in another time zone is not recorded as a change."""
    values = {
        k: v.astimezone(dt.UTC) if isinstance(v, dt.datetime) and v.tzinfo is not None else v
        for k, v in values.items()
    }
    try:
        if obj is None or obj.pk is None:
            return writes.create(model, values, acting_user=acting_user, m2m=m2m, action=action)
        return writes.update(obj, values, acting_user=acting_user, m2m=m2m, action=action, base=base)
    except writes.StaleWrite as exc:
        raise SituationError(str(exc)) from exc  # the view refreshes the form's base (see stale_forms)
    except writes.WriteError as exc:
        raise SituationError(str(exc)) from None


def _creator(acting_user) -> dict[str, Any]:
    """On a new joint record: who created it and for which organisation (kept if the user moves on)."""
    if not getattr(acting_user, "pk", None):
        return {}
    return {
        "created_by": acting_user,
        "created_by_organisation_id": getattr(acting_user, "organisation_id", None),
    }


def _redacted_description(description: str) -> tuple[str, str, str]:
    """(redacted text, kinds removed "a,b", explanation): the kinds are stored on the incident."""
    try:
        cleaned, findings, explanation = writes.clean_values(Incident, {"description": description})
    except writes.WriteError as exc:
        raise SituationError(str(exc)) from None
    return cleaned["description"], ",".join(sorted({f.kind for f in findings})), explanation


def _check_window(occurred_from, occurred_to) -> None:
    if occurred_to is not None and occurred_to < occurred_from:
        raise SituationError("Sluttiden ligger före starttiden.")
    if occurred_to is not None and occurred_to - occurred_from > INCIDENT_MAX_WINDOW:
        raise SituationError(f"Ett tidsfönster får vara högst {INCIDENT_MAX_WINDOW.days} dagar.")


def _check_source(incident: Incident, municipality: Municipality, acting_user) -> None:
    """A partner names only their own organisation as an incident's source (or keeps the one it has), so
    that they never hand their report to another organisation and lose access to it."""
    from .permissions import can_choose_source

    chosen = incident.source_organisation_id
    if chosen is None or not getattr(acting_user, "pk", None) or can_choose_source(acting_user, municipality):
        return
    stored = (
        Incident.objects.filter(pk=incident.pk).values_list("source_organisation_id", flat=True).first()
        if incident.pk
        else None
    )
    if chosen not in (acting_user.organisation_id, stored):
        raise SituationError("Som samverkanspart kan du bara ange din egen organisation som källa.")


@transaction.atomic
def do_save_incident(
    incident: Incident,
    *,
    place: Place | None,
    lat: float | None,
    lon: float | None,
    description: str,
    acting_user,
    ctx: LocationContext | None = None,
    base: Mapping[str, Any] | None = None,
    origin: str | None = None,
) -> tuple[Incident, str]:
    """Create or update an incident reported through the web form. A new incident belongs to
    incident.municipality (the current municipality); an existing one keeps its own. Returns (incident,
    explanation of any personal data removed from the description). ``base``: the values the edit form was
    opened with (optimistic locking: a conflicting change made meanwhile is refused). ``origin``: an
    Incident.Origin (None: "manual" for a new incident, unchanged for an existing one), so that a record made
    in another app, e.g. a walk's finding, can be told apart in the lägesbild."""
    if origin is not None and origin not in Incident.Origin.values:
        raise SituationError("Okänt ursprung för händelsen.")
    _check_window(incident.occurred_from, incident.occurred_to)
    municipality = incident.municipality
    ctx = (
        ctx
        if ctx is not None and ctx.municipality.pk == municipality.pk
        else LocationContext.of(municipality)
    )
    location = location_values(ctx, place=place, lat=lat, lon=lon)
    if location["location_precision"] == Incident.Precision.NONE:
        raise SituationError("Välj en plats eller klicka i kartan (eller ange koordinater).")
    text, kinds, explanation = _redacted_description(description)
    values = {
        "category": incident.category,
        "occurred_from": incident.occurred_from,
        "occurred_to": incident.occurred_to,
        "source_organisation": incident.source_organisation,
        "description": text,
        "redacted_kinds": kinds,
        **location,
    }
    if origin is not None:
        values["origin"] = origin
    _check_source(incident, municipality, acting_user)
    if incident.pk is None:
        values["municipality"] = municipality
        values["reported_by"] = acting_user if getattr(acting_user, "pk", None) else None
        if values["source_organisation"] is None and getattr(acting_user, "organisation_id", None):
            values["source_organisation"] = acting_user.organisation
    written = _write(Incident, incident, values, acting_user=acting_user, base=base)
    return written.obj, explanation


@transaction.atomic
def do_bulk_create_incidents(
    municipality: Municipality, rows: Iterable[Mapping[str, Any]], *, acting_user, source: str
) -> tuple[list[Incident], str]:
    """Create many incidents of one municipality at once (police import, demo): each row's texts are cleaned
    and redacted like any write (the kinds removed kept in redacted_kinds), then one bulk insert and ONE
    audit row for the batch naming the source, the count and the external ids. Rows carry the model's
    field values (location already computed with location_values). Returns (incidents, explanation)."""
    incidents, explanations = [], set()
    for row in rows:
        text, kinds, explanation = _redacted_description(row.get("description", ""))
        if explanation:
            explanations.add(explanation)
        _check_window(row["occurred_from"], row.get("occurred_to"))
        try:
            cleaned, _, _ = writes.clean_values(
                Incident, {k: v for k, v in row.items() if k != "description"}
            )
        except writes.WriteError as exc:
            raise SituationError(str(exc)) from None
        incidents.append(
            Incident(**cleaned, municipality=municipality, description=text, redacted_kinds=kinds)
        )
    if not incidents:
        return [], ""
    Incident.objects.bulk_create(incidents, batch_size=1000)
    external_ids = sorted(i.external_id for i in incidents if i.external_id)
    record_audit(
        acting_user,
        "incident.bulk_create",
        municipality,
        {
            "source": [None, source],
            "incidents": [None, len(incidents)],
            **({"external_ids": [None, external_ids[:500]]} if external_ids else {}),
        },
    )
    return incidents, " ".join(sorted(explanations))


@transaction.atomic
def do_bulk_delete_incidents(municipality: Municipality, *, origin: str, acting_user) -> int:
    """Delete every incident of one origin in the municipality (the demo reloads its own); one audit row
    with the count. Nothing is audited when there is nothing to delete."""
    rows = Incident.objects.filter(municipality=municipality, origin=origin)
    count = rows.count()
    if count:
        rows.delete()
        record_audit(
            acting_user,
            "incident.bulk_delete",
            municipality,
            {"origin": [origin, None], "incidents": [count, 0]},
        )
    return count


@transaction.atomic
def do_save_meeting(
    meeting: Meeting, *, organisations, units, acting_user, base: Mapping[str, Any] | None = None
) -> tuple[Meeting, str]:
    """Create or update a meeting and its participants; true before/after in one audit row."""
    values = {"date": meeting.date, "kind": meeting.kind, "notes": meeting.notes}
    if meeting.pk is None:
        values.update(municipality=meeting.municipality, **_creator(acting_user))
    foreign = [u for u in units if u.municipality_id != meeting.municipality_id]
    if foreign:
        raise SituationError(f"Enheten {foreign[0]} hör inte till {meeting.municipality.full_name}.")
    written = _write(
        Meeting,
        meeting,
        values,
        acting_user=acting_user,
        m2m={"organisations": organisations, "units": units},
        base=base,
    )
    return written.obj, written.explanation


@transaction.atomic
def do_store_meeting_figures(meeting: Meeting, figures: dict, *, acting_user) -> Meeting:
    """Store the brief's figures on the meeting (computed by brief.meeting_figures): one audit row with the
    old and new figures; nothing is written when they are unchanged."""
    stored = Meeting.objects.filter(pk=meeting.pk).values_list("figures", flat=True).get()
    if stored == figures:
        return meeting
    return _write(
        Meeting,
        meeting,
        {"figures": figures, "figures_computed_at": timezone.now()},
        acting_user=acting_user,
        action="situation.meeting.figures",
    ).obj


def _same_municipality(municipality: Municipality, **related) -> None:
    for label, obj in related.items():
        if obj is not None and obj.municipality_id != municipality.pk:
            raise SituationError(f"{label} hör inte till {municipality.full_name}.")


@transaction.atomic
def do_save_focus_area(focus_area: FocusArea, *, acting_user) -> tuple[FocusArea, str]:
    """Create or update a focus area. Returns (focus area, explanation of personal data removed)."""
    if focus_area.place_id is None and focus_area.district_id is None:
        raise SituationError("Ett fokusområde behöver en plats eller en kommundel.")
    if not focus_area.weeks:
        raise SituationError("Ange hur många veckor fokusområdet gäller (minst 1).")
    municipality = focus_area.municipality
    _same_municipality(
        municipality, Platsen=focus_area.place, Kommundelen=focus_area.district, Mötet=focus_area.meeting
    )
    values = {
        name: getattr(focus_area, name)
        for name in (
            "meeting",
            "place",
            "district",
            "category",
            "problem",
            "start",
            "weeks",
            "chosen_for_high_counts",
        )
    }
    values["end"] = focus_area.start + dt.timedelta(weeks=focus_area.weeks)
    if focus_area.pk is None:
        values.update(municipality=municipality, **_creator(acting_user))
    written = _write(FocusArea, focus_area, values, acting_user=acting_user)
    return written.obj, written.explanation


ACTION_FIELDS = (
    "focus_area",
    "meeting",
    "kind",
    "title",
    "description",
    "responsible_organisation",
    "responsible_unit",
    "start_date",
    "due_date",
    "status",
    "plan_activity",
)


@transaction.atomic
def do_save_action(action: Action, *, acting_user) -> tuple[Action, str]:
    """Create or update an action. Returns (action, explanation of personal data removed)."""
    if action.start_date and action.due_date and action.due_date < action.start_date:
        raise SituationError("Slutdatum ligger före startdatum.")
    municipality = action.municipality
    _same_municipality(
        municipality,
        Fokusområdet=action.focus_area,
        Mötet=action.meeting,
        Enheten=action.responsible_unit,
    )
    if action.plan_activity_id is not None and municipality_id_of(action.plan_activity) != municipality.pk:
        raise SituationError(f"Aktiviteten i planen hör inte till {municipality.full_name}.")
    values = {name: getattr(action, name) for name in ACTION_FIELDS}
    if action.pk is None:
        values.update(municipality=municipality, **_creator(acting_user))
    written = _write(Action, action, values, acting_user=acting_user)
    return written.obj, written.explanation


@transaction.atomic
def do_set_action_status(action: Action, status: str, *, acting_user) -> Action:
    if status not in Action.Status.values:
        raise SituationError(f"Okänd status: {status!r}.")
    return _write(Action, action, {"status": status}, acting_user=acting_user, action="action.status").obj


CAMERA_FIELDS = (
    "name",
    "place",
    "area_description",
    "lat",
    "lon",
    "purpose",
    "permit_status",
    "imy_reference",
    "imy_decision_date",
    "in_operation_since",
    "notes",
)


@transaction.atomic
def do_save_camera(camera: CameraSite, *, acting_user) -> tuple[CameraSite, str]:
    """Create or update a camera site inside its municipality. Returns (camera, explanation)."""
    municipality = camera.municipality
    _same_municipality(municipality, Platsen=camera.place)
    _check_inside(municipality, camera.lat, camera.lon)
    values = {name: getattr(camera, name) for name in CAMERA_FIELDS}
    if camera.pk is None:
        values["municipality"] = municipality
    written = _write(CameraSite, camera, values, acting_user=acting_user)
    return written.obj, written.explanation


CATEGORY_FIELDS = ("name", "slug", "description", "police_types", "order", "active")


@transaction.atomic
def do_save_category(category: Category, *, acting_user) -> tuple[Category, str]:
    """Create or update a category of the shared taxonomy (installation administrators only; the view
    checks). Returns (category, explanation)."""
    values = {name: getattr(category, name) for name in CATEGORY_FIELDS}
    written = _write(Category, category, values, acting_user=acting_user)
    return written.obj, written.explanation
