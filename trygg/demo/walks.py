"""Demo trygghetsvandringar: for Kungälv the walks that "Uppföljning 2023 Trygg i Kungälv" names (section 4.3:
Brushanestigen/Trankärsvägen, Utmarksvägen, Guntorpsvägen in Kode done; Skarpe Nord planned for spring 2024).

They are demo reconstructions (Walk.demo, shown on every page and in the protocol): the report names the
places and the partners, not the dates, findings, scores or measures, which are invented here. Everything is
written through trygg.walks.actions, so each finding also appears in the lägesbild. Idempotent: a demo walk
that already exists (same title) is left as it is. Other municipalities get no demo walks.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from trygg.accounts.models import Organisation
from trygg.demo.users import demo_unit
from trygg.places.models import Municipality, Place
from trygg.walks.actions import do_add_stop, do_save_finding, do_save_measure, do_save_walk
from trygg.walks.models import Finding, Measure, Walk

from .users import POLICE

F = Finding.Category
S = Measure.Status

# title, place, date, start, status, published, units, organisations, background, stops, findings.
# A finding: (category, place, (dlat, dlon) offset from the place or None, feeling, scores, description,
# measures); scores in the order of models.PARAMETERS; a measure: (title, unit, organisation, due, status).
WALKS = [
    {
        "title": "Brushanestigen/Trankärsvägen",
        "place": "Brushanestigen/Trankärsvägen",
        "date": dt.date(2023, 9, 21),
        "start": dt.time(19, 30),
        "status": Walk.Status.DONE,
        "published": True,
        "units": ["Säkerhetsenheten", "Trafik Gata Park"],
        "organisations": [POLICE, "housing"],
        "background": "Platsen pekades ut som otrygg i den digitala trygghetsvandringen och av Frivilliga "
        "Resursgruppen, som flyttat till platsen under året. Säkerhetsenheten och Trafik Gata Park gick "
        "området med aktörer på plats och satte upp möjliga åtgärder.",
        "stops": [
            ("Brushanestigen/Trankärsvägen", None, "Samling"),
            (None, (0.0012, -0.0010), "Gångtunneln"),
        ],
        "findings": [
            (
                F.LIGHTING,
                None,
                (0.0012, -0.0010),
                2,
                (1, 2, 2, 2, 1, 3, 3, 2),
                "Gångtunneln under vägen är mörk; två armaturer är trasiga.",
                [
                    (
                        "Byt trasiga armaturer i gångtunneln",
                        "Trafik Gata Park",
                        None,
                        dt.date(2023, 11, 1),
                        S.DONE,
                    )
                ],
            ),
            (
                F.VEGETATION,
                None,
                (0.0006, 0.0008),
                2,
                (2, 1, 2, 2, 1, 3, 3, 2),
                "Höga buskar skymmer sikten längs gångvägen mot busshållplatsen.",
                [("Beskär buskarna längs gångvägen", None, "housing", dt.date(2024, 4, 30), S.ONGOING)],
            ),
            (
                F.UNSAFE_PLACE,
                "Brushanestigen/Trankärsvägen",
                None,
                2,
                (3, 3, 2, 2, 1, 3, 3, 2),
                "Samlingsplats kvällstid; boende beskriver platsen som otrygg.",
                [
                    (
                        "Öka fältarbetarnas närvaro fredagskvällar",
                        "Säkerhetsenheten",
                        None,
                        dt.date(2024, 6, 30),
                        S.ONGOING,
                    )
                ],
            ),
        ],
    },
    {
        "title": "Utmarksvägen",
        "place": "Utmarksvägen",
        "date": dt.date(2023, 10, 12),
        "start": dt.time(20, 0),
        "status": Walk.Status.DONE,
        "published": True,
        "units": ["Säkerhetsenheten", "Trafik Gata Park"],
        "organisations": [POLICE],
        "background": "En lokal församling kontaktade kommunen efter upprepade problem med häng och öppen "
        "narkotikahandel på platsen. En åtgärdsplan togs fram med Säkerhetsenheten och Trafik Gata Park.",
        "stops": [("Utmarksvägen", None, "Samling vid parkeringen")],
        "findings": [
            (
                F.UNSAFE_PLACE,
                "Utmarksvägen",
                None,
                1,
                (2, 2, 1, 1, 1, 3, 2, 1),
                "Häng vid parkeringen kvällstid; tecken på narkotikahandel enligt polisen.",
                [
                    (
                        "Ta upp platsen som fokusområde i lägesbildsmötet",
                        "Säkerhetsenheten",
                        None,
                        dt.date(2023, 11, 15),
                        S.DONE,
                    )
                ],
            ),
            (
                F.LIGHTING,
                None,
                (-0.0007, 0.0009),
                2,
                (1, 3, 2, 2, 1, 3, 2, 2),
                "Parkeringen saknar belysning i den norra delen.",
                [
                    (
                        "Sätt upp belysning på parkeringens norra del",
                        "Trafik Gata Park",
                        None,
                        dt.date(2024, 3, 31),
                        S.PLANNED,
                    )
                ],
            ),
            (
                F.LITTER,
                None,
                (0.0005, -0.0006),
                3,
                (3, 3, 3, 2, 2, 3, 2, 2),
                "Skräp och kanyler vid återvinningsstationen.",
                [
                    (
                        "Extra städning och sprutsäker papperskorg",
                        "Trafik Gata Park",
                        None,
                        dt.date(2023, 10, 31),
                        S.DONE,
                    )
                ],
            ),
        ],
    },
    {
        "title": "Guntorpsvägen, Kode",
        "place": "Guntorpsvägen",
        "date": dt.date(2023, 11, 9),
        "start": dt.time(19, 0),
        "status": Walk.Status.DONE,
        "published": True,
        "units": ["Trygga ungdomsmiljöer", "Trafik Gata Park"],
        "organisations": [POLICE],
        "background": "Efter upprepade problem med ungdomar i området. Samarbete mellan Vuxna på Stan, Trygga "
        "Ungdomsmiljöer, Trafik Gata Park och lokala aktörer.",
        "stops": [("Guntorpsvägen", None, "Samling"), ("Kode busstation", None, "Busstorget")],
        "findings": [
            (
                F.VANDALISM,
                "Guntorpsvägen",
                None,
                3,
                (3, 3, 3, 2, 2, 3, 4, 3),
                "Klotter på elskåp och busskur.",
                [
                    (
                        "Sanera klottret inom 24 timmar enligt rutinen",
                        "Trafik Gata Park",
                        None,
                        dt.date(2023, 11, 16),
                        S.DONE,
                    )
                ],
            ),
            (
                F.TRAFFIC,
                None,
                (0.0008, 0.0004),
                3,
                (3, 4, 3, 3, 2, 2, 4, 3),
                "Mopeder kör på gångvägen mellan skolan och busstorget.",
                [
                    (
                        "Utred fysiskt hinder vid gångvägens infart",
                        "Trafik Gata Park",
                        None,
                        dt.date(2024, 5, 31),
                        S.PLANNED,
                    ),
                    (
                        "Informera i skolan om mopedkörning",
                        "Trygga ungdomsmiljöer",
                        None,
                        dt.date(2024, 2, 1),
                        S.CANCELLED,
                    ),
                ],
            ),
        ],
    },
    {
        "title": "Skarpe Nord",
        "place": "Skarpe Nord",
        "date": dt.date(2024, 4, 18),
        "start": dt.time(20, 0),
        "status": Walk.Status.PLANNED,
        "published": False,
        "units": ["Säkerhetsenheten", "Trafik Gata Park"],
        "organisations": [POLICE, "housing"],
        "background": "Planeringsarbete pågår för en trygghetsvandring våren 2024.",
        "stops": [("Skarpe Nord", None, "Samling")],
        "findings": [],
    },
]

HOUSING = "Kungälvsbostäder"


def _organisation(key: str) -> Organisation:
    if key == "housing":
        return Organisation.objects.get_or_create(name=HOUSING, defaults={"kind": Organisation.Kind.HOUSING})[
            0
        ]
    kind = Organisation.Kind.POLICE if key == POLICE else Organisation.Kind.OTHER
    return Organisation.objects.get_or_create(name=key, defaults={"kind": kind})[0]


def _point(place: Place, offset) -> tuple[float | None, float | None]:
    if offset is None:
        return None, None
    return round(place.lat + offset[0], 6), round(place.lon + offset[1], 6)


@transaction.atomic
def load(municipality: Municipality, *, acting_user) -> str:
    """Load the demo walks of `municipality` (1482 only); returns a short Swedish summary, "" for others."""
    if municipality.code != "1482":
        return ""
    from trygg.walks.models import PARAMETER_NAMES

    places = {p.name: p for p in Place.objects.filter(municipality=municipality)}
    created = findings = measures = 0
    for spec in WALKS:
        if Walk.objects.filter(municipality=municipality, title=spec["title"], demo=True).exists():
            continue
        home = places[spec["place"]]
        walk = Walk(
            municipality=municipality,
            title=spec["title"],
            place=home,
            date=spec["date"],
            start_time=spec["start"],
            status=spec["status"],
            published=spec["published"],
            description=spec["background"],
            demo=True,
        )
        units = [demo_unit(municipality, n, acting_user=acting_user) for n in spec["units"]]
        walk, _ = do_save_walk(
            walk,
            organisations=[_organisation(k) for k in spec["organisations"]],
            units=units,
            acting_user=acting_user,
        )
        created += 1
        for place_name, offset, note in spec["stops"]:
            stop_place = places[place_name] if place_name else None
            lat, lon = _point(home, offset)
            do_add_stop(walk, lat=lat, lon=lon, place=stop_place, note=note, acting_user=acting_user)
        for category, place_name, offset, feeling, scores, text, measure_specs in spec["findings"]:
            lat, lon = _point(home, offset)
            finding = Finding(
                walk=walk,
                category=category,
                place=places[place_name] if place_name else None,
                lat=lat,
                lon=lon,
                feeling=feeling,
                description=text,
                **dict(zip(PARAMETER_NAMES, scores, strict=True)),
            )
            finding, _ = do_save_finding(finding, acting_user=acting_user)
            findings += 1
            for title, unit_name, org_key, due, status in measure_specs:
                measure = Measure(
                    finding=finding,
                    title=title,
                    responsible_unit=(
                        demo_unit(municipality, unit_name, acting_user=acting_user) if unit_name else None
                    ),
                    responsible_organisation=_organisation(org_key) if org_key else None,
                    due_date=due,
                    status=status,
                )
                do_save_measure(measure, acting_user=acting_user)
                measures += 1
    if not created:
        return "trygghetsvandringarna fanns redan"
    return f"{created} trygghetsvandringar (demorekonstruktioner), {findings} fynd, {measures} åtgärder"
