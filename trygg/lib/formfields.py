"""Form fields that turn whatever a browser sends into a Swedish validation error, never a server error.

- Dates and datetimes must lie in DATE_MIN … DATE_MAX (1990-01-01 … 2100-12-31). Outside that range date
  arithmetic overflows (the day after 9999-12-31) and so does the conversion to UTC (0001-01-01 00:30 in
  Stockholm lies before year 1 in UTC); no lägesbild or plan data belongs there anyway.
- Choices of model rows accept only ids that fit a signed 64-bit column: a bigger number makes SQLite raise
  OverflowError where it should say "no such row".
- Numbers accept a decimal comma ("57,8745") as well as a point (:class:`DecimalCommaFloatField`).
- :func:`safe_formfield` is a ``ModelForm`` ``Meta.formfield_callback`` that gives every date, datetime,
  float, foreign-key and many-to-many field of the model these classes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import NotANumber, parse_decimal

DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
PK_MAX = 2**63 - 1

DATE_RANGE_MESSAGE = _("Ange ett datum mellan 1990-01-01 och 2100-12-31.")


def check_date_range(value: dt.date) -> None:
    """Raise ValidationError (Swedish) unless the date, or a datetime's wall-clock date, is in range."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


class BoundedDateField(forms.DateField):
    def to_python(self, value: Any) -> dt.date | None:
        result = super().to_python(value)
        if result is not None:
            check_date_range(result)
        return result


class BoundedDateTimeField(forms.DateTimeField):
    def to_python(self, value: Any) -> dt.datetime | None:
        try:
            result = super().to_python(value)
        except OverflowError:  # making a far-off wall-clock time aware
            raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range") from None
        if result is not None:
            check_date_range(result)
        return result


def parse_pk(raw: str) -> int | None:
    """A row id from a URL parameter: ASCII digits only, 1 … 2**63 − 1; None for anything else."""
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if 1 <= number <= PK_MAX else None


def _pk_out_of_range(value: Any) -> bool:
    """True for an integer (or integer string) that no 64-bit id column can hold. Other junk is left to
    Django, which already reports it as an invalid choice."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not 1 <= number <= PK_MAX


class DecimalCommaFloatField(forms.FloatField):
    """A number written the Swedish way ("57,8745") or the English way ("57.8745"). A text input with a
    decimal keyboard: a number input would drop what the browser's locale cannot parse."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> float | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = float(parse_decimal(value))
        except NotANumber as exc:
            raise ValidationError(str(exc), code="invalid") from None
        if number != number or number in (
            float("inf"),
            float("-inf"),
        ):  # pragma: no cover - parse_decimal refuses
            raise ValidationError(_("Ange ett ändligt tal."), code="invalid")
        return number

    def widget_attrs(self, widget: forms.Widget) -> dict:
        # FloatField adds step="any" for a number input; a text input takes no step.
        return {k: v for k, v in super().widget_attrs(widget).items() if k != "step"}


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any):
        if not self.to_field_name and isinstance(value, str | int) and _pk_out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if not self.to_field_name and isinstance(value, list | tuple):
            for pk in value:
                if isinstance(pk, str | int) and _pk_out_of_range(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def safe_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """``Meta.formfield_callback`` for ModelForms: the fields above for dates, datetimes and relations."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    elif isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", BoundedDateField)
    elif isinstance(db_field, models.FloatField):
        kwargs.setdefault("form_class", DecimalCommaFloatField)
    return db_field.formfield(**kwargs)
