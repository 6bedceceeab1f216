"""Swedish statistical geography without Django: kommun → län → polisregion → riket.

Canonical region codes in Trygg:
- riket: ``"00"`` (SCB's code; Kolada's ``"0000"`` and Brå's "Hela landet"/"Riket" map to it),
- län: two digits as SCB writes them (``"14"``; Kolada's ``"0014"`` maps to it),
- kommun: four digits (``"1482"`` = Kungälv),
- polisregion: ``"PR-…"`` codes defined here (``"PR-VAST"``), since no statistics agency owns one.

The kommun and län lists are read from the CSV files shipped in ``trygg/lib/data`` (``trygg.lib.sweden``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trygg.lib.sweden import read_csv

# The indicator catalogue and SCB's population file (the kommun and län lists are in trygg/lib/data;
# the demo figures in trygg/demo/data/indicators).
DATA_DIR = Path(__file__).resolve().parent / "data"

RIKET_CODE = "00"
RIKET_NAME = "Riket"

# The Police Authority's seven regions (since 2015), by county code.
POLICE_REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("PR-NORD", "Polisregion Nord", ("22", "23", "24", "25")),
    ("PR-MITT", "Polisregion Mitt", ("03", "19", "21")),
    ("PR-STHLM", "Polisregion Stockholm", ("01", "09")),
    ("PR-OST", "Polisregion Öst", ("04", "05", "06")),
    ("PR-VAST", "Polisregion Väst", ("13", "14")),
    ("PR-SYD", "Polisregion Syd", ("07", "08", "10", "12")),
    ("PR-BERGSLAGEN", "Polisregion Bergslagen", ("17", "18", "20")),
)

# Municipality size classes used as a simple peer group ("jämförbara kommuner") when population is known.
# (lower bound inclusive, group label); checked from the top.
SIZE_CLASSES: tuple[tuple[int, str], ...] = (
    (200_000, "Storstad (minst 200 000 inv.)"),
    (50_000, "Större kommun (50 000–199 999 inv.)"),
    (15_000, "Mellanstor kommun (15 000–49 999 inv.)"),
    (0, "Mindre kommun (under 15 000 inv.)"),
)

_KIND_RIKET = "riket"
_KIND_POLICE = "polisregion"
_KIND_COUNTY = "lan"
_KIND_MUNICIPALITY = "kommun"


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    kind: str
    name: str
    short_name: str
    county_code: str = ""
    police_region_code: str = ""


def size_class(population: int | float | None) -> str:
    """The size-class group label for a municipality population ("" when unknown)."""
    if population is None or population < 0:
        return ""
    for lower, label in SIZE_CLASSES:
        if population >= lower:
            return label
    return ""


@lru_cache(maxsize=1)
def police_region_for_county() -> dict[str, str]:
    return {county: code for code, _name, counties in POLICE_REGIONS for county in counties}


@lru_cache(maxsize=1)
def all_regions() -> tuple[RegionRow, ...]:
    """Every region Trygg knows, parents before children (riket, polisregioner, län, kommuner)."""
    police = police_region_for_county()
    rows: list[RegionRow] = [RegionRow(RIKET_CODE, _KIND_RIKET, RIKET_NAME, RIKET_NAME)]
    rows += [
        RegionRow(code, _KIND_POLICE, name, name.removeprefix("Polisregion "))
        for code, name, _ in POLICE_REGIONS
    ]
    for row in read_csv("counties.csv"):
        code = row["county_code"].zfill(2)
        rows.append(
            RegionRow(
                code,
                _KIND_COUNTY,
                row["county_name"],
                row["county_name_short"],
                police_region_code=police[code],
            )
        )
    for row in read_csv("municipalities.csv"):
        county = row["county_code"].zfill(2)
        rows.append(
            RegionRow(
                row["municipality_code"].zfill(4),
                _KIND_MUNICIPALITY,
                row["municipality_name"],
                row["municipality_name_short"],
                county_code=county,
                police_region_code=police[county],
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, RegionRow]:
    return {row.code: row for row in all_regions()}


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Folded names → code. A bare name is the kommun ("Stockholm", "Uppsala", "Gotland"); "… län" the län,
    "Polisregion …" the polisregion, "Riket"/"Hela landet"/"Sverige" riket. Short names of län and
    polisregioner ("Västra Götaland", "Väst") are used only where no kommun has that name."""
    names: dict[str, str] = {}
    for alias in ("riket", "hela landet", "sverige", "hela riket", "totalt"):
        names[alias] = RIKET_CODE
    rows = all_regions()
    by_kind = {
        kind: [r for r in rows if r.kind == kind] for kind in (_KIND_MUNICIPALITY, _KIND_COUNTY, _KIND_POLICE)
    }
    for row in by_kind[_KIND_MUNICIPALITY]:  # kommuner first: a bare name means the kommun
        for name in (row.name, row.short_name):
            names.setdefault(_fold(name), row.code)
    names.setdefault("region gotland", "0980")  # Gotlands kommun's own name
    for row in by_kind[_KIND_COUNTY]:
        names.setdefault(_fold(row.name), row.code)  # "Stockholms län"
        names.setdefault(_fold(f"{row.short_name} län"), row.code)  # "Stockholm län"
    for row in by_kind[_KIND_POLICE]:
        names.setdefault(_fold(row.name), row.code)  # "Polisregion Stockholm"
    for row in by_kind[_KIND_COUNTY] + by_kind[_KIND_POLICE]:
        names.setdefault(_fold(row.short_name), row.code)  # only where no kommun has the name
    return names


def normalise_code(raw: str | int) -> str | None:
    """Map a region code written by SCB, Kolada or Brå to Trygg's canonical code; None if not a known form.

    >>> normalise_code("0000"), normalise_code("0014"), normalise_code("1482"), normalise_code("14")
    ('00', '14', '1482', '14')
    """
    code = str(raw).strip()
    if code.upper().startswith("PR-"):
        return code.upper() if code.upper() in _by_code() else None
    if not code.isdigit():
        return None
    if len(code) == 4 and code.startswith("00"):
        code = code[2:]  # Kolada writes riket as 0000 and län as 00LL.
    elif len(code) == 3:
        code = code.zfill(4)  # a kommun code whose leading zero was lost in a spreadsheet
    elif len(code) == 1:
        code = code.zfill(2)
    return code if code in _by_code() else None


def code_for_name(name: str) -> str | None:
    """Region code for a Swedish name as statistics exports write it ("Kungälv", "Hela landet")."""
    return _by_name().get(_fold(name))


def resolve(raw: str) -> str | None:
    """A code or a name → canonical code (codes first, so "1482" never matches a name)."""
    return normalise_code(raw) or code_for_name(raw)


def get(code: str) -> RegionRow | None:
    return _by_code().get(code)
