"""The plan exchange document "trygg.plan/1": validate, write (idempotent, all-or-nothing) and export.

Every input format (JSON, YAML, the XLSX reader) is first turned into the same JSON-shaped dict. Parsing
collects every problem as (path, Swedish message) before anything is written; writing happens in one
transaction, keyed on uid, and compares before it saves, so importing the same document twice writes
nothing the second time. Paths look like ``areas[2].interventions[0].activities[3].planned_end``; the XLSX
reader translates them into sheet rows. The schema is documented in docs/plan-exchange.md.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import F, Prefetch

from trygg.accounts.models import Unit

from .actions import do_set_activity_status
from .models import Activity, ActivityStatus, Area, FollowUp, Intervention, Plan, Program
from .status_rules import LABELS, Status

FORMAT = "trygg.plan/1"
YEAR_MIN, YEAR_MAX = 1990, 2100
NUMBER_MAX = 9999  # area and intervention numbers; numbers above are free for temporary renumbering
MAX_ERRORS = 200

Issue = tuple[str, str]  # (path in the document, Swedish message)


class PlanImportError(ValueError):
    """An import was refused and nothing was written. `.errors` holds Swedish messages naming the place."""

    def __init__(self, errors: Iterable[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# --- Result -------------------------------------------------------------------------------------------

KIND_LABELS = {
    "program": "program",
    "plan": "planer",
    "unit": "enheter",
    "area": "delområden",
    "intervention": "insatser",
    "activity": "aktiviteter",
    "follow_up": "uppföljningar",
    "status": "statusar",
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    plan: Plan
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KIND_LABELS})

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def __str__(self) -> str:
        changes = [
            f"{KIND_LABELS[kind]}: {c.created} nya, {c.updated} ändrade"
            for kind, c in self.counts.items()
            if c.created or c.updated
        ]
        return f"{self.plan.name}: " + ("; ".join(changes) if changes else "inga ändringar")

    def summary(self) -> str:
        """One Swedish line per kind, e.g. "aktiviteter: 2 nya, 1 ändrade, 24 oförändrade"."""
        return "\n".join(
            f"{KIND_LABELS[kind]}: {c.created} nya, {c.updated} ändrade, {c.unchanged} oförändrade"
            for kind, c in self.counts.items()
        )


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
    if _CONTROL_CHARS.search(value):
        raise _Invalid("texten innehåller otillåtna styrtecken")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if spec.kind != "longtext":
        value = value.strip()
    if spec.required and not value:
        raise _Invalid("får inte vara tomt")
    if spec.max_length and len(value) > spec.max_length:
        raise _Invalid(f"för lång text ({len(value)} tecken, högst {spec.max_length})")
    return value


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
    raise _Invalid(f"ogiltigt id {quoted(value)} (förväntat ett UUID, t.ex. 0b5b7c1e-6f0a-4c47-9d8e-2f4f3b1a9c11)")


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
    plan: Item
    units: list[str] | None
    areas: list[Item]
    follow_ups: list[Item]

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

    def obj(self, value: Any, path: str, specs: dict[str, FieldSpec], children: Iterable[str] = ()):
        """Check keys and convert the fields present; returns (fields, uid) or None when not an object."""
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
        return fields, uid

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

    def item(self, value: Any, path: str, specs: dict[str, FieldSpec], children=()) -> Item | None:
        parsed = self.obj(value, path, specs, children)
        if parsed is None:
            return None
        return Item(uid=parsed[1], path=path, fields=parsed[0])


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
    units = p.unit_names(data["units"], "units") if "units" in data else None

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

    document = Document(program, "program" in data, plan, units, areas, follow_ups)
    _cross_check(p, document)
    return document, p.issues


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
            p.error(join(activity.path, "planned_end"), f"planerat slut {last} ligger före planerad start {first}")
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
        if year is not None and start is not None and end is not None and start <= end and not start <= year <= end:
            p.error(join(follow_up.path, "year"), f"året {year} ligger utanför planens period {start}–{end}")
        seen: dict[uuid.UUID, str] = {}
        for status in follow_up.statuses:
            if status.activity_uid is None:
                continue
            if status.activity_uid not in activity_uids:
                p.error(join(status.path, "activity"), f"okänd aktivitet {status.activity_uid} (finns inte i filen)")
            elif status.activity_uid in seen:
                p.error(
                    join(status.path, "activity"),
                    f"aktiviteten har redan en status i denna uppföljning ({ref(seen[status.activity_uid])})",
                )
            seen.setdefault(status.activity_uid, status.path)


# --- Import -------------------------------------------------------------------------------------------


def json_location(path: str) -> str:
    return path


def render(issues: Iterable[Issue], locate: Callable[[str], str] = json_location) -> list[str]:
    messages = []
    for path, message in issues:
        message = _REF.sub(lambda m: locate(m.group(1)), message)
        place = locate(path) if path else ""
        messages.append(f"{place}: {message}" if place else message[:1].upper() + message[1:])
    if len(messages) > MAX_ERRORS:
        messages = [*messages[:MAX_ERRORS], f"… och {len(messages) - MAX_ERRORS} fel till."]
    return messages


class _Refused(Exception):
    def __init__(self, issues: list[Issue]):
        self.issues = issues


def import_document(
    data: Any,
    *,
    acting_user,
    source: str = "import",
    locate: Callable[[str], str] = json_location,
    earlier_errors: Iterable[str] = (),
) -> ImportResult:
    """Validate everything, then write everything in one transaction; raise PlanImportError otherwise."""
    document, issues = parse_document(data)
    errors = [*earlier_errors, *render(issues, locate)]
    if errors or document is None:
        raise PlanImportError(errors)
    try:
        with transaction.atomic():
            existing = _Existing.load(document)
            if existing.issues:
                raise _Refused(existing.issues)
            return _write(document, existing, acting_user, source)
    except _Refused as exc:
        raise PlanImportError(render(exc.issues, locate)) from None
    except DatabaseError as exc:  # a rule we do not check ourselves; the transaction was rolled back
        raise PlanImportError([f"Databasen avvisade importen ({exc}). Ingenting har sparats."]) from None


@dataclass
class _Existing:
    """What the database already holds for the document's uids, plus conflicts found there."""

    program: Program | None
    plan: Plan | None
    areas: dict[uuid.UUID, Area]
    interventions: dict[uuid.UUID, Intervention]
    activities: dict[uuid.UUID, Activity]
    follow_ups: dict[uuid.UUID, FollowUp]
    issues: list[Issue]

    @classmethod
    def load(cls, doc: Document) -> _Existing:
        issues: list[Issue] = []
        plan_uid = doc.plan.uid
        plan = Plan.objects.select_for_update().filter(uid=plan_uid).first()
        slug = doc.plan.fields["slug"]
        other = Plan.objects.filter(slug=slug).exclude(uid=plan_uid).first()
        if other is not None:
            issues.append(("plan.slug", f"kortnamnet ”{slug}” används redan av planen ”{other.name}”"))
        program = Program.objects.filter(uid=doc.program.uid).first() if doc.program else None

        activity_items = list(doc.activities())
        intervention_items = [iv for area in doc.areas for iv in area.children]
        areas = _by_uid(Area.objects.select_related("plan"), doc.areas)
        interventions = _by_uid(Intervention.objects.select_related("area__plan"), intervention_items)
        activities = _by_uid(
            Activity.objects.select_related("intervention__area__plan").prefetch_related("units"), activity_items
        )
        follow_ups = _by_uid(FollowUp.objects.select_related("plan"), doc.follow_ups)

        def elsewhere(items: list[Item], found: dict, plan_of: Callable[[Any], Plan], what: str) -> None:
            for item in items:
                obj = found.get(item.uid)
                if obj is not None and plan_of(obj).uid != plan_uid:
                    issues.append((join(item.path, "uid"), f"{what} hör redan till planen ”{plan_of(obj).name}”"))

        elsewhere(doc.areas, areas, lambda a: a.plan, "delområdet")
        elsewhere(intervention_items, interventions, lambda i: i.area.plan, "insatsen")
        elsewhere(activity_items, activities, lambda a: a.intervention.area.plan, "aktiviteten")
        elsewhere(doc.follow_ups, follow_ups, lambda f: f.plan, "uppföljningen")

        # Rows the file leaves alone keep their numbers and years: the file must not collide with them.
        if plan is not None:
            kept_areas = Area.objects.filter(plan=plan).exclude(uid__in=[a.uid for a in doc.areas])
            _collisions(issues, doc.areas, "number", {a.number: f"delområdet ”{a}”" for a in kept_areas})
            kept_follow_ups = FollowUp.objects.filter(plan=plan).exclude(uid__in=[f.uid for f in doc.follow_ups])
            _collisions(issues, doc.follow_ups, "year", {f.year: f"uppföljningen {f.year}" for f in kept_follow_ups})
        kept_interventions: dict[uuid.UUID, dict[int, str]] = {}
        for iv in Intervention.objects.filter(area__uid__in=[a.uid for a in doc.areas]).exclude(
            uid__in=[i.uid for i in intervention_items]
        ).annotate(area_uid=F("area__uid")):
            kept_interventions.setdefault(iv.area_uid, {})[iv.number] = f"insatsen ”{iv.title}”"
        for area in doc.areas:
            _collisions(issues, area.children, "number", kept_interventions.get(area.uid, {}))
        return cls(program, plan, areas, interventions, activities, follow_ups, issues)


