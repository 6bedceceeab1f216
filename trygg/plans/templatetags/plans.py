from django import template
from django.utils.html import format_html

from trygg.documents.symbols import symbol_svg

from ..report import status_label as _status_label
from ..report import status_symbol
from ..status_rules import LABELS, LEGEND, ORDER

register = template.Library()


@register.simple_tag
def status_icon(status: str, decorative: bool = False):
    """The report's status symbol as inline SVG, labelled for screen readers unless text beside it says it."""
    return symbol_svg(status_symbol(status), None if decorative else _status_label(status))


@register.filter
def status_label(status: str) -> str:
    return _status_label(status) if status else ""


@register.simple_tag
def status_chip(status: str):
    """A status as a chip: the report's symbol AND its label as visible text (never colour or icon alone)."""
    label = _status_label(status) if status else "Ej rapporterad"
    return format_html(
        '<span class="chip chip-{}">{}<span>{}</span></span>',
        status or "none",
        symbol_svg(status_symbol(status), None),
        label,
    )


@register.inclusion_tag("plans/_legend.html")
def status_legend(open: bool = False):
    """The legend of the six statuses, wherever statuses are shown (the report's legend, in words)."""
    entries = [(s.value, LABELS[s], LEGEND[s].split("=", 1)[-1].strip()) for s in ORDER]
    return {"entries": entries, "open": open}
