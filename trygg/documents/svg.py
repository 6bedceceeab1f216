"""Prepare a chart's SVG for inlining in HTML/PDF.

The SVG comes from our own chart code, so this is a belt-and-braces clean-up, not a sanitiser for
untrusted markup: scripts, foreign objects, event attributes and external references are dropped, ids are
prefixed so that several charts on one page cannot collide, and the accessible name is set from the alt text.
"""

from __future__ import annotations

import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
_DROP_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "metadata"}
_HREF_ATTRS = {"href", "{http://www.w3.org/1999/xlink}href"}
_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
_URL_REF = re.compile(r"url\(\s*#([^)\s]+)\s*\)")

# No DTDs, no entities, no network: a chart never needs them.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
)


def prepare_svg(svg: str, *, alt: str, id_prefix: str) -> str:
    """The cleaned SVG element as a string, or "" when the input is not well-formed SVG."""
    try:
        root = etree.fromstring(svg.strip().encode(), _PARSER)  # noqa: S320 - hardened parser, own charts
    except (etree.XMLSyntaxError, ValueError):
        return ""
    if etree.QName(root).localname != "svg":
        return ""

    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local_name = etree.QName(element).localname
        if local_name in _DROP_TAGS:
            element.getparent().remove(element)
            continue
        if local_name == "style" and element.text:
            element.text = _IMPORT.sub("", element.text)  # stylesheets are never loaded from elsewhere
        for name in list(element.attrib):
            local = etree.QName(name).localname
            value = element.attrib[name]
            if local.lower().startswith("on"):
                del element.attrib[name]
            elif name in _HREF_ATTRS and not value.startswith(("#", "data:image/")):
                del element.attrib[name]  # nothing outside the document is ever loaded
                if etree.QName(element).localname in ("image", "use"):
                    element.getparent().remove(element)
                    break

    ids = {el.attrib["id"] for el in root.iter() if isinstance(el.tag, str) and "id" in el.attrib}
    if ids:
        _prefix_ids(root, ids, id_prefix)

    for old in root.findall(f"{{{SVG_NS}}}title"):
        root.remove(old)
    title = etree.Element(f"{{{SVG_NS}}}title")
    title.text = alt
    root.insert(0, title)
    # Our alt text names the chart; a label reference left by the chart code would override it.
    for name in ("aria-labelledby", "aria-describedby"):
        root.attrib.pop(name, None)
    root.set("role", "img")
    root.set("aria-label", alt)
    root.set("focusable", "false")
    return etree.tostring(root, encoding="unicode")


def _prefix_ids(root: etree._Element, ids: set[str], prefix: str) -> None:
    def ref(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"url(#{prefix}{name})" if name in ids else match.group(0)

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name == "id":
                element.set(name, prefix + value)
            elif name in _HREF_ATTRS and value.startswith("#") and value[1:] in ids:
                element.set(name, f"#{prefix}{value[1:]}")
            elif "url(" in value:
                element.set(name, _URL_REF.sub(ref, value))