def _by_uid(queryset, items: Iterable[Item]) -> dict[uuid.UUID, Any]:
    return {obj.uid: obj for obj in queryset.filter(uid__in=[item.uid for item in items])}


def _collisions(issues: list[Issue], items: list[Item], key: str, taken: dict[int, str]) -> None:
    for item in items:
        value = item.fields.get(key)
        if value in taken:
            issues.append((join(item.path, key), f"{value} används redan av {taken[value]} som inte finns i filen"))


def _upsert(model, item: Item, obj, links: dict[str, Any], counts: Counts, extra_change: bool = False):
    """Create the row or save only the fields that differ; links are foreign keys (name -> object)."""
    if obj is None:
        obj = model(uid=item.uid, **item.fields, **links)
        obj.save()
        counts.created += 1
        return obj
    changed = [name for name, value in item.fields.items() if getattr(obj, name) != value]
    for name, value in item.fields.items():
        setattr(obj, name, value)
    for name, target in links.items():
        if getattr(obj, f"{name}_id") != (target.pk if target is not None else None):
            changed.append(name)
        setattr(obj, name, target)  # also caches the related object for later reads
    if changed:
        obj.save(update_fields=changed)
    if changed or extra_change:
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj


def _park(objects: list[Any], attribute: str) -> None:
    """Move rows whose number/year changes to temporary values first, so swaps never collide."""
    for offset, obj in enumerate(objects, start=NUMBER_MAX + 1):
        setattr(obj, attribute, offset)
        obj.save(update_fields=[attribute])


