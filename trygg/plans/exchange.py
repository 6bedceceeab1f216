"""Import and export of a plan with its follow-ups: JSON, YAML and XLSX forms of "trygg.plan/1".

Public API (schema and rules: docs/plan-exchange.md):

- export_plan(plan) -> dict, export_plan_json(plan) -> str, export_plan_xlsx(plan) -> bytes
- import_plan(data, acting_user=..., source="import") -> ImportResult, and the same for
  import_plan_json(text | bytes), import_plan_xlsx(bytes), load_plan_yaml(path), import_plan_file(path)

Imports validate everything first (exchange_json.parse_document, then the checks that need the database)
and raise PlanImportError (a ValueError with `.errors`, Swedish messages naming the place) without
writing anything; otherwise they write in one transaction, keyed on uid, comparing before saving, so
that importing the same file again writes nothing. Statuses go through do_set_activity_status, which
records history only on a real change. exchange_json.py (the document) and exchange_xlsx.py (the
workbook) are plain Python; this module is the part that touches the database.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import DatabaseError, transaction
from django.db.models import F, Prefetch

from trygg.accounts import writes
from trygg.accounts.models import Unit
from trygg.lib.pii import explain
from trygg.places.models import Municipality

from . import actions
from .actions import PlanError
from .exchange_json import (
    FORMAT,
    NUMBER_MAX,
    Document,
    Issue,
    Item,
    PlanImportError,
    join,
    json_location,
    parse_document,
    render,
)
from .exchange_xlsx import document_to_xlsx, read_workbook
from .models import Activity, ActivityStatus, Area, FollowUp, Intervention, Plan, Program, official_name
from .permissions import MANAGE_ROLES, READ_ROLES

__all__ = [
    "FORMAT",
    "ImportResult",
    "PlanImportError",
    "export_plan",
    "export_plan_json",
    "export_plan_xlsx",
    "import_plan",
    "import_plan_file",
    "import_plan_json",
    "import_plan_xlsx",
    "load_plan_yaml",
]

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
    # Swedish, one line per object: which personal data was removed from it ("Delområde 2: Vi tog bort …").
    redactions: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def __str__(self) -> str:
        changes = [
            f"{KIND_LABELS[kind]}: {c.created} nya, {c.updated} ändrade"
            for kind, c in self.counts.items()
            if c.created or c.updated
        ]
        text = f"{self.plan.name}: " + ("; ".join(changes) if changes else "inga ändringar")
        if self.redactions:
            text += f" (personuppgifter togs bort på {len(self.redactions)} ställen)"
        return text

    def summary(self) -> str:
        """One Swedish line per kind, e.g. "aktiviteter: 2 nya, 1 ändrade, 24 oförändrade", then what was
        redacted."""
        lines = [
            f"{KIND_LABELS[kind]}: {c.created} nya, {c.updated} ändrade, {c.unchanged} oförändrade"
            for kind, c in self.counts.items()
        ]
        if self.redactions:
            lines.append("Personuppgifter som togs bort (uppföljningsrapporten är en allmän handling):")
            lines += [f"- {line}" for line in self.redactions]
        return "\n".join(lines)


# --- Writing ------------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, issues: list[Issue]):
        self.issues = issues


def import_document(
    data: Any,
    *,
    acting_user,
    source: str = "import",
    municipality: Municipality | None = None,
    locate: Callable[[str], str] = json_location,
    earlier_errors: Iterable[str] = (),
) -> ImportResult:
    """Validate everything, then write everything in one transaction; raise PlanImportError otherwise.

    The plan belongs to the municipality the file names (plan.municipality / plan.municipality_code), else to
    `municipality` (the web import passes the current one). acting_user None is a system import (command,
    demo); a user must be coordinator or administrator in that municipality."""
    document, issues = parse_document(data)
    errors = [*earlier_errors, *render(issues, locate)]
    if errors or document is None:
        raise PlanImportError(errors)
    try:
        with transaction.atomic():
            existing = _Existing.load(document, acting_user, municipality)
            if existing.issues:
                raise _Refused(existing.issues)
            return _Writer(document, existing, acting_user, source).write()
    except _Refused as exc:
        raise PlanImportError(render(exc.issues, locate)) from None
    except DatabaseError as exc:  # a rule not checked above; the transaction was rolled back
        raise PlanImportError([f"Databasen avvisade importen ({exc}). Ingenting har sparats."]) from None


def _removed(explanation: str) -> str:
    """ "Vi tog bort 1 personnummer ur beskrivningen" from the write path's full sentence."""
    return explanation.split(":")[0]


