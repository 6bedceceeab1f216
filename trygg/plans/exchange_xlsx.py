"""The XLSX form of the trygg.plan/1 document, for people who work in Excel or LibreOffice.

Sheet "Aktiviteter": one row per activity and follow-up year (status and comment), keyed on the id columns.
Sheet "Plan": rows of Objekt / Id / Fält / Värde for everything else (program, plan, units, areas,
interventions, follow-ups and their texts), so that export → import gives back exactly the same document.
Reading turns the workbook into the same dict the JSON importer takes, plus a map from document paths to
sheet rows so that every error names its row and column. Plain Python and openpyxl: no database.
"""

from __future__ import annotations

import uuid
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .exchange_json import (
    ACTIVITY_FIELDS,
    AREA_FIELDS,
    FOLLOW_UP_FIELDS,
    FORMAT,
    INTERVENTION_FIELDS,
    PLAN_FIELDS,
    PROGRAM_FIELDS,
    FieldSpec,
    PlanImportError,
)
from .status_rules import LABELS, Status

ACTIVITIES_SHEET = "Aktiviteter"
PLAN_SHEET = "Plan"
COLUMNS: dict[str, str] = {  # document key -> column header, in sheet order
    "area": "Delområde",
    "intervention": "Insats",
    "title": "Aktivitet",
    "units": "Ansvariga enheter",
    "planned_start": "Planerad start",
    "planned_end": "Planerat slut",
    "political_assignment": "Politiskt uppdrag",
    "political_reference": "Uppdragets referens",
    "year": "År",
    "status": "Status",
    "comment": "Kommentar",
    "activity_uid": "aktivitet-id",
    "intervention_uid": "insats-id",
    "area_uid": "delområde-id",
}
PLAN_COLUMNS = ("Objekt", "Id", "Fält", "Värde")
UNIT_SEPARATOR = "; "
YES, NO = "Ja", "Nej"

# Objekt in the Plan sheet -> (Swedish label, field specs). The document paths follow from the kind.
OBJECTS: dict[str, tuple[str, dict[str, FieldSpec]]] = {
    "format": ("Format", {"format": FieldSpec("text", "Format", True)}),
    "program": ("Program", PROGRAM_FIELDS),
    "plan": ("Plan", PLAN_FIELDS),
    "unit": ("Enhet", {"name": FieldSpec("text", "Namn", True, 200)}),
    "area": ("Delområde", AREA_FIELDS),
    "intervention": ("Insats", {"area": FieldSpec("uid", "Delområde-id", True), **INTERVENTION_FIELDS}),
    "follow_up": ("Uppföljning", FOLLOW_UP_FIELDS),
}
ACTIVITY_KEYS = ("units", *ACTIVITY_FIELDS)  # an activity's own columns, the same on all its rows

# Bounds checked on the zip's directory before openpyxl parses anything: the file size alone says little
# (a 400 KB file can unpack to a 400 MB cell, and openpyxl holds the shared strings in memory). A plan with
# 300 activities and long comments unpacks to a few MB.
XLSX_MAX_UNCOMPRESSED = 40 * 1024 * 1024  # the whole workbook, unpacked
XLSX_MAX_MEMBER = 25 * 1024 * 1024  # one part of it (a sheet, the shared strings)
XLSX_MAX_MEMBERS = 500
CELL_MAX = 32_767  # Excel's own limit for the text of a cell


# --- Export -------------------------------------------------------------------------------------------


