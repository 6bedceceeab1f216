"""Every write of the digital dialog goes through a do_* function here, and each through
trygg.accounts.writes: texts cleaned, personal data redacted in FREE_TEXT_FIELDS, lengths checked, one audit
row with the true before/after values.

A resident's submission is written with acting_user=None (there is no account and no identity); its audit
row therefore names no actor. The one exception to "true old value" is the moderator's redaction of a text
(:func:`do_redact_text`): the point of redacting is that the removed words are kept nowhere, so its audit row
keeps the old text's length, not the text, and the text is replaced in the submission's earlier audit rows too.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from trygg.accounts import writes
from trygg.accounts.audit import record_audit
from trygg.lib.geo import Boundary, GeoError
from trygg.places.boundary import boundary_of, cells_for_point, municipality_boundary
from trygg.places.models import MunicipalityNotLoaded, Place

from .models import CATEGORIES, Campaign, Submission
from .photos import reencode

RECEIPT_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/B, 8


class DialogError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


def _write(model, obj, values, *, acting_user, action: str = ""):
    try:
        if obj is None or obj.pk is None:
            return writes.create(model, values, acting_user=acting_user, action=action)
        return writes.update(obj, values, acting_user=acting_user, action=action)
    except writes.WriteError as exc:
        raise DialogError(str(exc)) from None


def campaign_boundary(campaign: Campaign) -> Boundary:
    """The area a point must lie in: the campaign's own polygon, else the municipality (with the boundary's
    tolerance for the simplified border)."""
    try:
        if campaign.area:
            return boundary_of(campaign.area, campaign.title)
        return municipality_boundary(campaign.municipality)
    except (GeoError, MunicipalityNotLoaded) as exc:
        raise DialogError(str(exc)) from None


def check_campaign_area(area) -> dict | None:
    """A valid (Multi)Polygon or None; DialogError (Swedish) otherwise."""
    if area in (None, "", {}):
        return None
    try:
        Boundary(area, "området")
    except GeoError as exc:
        raise DialogError(str(exc)) from None
    return area


CAMPAIGN_FIELDS = ("title", "question", "starts", "ends", "area", "categories", "publish_comments")


@transaction.atomic
def do_save_campaign(campaign: Campaign, *, acting_user) -> tuple[Campaign, str]:
    """Create or update a campaign. Returns (campaign, explanation of personal data removed)."""
    if campaign.ends < campaign.starts:
        raise DialogError("Slutdatumet ligger före startdatumet.")
    unknown = [c for c in campaign.categories if c not in CATEGORIES]
    if unknown or not campaign.categories:
        raise DialogError("Välj minst en kategori ur listan.")
    values = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    values["area"] = check_campaign_area(values["area"])
    if campaign.pk is None:
        values["municipality"] = campaign.municipality
    written = _write(Campaign, campaign, values, acting_user=acting_user)
    return written.obj, written.explanation


@dataclass
class SubmissionInput:
    """What a resident sends (already parsed by the public form)."""

    categories: list[str]
    time_of_day: str
    day_type: str
    lat: float | None = None
    lon: float | None = None
    place: Place | None = None
    location_text: str = ""
    text: str = ""
    age_group: str = ""
    gender: str = ""
    photo: bytes | None = None
    extra: dict = field(default_factory=dict)


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _location(campaign: Campaign, data: SubmissionInput, boundary: Boundary | None = None) -> dict:
    if data.lat is not None and data.lon is not None:
        boundary = boundary or campaign_boundary(campaign)
        try:
            lat, lon = boundary.require_inside(data.lat, data.lon, "området som frågan gäller")
        except GeoError as exc:
            raise DialogError(str(exc)) from None
        kind = Submission.LocationKind.POINT
    elif data.place is not None:
        place = data.place
        if place.municipality_id != campaign.municipality_id or not place.active:
            raise DialogError("Platsen finns inte i listan för den här frågan.")
        lat, lon = place.lat, place.lon
        kind = Submission.LocationKind.PLACE
    elif data.location_text.strip():
        return {"location_kind": Submission.LocationKind.DESCRIBED, "lat": None, "lon": None, "place": None}
    else:
        raise DialogError("Ange var platsen är: klicka i kartan, välj en plats i listan eller beskriv den.")
    cells = cells_for_point(lat, lon)
    return {
        "location_kind": kind,
        "lat": lat if kind == Submission.LocationKind.POINT else None,
        "lon": lon if kind == Submission.LocationKind.POINT else None,
        "place": data.place if kind == Submission.LocationKind.PLACE else None,
        "h3_r7": cells[7],
        "h3_r8": cells[8],
        "h3_r9": cells[9],
    }


def validate_choices(campaign: Campaign, data: SubmissionInput) -> None:
    allowed = set(campaign.categories)
    if not data.categories or any(c not in allowed for c in data.categories):
        raise DialogError("Välj minst en av orsakerna i listan.")
    if data.time_of_day not in Submission.TimeOfDay.values:
        raise DialogError("Välj när på dygnet du känner dig otrygg.")
    if data.day_type not in Submission.DayType.values:
        raise DialogError("Välj vardag, helg eller båda.")
    if data.age_group and data.age_group not in Submission.AgeGroup.values:
        raise DialogError("Välj en åldersgrupp i listan eller ingen.")
    if data.gender and data.gender not in Submission.Gender.values:
        raise DialogError("Välj ett kön i listan eller inget.")


def do_submit(
    campaign: Campaign,
    data: SubmissionInput,
    *,
    today: dt.date | None = None,
    boundary: Boundary | None = None,
) -> tuple[Submission, str]:
    """Store a resident's submission (pending moderation). Validates the location against the campaign's
    area, the categories against the campaign's set, the photo by its content; redacts personal data.
    Returns (submission, explanation of personal data removed). No acting user: residents are anonymous.

    `boundary`: the campaign's area already prepared (the public view passes the per-process snapshot's);
    looked up when not given. The texts are cleaned and redacted once, by writes.clean_values, and the row
    and its audit row are written in one transaction (a savepoint only when called inside another)."""
    day = today or timezone.localdate()
    if not campaign.is_open(day):
        raise DialogError("Frågan är inte öppen för synpunkter just nu.")
    validate_choices(campaign, data)
    chosen = set(data.categories)
    values = {
        "campaign": campaign,
        "submitted_on": day,
        **_location(campaign, data, boundary),
        "location_text": data.location_text,
        "categories": [c for c in campaign.categories if c in chosen],
        "time_of_day": data.time_of_day,
        "day_type": data.day_type,
        "text": data.text,
        "age_group": data.age_group,
        "gender": data.gender,
    }
    if data.photo:
        jpeg = reencode(data.photo)  # PhotoError is a ValueError with a Swedish message
        values["photo"] = ContentFile(jpeg, name=f"{uuid.uuid4().hex}.jpg")
    try:
        cleaned, findings, explanation = writes.clean_values(Submission, values)
    except writes.WriteError as exc:
        raise DialogError(str(exc)) from None
    cleaned["redacted_kinds"] = ",".join(sorted({f.kind for f in findings}))
    for _attempt in range(5):
        cleaned["receipt"] = new_receipt()
        try:
            with transaction.atomic():
                return _insert_cleaned(cleaned), explanation
        except IntegrityError:
            continue  # a receipt collision (1 in 25^8 per pair): draw again
    raise DialogError("Synpunkten kunde inte sparas. Försök igen om en stund.")


def _insert_cleaned(cleaned: dict) -> Submission:
    """The row and its one audit row; the values are cleaned and redacted already (not scanned twice)."""
    return writes.insert_cleaned(Submission, cleaned, acting_user=None, action="submission.submit").obj


@transaction.atomic
def do_moderate(submission: Submission, status: str, *, acting_user) -> Submission:
    """Approve or reject a submission (or put it back in the queue); one audit row per change."""
    if status not in Submission.Status.values:
        raise DialogError(f"Okänd status: {status!r}.")
    return _write(
        Submission, submission, {"status": status}, acting_user=acting_user, action="submission.moderate"
    ).obj


@transaction.atomic
def do_redact_text(submission: Submission, text: str, *, acting_user) -> tuple[Submission, str]:
    """Replace a submission's text with the moderator's edited version. The audit row records who did it and
    the old length, never the removed words (that is the point of redacting)."""
    stored = Submission.objects.select_for_update().get(pk=submission.pk)
    try:
        cleaned, findings, explanation = writes.clean_values(Submission, {"text": text})
    except writes.WriteError as exc:
        raise DialogError(str(exc)) from None
    new = cleaned["text"]
    if new == stored.text:
        return stored, explanation
    old_length = len(stored.text)
    stored.text = new
    stored.text_redacted_by_moderator = True
    stored.save(update_fields=["text", "text_redacted_by_moderator"])
    _scrub_earlier_audit(stored)
    record_audit(
        acting_user,
        "submission.redact",
        stored,
        {
            "text": [f"[{old_length} tecken, borttagna vid moderering]", new],
            "text_redacted_by_moderator": [False, True],
        },
    )
    submission.text, submission.text_redacted_by_moderator = stored.text, True
    return stored, explanation


def _scrub_earlier_audit(submission: Submission) -> None:
    """The earlier audit rows of this submission (its arrival, earlier redactions) held the text the moderator
    has just removed; they keep that a text was there, not the text."""
    from trygg.accounts.models import AuditEvent

    rows = AuditEvent.objects.filter(object_type=Submission._meta.label_lower, object_id=str(submission.pk))
    for row in rows.select_for_update():
        text = row.changes.get("text") if isinstance(row.changes, dict) else None
        if isinstance(text, list):
            row.changes["text"] = [
                v if v is None or str(v).startswith("[") else REDACTED_IN_AUDIT for v in text
            ]
            row.save(update_fields=["changes"])


REDACTED_IN_AUDIT = "[text redigerad vid moderering]"


def _nearest_place(submission: Submission) -> Place | None:
    if submission.place_id is not None:
        return submission.place
    if not submission.has_point:
        return None
    places = Place.objects.filter(municipality_id=submission.campaign.municipality_id, active=True)
    best, best_d = None, None
    for place in places:
        d = (place.lat - submission.lat) ** 2 + ((place.lon - submission.lon) * 0.53) ** 2  # cos(58°)
        if best_d is None or d < best_d:
            best, best_d = place, d
    return best if best_d is not None and best_d < (0.005**2) else None  # within ~500 m


@transaction.atomic
def do_make_focus_area(submission: Submission, *, start: dt.date, weeks: int, acting_user):
    """A lägesbild focus area from a submission (through the lägesbild's own action, which audits it). The
    submission must name a place, or lie within ~500 m of one."""
    from trygg.situation.actions import SituationError, do_save_focus_area
    from trygg.situation.models import FocusArea

    place = _nearest_place(submission)
    if place is None:
        raise DialogError("Synpunkten ligger inte vid någon känd plats; lägg till platsen först.")
    problem = f"{', '.join(submission.category_labels())} (synpunkt {submission.receipt})"[:300]
    try:
        area, _ = do_save_focus_area(
            FocusArea(
                municipality=submission.campaign.municipality,
                place=place,
                problem=problem,
                start=start,
                weeks=weeks,
            ),
            acting_user=acting_user,
        )
    except SituationError as exc:
        raise DialogError(str(exc)) from None
    return area


ACTION_KIND_FOR = {"belysning": "lighting", "vaxtlighet": "pruning"}


@transaction.atomic
def do_make_action(submission: Submission, *, title: str, acting_user):
    """A lägesbild measure (åtgärd) from a submission, through the lägesbild's own action."""
    from trygg.situation.actions import SituationError, do_save_action
    from trygg.situation.models import Action

    kind = next((ACTION_KIND_FOR[c] for c in submission.categories if c in ACTION_KIND_FOR), "other")
    where = submission.where()
    description = f"Från synpunkt {submission.receipt}" + (f" – {where}" if where else "") + "."
    try:
        action, _ = do_save_action(
            Action(
                municipality=submission.campaign.municipality,
                kind=kind,
                title=title or ", ".join(submission.category_labels()),
                description=description,
            ),
            acting_user=acting_user,
        )
    except SituationError as exc:
        raise DialogError(str(exc)) from None
    return action


@transaction.atomic
def do_make_walk_stop(submission: Submission, walk, *, acting_user):
    """A stop on a planned walk's route at the submission's point or place (through trygg.walks'
    do_add_stop, which audits it). Described-only submissions have no point to walk to."""
    from trygg.walks.actions import WalkError, do_add_stop

    if walk.municipality_id != submission.campaign.municipality_id:
        raise DialogError("Vandringen hör inte till samma kommun som synpunkten.")
    if not submission.has_point and submission.place_id is None:
        raise DialogError("Synpunkten har ingen punkt eller plats; beskriv stoppet på vandringen själv.")
    note = f"Synpunkt {submission.receipt}: {', '.join(submission.category_labels())}"[:300]
    try:
        return do_add_stop(
            walk,
            lat=submission.lat if submission.has_point else None,
            lon=submission.lon if submission.has_point else None,
            place=submission.place if not submission.has_point else None,
            note=note,
            acting_user=acting_user,
        )
    except WalkError as exc:
        raise DialogError(str(exc)) from None
