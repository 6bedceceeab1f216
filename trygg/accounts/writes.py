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
- existing rows are saved with ``update_fields``;
- optimistic locking: an edit form carries the values it was based on (:func:`snapshot`, signed into a hidden
  field by :func:`base_token`); ``update(..., base=...)`` writes only the fields the user changed and refuses
  (:class:`StaleWrite`, Swedish, naming what changed meanwhile) when someone else changed one of those same
  fields after the form was opened. A change by someone else to a field the user left alone is kept.

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

from django.core import signing
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


class StaleWrite(WriteError):
    """Someone else changed the same fields after the form was opened; nothing was written.
    ``conflicts`` maps field name to (value when the form was opened, value now), as stored (JSON) values."""

    def __init__(self, message: str, conflicts: dict[str, tuple[Any, Any]]):
        super().__init__(message)
        self.conflicts = conflicts


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


# --- Optimistic locking -----------------------------------------------------------------------------------

_BASE_SALT = "trygg.writes.base"
_SKIPPED = (models.AutoField, models.BigAutoField)


def snapshot(obj: models.Model, *, m2m: Iterable[str] = ()) -> dict[str, Any]:
    """The stored values of a row as an edit form shows them: every concrete field (JSON form) and the ids
    of the named many-to-many fields. ``{}`` for an unsaved object."""
    if obj.pk is None:
        return {}
    values = {
        f.name: _json(getattr(obj, f.attname))
        for f in type(obj)._meta.concrete_fields
        if not isinstance(f, _SKIPPED) and not getattr(f, "auto_now", False)
    }
    for name in m2m:
        values[name] = _m2m_ids(getattr(obj, name).all())
    return values


def base_token(values: Mapping[str, Any]) -> str:
    """A signed, compact token of the values a form was based on (the hidden field of an edit form)."""
    return signing.dumps({k: _json(v) for k, v in values.items()}, salt=_BASE_SALT, compress=True)


def read_base_token(token: str) -> dict[str, Any] | None:
    """The values of a token from :func:`base_token`; None for an empty token (no check is made).
    A token that has been tampered with or cut off is refused."""
    if not token:
        return None
    try:
        return signing.loads(token, salt=_BASE_SALT)
    except signing.BadSignature:
        raise WriteError("Formuläret kunde inte läsas. Ladda om sidan och gör ändringen igen.") from None


def _shown(model: type[models.Model], name: str, value: Any) -> str:
    """A stored (JSON) value as the user knows it: the choice label, the related object's name, Ja/Nej."""
    if value in (None, "", []):
        return "(tomt)"
    try:
        f = _field(model, name)
    except Exception:
        return str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if f.is_relation and f.related_model is not None:
        ids = value if isinstance(value, list) else [value]
        names = [str(o) for o in f.related_model._default_manager.filter(pk__in=ids)]
        return ", ".join(sorted(names)) or "(tomt)"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def stale_message(model: type[models.Model], conflicts: Mapping[str, tuple[Any, Any]]) -> str:
    parts = []
    for name, (then, now) in conflicts.items():
        try:
            label = str(_field(model, name).verbose_name)
        except Exception:
            label = name
        parts.append(f"{label}: ”{_shown(model, name, then)}” har ändrats till ”{_shown(model, name, now)}”")
    return (
        "Någon annan har ändrat samma uppgifter medan du hade formuläret öppet, så dina ändringar sparades inte. "
        + "; ".join(parts)
        + ". Kontrollera uppgifterna och spara igen."
    )


def three_way(base: Mapping[str, Any] | None, stored: Mapping[str, Any], new: Mapping[str, Any]):
    """(fields to write, conflicts) for JSON values: a field the user left as it was (new == base) is not
    written; a field the user changed that someone else also changed to something else is a conflict."""
    if base is None:
        return dict(new), {}
    write, conflicts = {}, {}
    for name, value in new.items():
        if name not in base:
            write[name] = value
        elif value == base[name]:
            continue
        elif stored.get(name) != base[name] and stored.get(name) != value:
            conflicts[name] = (base[name], stored.get(name))
        else:
            write[name] = value
    return write, conflicts


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
    written = insert_cleaned(model, cleaned, acting_user=acting_user, action=action, m2m=m2m)
    written.findings, written.explanation = findings, explanation
    return written


@transaction.atomic(savepoint=False)  # nested in a caller's transaction: no savepoint round trips
def insert_cleaned(
    model: type[models.Model],
    cleaned: Mapping[str, Any],
    *,
    acting_user,
    action: str = "",
    m2m: Mapping[str, Iterable] | None = None,
) -> Written:
    """:func:`create` for values that :func:`clean_values` has already cleaned and redacted (a caller that
    needs the findings before it writes, e.g. to store the kinds removed, so no text is scanned twice)."""
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
    return Written(obj, changes, created=True)


@transaction.atomic
def update(
    obj: models.Model,
    values: Mapping[str, Any],
    *,
    acting_user,
    action: str = "",
    m2m: Mapping[str, Iterable] | None = None,
    base: Mapping[str, Any] | None = None,
) -> Written:
    """Update the given fields of an existing row; one audit row with the true old and new values of the
    fields that changed (none, and no save, when nothing did). With ``base`` (the :func:`snapshot` the form
    was opened with) only the fields the user changed are written, and a conflicting change made meanwhile
    raises :class:`StaleWrite` before anything is written."""
    model = type(obj)
    cleaned, findings, explanation = clean_values(model, values)
    fields = {name: _field(model, name) for name in cleaned}
    stored = model._default_manager.select_for_update().filter(pk=obj.pk)
    before = stored.values(*{f.attname for f in fields.values()}).get() if fields else {}
    if base is not None:
        cleaned, m2m = _merge_with_base(obj, fields, cleaned, before, m2m or {}, base)
        fields = {name: fields[name] for name in cleaned}
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


def _merge_with_base(obj, fields, cleaned, before, m2m, base):
    model = type(obj)
    new_json = {name: _json(_as_stored(fields[name], value)) for name, value in cleaned.items()}
    stored_json = {name: _json(before[fields[name].attname]) for name in cleaned}
    m2m_ids = {name: _m2m_ids(items) for name, items in m2m.items()}
    for name in m2m_ids:
        stored_json[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    write, conflicts = three_way(base, stored_json, {**new_json, **m2m_ids})
    if conflicts:
        raise StaleWrite(stale_message(model, conflicts), conflicts)
    return (
        {name: value for name, value in cleaned.items() if name in write},
        {name: items for name, items in m2m.items() if name in write},
    )


def _as_stored(f: models.Field, value: Any) -> Any:
    """A value as the row will hold it: a related object as its id (compared with a snapshot's ids)."""
    if f.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


@transaction.atomic
def delete(obj: models.Model, *, acting_user, action: str = "") -> dict[str, list]:
    """Delete a row; the audit row keeps its non-empty values (old) so the deletion can be traced."""
    model = type(obj)
    changes = {}
    for f in model._meta.concrete_fields:
        if isinstance(f, models.BinaryField):
            continue  # bytes (a photo's data) are not an audit value
        old = _json(getattr(obj, f.attname))
        if old not in (None, "") and not f.primary_key:
            changes[f.name] = [old, None]
    record_audit(acting_user, action or _audit_name(model, "delete"), obj, changes)
    obj.delete()
    return changes
