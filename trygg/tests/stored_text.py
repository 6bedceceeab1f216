"""Scans of what the database holds, for the tests that check no unsafe text got in by any route."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import models


def stored_texts_where(matches: Callable[[str], bool], *, include_json: bool = False) -> list[str]:
    """``model#pk.column`` of every value in a text column (and JSON column, as its text, with
    ``include_json``) of every Trygg model for which ``matches`` is true."""
    kinds = (
        (models.CharField, models.TextField, models.JSONField)
        if include_json
        else (models.CharField, models.TextField)
    )
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("trygg."):
            continue
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, kinds) and (include_json or not isinstance(f, models.JSONField))
        ]
        for pk, *values in model._default_manager.values_list("pk", *columns):
            found += [
                f"{model._meta.label}#{pk}.{name}"
                for name, value in zip(columns, values, strict=True)
                if value is not None and (include_json or isinstance(value, str)) and matches(str(value))
            ]
    return found