def _put(ws, row: int, column: int, value: Any) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text (no formula injection)
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def _header(ws, headers, widths) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def _cell_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def document_to_xlsx(doc: dict) -> bytes:
    """An exported trygg.plan/1 document (as export_plan gives it) as an XLSX workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = ACTIVITIES_SHEET
    _header(ws, COLUMNS.values(), (30, 30, 45, 30, 13, 13, 10, 25, 7, 22, 60, 12, 12, 12))
    statuses = {(fu["uid"], s["activity"]): s for fu in doc["follow_ups"] for s in fu["statuses"]}
    years = [(fu["uid"], fu["year"]) for fu in doc["follow_ups"]] or [(None, None)]
    row = 2
    for area in doc["areas"]:
        for intervention in area["interventions"]:
            for activity in intervention["activities"]:
                for fu_uid, year in years:
                    status = statuses.get((fu_uid, activity["uid"]))
                    values = {
                        "area": f"{area['number']} {area['title']}",
                        "intervention": intervention["title"],
                        "title": activity["title"],
                        "units": UNIT_SEPARATOR.join(activity["units"]),
                        "planned_start": _cell_date(activity["planned_start"]),
                        "planned_end": _cell_date(activity["planned_end"]),
                        "political_assignment": YES if activity["political_assignment"] else NO,
                        "political_reference": activity["political_reference"],
                        "year": year,
                        "status": LABELS[Status(status["status"])] if status else None,
                        "comment": status["comment"] if status else None,
                        "activity_uid": activity["uid"],
                        "intervention_uid": intervention["uid"],
                        "area_uid": area["uid"],
                    }
                    for column, key in enumerate(COLUMNS, start=1):
                        _put(ws, row, column, values[key])
                    row += 1
    grey = Font(color="808080")
    for cells in ws.iter_cols(min_col=len(COLUMNS) - 2, min_row=2):
        for cell in cells:
            cell.font = grey
    for cell in ws[get_column_letter(list(COLUMNS).index("comment") + 1)][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    sheet = wb.create_sheet(PLAN_SHEET)
    _header(sheet, PLAN_COLUMNS, (14, 38, 24, 90))
    rows: list[tuple[str, str | None, str, Any]] = [("format", None, "format", FORMAT)]
    objects = [("program", doc["program"])] if doc["program"] else []
    objects.append(("plan", doc["plan"]))
    objects += [("area", area) for area in doc["areas"]]
    objects += [
        ("intervention", {**iv, "area": area["uid"]}) for area in doc["areas"] for iv in area["interventions"]
    ]
    objects += [("follow_up", fu) for fu in doc["follow_ups"]]
    rows += [("unit", None, "name", name) for name in doc["units"]]
    for kind, obj in objects:
        rows += [(kind, obj["uid"], key, obj[key]) for key in OBJECTS[kind][1]]
    rows.sort(key=lambda r: list(OBJECTS).index(r[0]))  # stable: keeps each object's rows together
    for number, (kind, uid, key, value) in enumerate(rows, start=2):
        label, specs = OBJECTS[kind]
        spec = specs[key]
        if spec.kind == "date":
            value = _cell_date(value)
        for column, cell_value in enumerate((label, uid, spec.label, value), start=1):
            _put(sheet, number, column, cell_value)
        sheet.cell(row=number, column=4).alignment = Alignment(wrap_text=True, vertical="top")

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Import -------------------------------------------------------------------------------------------


def _coerce(kind: str, value: Any) -> Any:
    """Turn a cell value into what the document validator expects for a field of this kind."""
    if isinstance(value, str) and kind not in ("text", "longtext"):
        value = value.strip()
        if value == "":
            value = None
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if kind in ("text", "longtext", "slug", "uid", "status"):
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        return value if isinstance(value, str) or kind == "uid" else str(value)
    if kind in ("year", "number") and isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if kind == "bool":
        if value is None:
            return False
        if isinstance(value, str):
            return {"ja": True, "nej": False, "true": True, "false": False}.get(value.casefold(), value)
    return value


def _id(value: Any) -> str:
    """An id cell as a canonical UUID string when it is one (the validator reports it otherwise)."""
    text = "" if value is None else str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


@dataclass
class _Obj:
    kind: str
    uid: str
    row: int
    fields: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.locations: dict[str, str] = {
            "": "Filen",
            "format": f"Bladet ”{PLAN_SHEET}”, Format",
            "program": f"Bladet ”{PLAN_SHEET}”, Program",
            "plan": f"Bladet ”{PLAN_SHEET}”, Plan",
            "units": f"Bladet ”{PLAN_SHEET}”, Enhet",
            "areas": f"Bladet ”{PLAN_SHEET}”, Delområde",
            "follow_ups": f"Bladet ”{PLAN_SHEET}”, Uppföljning",
        }
        self.labels = {key: spec.label for _, specs in OBJECTS.values() for key, spec in specs.items()}
        self.labels["uid"] = "Id"

    def locate(self, path: str) -> str:
        probe = path
        while probe not in self.locations:
            probe = probe[: max(probe.rfind("."), probe.rfind("["), 0)]
        rest = path[len(probe) :].lstrip(".").split(".")[0].split("[")[0]
        label = self.labels.get(rest)
        return f"{self.locations[probe]}, fält ”{label}”" if rest and label else self.locations[probe]

    def plan_object(self, path: str, obj: _Obj) -> None:
        label, specs = OBJECTS[obj.kind]
        where = f"Bladet ”{PLAN_SHEET}”"
        self.locations[path] = f"{where}, {label} {obj.uid}".rstrip()
        self.locations[f"{path}.uid"] = f"{where}, rad {obj.row}, fält ”Id”"
        for key, row in obj.rows.items():
            self.locations[f"{path}.{key}"] = f"{where}, rad {row} ({label} ”{specs[key].label}”)"


def _sheet(wb, name: str):
    for ws in wb.worksheets:
        if ws.title.strip().casefold() == name.casefold():
            return ws
    return None


def _columns(ws, headers, errors: list[str]) -> dict[str, int]:
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    found = {str(h).strip().casefold(): i for i, h in enumerate(first) if h is not None}
    missing = [h for h in headers if h.casefold() not in found]
    if missing:
        names = ", ".join(f"”{h}”" for h in missing)
        noun = "kolumnen" if len(missing) == 1 else "kolumnerna"
        errors.append(f"Bladet ”{ws.title}” saknar {noun} {names} i rad 1.")
    return {h: found.get(h.casefold(), -1) for h in headers}


def _rows(ws, columns: dict[str, int]):
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and len(value) > CELL_MAX:
                raise PlanImportError(
                    [
                        f"Bladet ”{ws.title}”, rad {number}, kolumn {get_column_letter(column)}: cellen har "
                        f"{len(value)} tecken; högst {CELL_MAX} tas emot."
                    ]
                )
        cells = {h: values[i] if 0 <= i < len(values) else None for h, i in columns.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        yield number, cells


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB".replace(".", ",")


def check_zip_bounds(data: bytes) -> None:
    """Refuse (Swedish) a workbook whose unpacked size, or any part's, is over the limits, reading only the
    zip's directory. Python's zipfile never unpacks more than a member's declared size, so the declared sizes
    bound the memory openpyxl can use."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PlanImportError(
            ["Filen kunde inte läsas som en XLSX-fil (Excel). Spara den som .xlsx och försök igen."]
        ) from None
    if len(members) > XLSX_MAX_MEMBERS:
        raise PlanImportError(
            [f"Arbetsboken består av {len(members)} delar; högst {XLSX_MAX_MEMBERS} tas emot."]
        )
    total = sum(member.file_size for member in members)
    largest = max(members, key=lambda member: member.file_size, default=None)
    if total > XLSX_MAX_UNCOMPRESSED:
        raise PlanImportError(
            [
                f"Arbetsboken är {_megabytes(total)} när den packas upp; högst "
                f"{_megabytes(XLSX_MAX_UNCOMPRESSED)} tas emot. Dela upp planen eller korta de längsta texterna."
            ]
        )
    if largest is not None and largest.file_size > XLSX_MAX_MEMBER:
        raise PlanImportError(
            [
                f"En del av arbetsboken ({largest.filename}) är {_megabytes(largest.file_size)} när den packas "
                f"upp; högst {_megabytes(XLSX_MAX_MEMBER)} tas emot."
            ]
        )