def _write(doc: Document, ex: _Existing, acting_user, source: str) -> ImportResult:
    result = ImportResult(plan=None)  # type: ignore[arg-type]
    counts = result.counts

    names = set(doc.units or ()) | {name for act in doc.activities() for name in act.units or ()}
    units = {u.name: u for u in Unit.objects.filter(name__in=names)}
    counts["unit"].unchanged = len(units)
    for name in sorted(names - units.keys()):
        units[name] = Unit.objects.create(name=name)
        counts["unit"].created += 1

    program = ex.program
    if doc.program is not None:
        program = _upsert(Program, doc.program, ex.program, {}, counts["program"])
    links = {"program": program} if doc.program_given else {}
    plan = result.plan = _upsert(Plan, doc.plan, ex.plan, links, counts["plan"])

    intervention_items = [(area, iv) for area in doc.areas for iv in area.children]
    _park([ex.areas[a.uid] for a in doc.areas if a.uid in ex.areas and ex.areas[a.uid].number != a.fields["number"]], "number")
    _park(
        [
            ex.interventions[iv.uid]
            for area, iv in intervention_items
            if iv.uid in ex.interventions
            and (ex.interventions[iv.uid].number, ex.interventions[iv.uid].area.uid) != (iv.fields["number"], area.uid)
        ],
        "number",
    )
    _park([ex.follow_ups[f.uid] for f in doc.follow_ups if f.uid in ex.follow_ups and ex.follow_ups[f.uid].year != f.fields["year"]], "year")

    activities: dict[uuid.UUID, Activity] = {}
    for area_item in doc.areas:
        area = _upsert(Area, area_item, ex.areas.get(area_item.uid), {"plan": plan}, counts["area"])
        for iv_item in area_item.children:
            links = {"area": area}
            intervention = _upsert(Intervention, iv_item, ex.interventions.get(iv_item.uid), links, counts["intervention"])
            for act_item in iv_item.children:
                old = ex.activities.get(act_item.uid)
                wanted = {units[name].pk for name in act_item.units} if act_item.units is not None else None
                current = {u.pk for u in old.units.all()} if old is not None else set()
                units_change = wanted is not None and wanted != current
                links = {"intervention": intervention}
                activity = _upsert(Activity, act_item, old, links, counts["activity"], units_change and old is not None)
                if units_change:
                    activity.units.set(wanted)
                activities[act_item.uid] = activity

    old_statuses = {
        (s.follow_up_id, s.activity_id): (s.status, s.comment)
        for s in ActivityStatus.objects.filter(follow_up__in=list(ex.follow_ups.values()))
    }
    for fu_item in doc.follow_ups:
        follow_up = _upsert(FollowUp, fu_item, ex.follow_ups.get(fu_item.uid), {"plan": plan}, counts["follow_up"])
        for item in fu_item.statuses:
            activity = activities[item.activity_uid]
            before = old_statuses.get((follow_up.pk, activity.pk))
            comment = item.comment if item.comment is not None else (before[1] if before else "")
            row = do_set_activity_status(
                activity, follow_up, item.status, comment, acting_user=acting_user, source=source
            )
            if before is None:
                counts["status"].created += 1
            elif before == (row.status, row.comment):
                counts["status"].unchanged += 1
            else:
                counts["status"].updated += 1
    return result