def _may_read(acting_user, municipality_id: int) -> bool:
    return acting_user is None or acting_user.has_role_in(municipality_id, *READ_ROLES)


def _municipality_name(municipality: Municipality) -> str:
    return official_name(municipality)


@dataclass
class _Existing:
    """What the database already holds for the document's uids, plus conflicts found there."""

    municipality: Municipality | None
    program: Program | None
    plan: Plan | None
    areas: dict[uuid.UUID, Area]
    interventions: dict[uuid.UUID, Intervention]
    activities: dict[uuid.UUID, Activity]
    follow_ups: dict[uuid.UUID, FollowUp]
    issues: list[Issue]

    @classmethod
    def load(cls, doc: Document, acting_user, default: Municipality | None) -> _Existing:
        issues: list[Issue] = []
        plan_uid = doc.plan.uid
        plan = Plan.objects.select_for_update().select_related("municipality").filter(uid=plan_uid).first()
        municipality = _owner(doc, plan, acting_user, default, issues)
        slug = doc.plan.fields["slug"]
        other = Plan.objects.filter(slug=slug).exclude(uid=plan_uid).first()
        if other is not None:
            whose = (
                f"planen ”{other.name}”" if _may_read(acting_user, other.municipality_id) else "en annan plan"
            )
            issues.append(("plan.slug", f"kortnamnet ”{slug}” används redan av {whose}"))
        program = None
        if doc.program:
            program = Program.objects.filter(uid=doc.program.uid).first()
            if (
                program is not None
                and municipality is not None
                and program.municipality_id != municipality.pk
            ):
                issues.append(("program.uid", "programmet hör till en annan kommun än planen"))

        activity_items = list(doc.activities())
        intervention_items = [iv for area in doc.areas for iv in area.children]
        areas = _by_uid(Area.objects.select_related("plan"), doc.areas)
        interventions = _by_uid(Intervention.objects.select_related("area__plan"), intervention_items)
        activities = _by_uid(
            Activity.objects.select_related("intervention__area__plan").prefetch_related("units"),
            activity_items,
        )
        follow_ups = _by_uid(FollowUp.objects.select_related("plan"), doc.follow_ups)

        def elsewhere(items: list[Item], found: dict, plan_of: Callable[[Any], Plan], what: str) -> None:
            for item in items:
                obj = found.get(item.uid)
                if obj is not None and plan_of(obj).uid != plan_uid:
                    owner = plan_of(obj)
                    whose = (
                        f"planen ”{owner.name}”"
                        if _may_read(acting_user, owner.municipality_id)
                        else ("en plan i en annan kommun")
                    )
                    issues.append((join(item.path, "uid"), f"{what} hör redan till {whose}"))

        elsewhere(doc.areas, areas, lambda a: a.plan, "delområdet")
        elsewhere(intervention_items, interventions, lambda i: i.area.plan, "insatsen")
        elsewhere(activity_items, activities, lambda a: a.intervention.area.plan, "aktiviteten")
        elsewhere(doc.follow_ups, follow_ups, lambda f: f.plan, "uppföljningen")

        # Rows the file leaves alone keep their numbers and years: the file must not collide with them.
        if plan is not None:
            kept_areas = Area.objects.filter(plan=plan).exclude(uid__in=[a.uid for a in doc.areas])
            _collisions(issues, doc.areas, "number", {a.number: f"delområdet ”{a}”" for a in kept_areas})
            kept_follow_ups = FollowUp.objects.filter(plan=plan).exclude(
                uid__in=[f.uid for f in doc.follow_ups]
            )
            _collisions(
                issues, doc.follow_ups, "year", {f.year: f"uppföljningen {f.year}" for f in kept_follow_ups}
            )
        kept_interventions: dict[uuid.UUID, dict[int, str]] = {}
        for iv in (
            Intervention.objects.filter(area__uid__in=[a.uid for a in doc.areas])
            .exclude(uid__in=[i.uid for i in intervention_items])
            .annotate(area_uid=F("area__uid"))
        ):
            kept_interventions.setdefault(iv.area_uid, {})[iv.number] = f"insatsen ”{iv.title}”"
        for area in doc.areas:
            _collisions(issues, area.children, "number", kept_interventions.get(area.uid, {}))
        return cls(municipality, program, plan, areas, interventions, activities, follow_ups, issues)