def read_workbook(data: bytes) -> tuple[dict, Callable[[str], str], list[str]]:
    """The workbook as a trygg.plan/1 dict, a path -> "row and column" function, and row-level errors."""
    if not isinstance(data, bytes | bytearray):
        raise PlanImportError(["Filen kunde inte läsas som XLSX (förväntade filens innehåll som bytes)."])
    check_zip_bounds(data)
    with warnings.catch_warnings():  # openpyxl warns about features it skips and out-of-range dates
        warnings.simplefilter("ignore", UserWarning)
        try:
            wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, …) for a file that is not XLSX
            raise PlanImportError(
                ["Filen kunde inte läsas som en XLSX-fil (Excel). Spara den som .xlsx och försök igen."]
            ) from None
        try:
            return _read(wb)
        except PlanImportError:
            raise
        except Exception:  # a sheet's XML is broken (e.g. a NUL character reference): openpyxl fails late
            raise PlanImportError(
                ["Arbetsboken är skadad eller innehåller otillåtna tecken (t.ex. NUL) och kan inte läsas."]
            ) from None
        finally:
            wb.close()


def _read(wb) -> tuple[dict, Callable[[str], str], list[str]]:
    reader = _Reader()
    errors = reader.errors
    plan_ws, activities_ws = _sheet(wb, PLAN_SHEET), _sheet(wb, ACTIVITIES_SHEET)
    missing = [f"”{n}”" for n, ws in ((PLAN_SHEET, plan_ws), (ACTIVITIES_SHEET, activities_ws)) if ws is None]
    if missing:
        raise PlanImportError([f"Arbetsboken saknar bladet {' och '.join(missing)}."])
    plan_columns = _columns(plan_ws, PLAN_COLUMNS, errors)
    activity_columns = _columns(activities_ws, COLUMNS.values(), errors)
    if errors:
        raise PlanImportError(errors)

    objects, units = _read_plan_sheet(reader, _rows(plan_ws, plan_columns))
    doc: dict[str, Any] = {}
    if "format" in objects:
        fmt = next(iter(objects["format"].values()))
        doc["format"] = fmt.fields.get("format")
        reader.locations["format"] = f"Bladet ”{PLAN_SHEET}”, rad {fmt.row}"
    for kind in ("program", "plan"):
        if objects.get(kind):
            obj = next(iter(objects[kind].values()))
            doc[kind] = {"uid": obj.uid, **obj.fields}
            reader.plan_object(kind, obj)
    doc["units"] = []
    for name, row in units:
        reader.locations[f"units[{len(doc['units'])}]"] = f"Bladet ”{PLAN_SHEET}”, rad {row} (Enhet)"
        doc["units"].append(name)

    area_dicts: dict[str, dict] = {}
    doc["areas"] = []
    for area in objects.get("area", {}).values():
        path = f"areas[{len(doc['areas'])}]"
        reader.plan_object(path, area)
        area_dicts[area.uid] = {"uid": area.uid, **area.fields, "interventions": []}
        doc["areas"].append(area_dicts[area.uid])
    interventions: dict[str, tuple[dict, str, dict]] = {}  # uid -> (intervention dict, path, area dict)
    for iv in objects.get("intervention", {}).values():
        area_uid = iv.fields.pop("area", "")
        area_row = iv.rows.pop("area", iv.row)
        if area_uid not in area_dicts:
            what = f"okänt delområde ”{area_uid}”" if area_uid else "Delområde-id saknas"
            errors.append(f"Bladet ”{PLAN_SHEET}”, rad {area_row} (Insats ”Delområde-id”): {what}")
            continue
        area_index = doc["areas"].index(area_dicts[area_uid])
        siblings = area_dicts[area_uid]["interventions"]
        path = f"areas[{area_index}].interventions[{len(siblings)}]"
        reader.plan_object(path, iv)
        siblings.append({"uid": iv.uid, **iv.fields, "activities": []})
        interventions[iv.uid] = (siblings[-1], path, area_dicts[area_uid])
    follow_ups: dict[Any, tuple[dict, str]] = {}
    doc["follow_ups"] = []
    for fu in objects.get("follow_up", {}).values():
        path = f"follow_ups[{len(doc['follow_ups'])}]"
        reader.plan_object(path, fu)
        doc["follow_ups"].append({"uid": fu.uid, **fu.fields, "statuses": []})
        follow_ups.setdefault(fu.fields.get("year"), (doc["follow_ups"][-1], path))

    _read_activities(reader, _rows(activities_ws, activity_columns), interventions, follow_ups)
    return doc, reader.locate, errors


