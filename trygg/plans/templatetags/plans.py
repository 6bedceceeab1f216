from django import template

from trygg.documents.symbols import symbol_svg

from ..report import status_label as _status_label
from ..report import status_symbol

register = template.Library()


@register.simple_tag
def status_icon(status: str, decorative: bool = False):
    """The report's status symbol as inline SVG, labelled for screen readers unless text beside it says it."""
    return symbol_svg(status_symbol(status), None if decorative else _status_label(status))


@register.filter
def status_label(status: str) -> str:
    return _status_label(status) if status else ""
