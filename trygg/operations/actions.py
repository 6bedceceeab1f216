"""Retention writes (gallring). Each function changes one batch of rows of ONE municipality and leaves ONE
audit row on that municipality naming the step, the count and the ids (the design of the other bulk writes,
``situation.actions.do_bulk_create_incidents``): per-row audit rows would copy the very text being forgotten
into the audit trail as ``[old, new]``. For the same reason the free text that earlier audit rows of these
objects hold (``[None, "text"]`` from the create, ``[old, new]`` from edits) is replaced by
:data:`SCRUBBED` in the same transaction; that a field changed, when and by whom, stays.

Nothing is written or audited when the batch is empty or already done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models, transaction
from h3.api import basic_int as h3_int

from trygg.accounts.audit import record_audit
from trygg.accounts.models import AuditEvent
from trygg.accounts.writes import free_text_fields

SCRUBBED = "(gallrad)"
# Coarse position of an anonymised row: the centre of its H3 cell at this resolution (≈ 0.7 km², edge ≈ 460 m).
CELL_RESOLUTION = 8
CHUNK = 500


def cell_centre(lat: float, lon: float, resolution: int = CELL_RESOLUTION) -> tuple[float, float, dict]:
    """The centre of the point's H3 cell and the cells (r7, r8, r9) of that centre."""
    cell = h3_int.latlng_to_cell(lat, lon, resolution)
    c_lat, c_lon = h3_int.cell_to_latlng(cell)
    cells = {res: h3_int.latlng_to_cell(c_lat, c_lon, res) for res in (7, 8, 9)}
    return round(c_lat, 6), round(c_lon, 6), cells


def _coarse(lat, lon) -> dict:
    """The position fields of a point moved to its cell centre; {} when it is there already (or has none)."""
    if lat is None or lon is None:
        return {}
    c_lat, c_lon, cells = cell_centre(lat, lon)
    if (c_lat, c_lon) == (lat, lon):
        return {}
    return {"lat": c_lat, "lon": c_lon, "h3_r7": cells[7], "h3_r8": cells[8], "h3_r9": cells[9]}


def incident_anonymised_values(
    *, reported_by_id, description, redacted_kinds, location_precision, lat, lon
) -> dict:
    """The fields anonymisation changes on one incident ({} when it is anonymous already). Plain values, so
    :mod:`.retention` decides what is due with the same rule, from a values() query."""
    values: dict = {}
    if reported_by_id is not None:
        values["reported_by"] = None
    if description or redacted_kinds:
        values.update(description="", redacted_kinds="")
    if location_precision == "point":
        values.update(_coarse(lat, lon))
    return values


def submission_anonymised_values(*, text, location_text, redacted_kinds, photo, lat, lon) -> dict:
    values: dict = {}
    if text or location_text or redacted_kinds:
        values.update(text="", location_text="", redacted_kinds="")
    if photo:
        values["photo"] = ""
    values.update(_coarse(lat, lon))
    return values


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def scrub_audit_text(model: type[models.Model], ids: Sequence[int]) -> int:
    """Replace the free-text values held by earlier audit rows of these objects; returns rows changed."""
    fields = set(free_text_fields(model))
    label = model._meta.label_lower
    changed = []
    for chunk in _chunks(ids):
        rows = AuditEvent.objects.filter(object_type=label, object_id__in=[str(pk) for pk in chunk])
        for row in rows.only("pk", "changes"):
            new = {}
            for name, values in (row.changes or {}).items():
                if name in fields and isinstance(values, list):
                    values = [SCRUBBED if isinstance(v, str) and v else v for v in values]
                new[name] = values
            if new != row.changes:
                changed.append((row, new))
    # One UPDATE per row through the one sanctioned rewrite of the append-only audit trail (the database
    # grant allows UPDATE of this column only); bulk_update would go through the refused QuerySet.update.
    for row, new in changed:
        row.scrub_changes(new)
    return len(changed)


def _audit(acting_user, step: str, municipality, ids: list[int], **extra) -> None:
    record_audit(
        acting_user,
        f"retention.{step}",
        municipality,
        {"retention": [None, step], "objects": [None, len(ids)], "ids": [None, ids[:1000]], **extra},
    )


