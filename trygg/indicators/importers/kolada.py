"""Kolada API v3: data responses → ParsedImport, and the KPI catalogue → IndicatorSpecs.

Data: {"values": [{"kpi", "municipality", "period", "values": [{"gender": "T|K|M", "count", "status",
"value"}]}], "count", "next_url"}. Rows (or gender values) with isdeleted are skipped. Gender T is the
total; K and M become the breakdown kön=K / kön=M. A null value is "missing"; a status mentioning
sekretess/röjande is "suppressed"; a status mentioning "prel" marks the value preliminary.
Municipality "0000" is riket and "00LL" a län (see regions.normalise_code).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
from collections.abc import Iterable

from .. import regions
from .common import (
    GENDER,
    MAX_EXACT_INT,
    MISSING,
    OK,
    SUPPRESSED,
    TOO_LONG_INTEGER,
    ErrorList,
    ImportValidationError,
    IndicatorSpec,
    ParsedImport,
    clean_json_source,
    clean_source,
    decode_text,
    guess_higher_is_better,
    guess_unit,
    json_error,
    make_row,
    parse_period,
    parse_value,
    show,
    value_problem,
)

SOURCE = "Kolada (RKA)"
_RE_KPI = re.compile(r"^[A-Z]\d{5}$")
_GENDER_KEYS = {"T": "", "K": f"{GENDER}=K", "M": f"{GENDER}=M"}
_PLAIN_STATUSES = {"Saknas", "saknas", "OK", "ok"}  # statuses that say no more than the value does


def _is_deleted(item: dict) -> bool:
    flag = item.get("isdeleted", item.get("is_deleted"))
    return flag is True or flag == 1 or (isinstance(flag, str) and flag.casefold() in {"true", "1", "yes"})


def load_json(data: bytes | str | dict | list, *, label: str = "Kolada-svaret") -> dict | list:
    if isinstance(data, dict | list):
        return data
    try:
        text = decode_text(data, label=label) if isinstance(data, bytes) else data
        return json.loads(clean_json_source(text))
    except json.JSONDecodeError as exc:
        raise ImportValidationError([json_error(label, exc)]) from exc
    except ValueError as exc:  # an integer longer than Python's limit for int() (4 300 digits)
        raise ImportValidationError([TOO_LONG_INTEGER.format(label=label)]) from exc
    except RecursionError as exc:
        raise ImportValidationError([f"{label} är för djupt nästlat."]) from exc


def parse_kolada(data: bytes | str | dict | list) -> ParsedImport:
    """Parse one Kolada data response, or a list of pages (as the live client collects them)."""
    loaded = load_json(data)
    pages = loaded if isinstance(loaded, list) else [loaded]
    errors = ErrorList()
    rows: list[tuple] = []
    append = rows.append
    skipped = 0
    periods: dict[object, object] = {}
    region_cache: dict[object, str | None] = {}
    for page_no, page in enumerate(pages, start=1):
        where_page = f"sida {page_no}: " if len(pages) > 1 else ""
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise ImportValidationError([f'Kolada-svaret {where_page}saknar listan "values".'])
        for item_no, item in enumerate(page["values"], start=1):
            where = f"{where_page}post {item_no}"
            if not isinstance(item, dict):
                errors.add(f"Kolada-svaret {where}: posten är inte ett objekt.")
                continue
            if ("isdeleted" in item or "is_deleted" in item) and _is_deleted(item):
                skipped += 1
                continue
            kpi, municipality, raw_period = item.get("kpi"), item.get("municipality"), item.get("period")
            if not isinstance(kpi, str) or not _RE_KPI.match(kpi):
                errors.add(f"Kolada-svaret {where}: ogiltigt nyckeltals-id {show(kpi)}.")
                continue
            if not isinstance(municipality, str | int) or isinstance(municipality, bool):
                municipality = repr(municipality)[:20]  # hashable, and never a valid code
            if municipality not in region_cache:
                region_cache[municipality] = regions.normalise_code(municipality)
            region = region_cache[municipality]
            if region is None:
                errors.add(f"Kolada-svaret {where} ({kpi}): okänd kommun/region {show(municipality)}.")
                continue
            if not isinstance(raw_period, str | int) or isinstance(raw_period, bool):
                raw_period = repr(raw_period)[:20]
            if raw_period not in periods:
                periods[raw_period] = parse_period(raw_period)
            period = periods[raw_period]
            if period is None:
                errors.add(f"Kolada-svaret {where} ({kpi}, {region}): ogiltig period {show(raw_period)}.")
                continue
            values = item.get("values")
            if not isinstance(values, list):
                errors.add(f'Kolada-svaret {where} ({kpi}, {region}, {period.label}): saknar "values".')
                continue
            for value_item in values:
                if type(value_item) is not dict:
                    errors.add(f"Kolada-svaret {where} ({kpi}): ett värde är inte ett objekt.")
                    continue
                if ("isdeleted" in value_item or "is_deleted" in value_item) and _is_deleted(value_item):
                    skipped += 1
                    continue
                gender = value_item.get("gender")
                breakdown = _GENDER_KEYS.get(gender) if isinstance(gender, str) else None
                if breakdown is None:
                    errors.add(
                        f"Kolada-svaret {where} ({kpi}, {region}, {period.label}): "
                        f"okänt kön {show(value_item.get('gender'), 10)} (T, K eller M)."
                    )
                    continue
                raw = value_item.get("value")
                if type(raw) is float and math.isfinite(raw):
                    value, status = raw, OK
                elif type(raw) is int and -MAX_EXACT_INT <= raw <= MAX_EXACT_INT:
                    value, status = float(raw), OK
                elif raw is None:
                    value, status = None, MISSING
                else:
                    parsed = parse_value(raw) if isinstance(raw, str | int | float) else None
                    if parsed is None:
                        errors.add(
                            f"Kolada-svaret {where} ({kpi}, {region}, {period.label}): {value_problem(raw)}."
                        )
                        continue
                    value, status = parsed
                preliminary = period.preliminary
                status_text = value_item.get("status")
                if isinstance(status_text, str) and status_text and status_text not in _PLAIN_STATUSES:
                    folded = status_text.casefold()
                    if "sekretess" in folded or "röj" in folded or folded == "..":
                        value, status = None, SUPPRESSED
                    preliminary = preliminary or "prel" in folded
                append(make_row(kpi, region, period, breakdown, value, status, preliminary))
            if errors.full:
                break
    errors.raise_if_any()
    return ParsedImport(source_label="Kolada", rows=rows, skipped=skipped)


# --- the KPI catalogue ---------------------------------------------------------------------------------------

# A margin KPI ("Osäkerhetstal - X") belongs to the KPI whose title is X, which Kolada may prefix with its
# survey ("NTU - X", "Medborgarundersökningen - X"). Titles are compared without prefix, case, spacing before
# "(" ("andel(%)" = "andel (%)"), then by similarity for Kolada's own typos ("trakaserier").
_RE_PAIR_PREFIX = re.compile(r"^(NTU|Osäkerhetstal|Medborgarundersökningen)\s*[-–]\s*", re.IGNORECASE)
_RE_BEFORE_PAREN = re.compile(r"\s*\(")
PAIR_SIMILARITY = 0.93  # difflib ratio; the closest real pair below exact is 0.945, unrelated titles < 0.9


def _truthy(value: object) -> bool:
    return (
        value is True or value == 1 or (isinstance(value, str) and value.strip().casefold() in {"true", "1"})
    )


def catalogue_specs(entries: Iterable[dict]) -> list[IndicatorSpec]:
    """Kolada KPI metadata rows (CSV rows or API "values") → IndicatorSpecs, margins linked to their KPI."""
    specs: list[IndicatorSpec] = []
    errors = ErrorList()
    for number, entry in enumerate(entries, start=1):
        kpi_id, title = str(entry.get("id") or "").strip(), " ".join(str(entry.get("title") or "").split())
        if not _RE_KPI.match(kpi_id) or not title:
            errors.add(f"KPI-katalogen rad {number}: id {kpi_id[:20]!r} eller titel saknas/ogiltig.")
            continue
        specs.append(
            IndicatorSpec(
                code=kpi_id,
                title=title,
                unit=guess_unit(title),
                source=SOURCE,
                description=str(entry.get("description") or "").strip(),
                higher_is_better=guess_higher_is_better(title),
                breakdowns=[GENDER] if _truthy(entry.get("is_divided_by_gender")) else [],
            )
        )
    errors.raise_if_any()
    by_core: dict[str, str] = {}
    for spec in specs:
        if not spec.title.casefold().startswith("osäkerhetstal"):
            by_core.setdefault(_title_core(spec.title), spec.code)
    for spec in specs:
        if spec.title.casefold().startswith("osäkerhetstal"):
            core = _title_core(spec.title)
            match = by_core.get(core)
            if match is None:
                close = difflib.get_close_matches(core, list(by_core), n=1, cutoff=PAIR_SIMILARITY)
                match = by_core[close[0]] if close else ""
            spec.margin_for = match
    return specs


def _title_core(title: str) -> str:
    return " ".join(_RE_BEFORE_PAREN.sub(" (", _RE_PAIR_PREFIX.sub("", title)).casefold().split())


def parse_catalogue(data: bytes | str | dict) -> ParsedImport:
    """The catalogue as Kolada's CSV (kolada_safety_kpis.csv) or a /v3/kpi JSON response."""
    if isinstance(data, dict):
        entries = data.get("values")
    else:
        text = decode_text(data, label="KPI-katalogen") if isinstance(data, bytes) else data
        text = clean_source(text)
        if text.lstrip().startswith(("{", "[")):
            loaded = load_json(text, label="KPI-katalogen")
            entries = loaded.get("values") if isinstance(loaded, dict) else None
        else:
            entries = list(csv.DictReader(io.StringIO(text)))
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise ImportValidationError(["KPI-katalogen innehåller inga nyckeltal."])
    return ParsedImport(
        source_label="Kolada KPI-katalog", indicators=catalogue_specs(entries), update_indicators=True
    )
