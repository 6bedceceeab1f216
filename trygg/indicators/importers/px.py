"""PX files (PC-Axis, SCB's PX file format specification 2013) → ParsedImport.

A small reader written to the spec, not pyaxis: see docs/indicators-import.md for the evaluation. It handles
- character sets: CODEPAGE (e.g. "iso-8859-1", "utf-8", "windows-1252") wins; else CHARSET="ANSI" means
  Windows-1252 (a superset of ISO-8859-1's printable range); else UTF-8 when the bytes are valid UTF-8, else
  the spec's DOS default (code page 850);
- keywords with a language suffix (`TITLE[en]=…`) and a subkey (`VALUES("region")=…`, `VALUES[en]("region")`),
  LANGUAGE/LANGUAGES, choosing the file's default language or a requested one;
- strings split over several lines ("abc" "def" concatenates), lists, TLIST(A1, "2010"-"2014");
- STUB/HEADING order (stub variables outer, last heading variable fastest), CODES, TIMEVAL, CONTVARIABLE;
- DATA with the special values "." ".." "..." "...." "....." "......" (missing; ".." suppressed) and "-"
  (a true zero), quoted or not, separated by blanks, tabs, commas or line breaks.
Sparse data (KEYS) is not supported and is reported as such.
"""

from __future__ import annotations

import codecs
import itertools
import operator
import re
from dataclasses import dataclass, field
from typing import Any

from .. import regions
from .common import (
    GENDER,
    GENDER_DIMENSION_NAMES,
    MISSING,
    OK,
    SUPPRESSED,
    ErrorList,
    ImportValidationError,
    IndicatorSpec,
    ParsedImport,
    breakdown_key,
    clean_source,
    gender_code,
    guess_higher_is_better,
    guess_unit,
    make_row,
    parse_period,
)

MAX_CELLS = 5_000_000
TIME_NAMES = {"tid", "år", "ar", "year", "time", "period", "månad", "month", "kvartal", "quarter"}
REGION_NAMES = {"region", "kommun", "län", "lan", "municipality", "county", "område", "riket"}
_RE_CHARSET = re.compile(rb'CHARSET\s*=\s*"([^"]*)"', re.IGNORECASE)
_RE_CODEPAGE = re.compile(rb'CODEPAGE\s*=\s*"([^"]*)"', re.IGNORECASE)
_RE_KEYWORD = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)\s*(?:\[\s*([A-Za-z_-]+)\s*\])?\s*")
_RE_BARE = re.compile(r'[^\s",;()]+')
_RE_DATA_TOKEN = re.compile(r'"([^"]*)"|([^\s,;"]+)')


@dataclass(slots=True)
class PxFile:
    """Keywords as {(KEYWORD, language or None, subkey tuple or None): list of values}."""

    keywords: dict[tuple[str, str | None, tuple[str, ...] | None], list[str]] = field(default_factory=dict)
    data: str = ""
    encoding: str = ""

    def get(
        self, keyword: str, lang: str | None = None, sub: tuple[str, ...] | None = None
    ) -> list[str] | None:
        if lang is not None and (keyword, lang, sub) in self.keywords:
            return self.keywords[(keyword, lang, sub)]
        return self.keywords.get((keyword, None, sub))

    def text(self, keyword: str, lang: str | None = None, sub: tuple[str, ...] | None = None) -> str:
        values = self.get(keyword, lang, sub)
        return " ".join(values).strip() if values else ""


def detect_encoding(data: bytes) -> str:
    head = data[: data.find(b"DATA=")] if b"DATA=" in data else data[:65536]
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if match := _RE_CODEPAGE.search(head):
        name = match.group(1).decode("ascii", "replace").strip().lower()
        try:
            codecs.lookup(name)
        except LookupError as exc:
            raise ImportValidationError(
                [f'PX-filen anger en okänd teckenkodning CODEPAGE="{name}".']
            ) from exc
        # ISO-8859-1 files from Windows tools often carry cp1252 punctuation (– ’); cp1252 reads both.
        return "cp1252" if codecs.lookup(name).name in {"latin-1", "iso8859-1"} else name
    if (match := _RE_CHARSET.search(head)) and match.group(1).strip().upper() == b"ANSI":
        return "cp1252"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp850"
    return "utf-8"