@transaction.atomic
def do_drop_incident_texts(municipality, ids: Sequence[int], *, acting_user) -> int:
    """Drop the free text of these incidents (the category, time and position stay)."""
    from trygg.situation.models import Incident

    rows = Incident.objects.filter(municipality=municipality, pk__in=ids).exclude(
        description="", redacted_kinds=""
    )
    done = sorted(rows.values_list("pk", flat=True))
    for chunk in _chunks(done):
        Incident.objects.filter(pk__in=chunk).update(description="", redacted_kinds="")
    if done:
        scrub_audit_text(Incident, done)
        _audit(acting_user, "incident_text", municipality, done)
    return len(done)


@transaction.atomic
def do_anonymise_incidents(municipality, ids: Sequence[int], *, acting_user) -> int:
    """Anonymise these incidents: free text and reporter removed, an exact point moved to the centre of its
    H3 cell (r8). A named place (a public place, not a person's position) stays."""
    from trygg.situation.models import Incident

    rows = Incident.objects.filter(municipality=municipality, pk__in=ids).only(
        "pk", "lat", "lon", "location_precision", "reported_by", "description", "redacted_kinds"
    )
    changed = []
    for incident in rows:
        values = incident_anonymised_values(
            reported_by_id=incident.reported_by_id,
            description=incident.description,
            redacted_kinds=incident.redacted_kinds,
            location_precision=incident.location_precision,
            lat=incident.lat,
            lon=incident.lon,
        )
        if values:
            for name, value in values.items():
                setattr(incident, name, value)
            changed.append(incident)
    fields = ["reported_by", "description", "redacted_kinds", "lat", "lon", "h3_r7", "h3_r8", "h3_r9"]
    Incident.objects.bulk_update(changed, fields, batch_size=CHUNK)
    done = sorted(i.pk for i in changed)
    if done:
        scrub_audit_text(Incident, done)
        _audit(acting_user, "incident_anonymise", municipality, done)
    return len(done)


@transaction.atomic
def do_delete_incidents(municipality, ids: Sequence[int], *, acting_user) -> int:
    """Delete these incidents (after their retention period); their audit rows lose the free text."""
    from trygg.situation.models import Incident

    done = sorted(Incident.objects.filter(municipality=municipality, pk__in=ids).values_list("pk", flat=True))
    for chunk in _chunks(done):
        Incident.objects.filter(pk__in=chunk).delete()
    if done:
        scrub_audit_text(Incident, done)
        _audit(acting_user, "incident_delete", municipality, done)
    return len(done)


@transaction.atomic
def do_anonymise_submissions(municipality, ids: Sequence[int], *, acting_user) -> int:
    """Anonymise dialog submissions: text, place description and photo removed, a point moved to its H3
    cell centre (r8). The categories, time of day and cell stay, so published results do not change."""
    from trygg.dialog.models import Submission

    rows = Submission.objects.filter(campaign__municipality=municipality, pk__in=ids)
    changed, photos = [], []
    for submission in rows:
        values = submission_anonymised_values(
            text=submission.text,
            location_text=submission.location_text,
            redacted_kinds=submission.redacted_kinds,
            photo=submission.photo.name or "",
            lat=submission.lat,
            lon=submission.lon,
        )
        if submission.photo:
            photos.append(submission.photo.name)
        if values:
            for name, value in values.items():
                setattr(submission, name, value)
            changed.append(submission)
    fields = ["text", "location_text", "redacted_kinds", "photo", "lat", "lon", "h3_r7", "h3_r8", "h3_r9"]
    Submission.objects.bulk_update(changed, fields, batch_size=CHUNK)
    done = sorted(s.pk for s in changed)
    if done:
        scrub_audit_text(Submission, done)
        _audit(acting_user, "submission_anonymise", municipality, done)
        storage = Submission._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in photos])
    return len(done)


@transaction.atomic
def do_delete_import_files(municipality, ids: Sequence[int], *, acting_user) -> int:
    """Delete the uploaded files of finished statistics imports (the job row and its outcome stay)."""
    from trygg.indicators.models import ImportJob

    rows = ImportJob.objects.filter(municipality=municipality, pk__in=ids).exclude(file="")
    files = dict(rows.values_list("pk", "file"))
    done = sorted(files)
    for chunk in _chunks(done):
        ImportJob.objects.filter(pk__in=chunk).update(file="")
    if done:
        _audit(acting_user, "import_file_delete", municipality, done)
        storage = ImportJob._meta.get_field("file").storage
        names = list(files.values())
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(done)
