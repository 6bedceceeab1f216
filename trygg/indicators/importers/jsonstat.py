"""PxWeb JSON-stat 2.0 (SCB API v2 and other PxWeb sites) → ParsedImport.

Decoding is pyjstat's: `pyjstat.get_dimensions` gives each dimension's categories in index order and
`pyjstat.get_values` expands sparse value objects. The cells are then enumerated with itertools.product in
JSON-stat's row-major order — the same order pyjstat's own DataFrame writer uses (a test checks this
against `Dataset.write("dataframe")` on SCB's real file) but without building a DataFrame of 300k rows.

Dimension roles: time from role.time (else an id like "Tid"), region from role.geo (else "Region"),
indicator from role.metric (else "ContentsCode"); a dimension of size 1 or whose category is the PxWeb
elimination total becomes part of the total; kön maps to K/M; other dimensions become breakdowns.
"""

from __future__ import annotations

import itertools
import json
import math
import operator
from typing import Any

from pyjstat import pyjstat

from .. import regions
from .common import (
    GENDER,
    GENDER_DIMENSION_NAMES,
    MAX_EXACT_INT,
    MISSING,
    OK,
    SUPPRESSED,
    TOO_LONG_INTEGER,
    ErrorList,
    ImportValidationError,
    IndicatorSpec,
    ParsedImport,
    breakdown_key,
    clean_json_source,
    fast_value,
    gender_code,
    guess_higher_is_better,
    guess_unit,
    json_error,
    make_row,
    parse_period,
    value_problem,
)

TIME_IDS = {"tid", "time", "år", "ar", "year", "period", "månad", "manad", "month", "kvartal"}
REGION_IDS = {"region", "kommun", "lan", "län", "municipality", "county", "geo", "område", "omrade"}
METRIC_IDS = {"contentscode", "tabellinnehåll", "tabellinnehall", "contents", "indicator", "indikator"}
MAX_CELLS = 5_000_000


def _load(data: bytes | str | dict) -> dict:
    if isinstance(data, dict):
        return data
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        loaded = json.loads(clean_json_source(text))
    except UnicodeDecodeError as exc:
        raise ImportValidationError([f"Filen är inte UTF-8-kodad (byte {exc.start})."]) from exc
    except json.JSONDecodeError as exc:
        raise ImportValidationError([json_error("Filen", exc)]) from exc
    except ValueError as exc:  # an integer longer than Python's limit for int() (4 300 digits)
        raise ImportValidationError([TOO_LONG_INTEGER.format(label="Filen")]) from exc
    except RecursionError as exc:
        raise ImportValidationError(["Filen är för djupt nästlad för att vara JSON-stat."]) from exc
    if not isinstance(loaded, dict):
        raise ImportValidationError(["Filen är inte ett JSON-stat-dataset (toppnivån är inte ett objekt)."])
    return loaded


def _is_index(key: object) -> bool:
    """A cell index written as a JSON object key: ASCII digits only ("²".isdigit() is True, but int() refuses
    it) and short enough for int() (which refuses more than 4 300 digits)."""
    return isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 18