def read_px(data: bytes) -> PxFile:
    """Tokenise the keyword section and cut out the DATA section (no interpretation yet)."""
    if not isinstance(data, bytes):
        raise ImportValidationError(["PX-filen ska läsas som bytes."])
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportValidationError(
            [f"PX-filen kunde inte läsas med teckenkodningen {encoding} (byte {exc.start})."]
        ) from exc
    text = clean_source(text)
    px = PxFile(encoding=encoding)
    pos, length = 0, len(text)
    while True:
        while pos < length and (text[pos].isspace() or text[pos] == "\ufeff"):
            pos += 1
        if pos >= length:
            raise ImportValidationError(["PX-filen saknar DATA-avsnittet."])
        match = _RE_KEYWORD.match(text, pos)
        if match is None:
            raise ImportValidationError([f"PX-filen: oväntat innehåll på rad {_line(text, pos)}."])
        keyword, lang = match.group(1).upper(), match.group(2)
        pos = match.end()
        sub: tuple[str, ...] | None = None
        if pos < length and text[pos] == "(":
            sub_values, pos = _parse_values(text, pos + 1, ")")
            sub = tuple(sub_values)
            while pos < length and text[pos].isspace():
                pos += 1
        if pos >= length or text[pos] != "=":
            raise ImportValidationError(
                [f'PX-filen: nyckelordet {keyword} på rad {_line(text, match.start(1))} saknar "=".']
            )
        pos += 1
        if keyword == "DATA":
            end = text.rfind(";")
            if end < pos:
                raise ImportValidationError(['PX-filen: DATA-avsnittet avslutas inte med ";".'])
            px.data = text[pos:end]
            break
        values, pos = _parse_values(text, pos, ";")
        key = (keyword, lang, sub)
        if key in px.keywords and keyword not in {"NOTE", "NOTEX", "VALUENOTE", "CELLNOTE", "CELLNOTEX"}:
            raise ImportValidationError(
                [
                    f"PX-filen: nyckelordet {_describe(key)} förekommer två gånger (rad {_line(text, match.start(1))})."
                ]
            )
        px.keywords.setdefault(key, []).extend(values)
    return px


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _describe(key: tuple[str, str | None, tuple[str, ...] | None]) -> str:
    keyword, lang, sub = key
    return keyword + (f"[{lang}]" if lang else "") + (f"({', '.join(sub)})" if sub else "")


def _parse_values(text: str, pos: int, terminator: str) -> tuple[list[str], int]:
    """Values up to the terminator outside quotes: strings (adjacent ones concatenate), bare words, TLIST(…)."""
    values: list[str] = []
    current: str | None = None
    previous_was_string = False
    length = len(text)
    while pos < length:
        char = text[pos]
        if char == '"':
            end = text.find('"', pos + 1)
            if end < 0:
                raise ImportValidationError(
                    [f"PX-filen: citattecken stängs aldrig (rad {_line(text, pos)})."]
                )
            piece = text[pos + 1 : end].replace("\r", "").replace("\n", "")
            current = (current or "") + piece if previous_was_string else piece
            previous_was_string = True
            pos = end + 1
        elif char == terminator:
            if current is not None:
                values.append(current)
            return values, pos + 1
        elif char == ",":
            values.append(current if current is not None else "")
            current, previous_was_string = None, False
            pos += 1
        elif char.isspace():
            pos += 1
        elif char in "()" and terminator != ")":
            # TLIST(A1, "1994"-"1996"): keep the whole term as one bare value.
            end = text.find(")", pos)
            if end < 0:
                raise ImportValidationError([f"PX-filen: parentes stängs aldrig (rad {_line(text, pos)})."])
            current = (current or "") + text[pos : end + 1]
            previous_was_string = False
            pos = end + 1
        else:
            match = _RE_BARE.match(text, pos)
            word = match.group(0) if match else char
            current = (current or "") + word
            previous_was_string = False
            pos += len(word)
    raise ImportValidationError([f'PX-filen: värdet avslutas inte med "{terminator}".'])


@dataclass(slots=True)
class Variable:
    name: str
    values: list[str]
    codes: list[str]
    is_time: bool = False


