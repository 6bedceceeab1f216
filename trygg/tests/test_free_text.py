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
