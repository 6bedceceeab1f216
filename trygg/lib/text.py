"""Plain-text hygiene shared by every form, importer and command: what may be stored as text, and numbers
written the Swedish way.

- NUL and the bidirectional override/isolate controls (U+202A–U+202E, U+2066–U+2069) are removed: NUL breaks
  PostgreSQL text columns and exports, and bidi controls let a text display differently from what it holds
  ("spoofing" a name or a figure in a report).
- Line endings become ``\\n``.
- Numbers accept a decimal comma ("3,5") as well as a point, and spaces as thousands separators ("1 234,5").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00{BIDI_CONTROLS}]")
_SPACES = re.compile(r"[ \u00a0\u2009\u202f]")


def has_unsafe_characters(value: str) -> bool:
    return bool(_UNSAFE.search(value))


def clean_text(value: str) -> str:
    """The text without NUL and bidi controls, with ``\\n`` line endings."""
    return _UNSAFE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")


class NotANumber(ValueError):
    """The message is Swedish and meant for the user."""


def parse_decimal(raw: str | float | int | Decimal) -> Decimal:
    """A number as written in Sweden or in English: "3,5", "3.5", "1 234,5", "−2". Raises NotANumber."""
    if isinstance(raw, bool):
        raise NotANumber("Ange ett tal, inte sant/falskt.")
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = _SPACES.sub("", str(raw).strip()).replace("\u2212", "-")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise NotANumber(f"”{str(raw)[:40]}” är inte ett tal (skriv t.ex. 3,5 eller 3.5).") from None
    if not value.is_finite():
        raise NotANumber(f"”{str(raw)[:40]}” är inte ett ändligt tal.")
    return value
