"""Shared vocabulary of the importers, free of Django: rows, indicator specs, periods, values, errors.

Every parser turns a file into a ParsedImport (plain tuples, no database) or raises ImportValidationError
with Swedish messages that name what is wrong and where. Writing is writer.py's job.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from trygg.lib.text import clean_text, has_unsafe_characters

# Observation status codes (the values of models.Observation.Status).
OK = "ok"
MISSING = "missing"
SUPPRESSED = "suppressed"

# Unit codes (the values of models.Indicator.Unit).
UNIT_COUNT = "antal"
UNIT_PER_100K = "per_100k"
UNIT_PER_1000 = "per_1000"
UNIT_PERCENT = "procent"
UNIT_INDEX = "index"
UNIT_RANK = "rang"
UNIT_OTHER = "annan"

MAX_ERRORS = 20
MAX_BREAKDOWN_LENGTH = 255
MAX_EXACT_INT = 2**53  # integers up to this size are exact floats: the parsers' fast path
# json.loads refuses integers longer than Python's int()/str() limit (4 300 digits) with a plain ValueError.
TOO_LONG_INTEGER = (
    "{label} innehåller ett heltal med fler än 4 300 siffror; ett sådant värde kan inte vara statistik."
)


class Row(NamedTuple):
    """One observation as parsed, before region and indicator codes are resolved to ids."""

    indicator: str
    region: str
    period: str
    period_start: int
    period_end: int
    breakdown: str
    value: float | None
    status: str
    preliminary: bool
    margin: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(slots=True)
class IndicatorSpec:
    """What a file says about an indicator; used to create it when the catalogue lacks it."""

    code: str
    title: str
    unit: str = UNIT_COUNT
    source: str = ""
    description: str = ""
    higher_is_better: bool | None = None
    breakdowns: list[str] = field(default_factory=list)
    is_local: bool = False
    margin_for: str = ""


@dataclass(slots=True)
class ParsedImport:
    source_label: str
    rows: list[tuple] = field(default_factory=list)
    indicators: list[IndicatorSpec] = field(default_factory=list)
    # Specs that must overwrite an existing indicator's metadata (a catalogue), not only create missing ones.
    update_indicators: bool = False
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    # Local figures (the CSV template): rows may only go to local indicators (Indicator.is_local).
    only_local: bool = False
    row_lines: list[int] | None = None  # the file's line of each row, for messages naming the row


class ImportValidationError(ValueError):
    """The file cannot be imported; `errors` are Swedish sentences naming what is wrong and where."""

    def __init__(self, errors: Iterable[str]):
        self.errors = list(errors) or ["Okänt fel i filen."]
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return " ".join(self.errors)


class ErrorList:
    """Collects validation errors (up to MAX_ERRORS) so one run reports several problems at once."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dropped = 0

    def add(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        else:
            self.dropped += 1

    def __bool__(self) -> bool:
        return bool(self.errors)

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def raise_if_any(self) -> None:
        if self.errors:
            errors = list(self.errors)
            if self.dropped:
                errors.append(f"… och {self.dropped} fel till.")
            raise ImportValidationError(errors)


# --- periods -------------------------------------------------------------------------------------------------

_YEAR = r"(1[89]\d\d|20\d\d|2100)"
_RE_YEAR = re.compile(rf"^{_YEAR}$")
_RE_RANGE = re.compile(rf"^{_YEAR}\s*[-–—/]\s*{_YEAR}$")
_RE_SUBYEAR = re.compile(rf"^{_YEAR}\s*([MKQ])\s*(\d{{1,2}})$", re.IGNORECASE)
_RE_PREL = re.compile(r"\s*\(?\bprel(?:iminär|iminary)?\b\.?\)?\s*", re.IGNORECASE)
_RE_PERIOD_PREFIX = re.compile(r"^(?:år|year|period)\s*[,:]?\s*", re.IGNORECASE)


class Period(NamedTuple):
    label: str
    start: int
    end: int
    preliminary: bool


def parse_period(text: str | int) -> Period | None:
    """'2023' → 2023; '2021-2022' → pooled '2021–2022'; '2026M04', '2023K1'; 'År, 2016 prel.' → preliminary.

    Returns None when the text is not a period.
    """
    if isinstance(text, bool) or (isinstance(text, int) and not 1800 <= text <= 2100):
        return None
    raw = str(text).strip()
    preliminary = bool(_RE_PREL.search(raw))
    raw = _RE_PREL.sub(" ", raw).strip()
    raw = _RE_PERIOD_PREFIX.sub("", raw).strip()
    if match := _RE_YEAR.match(raw):
        year = int(match.group(1))
        return Period(str(year), year, year, preliminary)
    if match := _RE_RANGE.match(raw):
        start, end = int(match.group(1)), int(match.group(2))
        if start > end:
            return None
        if start == end:
            return Period(str(start), start, end, preliminary)
        return Period(f"{start}–{end}", start, end, preliminary)
    if match := _RE_SUBYEAR.match(raw):
        year, letter, number = int(match.group(1)), match.group(2).upper(), int(match.group(3))
        letter = "K" if letter == "Q" else letter
        if (letter == "M" and 1 <= number <= 12) or (letter == "K" and 1 <= number <= 4):
            width = 2 if letter == "M" else 1
            return Period(f"{year}{letter}{number:0{width}d}", year, year, preliminary)
    return None


# --- values --------------------------------------------------------------------------------------------------

# Swedish official-statistics symbols: ".." not available or too uncertain (suppressed), "." cannot occur,
# "..." and longer: missing; "-" / "–" is a true zero.
_SUPPRESSED_SYMBOLS = {"..", "×", "x"}
_MISSING_SYMBOLS = {".", "...", "....", ".....", "......", "", "saknas", "na", "n/a", "nan"}
_ZERO_SYMBOLS = {"-", "–", "—"}
_RE_SPACES = re.compile(r"[\s\u00a0\u202f']")
_RE_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class ParsedValue(NamedTuple):
    value: float | None
    status: str


def parse_value(raw: object) -> ParsedValue | None:
    """A cell → (value, status); None when it is neither a number nor a known symbol.

    Accepts numbers, Swedish text numbers ("1 234,5", "12,5 %") and the statistics symbols above.
    """
    if raw is None:
        return ParsedValue(None, MISSING)
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = _finite(raw)
        return ParsedValue(value, OK) if value is not None else None
    text = str(raw).strip().strip('"').strip()
    folded = text.casefold()
    if folded in _SUPPRESSED_SYMBOLS:
        return ParsedValue(None, SUPPRESSED)
    if folded in _MISSING_SYMBOLS:
        return ParsedValue(None, MISSING)
    if text in _ZERO_SYMBOLS:
        return ParsedValue(0.0, OK)
    text = _RE_SPACES.sub("", text).removesuffix("%").replace("−", "-")
    if "," in text:
        # "1.234,5" (dot thousands) or "12,5" (decimal comma); a comma is never a thousands separator here.
        if text.count(",") > 1:
            return None
        text = text.replace(".", "").replace(",", ".") if "." in text else text.replace(",", ".")
    if not _RE_NUMBER.match(text):
        return None
    value = float(text)
    return ParsedValue(value, OK) if math.isfinite(value) else None


def fast_value(raw: object) -> ParsedValue | None:
    """parse_value with a fast path for JSON numbers (the common case in API responses)."""
    if type(raw) is float:
        return ParsedValue(raw, OK) if math.isfinite(raw) else None
    if type(raw) is int:
        value = _finite(raw)
        return ParsedValue(value, OK) if value is not None else None
    return parse_value(raw)


def _finite(raw: int | float) -> float | None:
    """A JSON/Python number as a finite float; None for inf, NaN and integers beyond float (> ~1.8e308)."""
    try:
        value = float(raw)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def is_non_finite_number(raw: object) -> bool:
    """True when a refused cell is written as a number that is not a finite float: 1e999, a 400-digit
    integer, Infinity, NaN. Such values must be refused (they would be stored as inf) with their own message."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, float)):
        return _finite(raw) is None
    if not isinstance(raw, str):
        return False
    text = _RE_SPACES.sub("", raw.strip().strip('"')).removesuffix("%").replace("−", "-").replace(",", ".")
    if text.lstrip("+-").casefold() in {"inf", "infinity", "nan"}:
        return True
    if text.count(".") > 1 or not _RE_NUMBER.match(text):
        return False
    return not math.isfinite(float(text))


NON_FINITE = "är inte ett ändligt tal (för stort, oändligt eller NaN)"


def show(raw: object, limit: int = 20) -> str:
    """A cell for an error message: quoted, cut to `limit` characters; never fails on a huge integer
    (str() refuses integers with more than 4 300 digits)."""
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() > 1000:
        digits = int(raw.bit_length() * 0.30103) + 1
        return f"(ett heltal med omkring {digits} siffror)"
    return repr(str(raw)[:limit])


def value_problem(raw: object) -> str:
    """Why a value cell was refused, as a Swedish sentence part: "värdet '1e999' är inte ett ändligt tal …"."""
    if is_non_finite_number(raw):
        return f"värdet {show(raw)} {NON_FINITE}"
    return f"värdet {show(raw)} är inte ett tal"


# --- breakdowns ----------------------------------------------------------------------------------------------

GENDER = "kön"
_GENDER_TOTAL = {"t", "tot", "totalt", "total", "totsa", "1+2", "samtliga", "båda könen", "alla", ""}
_GENDER_WOMEN = {"k", "kvinnor", "kvinna", "f", "female", "women", "2", "flickor", "flicka"}
_GENDER_MEN = {"m", "män", "man", "male", "men", "1", "pojkar", "pojke"}
GENDER_DIMENSION_NAMES = {"kön", "kon", "sex", "gender", "kön/genus"}


def gender_code(raw: object) -> str | None:
    """'T'/'TotSa' → '' (total), 'K'/'2'/'kvinnor' → 'K', 'M'/'1'/'män' → 'M'; None if unknown."""
    text = str(raw).strip().casefold() if raw is not None else ""
    if text in _GENDER_TOTAL or text.startswith("totalt"):
        return ""
    if text in _GENDER_WOMEN:
        return "K"
    if text in _GENDER_MEN:
        return "M"
    return None


def _clean_part(text: str) -> str:
    return " ".join(str(text).replace(";", ",").replace("=", ":").split())


def breakdown_key(parts: dict[str, str] | Iterable[tuple[str, str]]) -> str:
    """Normalised breakdown key: 'brottskategori=Våldsbrott;kön=K' with keys sorted; '' for the total."""
    items = parts.items() if isinstance(parts, dict) else parts
    cleaned = sorted((_clean_part(k).casefold(), _clean_part(v)) for k, v in items if v not in ("", None))
    return ";".join(f"{k}={v}" for k, v in cleaned)


def parse_breakdown(text: str) -> dict[str, str]:
    """Inverse of breakdown_key (for display and queries)."""
    if not text:
        return {}
    return dict(part.split("=", 1) for part in text.split(";") if "=" in part)


# --- units and direction -------------------------------------------------------------------------------------


def guess_unit(text: str) -> str:
    """Unit code from a title or unit text ('antal/100 000 inv' → per_100k, 'andel (%)' → procent)."""
    folded = (text or "").casefold().replace("\u00a0", " ")
    compact = folded.replace(" ", "")
    if "/100000" in compact or "per100000" in compact or "100000inv" in compact:
        return UNIT_PER_100K
    if "/1000inv" in compact or "per1000" in compact or "/1000" in compact:
        return UNIT_PER_1000
    if "%" in folded or "procent" in folded or "andel" in folded:
        return UNIT_PERCENT
    if "rang" in folded or "placering" in folded:
        return UNIT_RANK
    if "index" in folded:
        return UNIT_INDEX
    if "kr/" in compact or "minuter" in folded or "kronor" in folded:
        return UNIT_OTHER
    return UNIT_COUNT


# Words in a Swedish indicator title that say more is worse (crime, insecurity, injuries) or better (trust).
_WORSE = (
    "brott",
    "otrygg",
    "oro ",
    "oro för",
    "utsatt",
    "skad",
    "brand",
    "bränder",
    "avstår",
    "problem med",
    "våld",
    "stöld",
    "narkotika",
    "döda",
    "omkomna",
    "olyck",
)
_BETTER = (
    "trygg i",
    "trygg utomhus",
    "förtroende",
    "kommunindex",
    "regionindex",
    "låg oro",
    "få problem",
    "fungerar bra",
    "nöjd",
)


def guess_higher_is_better(title: str) -> bool | None:
    """Direction from a title; None when the title says nothing (population, margins)."""
    folded = (title or "").casefold()
    if folded.startswith("osäkerhetstal"):
        return None
    if any(word in folded for word in _BETTER):
        return True
    if any(word in folded for word in _WORSE):
        return False
    return None


# --- text hygiene and Swedish messages for parser errors -------------------------------------------------------

# JSON may carry NUL and the bidi controls escaped ("\u0000", "\u202e"): removed before parsing, as the raw
# characters are (trygg.lib.text), so no label or code of a file can hold them.
_JSON_UNSAFE_ESCAPE = re.compile(r"\\u(?:0000|202[a-eA-E]|206[6-9])")


def clean_source(text: str) -> str:
    """A file's text without NUL and bidi control characters (one scan when there are none)."""
    return clean_text(text) if has_unsafe_characters(text) else text


def clean_json_source(text: str) -> str:
    """As clean_source, and the same characters written as JSON escapes."""
    if "\\u" in text:
        text = _JSON_UNSAFE_ESCAPE.sub("", text)
    return clean_source(text)


def clean_loaded(value):
    """A decoded JSON value (an API response) with NUL and bidi controls removed from every string."""
    if isinstance(value, str):
        return clean_source(value)
    if isinstance(value, list):
        return [clean_loaded(item) for item in value]
    if isinstance(value, dict):
        return {clean_loaded(key): clean_loaded(item) for key, item in value.items()}
    return value


# The json module's messages (English) and what they mean, in Swedish.
_JSON_MESSAGES = (
    ("Expecting value", "ett värde saknas"),
    ("Expecting ',' delimiter", "ett kommatecken saknas"),
    ("Expecting ':' delimiter", "ett kolon saknas"),
    ("Expecting property name enclosed in double quotes", "ett fältnamn inom citattecken saknas"),
    ("Unterminated string", "en text avslutas aldrig med citattecken"),
    ("Invalid control character", "ett otillåtet styrtecken"),
    ("Invalid \\uXXXX escape", "en felaktig \\u-kod"),
    ("Invalid \\escape", "en felaktig \\-kod"),
    ("Extra data", "text efter JSON-dokumentets slut"),
    ("Illegal trailing comma", "ett kommatecken för mycket"),
)


def json_error(label: str, exc: json.JSONDecodeError) -> str:
    """A Swedish message for a JSON syntax error (a truncated file ends in "ett värde saknas" or similar)."""
    what = next((sv for en, sv in _JSON_MESSAGES if exc.msg.startswith(en)), "ett syntaxfel")
    if exc.pos >= len(exc.doc.rstrip()):
        what += "; filen tycks vara avkortad"
    return f"{label} är inte giltig JSON: {what} (rad {exc.lineno}, kolumn {exc.colno})."


def csv_error(label: str, exc: Exception) -> str:
    """A Swedish message for the csv module's errors."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"{label} har ett fält som är längre än 131 072 tecken; det kan inte vara en CSV-tabell."
    if "new-line character seen in unquoted field" in text:
        return f"{label} har en radbrytning mitt i ett fält; spara filen som CSV igen."
    return f"{label} kunde inte läsas som CSV (felaktiga citattecken eller styrtecken)."


def decode_text(data: bytes, *, label: str = "filen") -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what Excel on Swedish Windows writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportValidationError(
            [
                f"Teckenkodningen i {label} kunde inte läsas (varken UTF-8 eller Windows-1252), byte {exc.start}."
            ]
        ) from exc


def merge(parts: list[ParsedImport]) -> ParsedImport:
    """One ParsedImport from several (the parts of a split API request); indicator specs de-duplicated."""
    if not parts:
        raise ImportValidationError(["Inga data att importera."])
    merged = ParsedImport(source_label=parts[0].source_label)
    seen: set[str] = set()
    for part in parts:
        merged.rows.extend(part.rows)
        merged.skipped += part.skipped
        merged.notes.extend(part.notes)
        for spec in part.indicators:
            if spec.code not in seen:
                seen.add(spec.code)
                merged.indicators.append(spec)
    return merged


def make_row(
    indicator: str,
    region: str,
    period: Period,
    breakdown: str,
    value: float | None,
    status: str,
    preliminary: bool = False,
) -> tuple:
    """A Row as a plain tuple (cheaper than the NamedTuple in the parsers' hot loops); margins come later."""
    return (
        indicator,
        region,
        period.label,
        period.start,
        period.end,
        breakdown,
        value,
        status,
        preliminary or period.preliminary,
        None,
        None,
        None,
    )
