"""Every write of walk data goes through a do_* function here, and each of them through
trygg.accounts.writes (texts cleaned, personal data redacted in FREE_TEXT_FIELDS, lengths checked, one audit
row with the true before/after values, update_fields on existing rows).

A finding also appears in the lägesbild: do_save_finding creates or updates its incident through
trygg.situation.actions.do_save_incident with origin Incident.Origin.WALK ("Trygghetsvandring"; the incident
keeps its own audit row). Points are checked against the municipality's boundary. WalkError carries a Swedish
message for the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max

from trygg.accounts import writes
from trygg.lib.geo import GeoError
from trygg.lib.photos import PhotoError, process_photo
from trygg.places.actions import check_inside
from trygg.places.models import Municipality, MunicipalityNotLoaded, Place
from trygg.situation.actions import SituationError, do_save_incident
from trygg.situation.models import Category as IncidentCategory
from trygg.situation.models import Incident

from .models import PARAMETERS, Finding, Measure, Photo, Stop, Walk

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_START = dt.time(19, 0)  # walks are best after dark; the lägesbild needs some time of day
MAX_PHOTOS_PER_FINDING = 10
SOURCE_LABEL = "Trygghetsvandring"

# A finding's category → the lägesbild's incident category (slug of the shared taxonomy).
INCIDENT_CATEGORY = {
    Finding.Category.LIGHTING: "otrygg-plats",
    Finding.Category.VEGETATION: "otrygg-plats",
    Finding.Category.VANDALISM: "skadegorelse",
    Finding.Category.LITTER: "nedskrapning",
    Finding.Category.TRAFFIC: "otrygg-plats",
    Finding.Category.MAINTENANCE: "otrygg-plats",
    Finding.Category.UNSAFE_PLACE: "otrygg-plats",
    Finding.Category.OTHER: "ovrigt",
}


class WalkError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


def _write(model, obj, values: dict[str, Any], *, acting_user, m2m=None):
    try:
        if obj is None or obj.pk is None:
            return writes.create(model, values, acting_user=acting_user, m2m=m2m)
        return writes.update(obj, values, acting_user=acting_user, m2m=m2m)
    except writes.WriteError as exc:
        raise WalkError(str(exc)) from None


def _check_inside(municipality: Municipality, lat: float, lon: float) -> None:
    try:
        check_inside(municipality, lat, lon)
    except (GeoError, MunicipalityNotLoaded) as exc:
        raise WalkError(str(exc)) from None


def _check_place(place: Place | None, municipality: Municipality) -> None:
    if place is not None and place.municipality_id != municipality.pk:
        raise WalkError(f"Platsen {place.name} hör inte till {municipality.full_name}.")


@transaction.atomic
def do_save_walk(
    walk: Walk,
    *,
    acting_user,
    organisations: Iterable | None = None,
    units: Iterable | None = None,
) -> tuple[Walk, str]:
    """Create or update a walk (a new one belongs to walk.municipality). `organisations`/`units`: the
    participants (None leaves them as they are). Returns (walk, explanation of personal data removed)."""
    municipality = walk.municipality
    _check_place(walk.place, municipality)
    for unit in units or ():
        if unit.municipality_id != municipality.pk:
            raise WalkError(f"Enheten {unit.name} hör inte till {municipality.full_name}.")
    values: dict[str, Any] = {
        "title": walk.title,
        "place": walk.place,
        "area": walk.area,
        "date": walk.date,
        "start_time": walk.start_time,
        "description": walk.description,
        "status": walk.status,
        "published": walk.published,
    }
    if walk.pk is None:
        values["municipality"] = municipality
        values["demo"] = walk.demo
        if getattr(acting_user, "pk", None):
            values["created_by"] = acting_user
    m2m = {}
    if organisations is not None:
        m2m["organisations"] = list(organisations)
    if units is not None:
        m2m["units"] = list(units)
    written = _write(Walk, walk, values, acting_user=acting_user, m2m=m2m)
    if not written.created and {"date", "start_time", "title"} & set(written.changes):
        # The lägesbild dates a finding's incident by its walk.
        for finding in walk.findings.exclude(incident=None).select_related("place"):
            _save_incident(finding, walk, acting_user=acting_user)
    return written.obj, written.explanation


@transaction.atomic
def do_add_stop(
    walk: Walk,
    *,
    lat: float | None = None,
    lon: float | None = None,
    place: Place | None = None,
    note: str = "",
    acting_user,
) -> Stop:
    """Append a stop to the walk's route: a point (checked against the municipality's boundary), or a named
    place (its coordinates). trygg.dialog calls this to turn a resident's submission into a walk stop."""
    municipality = walk.municipality
    _check_place(place, municipality)
    if lat is None or lon is None:
        if place is None:
            raise WalkError("Välj en plats eller ange en punkt för stoppet.")
        lat, lon = place.lat, place.lon
    _check_inside(municipality, lat, lon)
    last = Stop.objects.filter(walk=walk).aggregate(m=Max("order"))["m"] or 0
    values = {"walk": walk, "order": last + 1, "place": place, "lat": lat, "lon": lon, "note": note}
    return _write(Stop, None, values, acting_user=acting_user).obj