# --- Export -------------------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_plan(plan: Plan) -> dict:
    """The plan with its program, areas, interventions, activities and follow-ups as a trygg.plan/1 dict.

    A fixed number of queries whatever the plan's size.
    """
    plan = (
        Plan.objects.select_related("program")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("number", "pk")),
            Prefetch("areas__interventions", queryset=Intervention.objects.order_by("number", "pk")),
            Prefetch("areas__interventions__activities", queryset=Activity.objects.order_by("order", "pk")),
            "areas__interventions__activities__units",
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("year", "pk")),
            Prefetch("follow_ups__statuses", queryset=ActivityStatus.objects.annotate(activity_uid=F("activity__uid"))),
        )
        .get(pk=plan.pk)
    )
    program = plan.program
    areas = []
    position: dict[uuid.UUID, int] = {}
    units: set[str] = set()
    for area in plan.areas.all():
        interventions = []
        for intervention in area.interventions.all():
            activities = []
            for activity in intervention.activities.all():
                position[activity.uid] = len(position)
                names = sorted(u.name for u in activity.units.all())  # Python order: same on every database
                units.update(names)
                activities.append(
                    {
                        "uid": str(activity.uid),
                        "title": activity.title,
                        "units": names,
                        "planned_start": _iso(activity.planned_start),
                        "planned_end": _iso(activity.planned_end),
                        "political_assignment": activity.political_assignment,
                        "political_reference": activity.political_reference,
                    }
                )
            interventions.append(
                {"uid": str(intervention.uid), "number": intervention.number, "title": intervention.title, "activities": activities}
            )
        areas.append(
            {
                "uid": str(area.uid),
                "number": area.number,
                "title": area.title,
                "description": area.description,
                "interventions": interventions,
            }
        )
    follow_ups = []
    for follow_up in plan.follow_ups.all():
        statuses = sorted(follow_up.statuses.all(), key=lambda s: position[s.activity_uid])
        follow_ups.append(
            {
                "uid": str(follow_up.uid),
                "year": follow_up.year,
                "date": _iso(follow_up.date),
                "recipient": follow_up.recipient,
                "introduction": follow_up.introduction,
                "summary": follow_up.summary,
                "current_analysis": follow_up.current_analysis,
                "statuses": [
                    {"activity": str(s.activity_uid), "status": s.status, "comment": s.comment} for s in statuses
                ],
            }
        )
    return {
        "format": FORMAT,
        "program": None
        if program is None
        else {
            "uid": str(program.uid),
            "name": program.name,
            "adopted_by": program.adopted_by,
            "adopted_on": _iso(program.adopted_on),
            "diary_number": program.diary_number,
        },
        "plan": {
            "uid": str(plan.uid),
            "slug": plan.slug,
            "name": plan.name,
            "municipality": plan.municipality,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "adopted_by": plan.adopted_by,
            "adopted_on": _iso(plan.adopted_on),
            "diary_number": plan.diary_number,
        },
        "units": sorted(units),
        "areas": areas,
        "follow_ups": follow_ups,
    }