def _owner(
    doc: Document, plan: Plan | None, acting_user, default: Municipality | None, issues: list[Issue]
) -> Municipality | None:
    """The municipality that owns the imported plan, or None with an issue naming the field."""
    code = doc.municipality_code
    if plan is not None:
        if code and code != plan.municipality.code:
            where = (
                f"till {_municipality_name(plan.municipality)}"
                if _may_read(acting_user, plan.municipality_id)
                else "till en annan kommun"
            )
            issues.append(("plan.municipality", f"planen hör redan {where}; en plan kan inte byta kommun"))
            return None
        municipality = plan.municipality
    elif code:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            issues.append(
                (
                    "plan.municipality",
                    f"kommunen {code} finns inte i Trygg ännu; en administratör lägger till den med "
                    f"”manage.py load_municipality --code {code}”",
                )
            )
            return None
    elif default is not None:
        municipality = default
    else:
        issues.append(
            ("plan.municipality", "filen anger inte vilken kommun planen hör till (t.ex. ”Kungälvs kommun”)")
        )
        return None
    if acting_user is not None and not acting_user.has_role_in(municipality, *MANAGE_ROLES):
        issues.append(
            (
                "plan.municipality",
                f"du är inte samordnare eller administratör i {_municipality_name(municipality)} och kan "
                "inte importera planer dit",
            )
        )
        return None
    return municipality


def _by_uid(queryset, items: Iterable[Item]) -> dict[uuid.UUID, Any]:
    return {obj.uid: obj for obj in queryset.filter(uid__in=[item.uid for item in items])}


def _collisions(issues: list[Issue], items: list[Item], key: str, taken: dict[int, str]) -> None:
    for item in items:
        value = item.fields.get(key)
        if value in taken:
            issues.append(
                (join(item.path, key), f"{value} används redan av {taken[value]} som inte finns i filen")
            )


