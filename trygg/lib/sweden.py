"""Sweden's municipalities and counties with their SCB codes, from the bundled CSV files (data/SOURCE.md).

One copy of the list for the whole product: the statistics regions, the boundary loader and the matching of a
municipality's name (as written in an old plan or an import file) to its kommunkod all read it here.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def municipalities() -> dict[str, dict[str, str]]:
    """{kommunkod: row} for the 290 municipalities."""
    return {row["municipality_code"].zfill(4): row for row in read_csv("municipalities.csv")}


@lru_cache(maxsize=1)
def county_names() -> dict[str, str]:
    return {row["county_code"].zfill(2): row["county_name"] for row in read_csv("counties.csv")}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    for suffix in (" kommun", " stad"):
        text = text.removesuffix(suffix)
    return text


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, row in municipalities().items():
        short = row["municipality_name_short"]
        for name in (row["municipality_name"], short, f"{short}s", f"{short} kommun", f"{short}s kommun"):
            names[_key(name)] = code
    return names


def code_for_name(name: str) -> str | None:
    """The kommunkod of "Kungälvs kommun", "Kungälv", "kungälv" or "1482"; None when nothing matches."""
    text = " ".join((name or "").split())
    if text.isdigit() and text.zfill(4) in municipalities():
        return text.zfill(4)
    return _codes_by_name().get(_key(text))