def _variables(px: PxFile, lang: str | None) -> list[Variable]:
    stub = px.get("STUB", lang) or []
    heading = px.get("HEADING", lang) or []
    if not stub and not heading:
        raise ImportValidationError(["PX-filen saknar STUB och HEADING (tabellens variabler)."])
    default_names = (px.get("STUB") or []) + (px.get("HEADING") or [])
    variables = []
    for position, name in enumerate(stub + heading):
        values = px.get("VALUES", lang, (name,))
        if values is None:
            raise ImportValidationError([f'PX-filen saknar VALUES("{name}").'])
        default_name = default_names[position] if position < len(default_names) else name
        codes = px.get("CODES", lang, (name,)) or px.get("CODES", None, (default_name,)) or values
        if len(codes) != len(values):
            raise ImportValidationError(
                [f'PX-filen: CODES("{name}") har {len(codes)} koder men VALUES har {len(values)} värden.']
            )
        if not values:
            raise ImportValidationError([f'PX-filen: variabeln "{name}" har inga värden.'])
        is_time = (
            px.get("TIMEVAL", lang, (name,)) is not None
            or px.get("TIMEVAL", None, (default_name,)) is not None
        )
        variables.append(Variable(name, values, codes, is_time or name.casefold() in TIME_NAMES))
    return variables


def _data_values(px: PxFile, cells: int) -> list[tuple[float | None, str]]:
    tokens = _RE_DATA_TOKEN.findall(px.data)
    if len(tokens) != cells:
        raise ImportValidationError(
            [f"PX-filen: DATA har {len(tokens)} värden men variablerna ger {cells} celler."]
        )
    out: list[tuple[float | None, str]] = []
    for index, (quoted, bare) in enumerate(tokens):
        cell = (quoted or bare).strip()
        if cell == "..":
            out.append((None, SUPPRESSED))
        elif cell and set(cell) == {"."}:
            out.append((None, MISSING))
        elif cell in {"-", "–"}:
            out.append((0.0, OK))
        else:
            try:
                value = float(cell)
            except ValueError:
                raise ImportValidationError(
                    [f"PX-filen: DATA-värde nr {index + 1} ({cell[:20]!r}) är inte ett tal."]
                ) from None
            if value != value or value in (float("inf"), float("-inf")):
                raise ImportValidationError([f"PX-filen: DATA-värde nr {index + 1} är inte ett ändligt tal."])
            out.append((value, OK))
    return out


