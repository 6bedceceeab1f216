"""The one write path for domain data. Every ``do_*`` function in an app's ``actions.py`` ends here, whatever
the route (web form, import, management command, admin, demo loader):

- every text value is cleaned (NUL and bidi controls removed, ``\\n`` line endings, :mod:`trygg.lib.text`);
- personal data is redacted in the model's declared free-text fields (``FREE_TEXT_FIELDS``, a mapping of field
  name to the Swedish definite form used in messages: ``{"title": "rubriken"}``); the message says why in the
  model's words (``PERSONAL_DATA_REASON``, e.g. "personuppgifter hör inte hemma i lägesbilden.");
- text lengths are checked against the column (``max_length``, or :data:`TEXT_MAX` for a TextField), so an
  import cannot store what a form would refuse;
- the old values are read from the database (locked), not from the instance a form may already have changed,
  so the audit row holds the true before/after of the changed fields; nothing is saved or audited when nothing
  changed;
- existing rows are saved with ``update_fields``.

Callers wrap several writes in ``transaction.atomic`` when they belong together; each function here is atomic
on its own.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from trygg.lib.pii import PiiFinding, explain, join_sv, redact
from trygg.lib.text import clean_text

from .audit import record_audit

# The longest text a form accepts in a TextField, and so the longest any route may store.
TEXT_MAX = 20_000
# Why personal data was removed, unless the model says it better (PERSONAL_DATA_REASON).
DEFAULT_REASON = "personuppgifter ska inte sparas i Trygg."


class WriteError(ValueError):
    """A write was refused; the message is Swedish and meant for the user."""


@dataclass
class Written:
    obj: models.Model
    changes: dict[str, list] = field(default_factory=dict)
    findings: list[PiiFinding] = field(default_factory=list)
    explanation: str = ""  # Swedish: the personal data that was removed, "" when none
    created: bool = False


def free_text_fields(model: type[models.Model]) -> Mapping[str, str]:
    return getattr(model, "FREE_TEXT_FIELDS", {})


def _field(model: type[models.Model], name: str) -> models.Field:
    opts = model._meta
    try:
        return opts.get_field(name)
    except Exception:
        for f in opts.concrete_fields:
            if f.attname == name:
                return f
        raise


def text_limit(f: models.Field) -> int | None:
    if isinstance(f, models.TextField):
        return f.max_length or TEXT_MAX
    return getattr(f, "max_length", None)


def clean_values(model: type[models.Model], values: Mapping[str, Any]) -> tuple[dict, list[PiiFinding], str]:
    """The values ready to store, the personal data found, and a Swedish explanation of what was removed.
    Raises WriteError (Swedish, naming the field) for a text that is too long."""
    declared = free_text_fields(model)
    cleaned: dict[str, Any] = {}
    findings: list[PiiFinding] = []
    where_found: list[str] = []
    for name, value in values.items():
        if isinstance(value, str):
            f = _field(model, name)
            value = clean_text(value)
            if name in declared:
                result = redact(value.strip())
                value = result.text
                if result.findings:
                    findings += result.findings
                    where_found.append(declared[name])
            limit = text_limit(f)
            if limit is not None and len(value) > limit:
                raise WriteError(
                    f"{str(f.verbose_name).capitalize()} får vara högst {limit} tecken "
                    f"(texten har {len(value)} tecken{' när personuppgifterna tagits bort' if name in declared else ''})."
                )
        cleaned[name] = value
    reason = getattr(model, "PERSONAL_DATA_REASON", DEFAULT_REASON)
    return cleaned, findings, explain(findings, where=join_sv(where_found), reason=reason) if findings else ""


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()  # the same moment compares equal in any zone
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def _audit_name(model: type[models.Model], suffix: str) -> str:
    return f"{model._meta.model_name}.{suffix}"


def _m2m_ids(items: Iterable) -> list:
    return sorted(getattr(item, "pk", item) for item in items)


@transaction.atomic
def create(
    model: type[models.Model],
    values: Mapping[str, Any],
    *,
    acting_user,
    action: str = "",
    m2m: Mapping[str, Iterable] | None = None,
) -> Written:
    """Create a row; the audit row lists every field given (old value None) and the many-to-many ids."""
    cleaned, findings, explanation = clean_values(model, values)
    obj = model(**cleaned)
    obj.save(force_insert=True)
    changes = {}
    for name in cleaned:
        f = _field(model, name)
        new = _json(getattr(obj, f.attname))
        if new not in (None, ""):
            changes[f.name] = [None, new]
    for name, items in (m2m or {}).items():
        ids = _m2m_ids(items)
        getattr(obj, name).set(ids)
        if ids:
            changes[name] = [[], ids]
    record_audit(acting_user, action or _audit_name(model, "create"), obj, changes)
    return Written(obj, changes, findings, explanation, created=True)


@transaction.atomic
def update(
    obj: models.Model,
    values: Mapping[str, Any],
    *,
    acting_user,
    action: str = "",
    m2m: Mapping[str, Iterable] | None = None,
) -> Written:
    """Update the given fields of an existing row; one audit row with the true old and new values of the
    fields that changed (none, and no save, when nothing did)."""
    model = type(obj)
    cleaned, findings, explanation = clean_values(model, values)
    fields = {name: _field(model, name) for name in cleaned}
    stored = model._default_manager.select_for_update().filter(pk=obj.pk)
    before = stored.values(*{f.attname for f in fields.values()}).get() if fields else {}
    changes: dict[str, list] = {}
    for name, value in cleaned.items():
        f = fields[name]
        setattr(obj, name, value)
        old, new = before[f.attname], getattr(obj, f.attname)
        if _json(old) != _json(new):
            changes[f.name] = [_json(old), _json(new)]
    if changes:
        auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=[*changes, *auto_now])
    for name, items in (m2m or {}).items():
        ids = _m2m_ids(items)
        old_ids = sorted(getattr(obj, name).values_list("pk", flat=True))
        if ids != old_ids:
            getattr(obj, name).set(ids)
            changes[name] = [old_ids, ids]
    if changes:
        record_audit(acting_user, action or _audit_name(model, "update"), obj, changes)
    return Written(obj, changes, findings, explanation)


@transaction.atomic
def delete(obj: models.Model, *, acting_user, action: str = "") -> dict[str, list]:
    """Delete a row; the audit row keeps its non-empty values (old) so the deletion can be traced."""
    model = type(obj)
    changes = {}
    for f in model._meta.concrete_fields:
        old = _json(getattr(obj, f.attname))
        if old not in (None, "") and not f.primary_key:
            changes[f.name] = [old, None]
    record_audit(acting_user, action or _audit_name(model, "delete"), obj, changes)
    obj.delete()
    return changes
