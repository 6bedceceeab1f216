"""How each status symbol is drawn: a small inline SVG for HTML/PDF and a coloured character for DOCX.

Colours follow the reference report (grey-black dash, green and yellow dots, green and red checks, red
exclamation mark), darkened where needed so that each shape keeps 3:1 contrast against white (WCAG 1.4.11);
the yellow dot gets a dark outline for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .model import Symbol

# DOCX symbol runs use a font that has ●, ✓ and – (installed here by fonts-dejavu-core); Word substitutes
# a font with the same glyphs where DejaVu Sans is missing.
DOCX_SYMBOL_FONT = "DejaVu Sans"

GREY_BLACK = "333333"
GREEN = "2E7D32"
YELLOW = "F2C200"
YELLOW_EDGE = "7A5C00"
AMBER = "D99A00"  # the yellow dot in DOCX: a plain glyph has no outline, so a darker yellow
RED = "C62828"


@dataclass(frozen=True)
class SymbolStyle:
    description: str  # what the picture shows, used when the caller gives no status label
    svg_body: str  # SVG elements on a 14 × 14 viewBox
    char: str  # the DOCX glyph
    rgb: str  # the DOCX glyph's colour, hex RRGGBB


_CHECK = '<path d="M2.5 7.6 5.6 10.7 11.6 3.4" fill="none" stroke="#{}" stroke-width="2.3" stroke-linecap="round" stroke-linejoin="round"/>'

STYLES: dict[Symbol, SymbolStyle] = {
    Symbol.DASH: SymbolStyle(
        _("Streck"),
        f'<rect x="2" y="5.9" width="10" height="2.4" rx="0.6" fill="#{GREY_BLACK}"/>',
        "–",
        GREY_BLACK,
    ),
    Symbol.DOT_GREEN: SymbolStyle(
        _("Grön punkt"), f'<circle cx="7" cy="7" r="5" fill="#{GREEN}"/>', "●", GREEN
    ),
    Symbol.DOT_YELLOW: SymbolStyle(
        _("Gul punkt"),
        f'<circle cx="7" cy="7" r="4.6" fill="#{YELLOW}" stroke="#{YELLOW_EDGE}" stroke-width="0.9"/>',
        "●",
        AMBER,
    ),
    Symbol.CHECK_GREEN: SymbolStyle(_("Grön bock"), _CHECK.format(GREEN), "✓", GREEN),
    Symbol.CHECK_RED: SymbolStyle(_("Röd bock"), _CHECK.format(RED), "✓", RED),
    Symbol.EXCLAMATION_RED: SymbolStyle(
        _("Rött utropstecken"),
        f'<rect x="5.7" y="1" width="2.6" height="8.2" rx="1.1" fill="#{RED}"/>'
        f'<circle cx="7" cy="11.9" r="1.5" fill="#{RED}"/>',
        "!",
        RED,
    ),
}


def symbol_svg(symbol: Symbol, label: str | None = None) -> SafeString:
    """An inline SVG for the symbol. With a label it is an image named by the label (for screen readers);
    without one it is decorative (aria-hidden), for places where adjacent text already says the meaning."""
    style = STYLES.get(symbol)
    if style is None:
        return mark_safe("")  # noqa: S308 - constant
    head = f'<svg class="symbol symbol-{symbol.value}" viewBox="0 0 14 14" width="14" height="14" focusable="false"'
    if label:
        text = escape(label)
        return mark_safe(f'{head} role="img" aria-label="{text}"><title>{text}</title>{style.svg_body}</svg>')  # noqa: S308
    return mark_safe(f'{head} aria-hidden="true">{style.svg_body}</svg>')  # noqa: S308 - constants only


def docx_symbol(symbol: Symbol) -> tuple[str, str] | None:
    """(character, RRGGBB colour) for a DOCX run, or None for Symbol.NONE."""
    style = STYLES.get(symbol)
    return (style.char, style.rgb) if style else None
