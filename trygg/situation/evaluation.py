"""Counts for the effect check of an action (one query), handed to the plain effect.effect_check."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from trygg.lib.geo import k_ring

from .effect import EffectResult, Windows, effect_check, windows
from .models import Action, FocusArea, Incident, area_condition

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A place's area: its H3 r9 cell and the cells within two steps (roughly 500 m around the place).
PLACE_RING_K = 2
MIN_WINDOW_DAYS = 28


def focus_area_condition(focus_area: FocusArea) -> Q:
    cells = k_ring(focus_area.place.h3_r9, PLACE_RING_K) if focus_area.place_id else ()
    return area_condition(place=focus_area.place, district=focus_area.district, cells_r9=cells)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM)


def action_start(action: Action) -> dt.date | None:
    if action.start_date:
        return action.start_date
    return action.meeting.date if action.meeting_id else None


def effect_counts(
    condition: Q, w: Windows, municipality_id: int, category_id: int | None = None
) -> dict[str, int]:
    """Area and control counts before and after, in one aggregate query. The control is the rest of the
    same municipality: another municipality's incidents say nothing about this action."""
    qs = Incident.objects.filter(
        municipality_id=municipality_id,
        occurred_from__gte=_at(w.before_start),
        occurred_from__lt=_at(w.after_end),
    )
    if category_id:
        qs = qs.filter(category_id=category_id)
    before = Q(occurred_from__lt=_at(w.start))
    after = Q(occurred_from__gte=_at(w.start))
    return qs.aggregate(
        area_before=Count("id", filter=condition & before),
        area_after=Count("id", filter=condition & after),
        control_before=Count("id", filter=~condition & before),
        control_after=Count("id", filter=~condition & after),
    )


def action_effect(action: Action, today: dt.date) -> tuple[EffectResult | None, Windows | None]:
    """The effect check of an action in its focus area; (None, None) without a focus area or a start."""
    start = action_start(action)
    focus_area = action.focus_area
    if focus_area is None or start is None or start > today:
        return None, None
    w = windows(start, today, length_days=max(focus_area.weeks * 7, MIN_WINDOW_DAYS))
    counts = effect_counts(
        focus_area_condition(focus_area), w, focus_area.municipality_id, focus_area.category_id
    )
    return effect_check(**counts, days=w.days), w
