"""Demo places for Kungälv: the boundary, approximate districts and the named places of the reference report.

Coordinates are approximate (good to a few hundred metres) and meant for demonstration; district borders are
derived from district centres (Voronoi cells clipped to the municipality) and marked approximate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from pyproj import Transformer
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import transform, voronoi_diagram

from .actions import set_location
from .boundary import municipality_boundary
from .loading import load_municipality
from .models import District, Municipality, Place

# (name, lat, lon): approximate centres of the kommundelar.
DISTRICTS = [
    ("Kungälv tätort", 57.8710, 11.9760),
    ("Ytterby", 57.8620, 11.9180),
    ("Kareby", 57.9300, 11.9350),
    ("Kode", 57.9500, 11.8550),
    ("Marstrand", 57.8870, 11.5900),
    ("Romelanda och Diseröd", 57.9350, 12.0400),
    ("Harestad och Tjuvkil", 57.8300, 11.7800),
]

# (name, kind, lat, lon, aliases, description)
PLACES = [
    (
        "Vita fläcken",
        "parking",
        57.8745,
        11.9560,
        "",
        "Uppställningsplats där ungdomar och motorburna samlas; trygghetskamera sedan 2021.",
    ),
    ("Komarken", "area", 57.8810, 11.9630, "", "Bostadsområde med höghus (Kungälvsbostäder)."),
    ("Kode busstation", "transit", 57.9492, 11.8575, "Kode busstorg", "Nytt busstorg planeras."),
    ("Munkegärdeskolan", "school", 57.8835, 11.9845, "Munkegärde", "Högstadieskola."),
    ("Nordmannatorget", "square", 57.8700, 11.9792, "", "Torg i centrum; trygghetskamera sedan 2021."),
    (
        "Kongahällacenter/Resecentrum",
        "transit",
        57.8727,
        11.9744,
        "Kongahällacenter, Resecentrum",
        "Köpcentrum och resecentrum; trygghetskamera sedan 2021.",
    ),
    ("Skarpe Nord", "area", 57.8790, 12.0000, "", "Bostadsområde; trygghetskamera sedan 2021."),
    (
        "Brushanestigen/Trankärsvägen",
        "street",
        57.8870,
        11.9720,
        "Brushanestigen, Trankärsvägen",
        "Utpekad som otrygg plats i den digitala trygghetsvandringen.",
    ),
    ("Utmarksvägen", "street", 57.8640, 11.9600, "", "Upprepade problem med häng och narkotikahandel."),
    ("Guntorpsvägen", "street", 57.9470, 11.8630, "", "Kode; upprepade problem med ungdomar."),
    ("Rollsbo", "area", 57.8900, 11.9420, "", "Verksamhetsområde; arenaprojekt planeras."),
    (
        "Bohus fästning",
        "landmark",
        57.8608,
        11.9950,
        "Fästningsholmen",
        "Ställplatser där stöld ur motorfordon förekommer sommartid.",
    ),
    ("Mimers Hus", "school", 57.8690, 11.9700, "", "Gymnasium och kulturhus."),
    ("Thorildskolan", "school", 57.8660, 11.9880, "", "Högstadieskola."),
    ("Ytterbyskolan", "school", 57.8615, 11.9225, "", "Högstadieskola."),
    ("Marstrands hamn", "square", 57.8865, 11.5860, "", "Hamnen; många besökare sommartid."),
]


def _district_geometries(municipality: Municipality) -> dict[str, dict]:
    """Voronoi cells around the district centres, computed in metres and clipped to the boundary."""
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform
    to_deg = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform
    outline = transform(to_m, shape(municipality.geometry))
    centres = {name: transform(to_m, Point(lon, lat)) for name, lat, lon in DISTRICTS}
    regions = voronoi_diagram(MultiPoint(list(centres.values())), envelope=outline.envelope.buffer(5000))
    result = {}
    for region in regions.geoms:
        name = next(n for n, c in centres.items() if region.contains(c))
        result[name] = mapping(transform(to_deg, region.intersection(outline)))
    return result


@transaction.atomic
def load_demo_places(code: str | None = None) -> Municipality:
    """Load the boundary, districts and places. Idempotent: existing rows are updated by name."""
    municipality = load_municipality(code or settings.TRYGG_MUNICIPALITY_CODE)
    if municipality.code != "1482":
        return municipality  # the named demo places are Kungälv's; other kommuner get the boundary only
    for name, geometry in _district_geometries(municipality).items():
        District.objects.update_or_create(
            municipality=municipality, name=name, defaults={"geometry": geometry, "approximate": True}
        )
    boundary = municipality_boundary(municipality)
    for name, kind, lat, lon, aliases, description in PLACES:
        boundary.require_inside(lat, lon)
        place = Place.objects.filter(municipality=municipality, name=name).first() or Place(
            municipality=municipality, name=name
        )
        place.kind, place.lat, place.lon = kind, lat, lon
        place.aliases, place.description, place.district = aliases, description, None
        set_location(place)
        place.save()
    return municipality