class _Writer:
    """Writes a validated document through the plans actions (redacted, audited), counting what changed."""

    def __init__(self, doc: Document, ex: _Existing, acting_user, source: str):
        self.doc, self.ex, self.user, self.source = doc, ex, acting_user, source
        self.municipality = ex.municipality
        self.counts = {kind: Counts() for kind in KIND_LABELS}
        self.redactions: list[str] = []

    def _save(self, kind: str, item: Item, obj, create, update, links: dict, what, **extra):
        """Create the row or update the fields that differ, through the action; report redactions.
        what: a Swedish name for the row, or a function of the stored (redacted) row giving one."""
        values = {**item.fields, **links}
        try:
            if obj is None:
                written = create({"uid": item.uid, **values}, acting_user=self.user, **extra)
                self.counts[kind].created += 1
            else:
                written = update(obj, values, acting_user=self.user, **extra)
                counts = self.counts[kind]
                if written.changes:
                    counts.updated += 1
                else:
                    counts.unchanged += 1
        except PlanError as exc:
            raise _Refused([(item.path, str(exc))]) from None
        if written.explanation:
            name = what(written.obj) if callable(what) else what
            self.redactions.append(f"{name}: {_removed(written.explanation)}")
        return written.obj

    def _park(self, objects: list[Any], attribute: str, update) -> None:
        """Move rows whose number/year changes to temporary values first, so swaps never collide. Each move
        is a write of its own (audited like any other)."""
        for offset, obj in enumerate(objects, start=NUMBER_MAX + 1):
            update(obj, {attribute: offset}, acting_user=self.user)

    def write(self) -> ImportResult:
        doc, ex = self.doc, self.ex
        names = set(doc.units or ()) | {name for act in doc.activities() for name in act.units or ()}
        # Units are found by the name they are stored under (cleaned and redacted like any write).
        stored_name = {name: writes.clean_values(Unit, {"name": name})[0]["name"] for name in names}
        found = {
            u.name: u
            for u in Unit.objects.filter(municipality=self.municipality, name__in=set(stored_name.values()))
        }
        self.counts["unit"].unchanged = len(found)
        for name in sorted(set(stored_name.values()) - found.keys()):
            try:
                written = actions.do_create_unit(self.municipality, name, acting_user=self.user)
            except PlanError as exc:
                raise _Refused([("units", str(exc))]) from None
            found[name] = written.obj
            self.counts["unit"].created += 1
            if written.explanation:
                self.redactions.append(f"Enheten ”{written.obj.name}”: {_removed(written.explanation)}")
        units = {name: found[stored_name[name]] for name in names}

        program = ex.program
        if doc.program is not None:
            program = self._save(
                "program",
                doc.program,
                ex.program,
                actions.do_create_program,
                actions.do_update_program,
                {"municipality": self.municipality},
                "Programmet",
            )
        links: dict[str, Any] = {"municipality": self.municipality}
        if doc.program_given:
            links["program"] = program
        plan = self._save(
            "plan", doc.plan, ex.plan, actions.do_create_plan, actions.do_update_plan, links, "Planen"
        )

        intervention_items = [(area, iv) for area in doc.areas for iv in area.children]
        self._park(
            [
                ex.areas[a.uid]
                for a in doc.areas
                if a.uid in ex.areas and ex.areas[a.uid].number != a.fields["number"]
            ],
            "number",
            actions.do_update_area,
        )
        self._park(
            [
                ex.interventions[iv.uid]
                for area, iv in intervention_items
                if iv.uid in ex.interventions
                and (ex.interventions[iv.uid].number, ex.interventions[iv.uid].area.uid)
                != (iv.fields["number"], area.uid)
            ],
            "number",
            actions.do_update_intervention,
        )
        self._park(
            [
                ex.follow_ups[f.uid]
                for f in doc.follow_ups
                if f.uid in ex.follow_ups and ex.follow_ups[f.uid].year != f.fields["year"]
            ],
            "year",
            actions.do_update_follow_up,
        )

        activities: dict[uuid.UUID, Activity] = {}
        for area_item in doc.areas:
            area = self._save(
                "area",
                area_item,
                ex.areas.get(area_item.uid),
                actions.do_create_area,
                actions.do_update_area,
                {"plan": plan},
                f"Delområde {area_item.fields['number']}",
            )
            for iv_item in area_item.children:
                intervention = self._save(
                    "intervention",
                    iv_item,
                    ex.interventions.get(iv_item.uid),
                    actions.do_create_intervention,
                    actions.do_update_intervention,
                    {"area": area},
                    f"Insats {area_item.fields['number']}.{iv_item.fields['number']}",
                )
                for act_item in iv_item.children:
                    wanted = [units[name] for name in act_item.units] if act_item.units is not None else None
                    activities[act_item.uid] = self._save(
                        "activity",
                        act_item,
                        ex.activities.get(act_item.uid),
                        actions.do_create_activity,
                        actions.do_update_activity,
                        {"intervention": intervention},
                        lambda activity: f"Aktiviteten ”{activity.title[:60]}”",
                        units=wanted,
                    )

        old_statuses = {
            (s.follow_up_id, s.activity_id): (s.status, s.comment)
            for s in ActivityStatus.objects.filter(follow_up__in=list(ex.follow_ups.values()))
        }
        for fu_item in doc.follow_ups:
            follow_up = self._save(
                "follow_up",
                fu_item,
                ex.follow_ups.get(fu_item.uid),
                actions.do_create_follow_up,
                actions.do_update_follow_up,
                {"plan": plan},
                f"Uppföljningen {fu_item.fields['year']}",
            )
            for item in fu_item.statuses:
                activity = activities[item.activity_uid]
                before = old_statuses.get((follow_up.pk, activity.pk))
                comment = item.comment if item.comment is not None else (before[1] if before else "")
                try:
                    row = actions.do_set_activity_status(
                        activity, follow_up, item.status, comment, acting_user=self.user, source=self.source
                    )
                except PlanError as exc:
                    raise _Refused([(item.path, str(exc))]) from None
                if row.redactions:
                    where = f"Kommentaren till ”{activity.title[:60]}” ({follow_up.year})"
                    self.redactions.append(
                        f"{where}: {_removed(explain(row.redactions, where='kommentaren'))}"
                    )
                if before is None:
                    self.counts["status"].created += 1
                elif before == (row.status, row.comment):
                    self.counts["status"].unchanged += 1
                else:
                    self.counts["status"].updated += 1
        return ImportResult(plan, self.counts, self.redactions)


