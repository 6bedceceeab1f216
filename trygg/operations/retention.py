"""Retention (gallring): which rows are due, per source and municipality, on a given day.

The periods come from ``settings.TRYGG_RETENTION`` (months after the event, 0 = never; docs/privacy.md).
:func:`due` only reads; :func:`apply` writes through the ``do_*`` functions of :mod:`.actions` (one audit row
per step and municipality). ``manage.py apply_retention`` runs both, nightly (docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import actions


@dataclass(frozen=True)
class Step:
    key: str
    description: str  # Swedish, for the command's output
    setting: str  # key in TRYGG_RETENTION
    unit: str  # "months" or "days"
    action: Callable


STEPS = (
    Step(
        "incident_text",
        "händelser: fritexten tas bort",
        "incident_text_months",
        "months",
        actions.do_drop_incident_texts,
    ),
    Step(
        "incident_anonymise",
        "händelser: avidentifieras (läget grovt till cellens mitt, rapportören tas bort)",
        "incident_anonymise_months",
        "months",
        actions.do_anonymise_incidents,
    ),
    Step(
        "incident_delete",
        "händelser: raderas",
        "incident_delete_months",
        "months",
        actions.do_delete_incidents,
    ),
    Step(
        "submission_anonymise",
        "synpunkter i digital dialog: text, platsbeskrivning och foto tas bort, läget grovt",
        "submission_months",
        "months",
        actions.do_anonymise_submissions,
    ),
    Step(
        "import_file_delete",
        "uppladdade statistikfiler: raderas efter importen",
        "import_file_days",
        "days",
        actions.do_delete_import_files,
    ),
)


@dataclass
class Batch:
    step: Step
    municipality: object
    ids: list[int]
    cutoff: dt.datetime


def policy() -> Mapping[str, int]:
    return settings.TRYGG_RETENTION


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (the 31st → the month's last day)."""
    import calendar

    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cutoff(now: dt.datetime, step: Step, periods: Mapping[str, int]) -> dt.datetime | None:
    """Rows whose event is before this moment are due; None when the step is off (0 months). The import
    file step is on at 0 days: a file is due as soon as its import has finished."""
    amount = int(periods.get(step.setting, 0))
    if step.unit == "months":
        return None if amount <= 0 else months_before(now, amount)
    return now - dt.timedelta(days=max(amount, 0))


def _due_ids(step: Step, before: dt.datetime) -> dict[int, list[int]]:
    """{municipality id: [ids]} of the rows this step still has to change."""
    from trygg.dialog.models import Submission
    from trygg.indicators.models import ImportJob
    from trygg.situation.models import Incident

    if step.key == "incident_text":
        rows = Incident.objects.filter(occurred_from__lt=before).exclude(description="", redacted_kinds="")
        pairs = rows.values_list("municipality_id", "pk")
    elif step.key == "incident_anonymise":
        rows = Incident.objects.filter(occurred_from__lt=before).filter(
            Q(reported_by__isnull=False)
            | ~Q(description="")
            | ~Q(redacted_kinds="")
            | Q(location_precision=Incident.Precision.POINT, lat__isnull=False)
        )
        # A point already at its cell centre is anonymous: the same rule as the action, on plain values.
        fields = ["reported_by_id", "description", "redacted_kinds", "location_precision", "lat", "lon"]
        pairs = [
            (row["municipality_id"], row["pk"])
            for row in rows.order_by("pk").values("municipality_id", "pk", *fields)
            if actions.incident_anonymised_values(**{name: row[name] for name in fields})
        ]
    elif step.key == "incident_delete":
        pairs = Incident.objects.filter(occurred_from__lt=before).values_list("municipality_id", "pk")
    elif step.key == "submission_anonymise":
        day = timezone.localdate(before)
        rows = Submission.objects.filter(submitted_on__lt=day).filter(
            ~Q(text="") | ~Q(location_text="") | ~Q(redacted_kinds="") | ~Q(photo="") | Q(lat__isnull=False)
        )
        fields = ["text", "location_text", "redacted_kinds", "photo", "lat", "lon"]
        pairs = [
            (row["campaign__municipality_id"], row["pk"])
            for row in rows.order_by("pk").values("campaign__municipality_id", "pk", *fields)
            if actions.submission_anonymised_values(**{name: row[name] for name in fields})
        ]
    elif step.key == "import_file_delete":
        rows = ImportJob.objects.filter(
            status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED], finished_at__lte=before
        ).exclude(file="")
        pairs = rows.values_list("municipality_id", "pk")
    else:  # pragma: no cover - STEPS and this function are written together
        raise ValueError(step.key)
    grouped: dict[int, list[int]] = defaultdict(list)
    if not isinstance(pairs, list):
        pairs = pairs.order_by("pk")
    for municipality_id, pk in pairs:
        grouped[municipality_id].append(pk)
    return grouped


def due(now: dt.datetime | None = None, periods: Mapping[str, int] | None = None) -> list[Batch]:
    """What retention would change now, step by step, per municipality (nothing is written)."""
    from trygg.places.models import Municipality

    now = now or timezone.now()
    periods = policy() if periods is None else periods
    batches = []
    municipalities = {m.pk: m for m in Municipality.objects.all()}
    for step in STEPS:
        before = cutoff(now, step, periods)
        if before is None:
            continue
        for municipality_id, ids in sorted(_due_ids(step, before).items()):
            batches.append(Batch(step, municipalities[municipality_id], ids, before))
    return batches


def apply(batches: list[Batch], *, acting_user=None) -> dict[str, int]:
    """Carry out the batches in order; returns {step key: rows changed}. Each batch is its own transaction,
    so a long run that is stopped keeps what it finished."""
    done: dict[str, int] = defaultdict(int)
    for batch in batches:
        done[batch.step.key] += batch.step.action(batch.municipality, batch.ids, acting_user=acting_user)
    return dict(done)