def _read_plan_sheet(reader: _Reader, rows) -> tuple[dict[str, dict[str, _Obj]], list[tuple[str, int]]]:
    kinds = {label.casefold(): kind for kind, (label, _) in OBJECTS.items()}
    objects: dict[str, dict[str, _Obj]] = {}
    units: list[tuple[str, int]] = []
    for row, cells in rows:
        where = f"Bladet ”{PLAN_SHEET}”, rad {row}"
        kind = kinds.get(str(cells["Objekt"] or "").strip().casefold())
        if kind is None:
            allowed = ", ".join(label for label, _ in OBJECTS.values())
            reader.errors.append(f"{where}: okänt objekt ”{cells['Objekt'] or ''}” (tillåtna: {allowed})")
            continue
        label, specs = OBJECTS[kind]
        wanted = str(cells["Fält"] or "").strip().casefold()
        key = next((k for k, s in specs.items() if wanted in (k.casefold(), s.label.casefold())), None)
        if key is None:
            allowed = ", ".join(s.label for s in specs.values())
            reader.errors.append(
                f"{where}: okänt fält ”{cells['Fält'] or ''}” för {label} (tillåtna: {allowed})"
            )
            continue
        kind_of_value = specs[key].kind
        value = _id(cells["Värde"]) if kind_of_value == "uid" else _coerce(kind_of_value, cells["Värde"])
        if kind == "unit":
            units.append((value, row))
            continue
        uid = "" if kind == "format" else _id(cells["Id"])
        if kind != "format" and not uid:
            reader.errors.append(f"{where}: Id saknas för {label}")
            continue
        same_kind = objects.setdefault(kind, {})
        if kind in ("format", "program", "plan") and same_kind and uid not in same_kind:
            first = next(iter(same_kind.values()))
            reader.errors.append(
                f"{where}: filen får bara innehålla ett {label} (rad {first.row} har id {first.uid})"
            )
            continue
        obj = same_kind.setdefault(uid, _Obj(kind, uid, row))
        if key in obj.fields:
            reader.errors.append(f"{where}: {label} ”{specs[key].label}” står redan på rad {obj.rows[key]}")
            continue
        obj.fields[key] = value
        obj.rows[key] = row
    return objects, units


