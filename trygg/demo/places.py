"""Demo places: Kungälv's approximate districts and the named places of the reference report, and a few
made-up places in Ale (the second demo municipality). Written only through trygg.places.actions.

Coordinates are approximate (good to a few hundred metres) and meant for demonstration; district borders are
derived from district centres (Voronoi cells clipped to the municipality) and marked approximate. The
municipality and its boundary are loaded by the caller (load_demo: places.loading.load_municipality).
"""

from __future__ import annotations

from django.db import transaction
from pyproj import Transformer
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import transform, voronoi_diagram

from trygg.places.actions import do_save_district, do_save_place
from trygg.places.models import Municipality, Place

# (name, lat, lon): approximate centres of the kommundelar.
KUNGALV_DISTRICTS = [
    ("Kungälv tätort", 57.8710, 11.9760),
    ("Ytterby", 57.8620, 11.9180),
    ("Kareby", 57.9300, 11.9350),
    ("Kode", 57.9500, 11.8550),
    ("Marstrand", 57.8870, 11.5900),
    ("Romelanda och Diseröd", 57.9350, 12.0400),
    ("Harestad och Tjuvkil", 57.8300, 11.7800),
]

# (name, kind, lat, lon, aliases, description)
KUNGALV_PLACES = [
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


ALE_DISTRICTS = [
    ("Nödinge-Nol", 57.8940, 12.0650),
    ("Surte-Bohus", 57.8350, 12.0150),
    ("Älvängen", 57.9580, 12.1150),
    ("Skepplanda", 57.9850, 12.2000),
]

# Made up for the demo (real place names, invented descriptions).
ALE_PLACES = [
    (
        "Ale torg",
        "shopping",
        57.8950,
        12.0660,
        "Nödinge centrum",
        "Centrum med handel, bibliotek och pendeltåg.",
    ),
    ("Nödinge station", "transit", 57.8925, 12.0625, "", "Pendeltågsstation och pendelparkering."),
    ("Älvängens station", "transit", 57.9590, 12.1160, "", "Pendeltågsstation; häng kvällstid."),
    ("Surte centrum", "square", 57.8230, 12.0150, "Surte", "Torg och busshållplats."),
    ("Ale gymnasium", "school", 57.8975, 12.0700, "", "Gymnasieskola."),
]

DEMO = {"1482": (KUNGALV_DISTRICTS, KUNGALV_PLACES), "1440": (ALE_DISTRICTS, ALE_PLACES)}


def _district_geometries(municipality: Municipality, centres_list) -> dict[str, dict]:
    """Voronoi cells around the district centres, computed in metres and clipped to the boundary."""
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform
    to_deg = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform
    outline = transform(to_m, shape(municipality.geometry))
    centres = {name: transform(to_m, Point(lon, lat)) for name, lat, lon in centres_list}
    regions = voronoi_diagram(MultiPoint(list(centres.values())), envelope=outline.envelope.buffer(5000))
    result = {}
    for region in regions.geoms:
        name = next(n for n, c in centres.items() if region.contains(c))
        result[name] = mapping(transform(to_deg, region.intersection(outline)))
    return result


@transaction.atomic
def load(municipality: Municipality, *, acting_user) -> str:
    """Districts and places of a demo municipality (Kungälv or Ale; others get none). Idempotent: existing
    rows are updated by name (and audited only when something changed). Returns a short Swedish summary."""
    districts, places = DEMO.get(municipality.code, ((), ()))
    if not districts and not places:
        return "inga demoplatser för denna kommun"
    for name, geometry in _district_geometries(municipality, districts).items():
        do_save_district(municipality, name, geometry=geometry, approximate=True, acting_user=acting_user)
    for name, kind, lat, lon, aliases, description in places:
        place = Place.objects.filter(municipality=municipality, name=name).first() or Place(
            municipality=municipality, name=name
        )
        place.kind, place.lat, place.lon = kind, lat, lon
        place.aliases, place.description, place.district = aliases, description, None
        do_save_place(place, acting_user=acting_user)
    return f"{len(districts)} kommundelar, {len(places)} platser"