# --- Export -------------------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_plan(plan: Plan) -> dict:
    """The plan with its program, areas, interventions, activities and follow-ups as a trygg.plan/1 dict.

    A fixed number of queries whatever the plan's size.
    """
    plan = (
        Plan.objects.select_related("program", "municipality")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("number", "pk")),
            Prefetch("areas__interventions", queryset=Intervention.objects.order_by("number", "pk")),
            Prefetch("areas__interventions__activities", queryset=Activity.objects.order_by("order", "pk")),
            "areas__interventions__activities__units",
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("year", "pk")),
            Prefetch(
                "follow_ups__statuses",
                queryset=ActivityStatus.objects.annotate(activity_uid=F("activity__uid")),
            ),
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
                {
                    "uid": str(intervention.uid),
                    "number": intervention.number,
                    "title": intervention.title,
                    "activities": activities,
                }
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
                    {"activity": str(s.activity_uid), "status": s.status, "comment": s.comment}
                    for s in statuses
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
            "municipality": official_name(plan.municipality),
            "municipality_code": plan.municipality.code,
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


# --- Public entry points -----------------------------------------------------------------------------

SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")


def export_plan_json(plan: Plan) -> str:
    return json.dumps(export_plan(plan), indent=2, ensure_ascii=False) + "\n"


def import_plan(
    data: Any, *, acting_user, source: str = "import", municipality: Municipality | None = None
) -> ImportResult:
    """Import a trygg.plan/1 document given as a dict (as json.loads or yaml.safe_load returns it).
    `municipality`: the owner when the file names none (the web import's current municipality)."""
    return import_document(data, acting_user=acting_user, source=source, municipality=municipality)


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"fältet ”{key}” förekommer två gånger i samma objekt")
        result[key] = value
    return result


# json's messages are English ("Expecting ':' delimiter"); the user reads Swedish.
JSON_MESSAGES = {
    "Expecting value": "ett värde saknas",
    "Expecting ':' delimiter": "kolon (:) saknas",
    "Expecting ',' delimiter": "kommatecken (,) saknas",
    "Expecting property name enclosed in double quotes": "ett fältnamn inom dubbla citattecken saknas",
    "Unterminated string starting at": "en text saknar sitt avslutande citattecken",
    "Invalid control character at": "otillåtet styrtecken i en text",
    "Invalid \\escape": "ogiltig escape-sekvens (\\) i en text",
    "Invalid \\uXXXX escape": "ogiltig \\u-sekvens i en text",
    "Extra data": "oväntad text efter slutet av dokumentet",
}


