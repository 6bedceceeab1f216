"""What roles that do not work the lägesbild may see (data minimisation, GDPR art. 5 and 10).

Incidents are crime-related personal data. Coordinators, administrators and partners work the lägesbild and
see single incidents, their free text and exact positions. Readers and unit editors (politicians, sector
staff) see only aggregates: the map as counts per cell (``queries.map_payload(restricted=True)``), and on the
table page the counts per category, place, hotspot cell and weekday × time of day with small counts hidden
(primary and complementary suppression, :mod:`trygg.indicators.secondary_suppression`). They open no single
incident, export nothing raw, and see no meeting brief (it lists incidents and places).
"""

from __future__ import annotations

import dataclasses

from trygg.indicators.secondary_suppression import Relation, protect

from .permissions import can_write_situation


def sees_single_incidents(user, municipalities) -> bool:
    """True when the user works the lägesbild in every municipality shown."""
    return all(can_write_situation(user, m) for m in municipalities)


def protected_summary(summary: dict, limit: int) -> dict:
    """The table page's aggregates with small counts hidden: category counts with their total as one
    relation (so no hidden count can be worked back from the total), place and hotspot counts and the
    weekday × time-of-day cells primary only. Hidden values become "<limit" or ".."."""
    by_category = summary["by_category"]
    keys = [("category", r["category__name"]) for r in by_category]
    shown = protect(
        {("total",): summary["total"], **{k: r["n"] for k, r in zip(keys, by_category, strict=True)}},
        [Relation(("total",), tuple(keys))],
        limit,
    )

    def count(key, value):
        return shown.text(key) or value

    def primary(value):
        return f"<{limit}" if value is not None and value < limit else value

    return {
        **summary,
        "total_text": shown.text(("total",)),  # the total stays a number for the plural; shown as this
        "by_category": [{**r, "n": count(k, r["n"])} for k, r in zip(keys, by_category, strict=True)],
        "by_place": [{**r, "n": primary(r["n"])} for r in summary["by_place"]],
        "hot_rows": [_with_count(r, primary(_count_of(r))) for r in summary["hot_rows"]],
        "weekday_hours": [
            {**row, "values": [primary(v) for v in row["values"]]} for row in summary["weekday_hours"]
        ],
        "suppression_note": shown.note or f"Värden under {limit} redovisas inte (<{limit}).",
    }


def _count_of(row):
    return row["count"] if isinstance(row, dict) else row.count


def _with_count(row, value):
    return {**row, "count": value} if isinstance(row, dict) else dataclasses.replace(row, count=value)
