"""Small-count suppression for published outputs (no Django models; reads one setting).

Any published table, chart label or export that shows counts passes them through `suppress()`: counts
below settings.TRYGG_SUPPRESS_BELOW (default 5) are shown as "<5" and the output carries
`suppression_note()`, "Värden under 5 redovisas inte". Zero is a true value: it is suppressed too
(0 < 5), since knowing "no one" can identify as much as "one". Rates and shares are not counts and pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_THRESHOLD = 5


def threshold() -> int:
    return int(getattr(settings, "TRYGG_SUPPRESS_BELOW", DEFAULT_THRESHOLD))


@dataclass(frozen=True, slots=True)
class Shown:
    """A value ready to publish: the text to show, the number to plot (None when hidden) and whether hidden."""

    text: str
    value: float | None
    suppressed: bool


def is_suppressed(value: float | None, limit: int | None = None) -> bool:
    limit = threshold() if limit is None else limit
    return value is not None and limit > 0 and value < limit


def suppress(
    value: float | None, limit: int | None = None, *, is_count: bool = True, missing: str = ".."
) -> Shown:
    """Count below the threshold → "<5" (value None); None → the missing symbol; others formatted Swedish."""
    limit = threshold() if limit is None else limit
    if value is None:
        return Shown(missing, None, False)
    if is_count and is_suppressed(value, limit):
        return Shown(f"<{limit}", None, True)
    return Shown(format_number(value), value, False)


def format_number(value: float) -> str:
    """Swedish formatting: thin-space thousands, decimal comma, integers without decimals."""
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", "\u00a0")
    else:
        text = f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "−")


def suppression_note(limit: int | None = None) -> str:
    limit = threshold() if limit is None else limit
    return _("Värden under %(limit)s redovisas inte.") % {"limit": limit}


def suppress_all(values, limit: int | None = None, *, is_count: bool = True) -> tuple[list[Shown], str]:
    """Suppress a sequence; returns the shown values and the note to print when anything was hidden."""
    shown = [suppress(v, limit, is_count=is_count) for v in values]
    note = suppression_note(limit) if any(s.suppressed for s in shown) else ""
    return shown, note
