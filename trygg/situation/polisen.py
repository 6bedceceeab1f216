"""Import of the Police Authority's events feed (polisen.se/api/events) into the lägesbild.

Format (one JSON list): id, datetime ("2024-01-01 0:40:16 +01:00", publication time), name
("31 december 00.07, Brand, Nacka": day, month and time of the event without a year, then type, then
place), summary, url (relative), type, location {name, gps "lat,lon"}.

Rules:
- An event is assigned to every hosted municipality it falls in: its location is the municipality, or the
  last part of its name is (since 2026 many events carry only the county in location.name). One incident per
  municipality; an event that names only the county is assigned to none.
- The gps is the centroid of the municipality or county, not where it happened: such events are stored
  without coordinates and never drawn on the map. An event whose summary names one of our places is stored
  at that place (approximate, like any place-level report).
- Multi-place summaries ("Sammanfattning natt") are stored off the map and are never matched to a place.
- The event year is not in the name: take the publication year, or the year before when that would put
  the event more than a day after its publication (an event of 31 December published on 1 January).
- Dedupe on the police id per municipality; re-importing the same file creates nothing.
- Written through situation.actions.do_bulk_create_incidents (descriptions redacted, one audit row per
  municipality and import).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.db import transaction

from trygg.accounts.models import Organisation
from trygg.places.models import Municipality, Place

from .actions import LocationContext, do_bulk_create_incidents, location_values
from .models import Category, Incident

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BASE_URL = "https://polisen.se"
POLICE_HOSTS = {"polisen.se", "www.polisen.se"}


def police_link(url: str) -> str:
    """The police event's page on polisen.se, or "" for anything else (another host, http, javascript:…)."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        url = BASE_URL + url
    parts = urlsplit(url)
    ok = parts.scheme == "https" and parts.hostname in POLICE_HOSTS and not parts.username and not parts.port
    return url if ok else ""


FALLBACK_CATEGORY = "ovrigt"
POLICE_ORGANISATION = "Polisen"

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "augusti": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

_NAME_DATE = re.compile(
    r"^\s*(?P<day>\d{1,2})\s+(?P<month>[a-zåäö]+)\s+(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\s*$"
)
_PUBLISHED = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2}) (?P<sign>[+-])(?P<oh>\d{2}):(?P<om>\d{2})$"
)


class PolisenFormatError(ValueError):
    """The file does not look like Polisen's events feed; the message is Swedish."""


@dataclass(frozen=True)
class PoliceEvent:
    id: int
    published: dt.datetime
    occurred: dt.datetime
    type: str
    title_place: str
    location_name: str
    gps: tuple[float, float] | None
    summary: str
    url: str

    @property
    def is_summary(self) -> bool:
        return self.type.lower().startswith("sammanfattning")

    @property
    def is_county_level(self) -> bool:
        return self.location_name.endswith(" län")


def parse_published(text: str) -> dt.datetime:
    match = _PUBLISHED.match(text.strip())
    if not match:
        raise PolisenFormatError(f"Okänt datumformat i fältet datetime: {text!r}.")
    offset = dt.timedelta(hours=int(match["oh"]), minutes=int(match["om"]))
    tz = dt.timezone(offset if match["sign"] == "+" else -offset)
    day = dt.date.fromisoformat(match["date"])
    return dt.datetime(
        day.year, day.month, day.day, int(match["h"]), int(match["m"]), int(match["s"]), tzinfo=tz
    )


def infer_occurred(name_date: str, published: dt.datetime) -> dt.datetime:
    """ "31 december 00.07" published 2024-01-01 00:40 -> 2023-12-31 00:07 (Swedish local time)."""
    match = _NAME_DATE.match(name_date.lower())
    if not match or match["month"] not in MONTHS:
        raise PolisenFormatError(f"Okänt datum i händelsens namn: {name_date!r}.")
    local_published = published.astimezone(STOCKHOLM)
    day, month = int(match["day"]), MONTHS[match["month"]]
    hour, minute = int(match["hour"]), int(match["minute"])
    for year in (local_published.year, local_published.year - 1):
        try:
            candidate = dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)
        except ValueError:  # 29 februari in a non-leap year: try the year before
            continue
        if candidate <= local_published + dt.timedelta(days=1):
            return candidate
    raise PolisenFormatError(f"Datumet {name_date!r} passar inte publiceringstiden {published:%Y-%m-%d}.")


def parse_event(raw: dict) -> PoliceEvent:
    try:
        event_id = int(raw["id"])
        name = str(raw["name"])
        published = parse_published(str(raw["datetime"]))
        location = raw.get("location") or {}
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PolisenFormatError):
            raise
        raise PolisenFormatError(f"Händelsen saknar fältet {exc} eller har fel typ.") from None
    parts = [p.strip() for p in name.split(",")]
    if len(parts) < 3:
        raise PolisenFormatError(f"Händelse {event_id}: namnet {name!r} har inte formen 'datum, typ, plats'.")
    gps = None
    if location.get("gps"):
        try:
            lat_text, lon_text = str(location["gps"]).split(",")
            gps = (float(lat_text), float(lon_text))
        except ValueError:
            raise PolisenFormatError(f"Händelse {event_id}: ogiltig gps {location['gps']!r}.") from None
    return PoliceEvent(
        id=event_id,
        published=published,
        occurred=infer_occurred(parts[0], published),
        type=str(raw.get("type") or ", ".join(parts[1:-1])),
        title_place=parts[-1],
        location_name=str(location.get("name") or ""),
        gps=gps,
        summary=str(raw.get("summary") or ""),
        url=str(raw.get("url") or ""),
    )


