"""Counts for the effect check of an action (one query), handed to the plain effect.effect_check.

Three disjoint zones of the action's municipality: the focus area (its place, the H3 r9 cells within
PLACE_RING_K steps, or its district), a buffer ring around it (the cells BUFFER_RING_K steps further out,
outside the area) where displaced incidents would turn up, and the control (everything else). The buffer is
left out of the control so that displacement into it cannot make the action look better or worse than the
rest of the municipality. A focus area that is only a district has no cells to ring: no buffer then.
"""

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
# The buffer: cells 3–4 steps from the place (an r9 cell is ~350 m across), the zone next to the area.
BUFFER_RING_K = 2
MIN_WINDOW_DAYS = 28


def focus_area_cells(focus_area: FocusArea) -> list[int]:
    return k_ring(focus_area.place.h3_r9, PLACE_RING_K) if focus_area.place_id else []


def focus_area_condition(focus_area: FocusArea) -> Q:
    return area_condition(
        place=focus_area.place, district=focus_area.district, cells_r9=focus_area_cells(focus_area)
    )


def buffer_cells(focus_area: FocusArea) -> list[int]:
    """The ring of cells just outside the area's cells (none for a district-only area)."""
    if not focus_area.place_id:
        return []
    inner = set(focus_area_cells(focus_area))
    outer = k_ring(focus_area.place.h3_r9, PLACE_RING_K + BUFFER_RING_K)
    return sorted(c for c in outer if c not in inner)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM)


def action_start(action: Action) -> dt.date | None:
    if action.start_date:
        return action.start_date
    return action.meeting.date if action.meeting_id else None


def effect_counts(
    condition: Q,
    w: Windows,
    municipality_id: int,
    category_id: int | None = None,
    buffer: Q | None = None,
) -> dict[str, int]:
    """Area, buffer and control counts before and after, in one aggregate query. The control is the rest of
    the same municipality (another municipality's incidents say nothing about this action) without the
    buffer; the buffer is the given zone outside the area. Without a buffer: no buffer keys."""
    qs = Incident.objects.filter(
        municipality_id=municipality_id,
        occurred_from__gte=_at(w.before_start),
        occurred_from__lt=_at(w.after_end),
    )
    if category_id:
        qs = qs.filter(category_id=category_id)
    before = Q(occurred_from__lt=_at(w.start))
    after = Q(occurred_from__gte=_at(w.start))
    control = ~condition
    counts = {
        "area_before": Count("id", filter=condition & before),
        "area_after": Count("id", filter=condition & after),
    }
    if buffer is not None:
        in_buffer = buffer & ~condition
        control = control & ~buffer
        counts["buffer_before"] = Count("id", filter=in_buffer & before)
        counts["buffer_after"] = Count("id", filter=in_buffer & after)
    counts["control_before"] = Count("id", filter=control & before)
    counts["control_after"] = Count("id", filter=control & after)
    return qs.aggregate(**counts)


def action_effect(action: Action, today: dt.date) -> tuple[EffectResult | None, Windows | None]:
    """The effect check of an action in its focus area; (None, None) without a focus area or a start."""
    start = action_start(action)
    focus_area = action.focus_area
    if focus_area is None or start is None or start > today:
        return None, None
    w = windows(start, today, length_days=max(focus_area.weeks * 7, MIN_WINDOW_DAYS))
    ring = buffer_cells(focus_area)
    counts = effect_counts(
        focus_area_condition(focus_area),
        w,
        focus_area.municipality_id,
        focus_area.category_id,
        buffer=Q(h3_r9__in=ring) if ring else None,
    )
    return (
        effect_check(**counts, days=w.days, chosen_for_high_counts=focus_area.chosen_for_high_counts),
        w,
    )
