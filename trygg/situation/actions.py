"""Every write of lägesbild data goes through a do_* function here: validated, transactional, audited.

Every free-text field (incident descriptions, meeting notes, focus area problems, action titles and
descriptions, the camera register's texts, category names and descriptions) is redacted with trygg.lib.pii
before it is stored or audited; each do_save_* returns the explanation, which the caller shows to the person
who wrote the text. Records made jointly (meetings, focus areas, actions) remember the user and the
organisation that created them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from trygg.accounts.audit import record_audit
from trygg.lib import pii
from trygg.lib.geo import GeoError
from trygg.places.actions import check_inside
from trygg.places.boundary import cells_for_point, district_for_point
from trygg.places.models import District, Municipality, Place

from .models import INCIDENT_MAX_WINDOW, Action, CameraSite, Category, FocusArea, Incident, Meeting


class SituationError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


@dataclass
class LocationContext:
    """The municipality and its districts, loaded once per request or import."""

    municipality: Municipality
    districts: list[District]

    @classmethod
    def of(cls, municipality: Municipality) -> LocationContext:
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


def redact(obj, wheres: dict[str, str]) -> str:
    """Redact obj's text fields in place ({field: Swedish definite form for the message}); return the
    explanation ("" when nothing was removed). A text that no longer fits its column is refused."""
    try:
        explanation, _ = pii.redact_fields(obj, wheres)
    except pii.TextTooLongError as exc:
        raise SituationError(str(exc)) from None
    return explanation


def redact_into(obj, field: str, text: str, where: str) -> str:
    """Store the redacted text on obj.field, and the kinds removed on obj.redacted_kinds when the model
    has that column; return the explanation ("" when nothing was removed)."""
    setattr(obj, field, text)
    try:
        explanation, findings = pii.redact_fields(obj, {field: where})
    except pii.TextTooLongError as exc:
        raise SituationError(str(exc)) from None
    if hasattr(obj, "redacted_kinds"):
        obj.redacted_kinds = ",".join(sorted({f.kind for f in findings}))
    return explanation


def _stamp_creator(obj, acting_user) -> None:
    """On a new joint record: who created it and for which organisation (kept if the user moves on)."""
    if getattr(acting_user, "pk", None):
        obj.created_by = acting_user
        obj.created_by_organisation_id = getattr(acting_user, "organisation_id", None)


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
    if (
        incident.occurred_to is not None
        and incident.occurred_to - incident.occurred_from > INCIDENT_MAX_WINDOW
    ):
        raise SituationError(f"Ett tidsfönster får vara högst {INCIDENT_MAX_WINDOW.days} dagar.")
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
    explanation = redact(meeting, {"notes": "anteckningarna"})
    if created:
        _stamp_creator(meeting, acting_user)
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
def do_save_focus_area(focus_area: FocusArea, *, acting_user) -> tuple[FocusArea, str]:
    """Create or update a focus area. Returns (focus area, explanation of personal data removed)."""
    if focus_area.place_id is None and focus_area.district_id is None:
        raise SituationError("Ett fokusområde behöver en plats eller en kommundel.")
    if not focus_area.weeks:
        raise SituationError("Ange hur många veckor fokusområdet gäller (minst 1).")
    explanation = redact(focus_area, {"problem": "problembeskrivningen"})
    created = focus_area.pk is None
    if created:
        _stamp_creator(focus_area, acting_user)
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
    return focus_area, explanation


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
def do_save_action(action: Action, *, acting_user) -> tuple[Action, str]:
    """Create or update an action. Returns (action, explanation of personal data removed)."""
    if action.start_date and action.due_date and action.due_date < action.start_date:
        raise SituationError("Slutdatum ligger före startdatum.")
    explanation = redact(action, {"title": "rubriken", "description": "beskrivningen"})
    created = action.pk is None
    before = {} if created else _snapshot(Action.objects.get(pk=action.pk), ACTION_AUDIT_FIELDS)
    if created:
        _stamp_creator(action, acting_user)
    action.save()
    record_audit(
        acting_user,
        "action.create" if created else "action.update",
        action,
        _changes(before, _snapshot(action, ACTION_AUDIT_FIELDS)),
    )
    return action, explanation


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


CAMERA_TEXTS = {
    "name": "namnet",
    "area_description": "det bevakade området",
    "purpose": "ändamålet",
    "notes": "anteckningarna",
}


@transaction.atomic
def do_save_camera(
    camera: CameraSite, *, acting_user, ctx: LocationContext | None = None
) -> tuple[CameraSite, str]:
    """Create or update a camera site inside the municipality. Returns (camera, explanation)."""
    ctx = ctx or LocationContext.current()
    try:
        check_inside(ctx.municipality, camera.lat, camera.lon)
    except GeoError as exc:
        raise SituationError(str(exc)) from None
    explanation = redact(camera, CAMERA_TEXTS)
    created = camera.pk is None
    camera.save()
    record_audit(
        acting_user,
        "camera.create" if created else "camera.update",
        camera,
        {"permit_status": [None, camera.permit_status], "imy_reference": [None, camera.imy_reference]},
    )
    return camera, explanation


@transaction.atomic
def do_save_category(category: Category, *, acting_user) -> tuple[Category, str]:
    """Create or update a category of the taxonomy. Returns (category, explanation)."""
    explanation = redact(category, {"name": "namnet", "description": "beskrivningen"})
    created = category.pk is None
    category.save()
    record_audit(
        acting_user,
        "category.create" if created else "category.update",
        category,
        {"name": [None, category.name], "active": [None, category.active]},
    )
    return category, explanation
