"""Texts of the demo lägesbild: incident descriptions, camera sites, and the meetings, focus areas and
actions described in section 4.3 of the reference report (dates are placed relative to today)."""

from __future__ import annotations

import datetime as dt

from trygg.plans.models import Activity

from .models import Action, FocusArea, Meeting

TEMPLATES = {
    "ungdomshang": [
        "Grupp ungdomar samlades{at} under kvällen; hög musik och nedskräpning.",
        "Ungdomar hängde{at} sent, förbipasserande upplevde det otryggt.",
    ],
    "ordningsstorning": [
        "Störande beteende{at}, flera personer inblandade.",
        "Bråk och högljudda personer{at} under natten.",
    ],
    "motorburna": [
        "A-traktorer/EPA körde i hög fart{at}.",
        "Motorträff{at} med buskörning och hög ljudnivå.",
    ],
    "stold-ur-motorfordon": ["Inbrott i bil{at}, ruta krossad.", "Stöld ur husbil{at} under natten."],
    "stold-och-inbrott": ["Stöld{at}.", "Inbrott i förråd{at}."],
    "narkotikaforsaljning": [
        "Misstänkt narkotikaförsäljning{at}, bilar som stannar kort och åker vidare.",
        "Tips om misstänkt försäljning av narkotika{at}.",
    ],
    "narkotikapaverkan": ["Person påverkad av narkotika{at}.", "Spår av narkotikaanvändning hittades{at}."],
    "skadegorelse": ["Klotter{at}.", "Skadegörelse{at}: krossad glasruta."],
    "brand": ["Brand i papperskorg{at}.", "Anlagd brand i container{at}."],
    "fyrverkerier": ["Fyrverkerier avfyrades mot personer{at}.", "Smällare kastades{at}."],
    "nedskrapning": ["Omfattande nedskräpning{at}.", "Glas och skräp kvar{at} efter helgen."],
    "otrygg-plats": [
        "Platsen{at} upplevs otrygg: trasig belysning.",
        "Skymd sikt av buskage{at}, boende känner sig otrygga.",
    ],
    "hot-och-vald": ["Misshandel{at}.", "Hot mot personal{at}."],
    "ovrigt": ["Övrig händelse{at}."],
}


def describe(slug: str, place_name: str | None, draw: int) -> str:
    options = TEMPLATES[slug]
    return options[draw % len(options)].format(at=f" vid {place_name}" if place_name else "")


_CAMERA_NOTES = (
    "I drift sedan 2021 (enligt uppföljningen 2023). Integritetsskyddsmyndigheten (IMY) påbörjade hösten 2021 "
    "tillsyn enligt dataskyddsförordningen av kommunens kamerabevakning; beslut inväntas. Arbetet med fler "
    "kameraplatser är pausat tills beslut finns. Diarienummer fylls i när det är känt."
)
_CAMERA_PURPOSE = "Trygghetskamera utomhus på allmän plats för att förebygga brott och öka tryggheten."
CAMERAS = [
    {
        "name": f"Trygghetskamera {place}",
        "place": place,
        "area_description": area,
        "purpose": _CAMERA_PURPOSE,
        "permit_status": "supervision",
        "imy_reference": "",
        "imy_decision_date": None,
        "notes": _CAMERA_NOTES,
    }
    for place, area in [
        ("Vita fläcken", "Uppställningsplatsen och infarten"),
        ("Skarpe Nord", "Gångstråket och torgytan"),
        ("Nordmannatorget", "Torget"),
        ("Kongahällacenter/Resecentrum", "Resecentrum och entréerna till centrumet"),
    ]
]

# (place, meeting index, factor): incidents at the place drop to factor × the usual rate after the action
# decided at that meeting starts (three days later). Other actions have no built-in effect.
EFFECTS = [("Vita fläcken", 2, 0.3), ("Brushanestigen/Trankärsvägen", 3, 0.6)]

# (meeting index, place, category slug, problem, weeks)
FOCUS_AREAS = [
    (2, "Vita fläcken", "motorburna", "Motorburna ordningsstörningar och ungdomshäng kvällstid", 8),
    (
        3,
        "Komarken",
        "narkotikaforsaljning",
        "Misstänkt narkotikaförsäljning; polisens kartläggning av organiserad brottslighet",
        12,
    ),
    (
        3,
        "Brushanestigen/Trankärsvägen",
        "otrygg-plats",
        "Utpekad som otrygg plats i den digitala trygghetsvandringen: belysning och vegetation",
        8,
    ),
    (4, "Bohus fästning", "stold-ur-motorfordon", "Stöld ur motorfordon vid ställplatserna", 10),
    (5, "Kode busstation", "ungdomshang", "Ungdomshäng och skadegörelse vid busstationen", 6),
    (6, "Munkegärdeskolan", "ungdomshang", "Ungdomshäng och ordningsstörningar", 6),
    (7, "Utmarksvägen", "narkotikaforsaljning", "Häng och öppen narkotikahandel", 8),
    (8, "Kongahällacenter/Resecentrum", "ordningsstorning", "Fältning under lovet", 4),
]

