"""Bounded, clean input across the importers, from the command line as an administrator runs them: a file whose
texts carry NUL and bidi controls (U+202A–U+202E, U+2066–U+2069) leaves none of them in any text column of any
model; a missing file is reported in Swedish by every import command; every number field of every form takes
the Swedish decimal comma. Each importer's own edge cases (XLSX bomb, cell limits, truncated JSON …) are tested
next to it: plans/tests/test_exchange_bounds.py, indicators/tests/test_clean_input.py, situation/tests/
test_polisen.py."""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import pytest
import yaml
from django import forms
from django.conf import settings
from django.core.management import CommandError, call_command

from trygg.indicators import actions as indicator_actions
from trygg.lib.formfields import DecimalCommaFloatField
from trygg.lib.text import BIDI_CONTROLS, has_unsafe_characters
from trygg.tests.stored_text import stored_texts_where

TRYGG = Path(__file__).resolve().parents[1]
ALE_PLAN = TRYGG / "demo" / "data" / "plans" / "ale_2025.yaml"
POLISEN_FILE = TRYGG.parents[1] / "shared" / "data" / "polisen_events_2023-12-31.json"
DIRTY = "\x00" + "".join(sorted(BIDI_CONTROLS))  # every character that must not be stored


def dirty(text: str) -> str:
    """`text` with NUL and every bidi control spread through it (each once)."""
    middle = len(text) // 2
    return text[:middle] + DIRTY + text[middle:]


def stored_unsafe_texts() -> list[str]:
    """Every value of every text column of every Trygg model that holds NUL or a bidi control."""
    return stored_texts_where(has_unsafe_characters)


def test_the_check_itself_sees_a_stored_control_character(municipality):
    from trygg.accounts.models import Unit

    Unit.objects.create(municipality=municipality, name="A\u202eB")  # bypasses the write path on purpose
    assert stored_unsafe_texts() == [f"accounts.Unit#{Unit.objects.get().pk}.name"]


def test_plan_import_command(other_municipality, tmp_path):
    doc = yaml.safe_load(ALE_PLAN.read_text(encoding="utf-8"))
    doc["plan"]["adopted_by"] = dirty("Kommunfullmäktige")
    for area in doc["areas"]:
        area["title"] = dirty(area["title"])
        area["description"] = dirty(area["description"])
    # NUL inside a JSON document is refused with a Swedish message (nothing written) …
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, default=str), encoding="utf-8")
    with pytest.raises(CommandError, match="otillåtna styrtecken"):
        call_command("import_plan", str(path))
    assert stored_unsafe_texts() == []
    # … and the bidi controls are removed from what is stored.
    path.write_text(json.dumps(doc, ensure_ascii=False, default=str).replace("\\u0000", ""), encoding="utf-8")
    call_command("import_plan", str(path))
    from trygg.plans.models import Area

    assert Area.objects.filter(plan__municipality=other_municipality).count() == len(doc["areas"])
    assert stored_unsafe_texts() == []


def test_local_figures_import_command(municipality, tmp_path):
    indicator_actions.do_seed_regions()
    path = tmp_path / "lokala.csv"
    path.write_text(
        "indikator;titel;region;år;värde;källa;beskrivning\n"
        f"LOKAL.samtal;{dirty('Samtal med unga')};1482;2023;3,5;{dirty('Fältgruppen')};{dirty('Antal samtal')}\n",
        encoding="utf-8",
    )
    call_command("import_indicators", "--kind", "local", "--municipality", "1482", str(path))
    from trygg.indicators.models import Observation

    assert Observation.objects.get(indicator__code="LOKAL.samtal").value == 3.5  # the decimal comma
    assert stored_unsafe_texts() == []


def test_national_statistics_import_command(db, tmp_path):
    indicator_actions.do_seed_regions()
    from trygg.indicators.tests.test_importers_properties import VALID_JSONSTAT

    js = copy.deepcopy(VALID_JSONSTAT)
    js["label"] = dirty(js["label"])
    path = tmp_path / "scb.json"
    path.write_text(json.dumps(js, ensure_ascii=False), encoding="utf-8")
    call_command("import_indicators", "--kind", "jsonstat", str(path))
    from trygg.indicators.models import Observation

    assert Observation.objects.exists()
    assert stored_unsafe_texts() == []


def test_police_events_import_command(municipality, tmp_path):
    from trygg.demo import places as demo_places
    from trygg.situation.models import Category, Incident
    from trygg.situation.taxonomy import seed_categories

    seed_categories(Category)
    demo_places.load(municipality, acting_user=None)
    feed = json.loads(POLISEN_FILE.read_text(encoding="utf-8"))
    event = next(e for e in feed if e["id"] == 479917)  # the file's one event in Kungälv
    event["summary"] = dirty(event["summary"])
    path = tmp_path / "polisen.json"
    path.write_text(json.dumps([event], ensure_ascii=False), encoding="utf-8")
    call_command("import_polisen", str(path))
    assert Incident.objects.filter(external_id__contains="479917").exists()
    assert stored_unsafe_texts() == []


ENGLISH = ("Errno", "No such file", "Traceback", "Expecting")


@pytest.mark.parametrize(
    "args",
    [
        ["import_plan", "{missing}.json"],
        ["import_plan", "{missing}.xlsx"],
        ["import_indicators", "--kind", "local", "--municipality", "1482", "{missing}.csv"],
        ["import_indicators", "--kind", "px", "{missing}.px"],
        ["import_polisen", "{missing}.json"],
        ["seed_kolada_catalogue", "{missing}.json"],
    ],
    ids=lambda args: " ".join(a for a in args if not a.startswith("{")),
)
def test_every_import_command_reports_a_missing_file_in_swedish(municipality, tmp_path, args):
    missing = str(tmp_path / "saknas")
    with pytest.raises(CommandError) as error:
        call_command(*[a.format(missing=missing) for a in args])
    message = str(error.value)
    assert "finns inte" in message and missing in message
    assert not any(word in message for word in ENGLISH), message


def _form_classes():
    for app in (name for name in settings.INSTALLED_APPS if name.startswith("trygg.")):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in info.name.split(".") for part in ("tests", "migrations", "management")):
                continue
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_number_field_of_every_form_takes_a_decimal_comma():
    classes = list(_form_classes())
    assert len(classes) > 20, "the walk found the forms"
    wrong = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.FloatField | forms.DecimalField)
        and not isinstance(field, DecimalCommaFloatField)
    ]
    assert not wrong, f"number fields that refuse ”3,5” (use lib.formfields.DecimalCommaFloatField): {wrong}"
    assert DecimalCommaFloatField().clean("3,5") == DecimalCommaFloatField().clean("3.5") == 3.5