def json_error_sv(exc: json.JSONDecodeError) -> str:
    """A Swedish message for a JSON syntax error, with line and column."""
    what = next((sv for en, sv in JSON_MESSAGES.items() if exc.msg.startswith(en)), "felaktig JSON-syntax")
    if exc.pos >= len(exc.doc or "") and exc.msg.startswith(("Expecting", "Unterminated")):
        what += " (filen tar slut mitt i dokumentet: är den avkortad?)"
    return f"Filen är inte giltig JSON: rad {exc.lineno}, kolumn {exc.colno}: {what}."


def os_error_sv(path: str | Path, exc: OSError) -> str:
    """A Swedish message for a file that cannot be read or written ("[Errno 2] …" is English)."""
    if isinstance(exc, FileNotFoundError):
        return f"Filen eller mappen {path} finns inte."
    if isinstance(exc, IsADirectoryError):
        return f"{path} är en mapp, inte en fil."
    if isinstance(exc, PermissionError):
        return f"Behörighet saknas för filen {path}."
    return f"Filen {path} kunde inte läsas eller skrivas (systemfel {exc.errno or 'okänt'})."


def import_plan_json(
    text: str | bytes, *, acting_user, source: str = "import", municipality: Municipality | None = None
) -> ImportResult:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PlanImportError(["Filen är inte UTF-8-kodad text och kan inte läsas som JSON."]) from None
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise PlanImportError([json_error_sv(exc)]) from None
    except RecursionError:
        raise PlanImportError(["Filen är inte giltig JSON: för djup nästling."]) from None
    except ValueError as exc:  # _refuse_duplicate_keys (Swedish), or a number too long to convert
        message = str(exc) if "förekommer två gånger" in str(exc) else "ett tal är för långt"
        raise PlanImportError([f"Filen är inte giltig JSON: {message}."]) from None
    return import_plan(data, acting_user=acting_user, source=source, municipality=municipality)


def load_plan_yaml(
    path: str | Path, *, acting_user=None, source: str = "import", municipality: Municipality | None = None
) -> ImportResult:
    """Import a YAML file with the trygg.plan/1 structure (dates may be YAML dates or ISO strings)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanImportError([os_error_sv(path, exc)]) from None
    except UnicodeDecodeError:
        raise PlanImportError([f"Filen {path} är inte UTF-8-kodad text."]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (rad {mark.line + 1}, kolumn {mark.column + 1})" if mark else ""
        raise PlanImportError([f"Filen är inte giltig YAML{where}."]) from None
    except RecursionError:
        raise PlanImportError(["Filen är inte giltig YAML: för djup nästling."]) from None
    return import_plan(data, acting_user=acting_user, source=source, municipality=municipality)


def import_plan_file(
    path: str | Path, *, acting_user=None, source: str = "import", municipality: Municipality | None = None
) -> ImportResult:
    """Import a .json, .yaml/.yml or .xlsx file, chosen by its extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise PlanImportError([f"Okänd filtyp ”{path.suffix}”. Tillåtna: {', '.join(SUFFIXES)}."])
    options = {"acting_user": acting_user, "source": source, "municipality": municipality}
    if suffix in (".yaml", ".yml"):
        return load_plan_yaml(path, **options)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise PlanImportError([os_error_sv(path, exc)]) from None
    if suffix == ".json":
        return import_plan_json(content, **options)
    return import_plan_xlsx(content, **options)


def export_plan_xlsx(plan: Plan) -> bytes:
    """The plan as an XLSX workbook (sheets "Aktiviteter" and "Plan"); same queries as export_plan."""
    return document_to_xlsx(export_plan(plan))


def import_plan_xlsx(
    data: bytes, *, acting_user, source: str = "import", municipality: Municipality | None = None
) -> ImportResult:
    """Import a workbook made by export_plan_xlsx (or edited from one); errors name sheet rows."""
    doc, locate, errors = read_workbook(data)
    return import_document(
        doc,
        acting_user=acting_user,
        source=source,
        municipality=municipality,
        locate=locate,
        earlier_errors=errors,
    )