def _activity_values(cells: dict[str, Any]) -> dict[str, Any]:
    units = str(cells[COLUMNS["units"]] or "")
    values = {"units": [name.strip() for name in units.split(";") if name.strip()]}
    for key in ACTIVITY_KEYS:
        if key != "units":
            values[key] = _coerce(ACTIVITY_FIELDS[key].kind, cells[COLUMNS[key]])
    return values


def _read_activities(reader: _Reader, rows, interventions: dict, follow_ups: dict) -> None:
    errors = reader.errors
    seen: dict[str, tuple[int, dict[str, Any]]] = {}  # activity uid -> (first row, values)
    done: dict[tuple[str, Any], int] = {}
    for row, cells in rows:

        def fail(key: str, message: str, row=row) -> None:
            errors.append(f"Rad {row}, fält ”{COLUMNS[key]}”: {message}")

        uid = _id(cells[COLUMNS["activity_uid"]])
        iv_uid = _id(cells[COLUMNS["intervention_uid"]])
        if not uid:
            fail("activity_uid", "saknas")
            continue
        if iv_uid not in interventions:
            fail("intervention_uid", f"okänd insats ”{iv_uid}” (den ska finnas i bladet ”{PLAN_SHEET}”)")
            continue
        iv, iv_path, area = interventions[iv_uid]
        area_uid = _id(cells[COLUMNS["area_uid"]])
        if area_uid != area["uid"]:
            fail(
                "area_uid",
                f"insatsen hör till delområdet {area['uid']} i bladet ”{PLAN_SHEET}”, inte ”{area_uid}”",
            )
        number, title = area.get("number"), area.get("title")
        shown = {"area": f"{number} {title}" if isinstance(number, int) and isinstance(title, str) else None}
        shown["intervention"] = iv.get("title")
        for key, expected in shown.items():
            given = str(cells[COLUMNS[key]] or "").strip()
            if isinstance(expected, str) and given != expected.strip():
                fail(key, f"”{given}” stämmer inte med bladet ”{PLAN_SHEET}” (”{expected}”); ändra där")

        values = {**_activity_values(cells), "intervention_uid": iv_uid}
        if uid not in seen:
            seen[uid] = (row, values)
            path = f"{iv_path}.activities[{len(iv['activities'])}]"
            reader.locations[path] = f"Rad {row}"
            for key in (*ACTIVITY_KEYS, "uid"):
                header = COLUMNS["activity_uid" if key == "uid" else key]
                reader.locations[f"{path}.{key}"] = f"Rad {row}, fält ”{header}”"
            iv["activities"].append({"uid": uid, **{k: values[k] for k in ACTIVITY_KEYS}})
        else:
            first_row, first = seen[uid]
            for key in ("intervention_uid", *ACTIVITY_KEYS):
                if values[key] != first[key]:
                    fail(key, f"skiljer sig från rad {first_row} för samma aktivitet; ändra alla rader lika")

        year = _coerce("year", cells[COLUMNS["year"]])
        status, comment = cells[COLUMNS["status"]], _coerce("longtext", cells[COLUMNS["comment"]])
        if year is None:
            if status is not None or comment:
                fail("year", "saknas (behövs när Status eller Kommentar är ifylld)")
            continue
        if year not in follow_ups:
            fail("year", f"det finns ingen uppföljning för år ”{year}” i bladet ”{PLAN_SHEET}”")
            continue
        if (uid, year) in done:
            fail("year", f"aktiviteten har redan en rad för år {year} (rad {done[uid, year]})")
            continue
        done[uid, year] = row
        if status is None or (isinstance(status, str) and not status.strip()):
            if comment:
                fail("status", "saknas (behövs när Kommentar är ifylld)")
            continue
        follow_up, fu_path = follow_ups[year]
        path = f"{fu_path}.statuses[{len(follow_up['statuses'])}]"
        reader.locations[path] = f"Rad {row}"
        for key, column in (("status", "status"), ("comment", "comment"), ("activity", "activity_uid")):
            reader.locations[f"{path}.{key}"] = f"Rad {row}, fält ”{COLUMNS[column]}”"
        follow_up["statuses"].append(
            {"activity": uid, "status": _coerce("status", status), "comment": comment}
        )