def parse_events(data) -> list[PoliceEvent]:
    """Parse the whole feed first, so that a bad row stops the import before anything is written."""
    if not isinstance(data, list):
        raise PolisenFormatError("Filen ska innehålla en JSON-lista med händelser.")
    events = []
    for index, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            raise PolisenFormatError(f"Rad {index} är inte ett JSON-objekt.")
        try:
            events.append(parse_event(raw))
        except PolisenFormatError as exc:
            raise PolisenFormatError(f"Rad {index}: {exc}") from None
    return events


def belongs_to(event: PoliceEvent, municipality_name: str) -> bool:
    name = municipality_name.casefold()
    return event.location_name.casefold() == name or event.title_place.casefold() == name


def precision_for(event: PoliceEvent, municipality_name: str) -> str:
    if event.is_summary:
        return Incident.Precision.NONE
    if event.location_name.casefold() == municipality_name.casefold():
        return Incident.Precision.MUNICIPALITY
    if event.is_county_level:
        return Incident.Precision.COUNTY
    return Incident.Precision.NONE


def match_place(text: str, places: Iterable[Place]) -> Place | None:
    """The place whose name (or alias) occurs in the text as a whole word; None when none or several do."""
    found = {
        place.pk: place
        for place in places
        for name in place.names()
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)
    }
    return next(iter(found.values())) if len(found) == 1 else None


@dataclass
class ImportResult:
    created: int = 0
    duplicates: int = 0
    other_places: int = 0
    at_places: int = 0
    by_municipality: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        per = ", ".join(f"{name} {n}" for name, n in sorted(self.by_municipality.items()))
        return (
            f"{self.created} nya händelser ({self.at_places} vid namngivna platser"
            f"{'; ' + per if per else ''}), {self.duplicates} fanns redan, "
            f"{self.other_places} gällde andra kommuner eller bara länet."
        )


def _category_for_types() -> tuple[dict[str, Category], Category]:
    categories = list(Category.objects.all())
    by_type = {t.casefold(): c for c in categories for t in c.police_type_list()}
    fallback = next((c for c in categories if c.slug == FALLBACK_CATEGORY), None)
    if fallback is None:
        raise PolisenFormatError(
            f"Kategorin '{FALLBACK_CATEGORY}' saknas; den behövs för okända händelsetyper."
        )
    return by_type, fallback


@transaction.atomic
def import_events(data, *, municipalities=None, acting_user=None) -> ImportResult:
    """Import the feed's events into every hosted municipality they fall in (default: every municipality
    of the installation). Validates everything first, writes in one transaction."""
    events = parse_events(data)
    hosted = list(municipalities if municipalities is not None else Municipality.objects.order_by("name"))
    result = ImportResult()
    assigned: set[int] = set()
    by_type, fallback = _category_for_types()
    police = Organisation.objects.get_or_create(
        name=POLICE_ORGANISATION, defaults={"kind": Organisation.Kind.POLICE}
    )[0]
    for municipality in hosted:
        ours = [e for e in events if belongs_to(e, municipality.name)]
        if not ours:
            continue
        assigned.update(e.id for e in ours)
        ctx = LocationContext.of(municipality)
        existing = set(
            Incident.objects.filter(
                municipality=municipality, external_id__in={f"polisen:{e.id}" for e in ours}
            ).values_list("external_id", flat=True)
        )
        places = list(Place.objects.for_municipality(municipality).active())
        rows: list[dict] = []
        seen: set[str] = set()
        for event in ours:
            external_id = f"polisen:{event.id}"
            if external_id in existing or external_id in seen:
                result.duplicates += 1
                continue
            seen.add(external_id)
            place = None if event.is_summary else match_place(event.summary, places)
            rows.append(
                {
                    "category": by_type.get(event.type.casefold(), fallback),
                    "occurred_from": event.occurred,
                    "source_organisation": police,
                    "origin": Incident.Origin.POLISEN,
                    "external_id": external_id,
                    "external_url": police_link(event.url),
                    "description": f"{event.type}: {event.summary}".strip(),
                    **location_values(
                        ctx,
                        place=place,
                        lat=None,
                        lon=None,
                        fallback_precision=precision_for(event, municipality.name),
                    ),
                }
            )
            result.at_places += place is not None
        created, _ = do_bulk_create_incidents(
            municipality, rows, acting_user=acting_user, source="Polisens händelser"
        )
        result.created += len(created)
        if created:
            result.by_municipality[municipality.name] = len(created)
    result.other_places = sum(1 for e in events if e.id not in assigned)
    return result
