"""No personnummer gets in through any web form. The pages come from the URL resolver: every page without an
id, and every create/edit page with one (its object made by the tenant-isolation case). Each page that shows
a coordinator a POST form with a declared free-text field (FREE_TEXT_FIELDS of any model) is filled as a
person would (its values as they stand, a first choice where one is required), with a valid-checksum
personnummer written into every such field, and sent back. Afterwards no text column of any model holds it,
and the placeholder shows the form did write. The other routes (plan import JSON/XLSX, local CSV, commands,
admin) are tried per app in test_pii_routes.py; the write path itself field by field in test_free_text.py."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from trygg.accounts import writes
from trygg.accounts.models import Role, Unit
from trygg.conftest import make_user
from trygg.situation.tests.tenancy_cases import _place
from trygg.tests.stored_text import stored_texts_where
from trygg.tests.test_tenant_isolation import CASES

PERSONNUMMER = "19811218-9876"
REDACTED = "[borttaget: personnummer]"
LATER = (timezone.localdate() + dt.timedelta(days=30)).isoformat()  # a date a form accepts as "to come"
# The number as sent and as any normalising step might store it (machine columns such as digests are
# searched for these, not with find_pii, which could see a personnummer in random hex).
WRITTEN_FORMS = (PERSONNUMMER, PERSONNUMMER.replace("-", ""), PERSONNUMMER[2:])
FREE_TEXT_NAMES = {
    name
    for model in apps.get_models()
    if model.__module__.startswith("trygg.")
    for name in writes.free_text_fields(model)
}


def _urls_without_parameters(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _urls_without_parameters(
                    entry, ":".join(n for n in (namespace, entry.namespace) if n)
                )
        elif entry.name and not entry.pattern.regex.groups:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


# Pages with an object id that may hold a form (from the tenancy cases), and every page without an id.
FORM_URLS = sorted(
    {name for name in CASES if name.endswith(("_edit", "_create"))} | set(_urls_without_parameters())
)


class PostForm(HTMLParser):
    """The fields of the page's first POST form with a free-text field, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_multiple = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action"), "data": {}, "multi": {}, "texts": set(), "options": {}}
        if self._form is None:
            return
        if tag == "option" and self._select:
            value = a.get("value", "")
            self._form["options"].setdefault(self._select, []).append(value)
            if "selected" in a:
                if self._select_multiple:
                    self._form["multi"].setdefault(self._select, []).append(value)
                else:
                    self._form["data"][self._select] = value
            return
        if not a.get("name") or "disabled" in a:
            return
        if tag == "button" and (a.get("type") or "submit") == "submit":
            # The main button (not a secondary one such as "Förhandsgranska" or "Föreslå …").
            if "formnovalidate" not in a and "secondary" not in (a.get("class") or ""):
                self._form.setdefault("submit", (a["name"], a.get("value", "")))
            return
        data, name = self._form["data"], a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if kind == "radio":  # a required choice; a checkbox is a free yes/no or a multiple choice
                    self._form["options"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self._form["multi"].setdefault(name, []).append(a.get("value", "on"))
            elif kind == "submit" and "formnovalidate" not in a and "secondary" not in (a.get("class") or ""):
                self._form.setdefault("submit", (name, a.get("value", "")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                data[name] = a.get("value", "")
                if kind == "date" and not data[name]:
                    data[name] = LATER  # what a person would pick for a required date
                elif kind == "number" and not data[name]:
                    data[name] = a.get("min") or "1"
                elif kind in ("text", "search") and a.get("inputmode") != "decimal":
                    self._form["texts"].add(name)
        elif tag == "textarea":
            self._textarea, data[name] = name, ""
            self._form["texts"].add(name)
        elif tag == "select":
            self._select, self._select_multiple = name, "multiple" in a
            if not self._select_multiple:
                data[name] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["data"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def form_on(html: str) -> dict | None:
    parser = PostForm()
    parser.feed(html)
    for form in parser.forms:
        if form["texts"] & FREE_TEXT_NAMES:
            return form
    return None


def stored_personnummer() -> list[str]:
    return stored_texts_where(lambda text: any(form in text for form in WRITTEN_FORMS), include_json=True)


def redacted_count() -> int:
    count = 0
    for model in apps.get_models():
        for name in writes.free_text_fields(model):
            count += model._default_manager.filter(**{f"{name}__contains": REDACTED}).count()
    return count


def _point(municipality) -> dict:
    from shapely.geometry import shape

    point = shape(municipality.geometry).representative_point()
    return {"lat": str(point.y).replace(".", ","), "lon": str(point.x)}


# What a person must choose beyond the first option of each list (a kind that needs no linked record, a point).
CHOICES = {
    "assessments:evidence_create": lambda m: {"kind": "text"},
    "walks:finding_create": _point,
    "places:place_create": _point,
    "indicators:local_figures": lambda m: {"code": "samtal"},
}


@pytest.mark.parametrize("url_name", FORM_URLS)
def test_no_web_form_stores_a_personnummer(client, municipality, url_name):
    url = reverse(url_name, kwargs=CASES[url_name](municipality) if url_name in CASES else {})
    # What the forms offer to choose from: a responsible unit, a place, an assessment for an action plan.
    Unit.objects.get_or_create(municipality=municipality, name="Fältgruppen")
    _place(municipality)
    if not url_name.startswith("assessments:assessment"):
        CASES["assessments:assessment_detail"](municipality)
    client.force_login(make_user("samordnare-pnr", Role.COORDINATOR, municipality=municipality))
    page = client.get(url)
    if url_name in CASES:
        assert page.status_code == 200, f"{url_name}: {page.status_code}"
    form = form_on(page.content.decode()) if page.status_code == 200 else None
    if form is None:
        pytest.skip("no form with a free-text field for a coordinator here")  # a list, a delete confirmation
    data, multi = dict(form["data"]), dict(form["multi"])
    if "submit" in form:
        data.setdefault(*form["submit"])
    for name, options in form["options"].items():  # a required choice left empty: the first real one
        chosen = [o for o in options if o]
        if chosen and not data.get(name) and not multi.get(name):
            if name in data:
                data[name] = chosen[0]
            else:
                multi[name] = chosen[:1]
    filled = sorted(form["texts"] & FREE_TEXT_NAMES)
    data.update(CHOICES.get(url_name, lambda m: {})(municipality))
    for name in filled:
        data[name] = f"Ring {PERSONNUMMER} ({name})"
    before = redacted_count()
    response = client.post(form["action"] or url, {**data, **multi})
    assert response.status_code in (200, 302), f"{url}: {response.status_code}"
    assert stored_personnummer() == [], f"{url_name} stored a personnummer ({filled})"
    form_errors = (
        response.context.get("form").errors if response.context and response.context.get("form") else {}
    )
    assert redacted_count() > before, (
        f"{url_name}: the form did not save (fields {filled}; {dict(form_errors)}); the test would prove nothing"
    )
