"""Brå statistics database exports (long CSV: one row per crime category, region and period) → ParsedImport.

Brå has no open API; its database exports CSV with comma or semicolon, a crime column, a period column
("År, 2016 prel."), a region column (a name such as "Hela landet" or "Kungälv", or a code) and a value
column where ".." means suppressed (not zero). All rows become observations of one indicator
(default BRA.anmalda_brott, "Anmälda brott", antal) broken down by brottskategori; the category
"Totalt antal brott" is the indicator's total.
"""

from __future__ import annotations

import csv
import io

from .. import regions
from .common import (
    NON_FINITE,
    UNIT_COUNT,
    ErrorList,
    ImportValidationError,
    IndicatorSpec,
    ParsedImport,
    breakdown_key,
    clean_source,
    csv_error,
    decode_text,
    is_non_finite_number,
    make_row,
    parse_period,
    parse_value,
    show,
)

DEFAULT_INDICATOR = IndicatorSpec(
    code="BRA.anmalda_brott",
    title="Anmälda brott",
    unit="antal",
    source="Brå, kriminalstatistik – anmälda brott",
    description="Anmälda brott efter brottskategori enligt Brås statistikdatabas. '..' betyder att uppgiften inte redovisas.",
    higher_is_better=False,
    breakdowns=["brottskategori"],
)
TOTAL_CATEGORIES = {
    "totalt antal brott",
    "samtliga brott",
    "totalt",
    "brott totalt",
    "samtliga anmälda brott",
}

_COLUMNS = {
    "crime": ("crime", "brott", "brottskategori", "brottstyp", "brottskod"),
    "period": ("period", "år", "ar", "year", "tid"),
    "region": ("region", "kommun", "område", "omrade", "län", "lan"),
    "value": ("value", "värde", "varde", "antal", "antal brott", "anmälda brott"),
}


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def _column_indexes(header: list[str]) -> dict[str, int]:
    folded = [h.strip().strip("\ufeff").casefold() for h in header]
    found: dict[str, int] = {}
    missing = []
    for key, aliases in _COLUMNS.items():
        index = next((i for i, name in enumerate(folded) if name in aliases), None)
        if index is None:
            missing.append(f"{aliases[1]} ({aliases[0]})")
        else:
            found[key] = index
    if missing:
        raise ImportValidationError(
            [f"Brå-filen saknar kolumnerna {', '.join(missing)}. Rubrikraden är: {', '.join(header)[:200]}."]
        )
    return found


def parse_bra(data: bytes | str, *, indicator: IndicatorSpec | None = None) -> ParsedImport:
    """Parse a Brå export. `indicator` replaces the default indicator (e.g. for a per-100 000 export)."""
    spec = indicator or IndicatorSpec(
        **{f: getattr(DEFAULT_INDICATOR, f) for f in DEFAULT_INDICATOR.__slots__}
    )
    text = decode_text(data, label="Brå-filen") if isinstance(data, bytes) else data
    text = clean_source(text).lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportValidationError(["Brå-filen är tom eller börjar med en tom rad."])
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first_line)))
    except csv.Error as exc:
        raise ImportValidationError([csv_error("Brå-filen", exc)]) from exc
    columns = _column_indexes(records[0])
    width = max(columns.values()) + 1
    errors = ErrorList()
    rows: list[tuple] = []
    for line_no, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < width:
            errors.add(f"Rad {line_no}: för få kolumner ({len(record)}).")
            continue
        crime = " ".join(record[columns["crime"]].split())
        raw_period, raw_region, raw_value = (record[columns[k]] for k in ("period", "region", "value"))
        period = parse_period(raw_period)
        region = _region(raw_region)
        parsed = parse_value(raw_value)
        problems = [
            message
            for failed, message in (
                (not crime, "brottskategori saknas"),
                (period is None, f'perioden {raw_period!r} är inte ett år (t.ex. "År, 2016")'),
                (region is None, f"okänd region {raw_region!r}"),
            )
            if failed
        ]
        if parsed is None:
            problems.append(
                f"värdet {show(raw_value)} {NON_FINITE}"
                if is_non_finite_number(raw_value)
                else f'värdet {show(raw_value)} är inte ett tal eller ".."'
            )
        elif parsed.value is not None and parsed.value < 0 and spec.unit == UNIT_COUNT:
            problems.append(f"värdet {show(raw_value)} är negativt, men ett antal kan inte vara negativt")
        if problems:
            errors.add(f"Rad {line_no}: {'; '.join(problems)}.")
            if errors.full:
                break
            continue
        breakdown = "" if crime.casefold() in TOTAL_CATEGORIES else breakdown_key({"brottskategori": crime})
        rows.append(make_row(spec.code, region, period, breakdown, parsed.value, parsed.status))
    errors.raise_if_any()
    if not rows:
        raise ImportValidationError(["Brå-filen innehåller inga datarader."])
    return ParsedImport(source_label="Brå", rows=rows, indicators=[spec])


def _region(raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    resolved = regions.resolve(text)
    if resolved:
        return resolved
    # "1482 Kungälv" or "Kungälv (1482)"
    for token in text.replace("(", " ").replace(")", " ").split():
        if token.isdigit() and (code := regions.normalise_code(token)):
            return code
    return None
