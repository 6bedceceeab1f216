"""Find and redact personal data in free text before it is stored.

Free text in the lägesbild (incident descriptions, meeting notes, walk findings, residents' submissions)
must not carry personal data. This module finds the kinds that can be recognised reliably from their
shape and redacts them; the reporter is told what was removed and why (:func:`explain`).

What is detected, and the rules (see docs/hotspots.md, "PII detection"):

- ``personnummer``: ``YYMMDD-NNNC``, ``YYMMDD+NNNC``, ``YYMMDDNNNC``, ``YYYYMMDD-NNNC``, ``YYYYMMDDNNNC``
  (a space may stand for the separator, and any dash for the hyphen: word processors turn "-" into an en
  dash, and text pasted from elsewhere brings U+2010-U+2015 and the minus sign U+2212). Flagged only when the date is a real calendar date and the
  Luhn check digit over the ten-digit form is right. A wrong check digit is not a personnummer; such a
  number is still redacted when it has the shape of a phone number (begins with 0), otherwise left alone
  (order numbers, case numbers and the like share the shape).
- ``samordningsnummer``: as personnummer with the day of month plus 60 (61-91).
- ``phone``: Swedish numbers, national (``070-123 45 67``, ``031-12 34 56``, ``0303-21 00 00``,
  8-10 digits beginning with 0) or international (``+46 70 123 45 67``, ``0046 …``, ``+46 (0)31 …``,
  7-9 digits after 46). Short service numbers (112, 114 14, 1177) are not personal and not flagged.
- ``email``: ``local@domain.tld``.
- ``registration_number``: Swedish plates ``ABC 123`` and ``ABC 12A`` (space or hyphen optional), in
  capitals only and with the letters Transportstyrelsen uses (no I, Q, V; last letter not O).
  Common capitalised abbreviations followed by a number (``LSS 123``, ``SFS 202``) are not flagged;
  personalised plates cannot be told from words and are not detected.

Names of individuals cannot be recognised reliably from the text alone; the form must ask reporters not
to write them (:data:`NO_NAMES_NOTICE`).

No Django imports: messages are Swedish source strings.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "phone"
EMAIL = "email"
REGISTRATION_NUMBER = "registration_number"

KINDS = (PERSONNUMMER, SAMORDNINGSNUMMER, PHONE, EMAIL, REGISTRATION_NUMBER)

# kind -> (singular, plural) in Swedish, as shown to the reporter.
LABELS_SV: dict[str, tuple[str, str]] = {
    PERSONNUMMER: ("personnummer", "personnummer"),
    SAMORDNINGSNUMMER: ("samordningsnummer", "samordningsnummer"),
    PHONE: ("telefonnummer", "telefonnummer"),
    EMAIL: ("e-postadress", "e-postadresser"),
    REGISTRATION_NUMBER: ("registreringsnummer", "registreringsnummer"),
}

NO_NAMES_NOTICE = "Skriv inte namn på enskilda personer: namn hör inte hemma i lägesbilden."

# When two candidates overlap, the one with the lower rank wins (then the longer one).
_PRIORITY = {PERSONNUMMER: 0, SAMORDNINGSNUMMER: 0, EMAIL: 1, PHONE: 2, REGISTRATION_NUMBER: 3}


@dataclass(frozen=True)
class PiiFinding:
    """One piece of personal data found in a text: ``text[start:end]``."""

    kind: str
    start: int
    end: int
    # Kept out of repr so that logging a finding does not log the personal data itself.
    text: str = field(repr=False, default="")

    @property
    def label_sv(self) -> str:
        return LABELS_SV[self.kind][0]

    @property
    def placeholder(self) -> str:
        return f"[borttaget: {self.label_sv}]"


@dataclass(frozen=True)
class RedactionResult:
    text: str
    findings: list[PiiFinding]

    @property
    def changed(self) -> bool:
        return bool(self.findings)


# Characters that stand for a hyphen in pasted or word-processed text: hyphen-minus, hyphen, non-breaking
# hyphen, figure dash, en dash, em dash, horizontal bar, minus sign. For use inside [...] classes.
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Spaces between digit groups: space, no-break space, thin space, narrow no-break space.
SPACES = " \u00a0\u2009\u202f"

# --- personnummer / samordningsnummer ------------------------------------------------------------

_PNR = re.compile(
    rf"(?<![\w+{DASHES}])"  # not glued to a word, a number or a sign
    r"(?P<century>1[89]|20)?"
    r"(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    rf"(?P<sep>[{DASHES}+{SPACES}]?)"
    r"(?P<serial>\d{3})(?P<check>\d)"
    # Not followed by more digits; letters may follow (the genitive "…-9876s", "…-9876:s").
    rf"(?!\d|[{DASHES}]\d)"
)


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit used by Swedish personnummer (weights 2,1,2,1,… from the left)."""
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _valid_date(century: str | None, yy: str, mm: str, dd: int) -> bool:
    month = int(mm)
    if not 1 <= month <= 12 or dd < 1:
        return False
    if century is not None:
        return dd <= monthrange(int(century + yy), month)[1]
    # Ten-digit form: the century is unknown, so accept 29 February when either century has it
    # (00 is a leap year as 2000).
    return dd <= max(monthrange(1900 + int(yy), month)[1], monthrange(2000 + int(yy), month)[1])


