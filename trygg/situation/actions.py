"""Every write of lägesbild data goes through a do_* function here: validated, transactional, audited.

Free text (incident descriptions, meeting notes) is redacted with trygg.lib.pii before it is stored; the
caller shows the returned explanation to the person who wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from trygg.accounts.audit import record_audit
from trygg.lib import pii
from trygg.lib.geo import GeoError
from trygg.places.actions import check_inside
from trygg.places.boundary import cells_for_point, district_for_point
from trygg.places.models import District, Municipality, Place, current_municipality

from .models import Action, CameraSite, Category, FocusArea, Incident, Meeting


class SituationError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


@dataclass
class LocationContext:
    """The municipality and its districts, loaded once per request or import."""

    municipality: Municipality
    districts: list[District]

    @classmethod
    def current(cls) -> LocationContext:
        municipality = current_municipality()
        return cls(municipality, list(District.objects.filter(municipality=municipality)))


def apply_location(
    incident: Incident,
    ctx: LocationContext,
    *,
    place: Place | None,
    lat: float | None,
    lon: float | None,
    fallback_precision: str = Incident.Precision.NONE,
) -> None:
    """Set the location fields: a point (checked against the boundary) wins over a place; without either
    the incident keeps no coordinates and stays off the map."""
    incident.place = place
    if lat is not None and lon is not None:
        try:
            check_inside(ctx.municipality, lat, lon)
        except GeoError as exc:
            raise SituationError(str(exc)) from None
        incident.lat, incident.lon = lat, lon
        incident.location_precision = Incident.Precision.POINT
        incident.district = district_for_point(lat, lon, ctx.districts)
    elif place is not None:
        incident.lat, incident.lon = place.lat, place.lon
        incident.location_precision = Incident.Precision.PLACE
        incident.district_id = place.district_id
    else:
        incident.lat = incident.lon = None
        incident.location_precision = fallback_precision
        incident.district = None
    if incident.lat is not None:
        cells = cells_for_point(incident.lat, incident.lon)
        incident.h3_r7, incident.h3_r8, incident.h3_r9 = cells[7], cells[8], cells[9]
    else:
        incident.h3_r7 = incident.h3_r8 = incident.h3_r9 = None


def redact_into(obj, field: str, text: str, where: str) -> str:
    """Store the redacted text on obj.field; return the explanation ("" when nothing was removed)."""
    result = pii.redact((text or "").replace("\r\n", "\n").strip())
    setattr(obj, field, result.text)
    if hasattr(obj, "redacted_kinds"):
        obj.redacted_kinds = ",".join(sorted({f.kind for f in result.findings}))
    return pii.explain(result.findings, where=where)


INCIDENT_AUDIT_FIELDS = (
    "category_id",
    "occurred_from",
    "occurred_to",
    "place_id",
    "lat",
    "lon",
    "location_precision",
    "source_organisation_id",
    "description",
)


INCIDENT_SAVE_FIELDS = [
    "category",
    "occurred_from",
    "occurred_to",
    "place",
    "district",
    "lat",
    "lon",
    "location_precision",
    "h3_r7",
    "h3_r8",
    "h3_r9",
    "source_organisation",
    "description",
    "redacted_kinds",
    "updated_at",
]


def _snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _changes(before: dict, after: dict) -> dict:
    return {k: [_json(before.get(k)), _json(v)] for k, v in after.items() if before.get(k) != v}


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


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
) -> tuple[Incident, str]:
    """Create or update an incident reported through the web form. Returns (incident, explanation of
    any personal data removed from the description)."""
    if incident.occurred_to is not None and incident.occurred_to < incident.occurred_from:
        raise SituationError("Sluttiden ligger före starttiden.")
    created = incident.pk is None
    before = {} if created else _snapshot(Incident.objects.get(pk=incident.pk), INCIDENT_AUDIT_FIELDS)
    apply_location(incident, ctx or LocationContext.current(), place=place, lat=lat, lon=lon)
    if incident.location_precision == Incident.Precision.NONE:
        raise SituationError("Välj en plats eller klicka i kartan (eller ange koordinater).")
    explanation = redact_into(incident, "description", description, "beskrivningen")
    if created:
        incident.reported_by = acting_user if getattr(acting_user, "pk", None) else None
        if incident.source_organisation_id is None and acting_user is not None:
            incident.source_organisation_id = getattr(acting_user, "organisation_id", None)
        incident.save()
    else:
        incident.save(update_fields=INCIDENT_SAVE_FIELDS)
    record_audit(
        acting_user,
        "incident.create" if created else "incident.update",
        incident,
        _changes(before, _snapshot(incident, INCIDENT_AUDIT_FIELDS)),
    )
    return incident, explanation


@transaction.atomic
def do_save_meeting(meeting: Meeting, *, organisations, units, acting_user) -> tuple[Meeting, str]:
    created = meeting.pk is None
    explanation = redact_into(meeting, "notes", meeting.notes, "anteckningarna")
    if created:
        meeting.created_by = acting_user if getattr(acting_user, "pk", None) else None
    meeting.save()
    meeting.organisations.set(organisations)
    meeting.units.set(units)
    record_audit(
        acting_user,
        "meeting.create" if created else "meeting.update",
        meeting,
        {"date": [None, meeting.date.isoformat()], "kind": [None, meeting.kind]},
    )
    return meeting, explanation


@transaction.atomic
def do_save_focus_area(focus_area: FocusArea, *, acting_user) -> FocusArea:
    if focus_area.place_id is None and focus_area.district_id is None:
        raise SituationError("Ett fokusområde behöver en plats eller en kommundel.")
    if not focus_area.weeks:
        raise SituationError("Ange hur många veckor fokusområdet gäller (minst 1).")
    created = focus_area.pk is None
    focus_area.save()
    record_audit(
        acting_user,
        "focus_area.create" if created else "focus_area.update",
        focus_area,
        {
            "problem": [None, focus_area.problem],
            "start": [None, focus_area.start.isoformat()],
            "weeks": [None, focus_area.weeks],
        },
    )
    return focus_area


ACTION_AUDIT_FIELDS = (
    "kind",
    "title",
    "status",
    "start_date",
    "due_date",
    "responsible_organisation_id",
    "responsible_unit_id",
    "focus_area_id",
    "plan_activity_id",
)


@transaction.atomic
def do_save_action(action: Action, *, acting_user) -> Action:
    if action.start_date and action.due_date and action.due_date < action.start_date:
        raise SituationError("Slutdatum ligger före startdatum.")
    created = action.pk is None
    before = {} if created else _snapshot(Action.objects.get(pk=action.pk), ACTION_AUDIT_FIELDS)
    if created:
        action.created_by = acting_user if getattr(acting_user, "pk", None) else None
    action.save()
    record_audit(
        acting_user,
        "action.create" if created else "action.update",
        action,
        _changes(before, _snapshot(action, ACTION_AUDIT_FIELDS)),
    )
    return action


@transaction.atomic
def do_set_action_status(action: Action, status: str, *, acting_user) -> Action:
    if status not in Action.Status.values:
        raise SituationError(f"Okänd status: {status!r}.")
    current = Action.objects.select_for_update().get(pk=action.pk)
    if current.status == status:
        return action
    old = current.status
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    record_audit(acting_user, "action.status", action, {"status": [old, status]})
    return action


@transaction.atomic
def do_save_camera(camera: CameraSite, *, acting_user, ctx: LocationContext | None = None) -> CameraSite:
    ctx = ctx or LocationContext.current()
    try:
        check_inside(ctx.municipality, camera.lat, camera.lon)
    except GeoError as exc:
        raise SituationError(str(exc)) from None
    created = camera.pk is None
    camera.save()
    record_audit(
        acting_user,
        "camera.create" if created else "camera.update",
        camera,
        {"permit_status": [None, camera.permit_status], "imy_reference": [None, camera.imy_reference]},
    )
    return camera


@transaction.atomic
def do_save_category(category: Category, *, acting_user) -> Category:
    created = category.pk is None
    category.save()
    record_audit(
        acting_user,
        "category.create" if created else "category.update",
        category,
        {"name": [None, category.name], "active": [None, category.active]},
    )
    return category
