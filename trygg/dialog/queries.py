"""Read-side helpers shared by the staff and public pages: the hex map, breakdowns, exports."""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings

from trygg.lib.csv_safety import safe_cell
from trygg.lib.geo import cell_boundary_geojson, cell_to_h3

from . import analysis
from .models import CATEGORIES, Campaign, Submission

HEX_RESOLUTION = 8  # ≈ 0.7 km² per cell: coarse enough to hide a house, fine enough to show a street


def suppress_below() -> int:
    return int(getattr(settings, "DIALOG_SUPPRESS_BELOW", getattr(settings, "TRYGG_SUPPRESS_BELOW", 5)))


def hex_features(counts: dict[int, int]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": cell_boundary_geojson(cell),
                "properties": {"cell": cell_to_h3(cell), "count": n},
            }
            for cell, n in sorted(counts.items(), key=lambda item: -item[1])
        ],
    }


def breakdowns(rows: list[Submission]) -> list[tuple[str, list[tuple[str, str, int]]]]:
    return [
        ("Kategori", analysis.breakdown([c for s in rows for c in s.categories], CATEGORIES)),
        (
            "Tid på dygnet",
            analysis.breakdown([s.time_of_day for s in rows], dict(Submission.TimeOfDay.choices)),
        ),
        (
            "Vardag eller helg",
            analysis.breakdown([s.day_type for s in rows], dict(Submission.DayType.choices)),
        ),
        ("Åldersgrupp", analysis.breakdown([s.age_group for s in rows], dict(Submission.AgeGroup.choices))),
        ("Kön", analysis.breakdown([s.gender for s in rows], dict(Submission.Gender.choices))),
    ]


def public_results(campaign: Campaign) -> dict:
    """What the public results page may show: approved submissions only, counted per hex cell, cells with
    fewer than k suppressed; category totals below k suppressed likewise; comments if published."""
    k = suppress_below()
    approved = list(campaign.submissions.approved().only("h3_r8", "categories", "text", "pk"))
    shown, hidden = analysis.suppress(analysis.cell_counts(s.h3_r8 for s in approved), k)
    category_counts = analysis.breakdown(
        [c for s in approved for c in s.categories], campaign_labels(campaign)
    )
    categories = [(label, n if n >= k else None) for _, label, n in category_counts]
    comments = [s.text for s in approved if s.text] if campaign.publish_comments else []
    return {
        "k": k,
        "total": len(approved),
        "cells": hex_features(shown),
        "cell_rows": [(cell_to_h3(c), n) for c, n in sorted(shown.items(), key=lambda item: -item[1])],
        "hidden": hidden,
        "categories": categories,
        "comments": comments,
    }


def campaign_labels(campaign: Campaign) -> dict[str, str]:
    return dict(campaign.category_choices())


# --- exports -------------------------------------------------------------------------------------


EXPORT_COLUMNS = [
    ("kvitto", lambda s: s.receipt),
    ("inkom", lambda s: s.submitted_on.isoformat()),
    ("status", lambda s: s.get_status_display()),
    ("platsangivelse", lambda s: s.get_location_kind_display()),
    ("plats", lambda s: s.place.name if s.place_id else ""),
    ("platsbeskrivning", lambda s: s.location_text),
    ("latitud", lambda s: "" if s.lat is None else f"{s.lat:.6f}"),
    ("longitud", lambda s: "" if s.lon is None else f"{s.lon:.6f}"),
    ("h3_r8", lambda s: cell_to_h3(s.h3_r8) if s.h3_r8 else ""),
    ("kategorier", lambda s: "; ".join(s.category_labels())),
    ("tid_pa_dygnet", lambda s: s.get_time_of_day_display()),
    ("vardag_helg", lambda s: s.get_day_type_display()),
    ("aldersgrupp", lambda s: s.get_age_group_display()),
    ("kon", lambda s: s.get_gender_display()),
    ("text", lambda s: s.text),
]


def neutralise(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP: prefix with an apostrophe)."""
    return safe_cell(str(value))


def export_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([name for name, _ in EXPORT_COLUMNS])
    for s in rows:
        writer.writerow([neutralise(get(s)) for _, get in EXPORT_COLUMNS])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 correctly


def export_geojson(rows) -> str:
    features = []
    for s in rows:
        lat, lon = (
            (s.lat, s.lon) if s.has_point else ((s.place.lat, s.place.lon) if s.place_id else (None, None))
        )
        features.append(
            {
                "type": "Feature",
                "geometry": None if lat is None else {"type": "Point", "coordinates": [lon, lat]},
                "properties": {name: get(s) for name, get in EXPORT_COLUMNS},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