@transaction.atomic
def do_delete_stop(stop: Stop, *, acting_user) -> None:
    writes.delete(stop, acting_user=acting_user)


def _occurred(walk: Walk) -> dt.datetime:
    return dt.datetime.combine(walk.date, walk.start_time or DEFAULT_START, tzinfo=STOCKHOLM)


def _incident_category(finding: Finding) -> IncidentCategory:
    slug = INCIDENT_CATEGORY.get(finding.category, "ovrigt")
    category = (
        IncidentCategory.objects.filter(slug=slug).first()
        or IncidentCategory.objects.filter(slug="ovrigt").first()
    )
    if category is None:
        raise WalkError("Lägesbildens kategorier saknas; be installationens administratör att lägga in dem.")
    return category


def incident_description(finding: Finding, walk: Walk) -> str:
    text = f"{SOURCE_LABEL}: {walk.title} ({walk.date:%Y-%m-%d}). {finding.get_category_display()}."
    return f"{text} {finding.description}".strip()


def _save_incident(finding: Finding, walk: Walk, *, acting_user) -> Incident:
    """Create or update the finding's incident in the lägesbild."""
    incident = Incident.objects.filter(pk=finding.incident_id).first() if finding.incident_id else None
    if incident is None:
        incident = Incident(
            municipality=walk.municipality,
            source_organisation=(
                finding.recorded_by_organisation
                or (acting_user.organisation if getattr(acting_user, "organisation_id", None) else None)
            ),
        )
    incident.category = _incident_category(finding)
    incident.occurred_from = _occurred(walk)
    incident.occurred_to = None
    point = finding.lat is not None and finding.lon is not None
    try:
        incident, _ = do_save_incident(
            incident,
            place=finding.place,
            lat=finding.lat if point else None,
            lon=finding.lon if point else None,
            description=incident_description(finding, walk),
            acting_user=acting_user,
            origin=Incident.Origin.WALK,
        )
    except SituationError as exc:
        raise WalkError(str(exc)) from None
    return incident


def _check_scores(finding: Finding) -> None:
    for name, label in [*PARAMETERS, ("feeling", "upplevd trygghet")]:
        value = getattr(finding, name)
        if value is not None and not 1 <= value <= 5:
            raise WalkError(f"Poängen för {str(label).lower()} ska vara mellan 1 och 5.")