def _check_structure(js: dict) -> tuple[list[str], list[int]]:
    """Everything pyjstat assumes, checked first so a malformed file gets a Swedish error, not a crash."""
    if js.get("class") == "collection":
        raise ImportValidationError(
            ["Filen är en JSON-stat-samling (collection); exportera en enskild tabell."]
        )
    if js.get("class") not in (None, "dataset") or str(js.get("version", "2.0")) != "2.0":
        raise ImportValidationError(
            ['Filen är inte ett JSON-stat 2.0-dataset (class "dataset", version "2.0").']
        )
    ids, sizes, dims = js.get("id"), js.get("size"), js.get("dimension")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise ImportValidationError(
            ['JSON-stat: fältet "id" saknas eller är inte en lista av dimensionsnamn.']
        )
    if len(set(ids)) != len(ids):
        raise ImportValidationError(['JSON-stat: fältet "id" innehåller samma dimension flera gånger.'])
    if (
        not isinstance(sizes, list)
        or len(sizes) != len(ids)
        or not all(type(s) is int and s > 0 for s in sizes)
    ):
        raise ImportValidationError(
            ['JSON-stat: fältet "size" ska vara en lista med ett positivt heltal per dimension.']
        )
    if not isinstance(dims, dict):
        raise ImportValidationError(['JSON-stat: fältet "dimension" saknas.'])
    cells = math.prod(sizes)
    if cells > MAX_CELLS:
        raise ImportValidationError(
            [f"Tabellen har {cells} celler; högst {MAX_CELLS} kan importeras åt gången."]
        )
    for dim_id, size in zip(ids, sizes, strict=True):
        dim = dims.get(dim_id)
        category = dim.get("category") if isinstance(dim, dict) else None
        if not isinstance(category, dict):
            raise ImportValidationError([f'JSON-stat: dimensionen {dim_id!r} saknar "category".'])
        index, label = category.get("index"), category.get("label")
        if index is None and isinstance(label, dict) and len(label) == 1:
            continue  # a single category may omit its index
        if isinstance(index, list):
            codes = index
            if not all(isinstance(c, str) for c in codes) or len(set(codes)) != len(codes):
                raise ImportValidationError(
                    [f"JSON-stat: kategorierna i {dim_id!r} har ogiltiga eller upprepade koder."]
                )
        elif isinstance(index, dict):
            positions = list(index.values())
            if sorted(p for p in positions if type(p) is int) != list(range(len(positions))):
                raise ImportValidationError([f"JSON-stat: kategoriindex i {dim_id!r} är inte 0, 1, 2 …"])
            codes = list(index)
        else:
            raise ImportValidationError([f"JSON-stat: dimensionen {dim_id!r} saknar kategoriindex."])
        if len(codes) != size:
            raise ImportValidationError(
                [f'JSON-stat: dimensionen {dim_id!r} har {len(codes)} kategorier men "size" säger {size}.']
            )
        if label is not None and (
            not isinstance(label, dict) or not all(isinstance(v, str) for v in label.values())
        ):
            raise ImportValidationError([f"JSON-stat: etiketterna i {dim_id!r} är inte text."])
    values = js.get("value")
    if isinstance(values, list):
        if len(values) != cells:
            raise ImportValidationError(
                [f"JSON-stat: {len(values)} värden men dimensionerna ger {cells} celler."]
            )
    elif isinstance(values, dict):
        for key in values:
            if not (_is_index(key) and int(key) < cells):
                raise ImportValidationError([f"JSON-stat: värdeindex {key!r} ligger utanför tabellen."])
    else:
        raise ImportValidationError(['JSON-stat: fältet "value" saknas.'])
    return ids, sizes


def _role(js: dict, name: str, dim_ids: list[str], fallback: set[str]) -> str | None:
    role = js.get("role")
    if isinstance(role, dict) and isinstance(role.get(name), list):
        for dim_id in role[name]:
            if dim_id in dim_ids:
                return dim_id
    for dim_id in dim_ids:
        label = js["dimension"][dim_id].get("label")
        if dim_id.casefold() in fallback or (isinstance(label, str) and label.casefold() in fallback):
            return dim_id
    return None


def _statuses(js: dict, cells: int) -> dict[int, str]:
    raw = js.get("status")
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(cells), raw)
    if isinstance(raw, list):
        return {i: s for i, s in enumerate(raw) if isinstance(s, str) and s}
    if isinstance(raw, dict):
        return {int(k): s for k, s in raw.items() if _is_index(k) and isinstance(s, str)}
    raise ImportValidationError(['JSON-stat: fältet "status" har fel form.'])