def _personnummer_kind(match: re.Match[str]) -> str | None:
    century, yy, mm, dd = match["century"], match["yy"], match["mm"], int(match["dd"])
    if century is not None and match["sep"] == "+":
        return None  # "+" marks a 100-year-old in the ten-digit form only
    kind = PERSONNUMMER
    if dd > 60:
        kind, dd = SAMORDNINGSNUMMER, dd - 60
    if not _valid_date(century, yy, mm, dd):
        return None
    ten = yy + match["mm"] + match["dd"] + match["serial"]
    if luhn_check_digit(ten) != int(match["check"]):
        return None
    return kind


# --- phone numbers -------------------------------------------------------------------------------

_SEP = rf"(?:[{SPACES}]?[{DASHES}][{SPACES}]?|[{SPACES}]|\)[{SPACES}]?)?"
_PHONE = re.compile(
    rf"(?<![\w+{DASHES}])"
    r"(?:"
    rf"(?P<intl>(?:\+|00)46)[{SPACES}{DASHES}]?(?:\(0\)[{SPACES}{DASHES}]?)?"
    r"|\(?0"
    r")"
    rf"[1-9](?:{_SEP}\d){{5,8}}"
    rf"(?![\d{DASHES}])"
)
_DATE_LIKE = re.compile(rf"^\d{{1,2}}[{DASHES}]\d{{1,2}}[{DASHES}]\d{{2,4}}$")


def _is_phone(match: re.Match[str]) -> bool:
    if match["intl"]:
        rest = match.string[match.end("intl") : match.end()].replace("(0)", "")
        return 7 <= len(re.sub(r"\D", "", rest)) <= 9  # digits after the country code
    digits = re.sub(r"\D", "", match.group(0))
    if _DATE_LIKE.match(match.group(0)):
        return False
    return 8 <= len(digits) <= 10


# --- e-mail --------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?![\w\-])")

# --- registration numbers ------------------------------------------------------------------------

_PLATE_LETTER = "ABCDEFGHJKLMNOPRSTUWXYZ"  # no I, Q, V
_PLATE = re.compile(
    rf"(?<![\w{DASHES}])(?P<letters>[{_PLATE_LETTER}]{{3}})[{SPACES}{DASHES}]?"
    rf"(?P<digits>\d{{2}}[\d{_PLATE_LETTER.replace('O', '')}])(?![\w{DASHES}])"
)
# Capitalised abbreviations that appear before numbers in Swedish public-sector text. A real plate with
# these letters is missed; that is accepted to keep statute and form references intact.
PLATE_STOPLIST = frozenset(
    {
        "LSS", "SFS", "SOU", "DNR", "SCB", "NTU", "SKR", "MSB", "LPT", "SOL", "BUP", "ANT", "EST",
        "LST", "KSF", "AFS", "BBR", "PBL", "BRB", "TEL", "KAP", "ART", "SEK", "EUR", "USD", "CET",
        "UTC", "MAX", "NOR", "JUL", "JUN", "DEC", "NOK", "OKT", "SEP", "AUG", "MAJ", "APR", "MAR",
        "FEB", "JAN", "GPS", "SMS", "PDF", "URL", "RUT", "ROT", "BNP", "FAR", "TRF", "ATL",
    }
)  # fmt: skip


def find_pii(text: str) -> list[PiiFinding]:
    """All personal data found in ``text``, sorted by position, never overlapping."""
    if not text:
        return []
    candidates: list[PiiFinding] = []
    for match in _PNR.finditer(text):
        kind = _personnummer_kind(match)
        if kind:
            candidates.append(PiiFinding(kind, match.start(), match.end(), match.group(0)))
    for match in _EMAIL.finditer(text):
        candidates.append(PiiFinding(EMAIL, match.start(), match.end(), match.group(0)))
    for match in _PHONE.finditer(text):
        if _is_phone(match):
            candidates.append(PiiFinding(PHONE, match.start(), match.end(), match.group(0)))
    for match in _PLATE.finditer(text):
        if match["letters"] not in PLATE_STOPLIST:
            candidates.append(PiiFinding(REGISTRATION_NUMBER, match.start(), match.end(), match.group(0)))
    return _without_overlaps(candidates)


def _without_overlaps(candidates: Iterable[PiiFinding]) -> list[PiiFinding]:
    chosen: list[PiiFinding] = []
    for cand in sorted(candidates, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start)):
        if all(cand.end <= kept.start or cand.start >= kept.end for kept in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda f: f.start)


def redact(text: str) -> RedactionResult:
    """Replace every finding with ``[borttaget: <label>]``; the findings keep the original offsets."""
    findings = find_pii(text)
    parts: list[str] = []
    position = 0
    for finding in findings:
        parts.append(text[position : finding.start])
        parts.append(finding.placeholder)
        position = finding.end
    parts.append(text[position:])
    return RedactionResult("".join(parts), findings)


def join_sv(items: list[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


LAGESBILD_REASON = "personuppgifter hör inte hemma i lägesbilden."


def explain(
    findings: Iterable[PiiFinding], where: str = "beskrivningen", reason: str = LAGESBILD_REASON
) -> str:
    """One Swedish sentence telling the reporter what was removed and why; "" when nothing was.

    >>> explain([PiiFinding("personnummer", 0, 13), PiiFinding("phone", 20, 31)])
    'Vi tog bort 1 personnummer och 1 telefonnummer ur beskrivningen: personuppgifter hör inte hemma i lägesbilden.'
    """
    counts = Counter(f.kind for f in findings)
    if not counts:
        return ""
    parts = []
    for kind in KINDS:
        if counts[kind]:
            singular, plural = LABELS_SV[kind]
            parts.append(f"{counts[kind]} {singular if counts[kind] == 1 else plural}")
    return f"Vi tog bort {join_sv(parts)} ur {where}: {reason}"
