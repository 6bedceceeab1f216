"""The plan exchange document "trygg.plan/1" and its validation. Plain Python: no database.

Every input format (JSON, YAML, the XLSX reader) is first turned into the same JSON-shaped dict;
parse_document() checks it completely and returns a typed Document plus every problem found as
(path, Swedish message). Paths look like ``areas[2].interventions[0].activities[3].planned_end``;
render() turns them into messages, using the XLSX reader's row map when the source was a workbook.
Writing to the database is in exchange.py. The schema is documented in docs/plan-exchange.md.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trygg.lib.sweden import code_for_name, municipalities
from trygg.lib.text import BIDI_CONTROLS

from .status_rules import LABELS, Status

FORMAT = "trygg.plan/1"
YEAR_MIN, YEAR_MAX = 1990, 2100
NUMBER_MAX = 9999  # area and intervention numbers; numbers above are free for temporary renumbering
MAX_ERRORS = 200
# The longest text of a long-text field (descriptions, report texts, comments): the forms' limit, and the
# write path's (trygg.accounts.writes.TEXT_MAX; a test keeps the two equal). Plain Python here: no import.
TEXT_MAX = 20_000

Issue = tuple[str, str]  # (path in the document, Swedish message)


class PlanImportError(ValueError):
    """An import was refused and nothing was written. `.errors` holds Swedish messages naming the place."""

    def __init__(self, errors: Iterable[str]):
        errors = list(errors)
        if len(errors) > MAX_ERRORS:
            errors = [*errors[:MAX_ERRORS], f"… och {len(errors) - MAX_ERRORS} fel till."]
        self.errors = errors
        super().__init__("\n".join(self.errors))


# --- Field specifications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # text (one line, stripped) | longtext | slug | date | year | number | bool
    label: str  # Swedish name: the XLSX "Fält" and column names
    required: bool = False
    max_length: int | None = None


PROGRAM_FIELDS = {
    "name": FieldSpec("text", "Namn", True, 300),
    "adopted_by": FieldSpec("text", "Antaget av", max_length=200),
    "adopted_on": FieldSpec("date", "Antaget"),
    "diary_number": FieldSpec("text", "Diarienummer", max_length=100),
}
PLAN_FIELDS = {
    "slug": FieldSpec("slug", "Kortnamn", True, 50),
    "name": FieldSpec("text", "Namn", True, 300),
    "municipality": FieldSpec("text", "Kommun", max_length=100),
    "municipality_code": FieldSpec("municipality_code", "Kommunkod"),
    "period_start": FieldSpec("year", "Gäller från år", True),
    "period_end": FieldSpec("year", "Gäller till och med år", True),
    "adopted_by": FieldSpec("text", "Antagen av", max_length=200),
    "adopted_on": FieldSpec("date", "Antagen"),
    "diary_number": FieldSpec("text", "Diarienummer", max_length=100),
}
AREA_FIELDS = {
    "number": FieldSpec("number", "Nummer", True),
    "title": FieldSpec("text", "Rubrik", True, 300),
    "description": FieldSpec("longtext", "Beskrivning"),
}
INTERVENTION_FIELDS = {
    "number": FieldSpec("number", "Nummer", True),
    "title": FieldSpec("text", "Rubrik", True, 300),
}
ACTIVITY_FIELDS = {
    "title": FieldSpec("text", "Aktivitet", True, 500),
    "planned_start": FieldSpec("date", "Planerad start"),
    "planned_end": FieldSpec("date", "Planerat slut"),
    "political_assignment": FieldSpec("bool", "Politiskt uppdrag"),
    "political_reference": FieldSpec("text", "Uppdragets referens", max_length=300),
}
FOLLOW_UP_FIELDS = {
    "year": FieldSpec("year", "År", True),
    "date": FieldSpec("date", "Datum", True),
    "recipient": FieldSpec("text", "Mottagare", max_length=200),
    "introduction": FieldSpec("longtext", "Inledning"),
    "summary": FieldSpec("longtext", "Sammanfattning"),
    "current_analysis": FieldSpec("longtext", "Nulägesanalys"),
}
STATUS_FIELDS = {
    "activity": FieldSpec("uid", "aktivitet-id", True),
    "status": FieldSpec("status", "Status", True),
    "comment": FieldSpec("longtext", "Kommentar"),
}
UNIT_NAME = FieldSpec("text", "Ansvariga enheter", True, 200)

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi override/isolate controls let a text display differently from what it holds: removed, as everywhere.
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_STATUS_LOOKUP = {s.value: s for s in Status} | {LABELS[s].casefold(): s for s in Status}
ALLOWED_STATUSES = ", ".join(f"{LABELS[s]} ({s.value})" for s in Status)


class _Invalid(Exception):
    """A single value failed conversion; the message is Swedish and names no place."""


def quoted(value: Any) -> str:
    """A value as it was given: text in quotes, anything else described."""
    return f"”{value}”" if isinstance(value, str) else describe(value)


def describe(value: Any) -> str:
    """A short Swedish description of a value for error messages."""
    if value is None:
        return "ett tomt värde (null)"
    if isinstance(value, bool):
        return "sant/falskt"
    if isinstance(value, int | float):
        return f"talet {value!r}"
    if isinstance(value, str):
        return f"texten ”{value[:60]}”"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "ett objekt"
    return f"ett värde av typen {type(value).__name__}"


def _text(value: Any, spec: FieldSpec) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"förväntat text, fick {describe(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid("texten innehåller ogiltiga tecken") from None
    limit = spec.max_length or (TEXT_MAX if spec.kind == "longtext" else None)
    if limit and len(value) > 2 * limit:  # refused before any further work on a huge text
        raise _Invalid(f"för lång text ({len(value)} tecken, högst {limit})")
    if _CONTROL_CHARS.search(value):
        raise _Invalid("texten innehåller otillåtna styrtecken (t.ex. NUL)")
    value = _BIDI.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    if spec.kind != "longtext":
        value = value.strip()
    if spec.required and not value:
        raise _Invalid("får inte vara tomt")
    if limit and len(value) > limit:
        raise _Invalid(f"för lång text ({len(value)} tecken, högst {limit})")
    return value


def _municipality_code(value: Any, spec: FieldSpec) -> str | None:
    """A kommunkod, given as text or as a number (a spreadsheet turns "0114" into 114)."""
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None
    if not text or not text.isascii() or not text.isdigit() or text.zfill(4) not in municipalities():
        raise _Invalid(f"{quoted(value)} är ingen kommunkod (fyra siffror, t.ex. 1482 för Kungälv)")
    return text.zfill(4)


def _date(value: Any, spec: FieldSpec) -> date | None:
    if value is None and not spec.required:
        return None
    if type(value) is date:
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Invalid(f"ogiltigt datum {quoted(value)} (förväntat ÅÅÅÅ-MM-DD)")


def _integer(value: Any, spec: FieldSpec) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Invalid(f"förväntat ett heltal, fick {describe(value)}")
    low, high = (YEAR_MIN, YEAR_MAX) if spec.kind == "year" else (1, NUMBER_MAX)
    if not low <= value <= high:
        raise _Invalid(f"{value} ligger utanför det tillåtna intervallet {low}–{high}")
    return value


def _bool(value: Any, spec: FieldSpec) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"förväntat Ja/Nej (true/false), fick {describe(value)}")
    return value


def parse_uid(value: Any, spec: FieldSpec | None = None) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    raise _Invalid(
        f"ogiltigt id {quoted(value)} (förväntat ett UUID, t.ex. 0b5b7c1e-6f0a-4c47-9d8e-2f4f3b1a9c11)"
    )


def parse_status(value: Any, spec: FieldSpec | None = None) -> str:
    """A status code or its Swedish label, in any letter case."""
    found = _STATUS_LOOKUP.get(value.strip().casefold()) if isinstance(value, str) else None
    if found is None:
        raise _Invalid(f"okänt värde {quoted(value)}. Tillåtna: {ALLOWED_STATUSES}")
    return found.value


def _slug(value: Any, spec: FieldSpec) -> str:
    value = _text(value, spec)
    if not _SLUG.fullmatch(value):
        raise _Invalid(f"ogiltigt kortnamn ”{value}” (bara a–z, 0–9, bindestreck och understreck)")
    return value


_CONVERTERS: dict[str, Callable[[Any, FieldSpec], Any]] = {
    "text": _text,
    "longtext": _text,
    "slug": _slug,
    "date": _date,
    "year": _integer,
    "number": _integer,
    "bool": _bool,
    "uid": parse_uid,
    "status": parse_status,
    "municipality_code": _municipality_code,
}


# --- The parsed document ------------------------------------------------------------------------------


@dataclass
class Item:
    """One program/plan/area/intervention/activity/follow-up: its uid and the fields the file gives."""

    uid: uuid.UUID | None
    path: str
    fields: dict[str, Any]
    children: list[Item] = field(default_factory=list)
    units: list[str] | None = None  # activities: responsible unit names (None = not given)
    statuses: list[StatusItem] = field(default_factory=list)  # follow-ups


@dataclass
class StatusItem:
    path: str
    activity_uid: uuid.UUID | None
    status: str | None
    comment: str | None  # None = not given: keep the stored comment


@dataclass
class Document:
    program: Item | None
    program_given: bool
    plan: Item  # its fields hold no municipality: see municipality_code
    units: list[str] | None
    areas: list[Item]
    follow_ups: list[Item]
    municipality_code: str | None = None  # the owning municipality named by the file (None: not named)

    def activities(self) -> Iterable[Item]:
        for area in self.areas:
            for intervention in area.children:
                yield from intervention.children


class _Parser:
    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.uid_paths: dict[uuid.UUID, str] = {}

    def error(self, path: str, message: str) -> None:
        self.issues.append((path, message))

    def item(self, value: Any, path: str, specs: dict[str, FieldSpec], children: Iterable[str] = ()):
        """Check keys and convert the fields present; None when the value is not an object at all."""
        if not isinstance(value, dict):
            self.error(path, f"förväntat ett objekt, fick {describe(value)}")
            return None
        allowed = {"uid", *specs, *children}
        for key in value:
            if key not in allowed:
                self.error(path, f"okänt fält ”{key}”")
        fields = self.fields(value, path, specs)
        uid = None
        if "uid" not in value:
            self.error(join(path, "uid"), "obligatoriskt fält saknas")
        else:
            try:
                uid = parse_uid(value["uid"])
            except _Invalid as exc:
                self.error(join(path, "uid"), str(exc))
            else:
                if uid in self.uid_paths:
                    self.error(join(path, "uid"), f"id {uid} förekommer redan i {ref(self.uid_paths[uid])}")
                self.uid_paths.setdefault(uid, path)
        return Item(uid=uid, path=path, fields=fields)

    def fields(self, value: dict, path: str, specs: dict[str, FieldSpec]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for key, spec in specs.items():
            if key not in value:
                if spec.required:
                    self.error(join(path, key), "obligatoriskt fält saknas")
                continue
            try:
                fields[key] = _CONVERTERS[spec.kind](value[key], spec)
            except _Invalid as exc:
                self.error(join(path, key), str(exc))
        return fields

    def items(self, value: Any, path: str) -> list[tuple[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"förväntat en lista, fick {describe(value)}")
            return []
        return [(f"{path}[{i}]", element) for i, element in enumerate(value)]

    def unit_names(self, value: Any, path: str) -> list[str]:
        names: list[str] = []
        for item_path, element in self.items(value, path):
            try:
                name = _text(element, UNIT_NAME)
            except _Invalid as exc:
                self.error(item_path, str(exc))
                continue
            if ";" in name:
                self.error(item_path, f"enhetens namn ”{name}” får inte innehålla semikolon (;)")
            if name in names:
                self.error(item_path, f"enheten ”{name}” står med två gånger")
            names.append(name)
        return names


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def ref(path: str) -> str:
    """Mark a path inside a message so that rendering names it the way the source format does."""
    return f"\ue000{path}\ue001"


_REF = re.compile("\ue000([^\ue001]*)\ue001")


def parse_document(data: Any) -> tuple[Document | None, list[Issue]]:
    """Validate a trygg.plan/1 document without touching the database."""
    p = _Parser()
    if not isinstance(data, dict):
        return None, [("", f"filen ska innehålla ett objekt på översta nivån, fick {describe(data)}")]
    if "format" not in data:
        return None, [("format", f"obligatoriskt fält saknas (förväntat ”{FORMAT}”)")]
    if data["format"] != FORMAT:
        return None, [("format", f"okänt format {quoted(data['format'])} (förväntat ”{FORMAT}”)")]
    for key in data:
        if key not in {"format", "program", "plan", "units", "areas", "follow_ups"}:
            p.error("", f"okänt fält ”{key}”")

    program = None
    if data.get("program") is not None:
        program = p.item(data["program"], "program", PROGRAM_FIELDS)
    plan = None
    if "plan" not in data:
        p.error("plan", "obligatoriskt fält saknas")
    else:
        plan = p.item(data["plan"], "plan", PLAN_FIELDS)
    plan = plan or Item(None, "plan", {})
    units = p.unit_names(data["units"], "units") if data.get("units") is not None else None

    areas = []
    for area_path, area_value in p.items(data.get("areas"), "areas"):
        area = p.item(area_value, area_path, AREA_FIELDS, ["interventions"])
        if area is None:
            continue
        areas.append(area)
        for iv_path, iv_value in p.items(area_value.get("interventions"), join(area_path, "interventions")):
            intervention = p.item(iv_value, iv_path, INTERVENTION_FIELDS, ["activities"])
            if intervention is None:
                continue
            area.children.append(intervention)
            activities = p.items(iv_value.get("activities"), join(iv_path, "activities"))
            for position, (act_path, act_value) in enumerate(activities):
                activity = p.item(act_value, act_path, ACTIVITY_FIELDS, ["units"])
                if activity is None:
                    continue
                activity.fields["order"] = position
                if "units" in act_value:
                    activity.units = p.unit_names(act_value["units"], join(act_path, "units"))
                intervention.children.append(activity)

    follow_ups = []
    for fu_path, fu_value in p.items(data.get("follow_ups"), "follow_ups"):
        follow_up = p.item(fu_value, fu_path, FOLLOW_UP_FIELDS, ["statuses"])
        if follow_up is None:
            continue
        follow_ups.append(follow_up)
        for st_path, st_value in p.items(fu_value.get("statuses"), join(fu_path, "statuses")):
            if not isinstance(st_value, dict):
                p.error(st_path, f"förväntat ett objekt, fick {describe(st_value)}")
                continue
            for key in st_value:
                if key not in STATUS_FIELDS:
                    p.error(st_path, f"okänt fält ”{key}”")
            values = p.fields(st_value, st_path, STATUS_FIELDS)
            follow_up.statuses.append(
                StatusItem(st_path, values.get("activity"), values.get("status"), values.get("comment"))
            )

    code = _plan_municipality(p, plan)
    document = Document(program, "program" in data, plan, units, areas, follow_ups, code)
    _cross_check(p, document)
    return document, p.issues


def _plan_municipality(p: _Parser, plan: Item) -> str | None:
    """The kommunkod the plan names by name ("Kungälvs kommun", "Kungälv") and/or code; both must agree.
    Removed from the plan's fields, which are written to the model as they are."""
    name = plan.fields.pop("municipality", "") or ""
    code = plan.fields.pop("municipality_code", None)
    by_name = code_for_name(name) if name else None
    if name and by_name is None:
        p.error(
            "plan.municipality",
            f"”{name}” är ingen svensk kommun (skriv t.ex. ”Kungälvs kommun” eller kommunkoden 1482)",
        )
        return None
    if by_name and code and by_name != code:
        p.error(
            "plan.municipality_code",
            f"kommunkoden {code} stämmer inte med kommunen ”{name}” ({by_name})",
        )
        return None
    return code or by_name


