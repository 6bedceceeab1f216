"""Prepare a chart's SVG for inlining in HTML/PDF.

The SVG comes from our own chart code, so this is a belt-and-braces clean-up, not a sanitiser for
untrusted markup: scripts, foreign objects, event attributes and external references are dropped, ids are
prefixed so that several charts on one page cannot collide, and the accessible name is set from the alt text.

CSS is turned into SVG presentation attributes (`style="fill:#fff"` → `fill="#fff"`, the rules of a `<style>`
element likewise): pages are served with a Content-Security-Policy without 'unsafe-inline', under which a
browser ignores inline style attributes and `<style>` elements, also inside an inline SVG.
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


# The CSS properties SVG also accepts as attributes (SVG 1.1 / SVG 2 presentation attributes).
PRESENTATION_ATTRIBUTES = frozenset(
    [
        "alignment-baseline",
        "baseline-shift",
        "clip-path",
        "clip-rule",
        "color",
        "color-interpolation",
        "color-interpolation-filters",
        "color-rendering",
        "cursor",
        "direction",
        "display",
        "dominant-baseline",
        "fill",
        "fill-opacity",
        "fill-rule",
        "filter",
        "flood-color",
        "flood-opacity",
        "font-family",
        "font-size",
        "font-size-adjust",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "image-rendering",
        "letter-spacing",
        "lighting-color",
        "marker-end",
        "marker-mid",
        "marker-start",
        "mask",
        "opacity",
        "overflow",
        "paint-order",
        "pointer-events",
        "shape-rendering",
        "stop-color",
        "stop-opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "text-decoration",
        "text-rendering",
        "transform-origin",
        "unicode-bidi",
        "vector-effect",
        "visibility",
        "word-spacing",
        "writing-mode",
    ]
)
# Presentation properties a child does not inherit from its parent; the others it does.
_NOT_INHERITED = frozenset(
    [
        "alignment-baseline",
        "baseline-shift",
        "clip-path",
        "display",
        "dominant-baseline",
        "filter",
        "flood-color",
        "flood-opacity",
        "lighting-color",
        "mask",
        "opacity",
        "overflow",
        "stop-color",
        "stop-opacity",
        "text-decoration",
        "transform-origin",
        "unicode-bidi",
        "vector-effect",
    ]
)
_REUSED = {"defs", "symbol", "marker", "pattern", "clipPath", "mask"}  # content drawn where it is used
_NOT_DRAWN = {"title", "desc", "metadata", "style", "script"}
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SIMPLE_SELECTOR = re.compile(r"^(\*|[A-Za-z][\w-]*)?(?:([.#])([\w-]+))?$")


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

    styles_to_attributes(root)
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


def presentation_attributes(svg: str) -> str:
    """An <svg> element string with its CSS moved into presentation attributes (see the module docstring);
    the input unchanged when it is not well-formed XML."""
    try:
        root = etree.fromstring(svg.strip().encode(), _PARSER)  # noqa: S320 - hardened parser, own charts
    except (etree.XMLSyntaxError, ValueError):
        return svg
    styles_to_attributes(root)
    return etree.tostring(root, encoding="unicode")


def styles_to_attributes(root: etree._Element) -> None:
    """Replace every `style` attribute and `<style>` element under root by presentation attributes.

    The cascade is kept: a `<style>` rule overrides an element's own presentation attribute, an inline
    style overrides both. Selectors other than `*`, a tag name, `.class` and `#id` (optionally after a tag)
    are dropped with their rule; properties that are not presentation attributes are dropped (a chart drawn
    by our own code uses none)."""
    rules: list[tuple[tuple[int, int, int], int, tuple[str, str, str], dict[str, str]]] = []
    sheets = [el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "style"]
    for index, style in enumerate(sheets):
        rules.extend(_parse_rules(style.text or "", start=index * 100_000))
        style.getparent().remove(style)
    rules.sort(key=lambda rule: (rule[0], rule[1]))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local_name = etree.QName(element).localname
        declarations: dict[str, str] = {}
        if local_name not in _NOT_DRAWN:
            for _specificity, _order, selector, block in rules:
                if _matches(element, local_name, selector):
                    declarations.update(block)
        inline = element.attrib.pop("style", None)
        if inline:
            declarations.update(_declarations(inline))
        for name, value in declarations.items():
            element.set(name, value)
    _drop_inherited_duplicates(root)


def _drop_inherited_duplicates(element: etree._Element, inherited: dict[str, str] | None = None) -> None:
    """A rule like `*{stroke-linejoin: round}` puts the value on every element; where an element inherits
    the same value anyway, its copy changes nothing and is dropped. Content under <defs> and the like is
    left alone: it inherits from where it is used, not from its parent."""
    if inherited is None:
        inherited = {name: value for name, value in element.attrib.items() if name in PRESENTATION_ATTRIBUTES}
    for child in element:
        if not isinstance(child.tag, str) or etree.QName(child).localname in _REUSED:
            continue
        computed = dict(inherited)
        for name in list(child.attrib):
            if name not in PRESENTATION_ATTRIBUTES or name in _NOT_INHERITED:
                continue
            if inherited.get(name) == child.get(name):
                del child.attrib[name]
            else:
                computed[name] = child.get(name)
        _drop_inherited_duplicates(child, computed)


def _parse_rules(css: str, start: int):
    css = _IMPORT.sub("", _CSS_COMMENT.sub("", css))  # stylesheets are never loaded from elsewhere
    for order, chunk in enumerate(css.split("}"), start=start):
        if "{" not in chunk:
            continue
        selectors, body = chunk.split("{", 1)
        block = _declarations(body)
        for selector in selectors.split(","):
            match = _SIMPLE_SELECTOR.match(selector.strip())
            if not match or not selector.strip():
                continue
            tag, kind, name = match.group(1) or "*", match.group(2) or "", match.group(3) or ""
            specificity = (int(kind == "#"), int(kind == "."), int(tag != "*"))
            yield specificity, order, (tag, kind, name), block


def _matches(element: etree._Element, local_name: str, selector: tuple[str, str, str]) -> bool:
    tag, kind, name = selector
    if tag != "*" and tag != local_name:
        return False
    if kind == "#":
        return element.get("id") == name
    if kind == ".":
        return name in (element.get("class") or "").split()
    return True


def _declarations(text: str) -> dict[str, str]:
    out = {}
    for declaration in text.split(";"):
        name, sep, value = declaration.partition(":")
        name, value = name.strip().lower(), value.replace("!important", "").strip()
        if sep and value and name in PRESENTATION_ATTRIBUTES:
            out[name] = value
    return out
