"""The CSV template for local figures (lokala nyckeltal) → ParsedImport. Spec: docs/indicators-import.md.

Columns (header row, any order, case-insensitive; semicolon or comma; UTF-8 or Windows-1252):
indikator*, titel, enhet, region, period* (or år), kön, uppdelning, värde*, preliminär, källa, beskrivning.
(* required). A new indicator code needs a titel; it is created as a local indicator.
"""

from __future__ import annotations

import csv
import io

from .. import regions
from .bra import sniff_delimiter
from .common import (
    GENDER,
    NON_FINITE,
    UNIT_COUNT,
    UNIT_OTHER,
    UNIT_PER_100K,
    UNIT_PER_1000,
    UNIT_PERCENT,
    ErrorList,
    ImportValidationError,
    IndicatorSpec,
    ParsedImport,
    breakdown_key,
    clean_source,
    csv_error,
    decode_text,
    gender_code,
    is_non_finite_number,
    make_row,
    parse_period,
    parse_value,
    show,
)

LOCAL_SOURCE = "Lokal uppgift"
COLUMNS = (
    "indikator",
    "titel",
    "enhet",
    "region",
    "period",
    "kön",
    "uppdelning",
    "värde",
    "preliminär",
    "källa",
    "beskrivning",
)
_ALIASES = {
    "år": "period",
    "ar": "period",
    "kon": "kön",
    "varde": "värde",
    "preliminar": "preliminär",
    "kalla": "källa",
    "indikatorkod": "indikator",
    "kod": "indikator",
    "kommun": "region",
}
_UNITS = {
    "": UNIT_COUNT,
    "antal": UNIT_COUNT,
    "st": UNIT_COUNT,
    "procent": UNIT_PERCENT,
    "%": UNIT_PERCENT,
    "andel": UNIT_PERCENT,
    "per 100 000": UNIT_PER_100K,
    "per 100000": UNIT_PER_100K,
    "per 1 000": UNIT_PER_1000,
    "per 1000": UNIT_PER_1000,
    "annan": UNIT_OTHER,
}
# Counts, shares and rates are never negative (as on the manual entry page); "annan" may be.
_UNIT_WORDS = {
    UNIT_COUNT: "ett antal kan inte vara negativt",
    UNIT_PERCENT: "en andel kan inte vara negativ",
    UNIT_PER_100K: "ett antal per 100 000 kan inte vara negativt",
    UNIT_PER_1000: "ett antal per 1 000 kan inte vara negativt",
}
_NOT_NEGATIVE = set(_UNIT_WORDS)
_YES = {"ja", "j", "x", "1", "true", "prel", "prel."}
_NO = {"", "nej", "n", "0", "false"}


def template_csv(region_code: str = "1482") -> str:
    """An empty template with one example row for the municipality `region_code`, for download."""
    return (
        ";".join(COLUMNS) + "\n"
        f"LOKAL.krismottagningen_personer;Krismottagningen, antal personer;antal;{region_code};2023;;;97;nej;"
        "Krismottagningen;Personer som fått stöd under året\n"
    )


def parse_local_csv(data: bytes | str, *, default_region: str = "") -> ParsedImport:
    text = decode_text(data, label="CSV-filen") if isinstance(data, bytes) else data
    text = clean_source(text).lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportValidationError(["CSV-filen är tom eller saknar rubrikrad."])
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first_line)))
    except csv.Error as exc:
        raise ImportValidationError([csv_error("CSV-filen", exc)]) from exc
    header = [_ALIASES.get(h.strip().casefold(), h.strip().casefold()) for h in records[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    missing = [c for c in ("indikator", "period", "värde") if c not in header]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"saknar kolumnerna {', '.join(missing)}")
        if unknown:
            problems.append(f"har okända kolumner {', '.join(unknown)}")
        raise ImportValidationError([f"CSV-filen {' och '.join(problems)} (se mallen)."])
    index = {name: header.index(name) for name in COLUMNS if name in header}
    errors = ErrorList()
    specs: dict[str, IndicatorSpec] = {}
    rows: list[tuple] = []
    lines: list[int] = []  # the CSV row of each parsed row, for the writer's messages
    for line_no, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cell = {name: (record[i].strip() if i < len(record) else "") for name, i in index.items()}
        problems = []
        code = cell["indikator"]
        if not code or len(code) > 80 or any(ch in code for ch in ";= "):
            problems.append(f"indikatorkoden {code[:30]!r} är tom eller innehåller mellanslag, ; eller =")
        region = (
            regions.resolve(cell.get("region") or default_region)
            if (cell.get("region") or default_region)
            else None
        )
        if region is None:
            problems.append(f"okänd region {cell.get('region', '')!r}")
        period = parse_period(cell["period"])
        if period is None:
            problems.append(f"perioden {cell['period']!r} är inte ett år (t.ex. 2023 eller 2021-2022)")
        parsed = parse_value(cell["värde"])
        unit = _UNITS.get(cell.get("enhet", "").casefold())
        if parsed is None and is_non_finite_number(cell["värde"]):
            problems.append(f"värdet {show(cell['värde'])} {NON_FINITE}")
        elif parsed is None:
            problems.append(
                f"värdet {show(cell['värde'])} är inte ett tal (lämna tomt eller skriv .. om uppgift saknas)"
            )
        elif parsed.value is not None and parsed.value < 0 and unit in _NOT_NEGATIVE:
            problems.append(f"värdet {show(cell['värde'])} är negativt, men {_UNIT_WORDS[unit]}")
        gender = gender_code(cell.get("kön", ""))
        if gender is None:
            problems.append(f"kön {cell.get('kön')!r} ska vara K, M eller tomt")
        if unit is None:
            problems.append(
                f"enheten {cell.get('enhet')!r} ska vara antal, procent, per 100 000 eller per 1 000"
            )
        prel = cell.get("preliminär", "").casefold()
        if prel not in _YES | _NO:
            problems.append(f"preliminär {cell.get('preliminär')!r} ska vara ja eller nej")
        parts = {GENDER: gender or ""}
        for pair in filter(None, (p.strip() for p in cell.get("uppdelning", "").split("|"))):
            if "=" not in pair:
                problems.append(f"uppdelningen {pair!r} ska skrivas nyckel=värde (flera med |)")
                continue
            key, value = (s.strip() for s in pair.split("=", 1))
            parts[key] = value
        if problems:
            errors.add(f"Rad {line_no}: {'; '.join(problems)}.")
            if errors.full:
                break
            continue
        if code not in specs and cell.get("titel"):
            specs[code] = IndicatorSpec(
                code=code,
                title=cell["titel"],
                unit=unit,
                source=cell.get("källa") or LOCAL_SOURCE,
                description=cell.get("beskrivning", ""),
                is_local=True,
                breakdowns=sorted({k for k, v in parts.items() if v}),
            )
        rows.append(
            make_row(code, region, period, breakdown_key(parts), parsed.value, parsed.status, prel in _YES)
        )
        lines.append(line_no)
    errors.raise_if_any()
    if not rows:
        raise ImportValidationError(["CSV-filen innehåller inga datarader."])
    # only_local: the writer refuses rows for official (non-local) indicators, naming their CSV row.
    return ParsedImport(
        source_label="Lokala nyckeltal",
        rows=rows,
        indicators=list(specs.values()),
        only_local=True,
        row_lines=lines,
    )
