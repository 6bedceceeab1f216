"""Form fields that turn junk into Swedish validation errors (trygg.lib.formfields)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from trygg.accounts.models import User
from trygg.lib.formfields import (
    BoundedDateField,
    BoundedDateTimeField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    parse_pk,
    safe_formfield,
)

MESSAGE = "Ange ett datum mellan 1990-01-01 och 2100-12-31."
HUGE = "99999999999999999999"


@pytest.mark.parametrize("value", ["1990-01-01", "2024-02-29", "2100-12-31"])
def test_dates_from_1990_to_2100_are_accepted(value):
    assert BoundedDateField().clean(value) == dt.date.fromisoformat(value)


@pytest.mark.parametrize("value", ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_1990_to_2100_are_refused_in_swedish(value):
    with pytest.raises(ValidationError) as info:
        BoundedDateField().clean(value)
    assert info.value.messages == [MESSAGE]


@pytest.mark.parametrize("value", ["0001-01-01T00:30", "1989-12-31T23:59", "9999-12-31T23:59"])
def test_datetimes_outside_the_range_are_refused_before_any_time_zone_overflow(value):
    field = BoundedDateTimeField(input_formats=["%Y-%m-%dT%H:%M"])
    with pytest.raises(ValidationError) as info:
        field.clean(value)
    assert info.value.messages == [MESSAGE]


def test_a_datetime_on_the_first_allowed_day_is_accepted_and_made_aware():
    value = BoundedDateTimeField(input_formats=["%Y-%m-%dT%H:%M"]).clean("1990-01-01T00:30")
    assert value.tzinfo is not None and value.date() == dt.date(1990, 1, 1)


@pytest.mark.parametrize(("raw", "pk"), [("12", 12), (" 7 ", 7), (str(2**63 - 1), 2**63 - 1)])
def test_parse_pk_reads_ids_that_fit_a_64_bit_column(raw, pk):
    assert parse_pk(raw) == pk


@pytest.mark.parametrize("raw", ["", "abc", "0", "-3", "1.5", "²", "١٢", HUGE, str(2**63)])
def test_parse_pk_refuses_everything_else(raw):
    assert parse_pk(raw) is None


@pytest.mark.django_db
def test_a_choice_id_too_big_for_the_database_is_an_invalid_choice():
    field = SafeModelChoiceField(queryset=Group.objects.all())
    with pytest.raises(ValidationError) as info:
        field.clean(HUGE)
    assert info.value.code == "invalid_choice"
    group = Group.objects.create(name="Samverkan")
    assert field.clean(str(group.pk)) == group


@pytest.mark.django_db
def test_a_multiple_choice_id_too_big_for_the_database_is_an_invalid_value():
    group = Group.objects.create(name="Samverkan")
    field = SafeModelMultipleChoiceField(queryset=Group.objects.all())
    with pytest.raises(ValidationError) as info:
        field.clean([str(group.pk), HUGE])
    assert info.value.messages == [f"\u201c{HUGE}\u201d är inte ett giltigt värde."]
    assert list(field.clean([str(group.pk)])) == [group]


def test_safe_formfield_gives_model_forms_the_safe_fields():
    form_class = modelform_factory(
        User, fields=["date_joined", "groups", "organisation"], formfield_callback=safe_formfield
    )
    fields = form_class.base_fields
    assert isinstance(fields["date_joined"], BoundedDateTimeField)
    assert isinstance(fields["groups"], SafeModelMultipleChoiceField)
    assert isinstance(fields["organisation"], SafeModelChoiceField)


def test_safe_formfield_keeps_a_widget_given_in_meta():
    form_class = modelform_factory(
        User,
        fields=["date_joined"],
        formfield_callback=safe_formfield,
        widgets={"date_joined": forms.TextInput},
    )
    assert isinstance(form_class.base_fields["date_joined"].widget, forms.TextInput)


@pytest.mark.parametrize(
    ("raw", "value"), [("57,8745", 57.8745), ("57.8745", 57.8745), (" 6 420 000,5 ", 6420000.5), ("", None)]
)
def test_float_fields_accept_a_decimal_comma(raw, value):
    from trygg.lib.formfields import DecimalCommaFloatField

    assert DecimalCommaFloatField(required=False).clean(raw) == value


@pytest.mark.parametrize("raw", ["57,87,1", "NaN", "inf", "abc"])
def test_float_fields_refuse_what_is_not_a_number_in_swedish(raw):
    from trygg.lib.formfields import DecimalCommaFloatField

    with pytest.raises(ValidationError) as error:
        DecimalCommaFloatField().clean(raw)
    assert "tal" in str(error.value)


def test_model_forms_get_the_decimal_comma_field_for_float_columns():
    from django import forms as django_forms

    from trygg.lib.formfields import DecimalCommaFloatField, safe_formfield
    from trygg.places.models import Place

    class PlaceForm(django_forms.ModelForm):
        class Meta:
            model = Place
            formfield_callback = safe_formfield
            fields = ["lat", "lon"]

    form = PlaceForm()
    assert isinstance(form.fields["lat"], DecimalCommaFloatField)
    assert 'inputmode="decimal"' in str(form["lat"])