def _elimination_code(dim: dict) -> str | None:
    extension = dim.get("extension")
    if isinstance(extension, dict) and extension.get("elimination"):
        code = extension.get("eliminationValueCode")
        return code if isinstance(code, str) else None
    return None


def parse_jsonstat(
    data: bytes | str | dict,
    *,
    indicator_code: str | None = None,
    source: str | None = None,
) -> ParsedImport:
    """Parse one JSON-stat 2.0 dataset. `indicator_code` names the indicator when the table has one content."""
    js = _load(data)
    dim_ids, sizes = _check_structure(js)
    try:
        dataset = pyjstat.Dataset(js)
        frames, _names = pyjstat.get_dimensions(dataset, "id")
        label_frames = [pyjstat.get_dim_label(dataset, dim_id) for dim_id in dim_ids]
        values = pyjstat.get_values(dataset)
    except Exception as exc:  # pyjstat raises bare KeyError/TypeError/IndexError on odd input
        raise ImportValidationError([f"JSON-stat-filen kunde inte avkodas: {type(exc).__name__}."]) from exc
    codes = [list(frame["id"]) for frame in frames]
    labels = [dict(zip(frame["id"], frame["label"], strict=True)) for frame in label_frames]
    cells = math.prod(sizes)
    statuses = _statuses(js, cells)

    time_dim = _role(js, "time", dim_ids, TIME_IDS)
    geo_dim = _role(js, "geo", dim_ids, REGION_IDS)
    metric_dim = _role(js, "metric", dim_ids, METRIC_IDS)
    if time_dim is None:
        raise ImportValidationError(['JSON-stat: tabellen saknar tidsdimension (role.time eller "Tid").'])
    if geo_dim is None:
        raise ImportValidationError(['JSON-stat: tabellen saknar regiondimension (role.geo eller "Region").'])
    if metric_dim is not None and indicator_code and sizes[dim_ids.index(metric_dim)] > 1:
        raise ImportValidationError(
            ["Ett eget indikatornamn kan bara ges när tabellen har ett enda tabellinnehåll."]
        )

    errors = ErrorList()
    source_text = source or js.get("source") or "PxWeb"
    table_id = _table_id(js)
    indicators: list[IndicatorSpec] = []
    dim_parts: list[list[Any]] = []
    breakdown_names: list[str] = []
    for position, dim_id in enumerate(dim_ids):
        dim = js["dimension"][dim_id]
        dim_label = dim.get("label") if isinstance(dim.get("label"), str) else dim_id
        if dim_id == time_dim:
            parts = []
            for code in codes[position]:
                period = parse_period(code) or parse_period(labels[position].get(code, ""))
                if period is None:
                    errors.add(
                        f"Tidsdimensionen {dim_id!r}: {code!r} är ingen period (t.ex. 2023 eller 2026M04)."
                    )
                parts.append(period)
        elif dim_id == geo_dim:
            parts = []
            for code in codes[position]:
                region = regions.resolve(code)
                if region is None:
                    errors.add(f"Regiondimensionen {dim_id!r}: okänd regionkod {code!r}.")
                parts.append(region)
        elif dim_id == metric_dim:
            parts = []
            for code in codes[position]:
                title = labels[position].get(code, code)
                spec_code = indicator_code or (f"{table_id}.{code}" if table_id else code)
                indicators.append(_spec(spec_code, title, dim, code, source_text, js))
                parts.append(spec_code)
        else:
            elimination = _elimination_code(dim)
            is_gender = (
                dim_id.casefold() in GENDER_DIMENSION_NAMES or dim_label.casefold() in GENDER_DIMENSION_NAMES
            )
            name = GENDER if is_gender else dim_label.casefold()
            parts = []
            for code in codes[position]:
                if sizes[position] == 1 or code == elimination:
                    parts.append(None)
                elif is_gender:
                    gender = gender_code(code)  # SCB's Kon: 1 = män, 2 = kvinnor, TotSa = totalt
                    if gender is None:
                        gender = gender_code(labels[position].get(code, ""))
                    if gender is None:
                        errors.add(f"Dimensionen {dim_id!r}: okänt kön {code!r}.")
                    parts.append((name, gender) if gender else None)
                else:
                    parts.append((name, code))
            if any(parts):
                breakdown_names.append(name)
        dim_parts.append(parts)
    errors.raise_if_any()

    if metric_dim is None:
        spec_code = indicator_code or table_id or ""
        if not spec_code:
            raise ImportValidationError(
                ["Tabellen saknar tabellinnehåll (ContentsCode); ange en indikatorkod."]
            )
        title = js.get("label") if isinstance(js.get("label"), str) else spec_code
        indicators.append(_spec(spec_code, title, {}, "", source_text, js))
    for spec in indicators:
        spec.breakdowns = breakdown_names

    rows = _cells(dim_ids, dim_parts, time_dim, geo_dim, metric_dim, indicators, values, statuses, errors)
    errors.raise_if_any()
    return ParsedImport(source_label=f"JSON-stat {table_id or ''}".strip(), rows=rows, indicators=indicators)


