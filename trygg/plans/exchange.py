"""Import and export of a plan with its follow-ups: JSON, YAML and XLSX forms of "trygg.plan/1".

Public API (schema and rules: docs/plan-exchange.md):

- export_plan(plan) -> dict, export_plan_json(plan) -> str, export_plan_xlsx(plan) -> bytes
- import_plan(data, acting_user=..., source="import") -> ImportResult, and the same for
  import_plan_json(text | bytes), import_plan_xlsx(bytes), load_plan_yaml(path), import_plan_file(path)

Imports validate everything first and raise PlanImportError (a ValueError with `.errors`, Swedish messages
naming the place) without writing anything; otherwise they write in one transaction, keyed on uid, so that
importing the same file again changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .exchange_json import FORMAT, ImportResult, PlanImportError, export_plan, import_document
from .exchange_xlsx import export_plan_xlsx, import_plan_xlsx
from .models import Plan

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
        raise PlanImportError([f"Filen är inte giltig YAML{where}: {getattr(exc, 'problem', exc)}."]) from None
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
