"""Plain Swedish for the lägesbild: what a hotspot class means, and a place name for every map cell.

Users (politicians, police, partners) see "Fler händelser än vanligt" rather than Gi* classes and the name of
a place or district rather than an H3 cell id; the method, with its terms, is on the "Så räknar vi" page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import h3.api.basic_int as h3_int
import numpy as np
from django.utils.translation import gettext_lazy as _

from trygg.places.boundary import boundary_of

from . import hotspot_inference, hotspots

# One phrase per class; the strength in words (from the FDR level the cell passed: 1 %, 5 %, 10 %).
PLAIN_LABELS = {
    hotspots.HOT_99: _("Fler händelser än vanligt (mycket säkert)"),
    hotspots.HOT_95: _("Fler händelser än vanligt (säkert)"),
    hotspots.HOT_90: _("Fler händelser än vanligt (ganska säkert)"),
    hotspots.NOT_SIGNIFICANT: _("Ingen säker skillnad"),
    hotspots.COLD_90: _("Färre än vanligt (ganska säkert)"),
    hotspots.COLD_95: _("Färre än vanligt (säkert)"),
    hotspots.COLD_99: _("Färre än vanligt (mycket säkert)"),
}

NEAR_METRES = 1500  # a named place farther than this from a cell's centre does not name it


def plain_label(css_class: str) -> str:
    return str(PLAIN_LABELS.get(css_class, css_class))


def area_text(scale) -> str:
    """How big the areas the map counts in are, and why, without H3 terms."""
    if scale is None:
        return ""
    size = f"{scale.neighbourhood_km2:.1f}".replace(".", ",")
    text = _(
        "Kartan jämför områden på ungefär %(size)s km² (i genomsnitt %(expected)s händelser per område)."
    ) % {"size": size, "expected": f"{scale.expected:.1f}".replace(".", ",")}
    if scale.sparse:
        text += " " + str(
            _(
                "Det är få händelser för att säkert se skillnader; välj en längre period eller fler kategorier."
            )
        )
    elif (scale.resolution, scale.k) == hotspot_inference.SCALES[0]:
        text += " " + str(
            _("Det är kartans minsta områden: händelserna räcker för att jämföra så små områden.")
        )
    else:
        # why not smaller: the rule in hotspot_inference.choose_scale, said without H3 terms
        text += " " + str(
            _(
                "Mindre områden hade fått färre än %(minimum)s händelser i genomsnitt, och då går det inte att "
                "skilja en verklig koncentration från slumpen."
            )
            % {"minimum": f"{hotspot_inference.MIN_EXPECTED_PER_NEIGHBOURHOOD:g}".replace(".", ",")}
        )
    return text


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular: exact enough for "which named place is nearest" within a municipality.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


class CellNamer:
    """Names a cell by the named places inside it, else the nearest named place (within NEAR_METRES),
    else the district that holds its centre, else "Område utan namngiven plats"."""

    def __init__(self, places: Iterable, districts: Iterable = ()):
        self.places = [p for p in places if getattr(p, "lat", None) is not None]
        self.districts = list(districts)
        self._inside: dict[int, dict[int, list[str]]] = {}
        # Each district's boundary is looked up once (boundary_of keys its cache on the geometry's JSON,
        # costly to build for every cell); names() finds the districts of many cells in one vectorised test.
        self._district_boundaries = [
            (d, boundary_of(d.geometry, d.name)) for d in self.districts if d.geometry
        ]
        self._district_of: dict[int, object] = {}

    def _district_at(self, cell: int, lat: float, lon: float):
        """The first district whose boundary holds the point (as places.boundary.district_for_point)."""
        if cell in self._district_of:
            return self._district_of[cell]
        for district, boundary in self._district_boundaries:
            if boundary.contains(lat, lon):
                return district
        return None

    def names(self, cells) -> list[str]:
        """name() of many cells; the district test runs once per district for all of them."""
        cells = [int(c) for c in cells]
        if cells and self._district_boundaries:
            centres = np.array([h3_int.cell_to_latlng(c) for c in cells])
            found = np.full(len(cells), -1)
            for i, (_district, boundary) in enumerate(self._district_boundaries):
                inside = boundary.contains_many(centres[:, 0], centres[:, 1]) & (found < 0)
                found[inside] = i
            for cell, i in zip(cells, found, strict=True):
                self._district_of[cell] = self._district_boundaries[i][0] if i >= 0 else None
        return [self.name(c) for c in cells]

    def _by_cell(self, resolution: int) -> dict[int, list[str]]:
        if resolution not in self._inside:
            found: dict[int, list[str]] = {}
            for place in self.places:
                cell = getattr(place, f"h3_r{resolution}", None)
                if cell is None:
                    cell = h3_int.latlng_to_cell(place.lat, place.lon, resolution)
                found.setdefault(cell, []).append(place.name)
            self._inside[resolution] = found
        return self._inside[resolution]

    def places_in(self, cell: int) -> list[str]:
        return sorted(self._by_cell(h3_int.get_resolution(cell)).get(cell, []))

    def name(self, cell: int) -> str:
        inside = self.places_in(cell)
        if inside:
            shown = ", ".join(inside[:3])
            return shown + (str(_(" m.fl.")) if len(inside) > 3 else "")
        lat, lon = h3_int.cell_to_latlng(cell)
        nearest = min(self.places, key=lambda p: _distance_m(lat, lon, p.lat, p.lon), default=None)
        if nearest is not None and _distance_m(lat, lon, nearest.lat, nearest.lon) <= NEAR_METRES:
            return str(_("Nära %(place)s")) % {"place": nearest.name}
        district = self._district_at(cell, lat, lon)
        if district is not None:
            return str(_("I %(district)s")) % {"district": district.name}
        if nearest is not None:
            metres = _distance_m(lat, lon, nearest.lat, nearest.lon)
            km = f"{metres / 1000:.1f}".replace(".", ",")
            return str(_("%(km)s km från %(place)s")) % {"km": km, "place": nearest.name}
        return str(_("Område utan namngiven plats"))