@transaction.atomic
def do_save_finding(finding: Finding, *, acting_user) -> tuple[Finding, str]:
    """Create or update a finding of finding.walk: a point (inside the municipality) or a named place of it,
    scores 1–5. Its incident in the lägesbild is created or updated in the same transaction. Returns
    (finding, explanation of personal data removed from the description)."""
    walk = finding.walk
    municipality = walk.municipality
    _check_place(finding.place, municipality)
    if (finding.lat is None) != (finding.lon is None):
        raise WalkError("Ange både latitud och longitud, eller ingen av dem.")
    if finding.lat is not None:
        _check_inside(municipality, finding.lat, finding.lon)
    elif finding.place is None:
        raise WalkError("Välj en plats, använd din position eller ange en punkt.")
    if finding.category not in Finding.Category.values:
        raise WalkError("Okänd kategori.")
    _check_scores(finding)
    values: dict[str, Any] = {
        "category": finding.category,
        "place": finding.place,
        "lat": finding.lat,
        "lon": finding.lon,
        "feeling": finding.feeling,
        "description": finding.description,
        **{name: getattr(finding, name) for name, _ in PARAMETERS},
    }
    if finding.pk is None:
        values["walk"] = walk
        if getattr(acting_user, "pk", None):
            values["recorded_by"] = acting_user
            values["recorded_by_organisation_id"] = acting_user.organisation_id
    written = _write(Finding, finding, values, acting_user=acting_user)
    saved = written.obj
    had_incident = saved.incident_id is not None and Incident.objects.filter(pk=saved.incident_id).exists()
    if written.changes or not had_incident:
        incident = _save_incident(saved, walk, acting_user=acting_user)
        if saved.incident_id != incident.pk:
            # The link is bookkeeping, not content: kept out of the finding's audit row.
            saved.incident = incident
            saved.save(update_fields=["incident"])
    return saved, written.explanation


@transaction.atomic
def do_delete_finding(finding: Finding, *, acting_user) -> dict[str, int]:
    """Delete a finding recorded by mistake, with what hangs on it: its photos and measures (each through
    writes.delete, so each leaves its own audit row with its old values) and its incident in the lägesbild
    (likewise audited). The finding's own audit row keeps its old values. Returns the counts removed."""
    photos = list(Photo.objects.filter(finding=finding))
    measures = list(Measure.objects.filter(finding=finding))
    incident = Incident.objects.filter(pk=finding.incident_id).first() if finding.incident_id else None
    for photo in photos:
        writes.delete(photo, acting_user=acting_user)
    for measure in measures:
        writes.delete(measure, acting_user=acting_user)
    writes.delete(finding, acting_user=acting_user)
    if incident is not None:
        writes.delete(incident, acting_user=acting_user)
    return {"photos": len(photos), "measures": len(measures), "incidents": int(incident is not None)}


@transaction.atomic
def do_add_photo(finding: Finding, raw: bytes, *, acting_user) -> Photo:
    """Validate and re-encode a photo (photos.process_photo: type by content, size, no EXIF) and attach it.
    The audit row records its size and checksum, not the pixels."""
    if Photo.objects.filter(finding=finding).count() >= MAX_PHOTOS_PER_FINDING:
        raise WalkError(f"Ett fynd kan ha högst {MAX_PHOTOS_PER_FINDING} foton.")
    try:
        processed = process_photo(raw)
    except PhotoError as exc:
        raise WalkError(str(exc)) from None
    values = {
        "finding": finding,
        "content_type": processed.content_type,
        "width": processed.width,
        "height": processed.height,
        "byte_size": len(processed.data),
        "sha256": processed.sha256,
    }
    photo = _write(Photo, None, values, acting_user=acting_user).obj
    photo.data = processed.data
    photo.save(update_fields=["data"])
    return photo


@transaction.atomic
def do_delete_photo(photo: Photo, *, acting_user) -> None:
    writes.delete(photo, acting_user=acting_user)


@transaction.atomic
def do_save_measure(measure: Measure, *, acting_user) -> tuple[Measure, str]:
    """Create or update a measure of measure.finding with a responsible unit (of the municipality) or
    partner organisation, a due date and a status. Returns (measure, explanation)."""
    municipality = measure.finding.walk.municipality
    if measure.responsible_unit is None and measure.responsible_organisation is None:
        raise WalkError("Ange en ansvarig enhet eller samverkanspart.")
    if measure.responsible_unit is not None and measure.responsible_unit.municipality_id != municipality.pk:
        raise WalkError(f"Enheten {measure.responsible_unit.name} hör inte till {municipality.full_name}.")
    if measure.status not in Measure.Status.values:
        raise WalkError("Okänd status.")
    values: dict[str, Any] = {
        "title": measure.title,
        "responsible_unit": measure.responsible_unit,
        "responsible_organisation": measure.responsible_organisation,
        "due_date": measure.due_date,
        "status": measure.status,
        "comment": measure.comment,
    }
    if measure.pk is None:
        values["finding"] = measure.finding
    written = _write(Measure, measure, values, acting_user=acting_user)
    return written.obj, written.explanation
