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

from trygg.accounts.models import Unit

from .actions import PlanError, do_set_activity_status
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
from .models import Activity, ActivityStatus, Area, FollowUp, Intervention, Plan, Program

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


# --- Writing ------------------------------------------------------------------------------------------


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
    except (DatabaseError, PlanError) as exc:  # a rule not checked above; the transaction was rolled back
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
            Activity.objects.select_related("intervention__area__plan").prefetch_related("units"),
            activity_items,
        )
        follow_ups = _by_uid(FollowUp.objects.select_related("plan"), doc.follow_ups)

        def elsewhere(items: list[Item], found: dict, plan_of: Callable[[Any], Plan], what: str) -> None:
            for item in items:
                obj = found.get(item.uid)
                if obj is not None and plan_of(obj).uid != plan_uid:
                    issues.append(
                        (join(item.path, "uid"), f"{what} hör redan till planen ”{plan_of(obj).name}”")
                    )

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
        return cls(program, plan, areas, interventions, activities, follow_ups, issues)


def _by_uid(queryset, items: Iterable[Item]) -> dict[uuid.UUID, Any]:
    return {obj.uid: obj for obj in queryset.filter(uid__in=[item.uid for item in items])}


def _collisions(issues: list[Issue], items: list[Item], key: str, taken: dict[int, str]) -> None:
    for item in items:
        value = item.fields.get(key)
        if value in taken:
            issues.append(
                (join(item.path, key), f"{value} används redan av {taken[value]} som inte finns i filen")
            )


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
    counts = {kind: Counts() for kind in KIND_LABELS}

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
    plan = _upsert(Plan, doc.plan, ex.plan, links, counts["plan"])

    intervention_items = [(area, iv) for area in doc.areas for iv in area.children]
    _park(
        [
            ex.areas[a.uid]
            for a in doc.areas
            if a.uid in ex.areas and ex.areas[a.uid].number != a.fields["number"]
        ],
        "number",
    )
    _park(
        [
            ex.interventions[iv.uid]
            for area, iv in intervention_items
            if iv.uid in ex.interventions
            and (ex.interventions[iv.uid].number, ex.interventions[iv.uid].area.uid)
            != (iv.fields["number"], area.uid)
        ],
        "number",
    )
    _park(
        [
            ex.follow_ups[f.uid]
            for f in doc.follow_ups
            if f.uid in ex.follow_ups and ex.follow_ups[f.uid].year != f.fields["year"]
        ],
        "year",
    )

    activities: dict[uuid.UUID, Activity] = {}
    for area_item in doc.areas:
        area = _upsert(Area, area_item, ex.areas.get(area_item.uid), {"plan": plan}, counts["area"])
        for iv_item in area_item.children:
            links = {"area": area}
            intervention = _upsert(
                Intervention, iv_item, ex.interventions.get(iv_item.uid), links, counts["intervention"]
            )
            for act_item in iv_item.children:
                old = ex.activities.get(act_item.uid)
                wanted = {units[name].pk for name in act_item.units} if act_item.units is not None else None
                current = {u.pk for u in old.units.all()} if old is not None else set()
                units_change = wanted is not None and wanted != current
                links = {"intervention": intervention}
                activity = _upsert(
                    Activity, act_item, old, links, counts["activity"], units_change and old is not None
                )
                if units_change:
                    activity.units.set(wanted)
                activities[act_item.uid] = activity

    old_statuses = {
        (s.follow_up_id, s.activity_id): (s.status, s.comment)
        for s in ActivityStatus.objects.filter(follow_up__in=list(ex.follow_ups.values()))
    }
    for fu_item in doc.follow_ups:
        follow_up = _upsert(
            FollowUp, fu_item, ex.follow_ups.get(fu_item.uid), {"plan": plan}, counts["follow_up"]
        )
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
    return ImportResult(plan, counts)


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


# --- Public entry points -----------------------------------------------------------------------------

SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")


def export_plan_json(plan: Plan) -> str:
    return json.dumps(export_plan(plan), indent=2, ensure_ascii=False) + "\n"


def import_plan(data: Any, *, acting_user, source: str = "import") -> ImportResult:
    """Import a trygg.plan/1 document given as a dict (as json.loads or yaml.safe_load returns it)."""
    return import_document(data, acting_user=acting_user, source=source)


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"fältet ”{key}” förekommer två gånger i samma objekt")
        result[key] = value
    return result


def import_plan_json(text: str | bytes, *, acting_user, source: str = "import") -> ImportResult:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PlanImportError(["Filen är inte UTF-8-kodad text och kan inte läsas som JSON."]) from None
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise PlanImportError(
            [f"Filen är inte giltig JSON: rad {exc.lineno}, kolumn {exc.colno}: {exc.msg}."]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise PlanImportError([f"Filen är inte giltig JSON: {exc}."]) from None
    return import_plan(data, acting_user=acting_user, source=source)


def load_plan_yaml(path: str | Path, *, acting_user=None, source: str = "import") -> ImportResult:
    """Import a YAML file with the trygg.plan/1 structure (dates may be YAML dates or ISO strings)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanImportError([f"Filen {path} kunde inte läsas: {exc}"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (rad {mark.line + 1}, kolumn {mark.column + 1})" if mark else ""
        raise PlanImportError(
            [f"Filen är inte giltig YAML{where}: {getattr(exc, 'problem', exc)}."]
        ) from None
    except RecursionError:
        raise PlanImportError(["Filen är inte giltig YAML: för djup nästling."]) from None
    return import_plan(data, acting_user=acting_user, source=source)


def import_plan_file(path: str | Path, *, acting_user=None, source: str = "import") -> ImportResult:
    """Import a .json, .yaml/.yml or .xlsx file, chosen by its extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise PlanImportError([f"Okänd filtyp ”{path.suffix}”. Tillåtna: {', '.join(SUFFIXES)}."])
    if suffix in (".yaml", ".yml"):
        return load_plan_yaml(path, acting_user=acting_user, source=source)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise PlanImportError([f"Filen {path} kunde inte läsas: {exc}"]) from None
    if suffix == ".json":
        return import_plan_json(content, acting_user=acting_user, source=source)
    return import_plan_xlsx(content, acting_user=acting_user, source=source)


def export_plan_xlsx(plan: Plan) -> bytes:
    """The plan as an XLSX workbook (sheets "Aktiviteter" and "Plan"); same queries as export_plan."""
    return document_to_xlsx(export_plan(plan))


def import_plan_xlsx(data: bytes, *, acting_user, source: str = "import") -> ImportResult:
    """Import a workbook made by export_plan_xlsx (or edited from one); errors name sheet rows."""
    doc, locate, errors = read_workbook(data)
    return import_document(doc, acting_user=acting_user, source=source, locate=locate, earlier_errors=errors)
