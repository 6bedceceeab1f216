"""Template filters for rich text: `{% load documents %}{{ comment|richtext }}`."""

from django import template
from django.utils.safestring import SafeString

from ..html import render_blocks_html
from ..markdown import parse_markdown

register = template.Library()


@register.filter
def richtext(value: object) -> SafeString:
    """Markdown (the safe subset) as HTML: emphasis and lists are kept, raw HTML is shown as text."""
    if value is None:
        return SafeString("")
    return render_blocks_html(parse_markdown(str(value)))