def _unique(p: _Parser, items: Iterable[Item], key: str, what: str) -> None:
    seen: dict[Any, str] = {}
    for item in items:
        value = item.fields.get(key)
        if value is None:
            continue
        if value in seen:
            p.error(join(item.path, key), f"{what} {value} förekommer redan i {ref(seen[value])}")
        seen.setdefault(value, item.path)


def _cross_check(p: _Parser, doc: Document) -> None:
    """Rules that involve more than one value: order of years and dates, uniqueness, references."""
    start, end = doc.plan.fields.get("period_start"), doc.plan.fields.get("period_end")
    if start is not None and end is not None and start > end:
        p.error("plan.period_end", f"slutåret {end} ligger före startåret {start}")
    _unique(p, doc.areas, "number", "nummer")
    for area in doc.areas:
        _unique(p, area.children, "number", "nummer")
    activity_uids = set()
    for activity in doc.activities():
        activity_uids.add(activity.uid)
        first, last = activity.fields.get("planned_start"), activity.fields.get("planned_end")
        if first and last and first > last:
            p.error(
                join(activity.path, "planned_end"), f"planerat slut {last} ligger före planerad start {first}"
            )
        if doc.units is not None:
            for n, name in enumerate(activity.units or []):
                if name not in doc.units:
                    p.error(
                        f"{activity.path}.units[{n}]",
                        f"enheten ”{name}” saknas i filens lista över enheter (units); lägg till den där "
                        "eller rätta stavningen",
                    )
    _unique(p, doc.follow_ups, "year", "år")
    for follow_up in doc.follow_ups:
        year = follow_up.fields.get("year")
        if (
            year is not None
            and start is not None
            and end is not None
            and start <= end
            and not start <= year <= end
        ):
            p.error(join(follow_up.path, "year"), f"året {year} ligger utanför planens period {start}–{end}")
        seen: dict[uuid.UUID, str] = {}
        for status in follow_up.statuses:
            if status.activity_uid is None:
                continue
            if status.activity_uid not in activity_uids:
                p.error(
                    join(status.path, "activity"),
                    f"okänd aktivitet {status.activity_uid} (finns inte i filen)",
                )
            elif status.activity_uid in seen:
                p.error(
                    join(status.path, "activity"),
                    f"aktiviteten har redan en status i denna uppföljning ({ref(seen[status.activity_uid])})",
                )
            seen.setdefault(status.activity_uid, status.path)


# --- Rendering issues ----------------------------------------------------------------------------


def json_location(path: str) -> str:
    return path


def render(issues: Iterable[Issue], locate: Callable[[str], str] = json_location) -> list[str]:
    messages = []
    for path, message in issues:
        message = _REF.sub(lambda m: locate(m.group(1)), message)
        place = locate(path) if path else ""
        messages.append(f"{place}: {message}" if place else message[:1].upper() + message[1:])
    return messages