def _cells(
    dim_ids, dim_parts, time_dim, geo_dim, metric_dim, indicators, values, statuses, errors
) -> list[tuple]:
    time_i, geo_i = dim_ids.index(time_dim), dim_ids.index(geo_dim)
    metric_i = dim_ids.index(metric_dim) if metric_dim is not None else None
    single_indicator = indicators[0].code if metric_i is None else None
    other = [i for i in range(len(dim_ids)) if i not in (time_i, geo_i, metric_i)]
    other_of = operator.itemgetter(*other) if other else (lambda _combo: ())
    keys: dict[Any, str] = {}  # breakdown key per combination of the other dimensions' categories
    rows: list[tuple] = []
    append = rows.append
    for index, combo in enumerate(itertools.product(*dim_parts)):
        raw = values[index]
        if type(raw) is float and math.isfinite(raw):
            value, status = raw, OK
        elif type(raw) is int and -MAX_EXACT_INT <= raw <= MAX_EXACT_INT:
            value, status = float(raw), OK
        elif raw is None:
            symbol = statuses.get(index)
            value, status = None, (SUPPRESSED if symbol and symbol.strip() == ".." else MISSING)
        else:
            parsed = fast_value(raw)
            if parsed is None:
                errors.add(f"Cell {index}: {value_problem(raw)}.")
                if errors.full:
                    break
                continue
            value, status = parsed
        other_parts = other_of(combo)
        breakdown = keys.get(other_parts)
        if breakdown is None:
            parts = other_parts if len(other) > 1 else (other_parts,) if other else ()
            breakdown = keys[other_parts] = breakdown_key([p for p in parts if p is not None])
        append(
            make_row(
                single_indicator or combo[metric_i], combo[geo_i], combo[time_i], breakdown, value, status
            )
        )
    return rows


def _table_id(js: dict) -> str:
    extension = js.get("extension")
    px = extension.get("px") if isinstance(extension, dict) else None
    if isinstance(px, dict):
        for key in ("tableid", "matrix"):
            if isinstance(px.get(key), str) and px[key].strip():
                return px[key].strip()
    return ""


def _spec(code: str, title: str, dim: dict, category: str, source: str, js: dict) -> IndicatorSpec:
    unit_text = title
    unit = (dim.get("category") or {}).get("unit") if dim else None
    if isinstance(unit, dict) and isinstance(unit.get(category), dict):
        unit_text = f"{unit[category].get('label', '')} {title}"
    description = js.get("label") if isinstance(js.get("label"), str) else ""
    return IndicatorSpec(
        code=code[:80],
        title=title,
        unit=guess_unit(unit_text),
        source=str(source)[:200],
        description=description,
        higher_is_better=guess_higher_is_better(title),
    )
