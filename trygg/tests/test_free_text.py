"""Every free-text field of every model is declared (FREE_TEXT_FIELDS), and the one write path keeps a
valid personnummer, NUL and bidi controls out of each of them. The routes that reach the write path (web
forms, plan import JSON/XLSX, local CSV import, commands, admin) are tested per app in test_pii_routes.py."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from trygg.accounts import writes
from trygg.lib.pii import find_pii

PERSONNUMMER = "19811218-9876"

# Text columns that are not free text a person writes: codes, identifiers, machine-made values.
NOT_FREE_TEXT = {
    "accounts.auditevent": "the audit trail itself (written by record_audit from already-redacted values)",
}


def _trygg_models():
    return [m for m in apps.get_models() if m.__module__.startswith("trygg.")]


def _text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.TextField)
        and not isinstance(f, models.JSONField)
        and f.name not in getattr(model, "NOT_FREE_TEXT", ())
    ]


def test_every_text_field_is_declared_free_text():
    undeclared = []
    for model in _trygg_models():
        if model._meta.label_lower in NOT_FREE_TEXT:
            continue
        declared = set(writes.free_text_fields(model))
        undeclared += [f"{model._meta.label}.{f.name}" for f in _text_fields(model) if f.name not in declared]
    assert not undeclared, f"TextFields missing from FREE_TEXT_FIELDS: {undeclared}"


def test_declared_fields_exist():
    for model in _trygg_models():
        for name in writes.free_text_fields(model):
            model._meta.get_field(name)  # raises FieldDoesNotExist


# Short text columns (CharField) that are not free text, each with its reason. A new CharField without choices
# must be declared in its model's FREE_TEXT_FIELDS or named here: otherwise a title or name could be added
# that no route redacts.
IDENTIFIERS = "an identifier or reference number (diarienummer, code), not prose"
MACHINE = "written by Trygg itself, never typed or imported as text"
REFERENCE = "reference data from the bundled SCB/Valmyndigheten lists"
NOT_FREE_TEXT_CHARS = {
    "accounts.User.password": MACHINE,
    "accounts.User.username": "the account's login name (a user account is about a named person)",
    "accounts.User.first_name": "the account holder's own name",
    "accounts.User.last_name": "the account holder's own name",
    "accounts.User.oidc_subject": "the identity provider's subject id",
    "plans.Program.diary_number": IDENTIFIERS,
    "plans.Plan.diary_number": IDENTIFIERS,
    "plans.StatusChange.source": MACHINE,
    "indicators.Region.code": REFERENCE,
    "indicators.Region.name": REFERENCE,
    "indicators.Region.short_name": REFERENCE,
    "indicators.Region.group": "SKR's municipality group, derived from imported figures",
    "indicators.Region.population_period": MACHINE,
    "indicators.Indicator.code": IDENTIFIERS,
    "indicators.Observation.period": "a period parsed from a statistics file (”2023”, ”2022–2023”)",
    "indicators.Observation.breakdown": "a statistics file's dimension labels (”kön=kvinnor”), cleaned on import",
    "places.Municipality.code": REFERENCE,
    "places.Municipality.name": REFERENCE,
    "places.Municipality.county_code": REFERENCE,
    "places.Municipality.county_name": REFERENCE,
    "places.Municipality.source": REFERENCE,
    "situation.Category.police_types": "Polisen's event type names mapped to the category (taxonomy)",
    "situation.Incident.redacted_kinds": MACHINE,
    "situation.Incident.external_id": IDENTIFIERS,
    "situation.CameraSite.imy_reference": IDENTIFIERS,
    "walks.Photo.content_type": MACHINE,
    "walks.Photo.sha256": MACHINE,
    "dialog.Submission.receipt": MACHINE,
    "dialog.Submission.redacted_kinds": MACHINE,
    "assessments.ActionPlan.diary_number": IDENTIFIERS,
    "assessments.CouncilReport.diary_number": IDENTIFIERS,
    "assessments.CoordinationFunction.phone": "the function's public switchboard number, published on purpose",
    "assessments.CoordinationFunction.address": "the function's public postal address, published on purpose",
    "publishing.ApiToken.digest": MACHINE,
    "publishing.ApiToken.hint": MACHINE,
}


def _short_text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField)
        and not f.choices
        and not isinstance(f, models.SlugField | models.EmailField | models.URLField)
    ]


def test_every_short_text_field_is_declared_free_text_or_classified():
    undeclared = []
    for model in _trygg_models():
        if model._meta.label_lower in NOT_FREE_TEXT:
            continue
        declared = set(writes.free_text_fields(model))
        undeclared += [
            f"{model._meta.label}.{f.name}"
            for f in _short_text_fields(model)
            if f.name not in declared and f"{model._meta.label}.{f.name}" not in NOT_FREE_TEXT_CHARS
        ]
    assert not undeclared, f"CharFields neither in FREE_TEXT_FIELDS nor in NOT_FREE_TEXT_CHARS: {undeclared}"


def test_the_classified_fields_exist_and_are_not_also_declared():
    for label in NOT_FREE_TEXT_CHARS:
        app_model, name = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        model._meta.get_field(name)  # raises FieldDoesNotExist for a stale entry
        assert name not in writes.free_text_fields(model), label


FIELDS = [(m, name) for m in _trygg_models() for name in writes.free_text_fields(m)]


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m._meta.label}.{n}" for m, n in FIELDS])
def test_write_path_redacts_every_declared_field(model, name):
    limit = writes.text_limit(model._meta.get_field(name)) or 100
    text = f"Ring\u202e {PERSONNUMMER}\x00 ok"[: max(limit, 0)]
    cleaned, findings, explanation = writes.clean_values(model, {name: text})
    assert find_pii(cleaned[name]) == []
    assert PERSONNUMMER not in cleaned[name]
    assert "\x00" not in cleaned[name] and "\u202e" not in cleaned[name]
    assert findings and "personnummer" in explanation