# (focus area index or None with meeting index, kind, title, organisation key, unit, start +days, due +days, status)
ACTIONS = [
    (
        0,
        "adults",
        "Kontinuerlig närvaro av fältarbetare, väktare och nattvandrare på Vita fläcken",
        "municipality",
        "Trygga ungdomsmiljöer",
        3,
        56,
        "done",
    ),
    (
        0,
        "information",
        "Informationsutskick till vårdnadshavare och fordonsägare (A-traktor/EPA)",
        "municipality",
        "Säkerhetsenheten",
        3,
        14,
        "done",
    ),
    (
        0,
        "other",
        "Särskild samverkan med berörda företag inför större motorträffar",
        "police",
        None,
        3,
        28,
        "done",
    ),
    (1, "guards", "Riktad väktarinsats vid Komarken", "guards", "Säkerhetsenheten", 3, 84, "ongoing"),
    (
        1,
        "other",
        "Samarbete mot häng i trappuppgångar och källarutrymmen i höghus",
        "housing",
        None,
        3,
        84,
        "ongoing",
    ),
    (
        2,
        "lighting",
        "Översyn och förstärkning av belysningen längs gångvägen",
        "municipality",
        "Trafik Gata Park",
        3,
        28,
        "done",
    ),
    (
        2,
        "pruning",
        "Beskärning av vegetation som skymmer sikten",
        "municipality",
        "Trafik Gata Park",
        10,
        35,
        "planned",
    ),
    (
        3,
        "guards",
        "Riktad väktartillsyn vid ställplatserna vid Bohus fästning",
        "guards",
        "Säkerhetsenheten",
        3,
        70,
        "done",
    ),
    (
        3,
        "information",
        "Information om stöld ur motorfordon via kommunens webbplats, polisens lokala Facebook och lokaltidningen",
        "municipality",
        "Säkerhetsenheten",
        3,
        14,
        "done",
    ),
    (4, "guards", "Riktad väktarinsats vid Kode busstation", "guards", "Säkerhetsenheten", 3, 42, "ongoing"),
    (5, "guards", "Riktad väktarinsats vid Munkegärdeskolan", "guards", "Säkerhetsenheten", 3, 42, "ongoing"),
    (
        5,
        "information",
        "Brev till vårdnadshavare om ungdomshäng kvällstid",
        "municipality",
        "Trygga ungdomsmiljöer",
        3,
        10,
        "done",
    ),
    (
        6,
        "pruning",
        "Klippning av buskage och översyn av belysningen",
        "municipality",
        "Trafik Gata Park",
        3,
        42,
        "ongoing",
    ),
    (
        7,
        "field_work",
        "Fältning vid Kongahällacenter under lovet (Trygga ungdomsmiljöer, Utförarenheten och Gemensam mottagning)",
        "municipality",
        "Trygga ungdomsmiljöer",
        7,
        21,
        "planned",
    ),
    (
        (9,),
        "information",
        "Information om regler för fyrverkerier på kommunens webbplats",
        "municipality",
        "Säkerhetsenheten",
        0,
        14,
        "planned",
    ),
    (
        (9,),
        "cameras",
        "Återuppta arbetet med fler kameraplatser när IMY:s tillsyn är avslutad",
        "municipality",
        "Säkerhetsenheten",
        None,
        None,
        "planned",
    ),
]

LST_ORGS = ["police", "rescue", "housing", "transport", "guards", "municipality"]
LST_NOTES = (
    "Genomgång av lägesbilden sedan förra mötet: händelser per plats och kategori, hotspots och öppna "
    "åtgärder. Fokusområden och åtgärder beslutades enligt listan nedan."
)
AGENCY_NOTES = "Myndighetsgemensam lägesbild mot organiserad brottslighet. Säkerhetsenheten deltar månadsvis."


def create_meetings(dates, today, places, categories, orgs, units) -> int:
    """Meetings every other week (LST) and monthly (myndighetsgemensamt), with focus areas and actions."""
    meetings = []
    for day in dates:
        meeting = Meeting.objects.create(date=day, kind=Meeting.Kind.LST_BIWEEKLY, notes=LST_NOTES)
        meeting.organisations.set([orgs[k] for k in LST_ORGS])
        meeting.units.set(list(units.values()))
        meetings.append(meeting)
    for months_back in (1, 2, 3):
        first = (today.replace(day=1) - dt.timedelta(days=28 * months_back)).replace(day=1)
        thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
        agency = Meeting.objects.create(date=thursday, kind=Meeting.Kind.AGENCY_MONTHLY, notes=AGENCY_NOTES)
        agency.organisations.set([orgs["police"], orgs["municipality"]])
        agency.units.set([units["Säkerhetsenheten"]])

    focus_areas = [
        FocusArea.objects.create(
            meeting=meetings[m],
            place=places[p],
            category=categories[c],
            problem=problem,
            start=meetings[m].date,
            weeks=weeks,
        )
        for m, p, c, problem, weeks in FOCUS_AREAS
    ]
    area_activity = Activity.objects.filter(title__startswith="Områdesbaserat arbete").first()
    for ref, kind, title, org, unit, start, due, status in ACTIONS:
        focus_area = focus_areas[ref] if isinstance(ref, int) else None
        meeting = focus_area.meeting if focus_area else meetings[ref[0]]
        Action.objects.create(
            focus_area=focus_area,
            meeting=meeting,
            kind=kind,
            title=title,
            status=status,
            responsible_organisation=orgs[org],
            responsible_unit=units.get(unit) if unit else None,
            start_date=meeting.date + dt.timedelta(days=start) if start is not None else None,
            due_date=meeting.date + dt.timedelta(days=due) if due is not None else None,
            plan_activity=area_activity if focus_area is not None else None,
        )
    return len(meetings) + 3