def parse_px(
    data: bytes, *, language: str | None = None, indicator_code: str | None = None, source: str | None = None
) -> ParsedImport:
    """Parse a PX file; `language` picks one of LANGUAGES (default: the file's LANGUAGE)."""
    px = read_px(data)
    if px.get("KEYS") is not None or any(key[0] == "KEYS" for key in px.keywords):
        raise ImportValidationError(
            ["PX-filer med KEYS (gles data) stöds inte; exportera tabellen utan KEYS."]
        )
    default_lang = px.text("LANGUAGE") or None
    languages = px.get("LANGUAGES") or ([default_lang] if default_lang else [])
    if language and languages and language not in languages:
        raise ImportValidationError(
            [f"PX-filen finns inte på språket {language!r} (LANGUAGES: {', '.join(languages)})."]
        )
    lang = language if language and language != default_lang else None
    variables = _variables(px, lang)
    cells = 1
    for variable in variables:
        cells *= len(variable.values)
    if cells > MAX_CELLS:
        raise ImportValidationError(
            [f"PX-filen har {cells} celler; högst {MAX_CELLS} kan importeras åt gången."]
        )
    values = _data_values(px, cells)

    matrix = px.text("MATRIX") or px.text("TABLEID")
    contvariable = px.text("CONTVARIABLE", lang)
    source_text = source or px.text("SOURCE", lang) or "PX-fil"
    time_vars = [v for v in variables if v.is_time]
    region_vars = [v for v in variables if v.name.casefold() in REGION_NAMES]
    if not region_vars:
        region_vars = [v for v in variables if all(regions.normalise_code(c) for c in v.codes)]
    if len(time_vars) != 1:
        raise ImportValidationError(
            ['PX-filen: hittar ingen entydig tidsvariabel (TIMEVAL eller "år"/"tid").']
        )
    if not region_vars:
        raise ImportValidationError(
            ['PX-filen: hittar ingen regionvariabel (t.ex. "region" med kommunkoder).']
        )
    time_var, region_var = time_vars[0], region_vars[0]
    content_var = next((v for v in variables if contvariable and v.name == contvariable), None)
    if content_var is not None and indicator_code and len(content_var.values) > 1:
        raise ImportValidationError(
            ["Ett eget indikatornamn kan bara ges när tabellen har ett enda innehåll."]
        )

    errors = ErrorList()
    indicators: list[IndicatorSpec] = []
    parts_per_var: list[list[Any]] = []
    breakdown_names: list[str] = []
    for variable in variables:
        if variable is time_var:
            parts = []
            for code, label in zip(variable.codes, variable.values, strict=True):
                period = parse_period(code) or parse_period(label)
                if period is None:
                    errors.add(f'PX-filen: tidsvärdet {code!r} i "{variable.name}" är ingen period.')
                parts.append(period)
        elif variable is region_var:
            parts = []
            for code, label in zip(variable.codes, variable.values, strict=True):
                region = regions.resolve(code) or regions.resolve(label)
                if region is None:
                    errors.add(f'PX-filen: okänd region {code!r} ({label}) i "{variable.name}".')
                parts.append(region)
        elif variable is content_var:
            parts = []
            for code, label in zip(variable.codes, variable.values, strict=True):
                spec_code = indicator_code or (f"{matrix}.{code}" if matrix else code)
                unit_text = px.text("UNITS", lang, (label,)) or px.text("UNITS", lang)
                indicators.append(_spec(spec_code, label, unit_text, source_text, px, lang))
                parts.append(spec_code)
        else:
            is_gender = variable.name.casefold() in GENDER_DIMENSION_NAMES
            name = GENDER if is_gender else variable.name.casefold()
            elimination = px.text("ELIMINATION", lang, (variable.name,))
            parts = []
            for code, label in zip(variable.codes, variable.values, strict=True):
                if len(variable.values) == 1 or label == elimination:
                    parts.append(None)
                elif is_gender:
                    gender = gender_code(code)
                    gender = gender if gender is not None else gender_code(label)
                    if gender is None:
                        errors.add(f'PX-filen: okänt kön {label!r} i "{variable.name}".')
                    parts.append((name, gender) if gender else None)
                else:
                    parts.append((name, code))
            if any(parts):
                breakdown_names.append(name)
        parts_per_var.append(parts)
    errors.raise_if_any()
    if content_var is None:
        spec_code = indicator_code or matrix
        if not spec_code:
            raise ImportValidationError(["PX-filen saknar MATRIX; ange en indikatorkod för tabellen."])
        title = px.text("CONTENTS", lang) or px.text("TITLE", lang) or spec_code
        indicators.append(_spec(spec_code, title, px.text("UNITS", lang), source_text, px, lang))
    for spec in indicators:
        spec.breakdowns = breakdown_names

    time_i, region_i = variables.index(time_var), variables.index(region_var)
    content_i = variables.index(content_var) if content_var is not None else None
    other = [i for i in range(len(variables)) if i not in (time_i, region_i, content_i)]
    other_of = operator.itemgetter(*other) if other else (lambda _combo: ())
    keys: dict[Any, str] = {}
    single = indicators[0].code if content_i is None else None
    rows: list[tuple] = []
    for (value, status), combo in zip(values, itertools.product(*parts_per_var), strict=True):
        other_parts = other_of(combo)
        breakdown = keys.get(other_parts)
        if breakdown is None:
            parts = other_parts if len(other) > 1 else (other_parts,) if other else ()
            breakdown = keys[other_parts] = breakdown_key([p for p in parts if p is not None])
        rows.append(
            make_row(single or combo[content_i], combo[region_i], combo[time_i], breakdown, value, status)
        )
    return ParsedImport(source_label=f"PX {matrix}".strip(), rows=rows, indicators=indicators)


def _spec(code: str, title: str, unit_text: str, source: str, px: PxFile, lang: str | None) -> IndicatorSpec:
    return IndicatorSpec(
        code=code[:80],
        title=title,
        unit=guess_unit(f"{unit_text} {title}"),
        source=source[:200],
        description=px.text("TITLE", lang),
        higher_is_better=guess_higher_is_better(title),
    )
