from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.accounts import tenancy
from trygg.accounts.models import Organisation, Unit
from trygg.lib.formfields import (
    BoundedDateField,
    DecimalCommaFloatField,
    SafeModelMultipleChoiceField,
    safe_formfield,
)
from trygg.lib.pii import NO_NAMES_NOTICE
from trygg.lib.stale_forms import BaseVersionMixin
from trygg.places.models import District, Place

from .models import INCIDENT_MAX_WINDOW, Action, CameraSite, Category, FocusArea, Incident, Meeting
from .queries import IncidentFilter, parse_bbox

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_FILTER_DAYS = 3 * 366


class ChoosePlaceholders:
    """ "Välj kategori …" instead of Django's "---------" as the empty choice of every select."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            text = _("Välj %(what)s …") % {"what": str(field.label).lower()}
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField
            ):
                if field.empty_label is not None:
                    field.empty_label = text
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
                choices = list(field.choices)
                if choices and choices[0][0] in ("", None) and str(choices[0][1]).startswith("---"):
                    field.choices = [("", text), *choices[1:]]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class FilterForm(forms.Form):
    """Period, categories and sources of the map, the table and the exports (GET parameters)."""

    start = BoundedDateField(label=_("Från och med"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("Till och med"), required=False, widget=DateInput())
    category = SafeModelMultipleChoiceField(
        label=_("Kategorier"),
        queryset=Category.objects.all(),
        required=False,
        help_text=_("Inget val visar alla kategorier."),
        widget=forms.CheckboxSelectMultiple,
    )
    source = SafeModelMultipleChoiceField(
        label=_("Källor"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Inget val visar alla källor."),
        widget=forms.CheckboxSelectMultiple,
    )
    resolution = forms.TypedChoiceField(
        label=_("Storlek på områdena som jämförs"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", _("Automatiskt (efter antalet händelser)")),
            (7, _("Stora (ca 5 km²)")),
            (8, _("Mellan (ca 0,7 km²)")),
            (9, _("Små (ca 0,1 km²)")),
        ],
        help_text=_("Automatiskt väljer de minsta områden där händelserna räcker för en säker jämförelse."),
    )
    # The map's view (west,south,east,north and zoom), set by the map script; the table then lists the
    # incidents inside it. Hidden: people choose the view by panning the map.
    bbox = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    zoom = forms.IntegerField(required=False, min_value=0, max_value=20, widget=forms.HiddenInput)

    def __init__(self, *args, current=None, readable=(), **kwargs):
        """`readable`: the municipalities whose lägesbild the user may read; with more than one the form
        offers "Alla mina kommuner" (kommuner=alla) besides the current municipality."""
        super().__init__(*args, **kwargs)
        if current is not None and len(readable) > 1:
            names = ", ".join(m.name for m in readable)
            self.fields["kommuner"] = forms.ChoiceField(
                label=_("Kommuner"),
                required=False,
                choices=[
                    ("", current.full_name),
                    ("alla", _("Alla mina kommuner (%(names)s)") % {"names": names}),
                ],
            )

    def clean_bbox(self):
        text = self.cleaned_data.get("bbox") or ""
        if not text:
            return None
        try:
            return parse_bbox(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        default = IncidentFilter.default()
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if end < start:
            raise forms.ValidationError(_("Slutdatum ligger före startdatum."))
        if (end - start).days > MAX_FILTER_DAYS:
            raise forms.ValidationError(_("Välj en period på högst tre år."))
        data["start"], data["end"] = start, end
        return data

    def to_filter(self) -> IncidentFilter:
        """The validated filter, or the default filter when the form is unbound or invalid (the caller
        scopes it to municipalities with IncidentFilter.within)."""
        if not self.is_bound or not self.is_valid():
            return IncidentFilter.default()
        data = self.cleaned_data
        return IncidentFilter(
            start=data["start"],
            end=data["end"],
            categories=tuple(sorted(c.pk for c in data["category"])),
            sources=tuple(sorted(o.pk for o in data["source"])),
            resolution=data.get("resolution") or None,
            bbox=data.get("bbox"),
        )


class IncidentForm(ChoosePlaceholders, BaseVersionMixin, forms.ModelForm):
    lat = DecimalCommaFloatField(
        label=_("Latitud"), required=False, help_text=_("Fylls i när du klickar i kartan.")
    )
    lon = DecimalCommaFloatField(label=_("Longitud"), required=False)

    class Meta:
        model = Incident
        formfield_callback = safe_formfield
        fields = ["category", "occurred_from", "occurred_to", "place", "source_organisation", "description"]
        widgets = {
            "occurred_from": DateTimeInput(),
            "occurred_to": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "occurred_from": _("När det hände, eller när tidsfönstret började."),
            "occurred_to": _(
                "Fyll i om du bara vet ett tidsfönster, t.ex. skadegörelse som upptäcktes på morgonen."
            ),
            "place": _("Välj en namngiven plats, eller klicka i kartan för en punkt."),
            "description": NO_NAMES_NOTICE
            + " "
            + str(_("Personnummer, telefonnummer, e-post och registreringsnummer tas bort automatiskt.")),
        }

    def __init__(self, *args, municipality, may_choose_source: bool, own_organisation=None, **kwargs):
        """Places of `municipality` only (an existing incident keeps its own); a partner
        (may_choose_source False) can name only their own organisation as the source."""
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.municipality = municipality
        self.municipality = self.instance.municipality
        self.fields["category"].queryset = Category.objects.filter(active=True)
        self.fields["place"].queryset = Place.objects.for_municipality(self.municipality).active()
        if not may_choose_source:
            own = [own_organisation.pk] if own_organisation is not None else []
            keep = [self.instance.source_organisation_id] if self.instance.source_organisation_id else []
            self.fields["source_organisation"].queryset = Organisation.objects.filter(pk__in=own + keep)
            self.fields["source_organisation"].help_text = _(
                "Som samverkanspart kan du bara ange din egen organisation som källa."
            )
        for name in ("occurred_from", "occurred_to"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk and self.instance.location_precision == Incident.Precision.POINT:
            self.initial.setdefault("lat", self.instance.lat)
            self.initial.setdefault("lon", self.instance.lon)

    def clean(self):
        data = super().clean()
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", _("Sluttiden ligger före starttiden."))
        elif start and end and end - start > INCIDENT_MAX_WINDOW:
            self.add_error(
                "occurred_to",
                _("Ett tidsfönster får vara högst %(days)s dagar. Ange det kortaste fönster du vet.")
                % {"days": INCIDENT_MAX_WINDOW.days},
            )
        if start and start > timezone.now() + dt.timedelta(hours=1):
            self.add_error("occurred_from", _("Tiden ligger i framtiden."))
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Ange både latitud och longitud, eller ingen av dem."))
        if lat is None and not data.get("place"):
            raise forms.ValidationError(_("Välj en plats eller klicka i kartan (eller ange koordinater)."))
        return data


class MeetingForm(ChoosePlaceholders, BaseVersionMixin, forms.ModelForm):
    base_m2m = ("organisations", "units")

    organisations = SafeModelMultipleChoiceField(
        label=_("Deltagande organisationer"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = SafeModelMultipleChoiceField(
        label=_("Deltagande enheter"),
        queryset=Unit.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        formfield_callback = safe_formfield
        fields = ["date", "kind", "organisations", "units", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"notes": NO_NAMES_NOTICE}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.municipality = municipality
        self.fields["units"].queryset = Unit.objects.filter(municipality=self.instance.municipality)


class FocusAreaForm(ChoosePlaceholders, forms.ModelForm):
    class Meta:
        model = FocusArea
        formfield_callback = safe_formfield
        fields = [
            "meeting",
            "place",
            "district",
            "category",
            "problem",
            "start",
            "weeks",
            "chosen_for_high_counts",
        ]
        widgets = {"start": DateInput()}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.municipality = municipality
        own = self.instance.municipality
        self.fields["meeting"].queryset = Meeting.objects.filter(municipality=own)
        self.fields["place"].queryset = Place.objects.for_municipality(own).active()
        self.fields["district"].queryset = District.objects.filter(municipality=own)
        self.fields["weeks"].min_value = 1

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("district"):
            raise forms.ValidationError(_("Välj en plats eller en kommundel för fokusområdet."))
        if data.get("weeks") is not None and not 1 <= data["weeks"] <= 104:
            self.add_error("weeks", _("Ange mellan 1 och 104 veckor."))
        return data


class ActionForm(ChoosePlaceholders, forms.ModelForm):
    class Meta:
        model = Action
        formfield_callback = safe_formfield
        fields = [
            "title",
            "kind",
            "focus_area",
            "meeting",
            "description",
            "responsible_organisation",
            "responsible_unit",
            "start_date",
            "due_date",
            "status",
            "plan_activity",
        ]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"start_date": _("Används som brytpunkt i effektuppföljningen.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.municipality = municipality
        own = self.instance.municipality
        self.fields["focus_area"].queryset = FocusArea.objects.filter(municipality=own).select_related(
            "place", "district"
        )
        self.fields["meeting"].queryset = Meeting.objects.filter(municipality=own)
        self.fields["responsible_unit"].queryset = Unit.objects.filter(municipality=own)
        self.fields["plan_activity"].queryset = tenancy.scope(
            self.fields["plan_activity"].queryset, [own.pk]
        ).select_related("intervention__area")

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("Slutdatum ligger före startdatum."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)


class CameraForm(ChoosePlaceholders, forms.ModelForm):
    class Meta:
        model = CameraSite
        formfield_callback = safe_formfield
        fields = [
            "name",
            "place",
            "area_description",
            "lat",
            "lon",
            "purpose",
            "permit_status",
            "imy_reference",
            "imy_decision_date",
            "in_operation_since",
            "notes",
        ]
        widgets = {
            "imy_decision_date": DateInput(),
            "in_operation_since": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"lat": _("Lämna tomt för att använda platsens läge.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.municipality = municipality
        self.fields["place"].queryset = Place.objects.for_municipality(self.instance.municipality)
        self.fields["lat"].required = self.fields["lon"].required = False

    def clean(self):
        data = super().clean()
        if data.get("lat") is None or data.get("lon") is None:
            place = data.get("place")
            if place is None:
                raise forms.ValidationError(_("Ange kamerans läge eller välj en plats."))
            data["lat"], data["lon"] = place.lat, place.lon
        return data


class CategoryForm(ChoosePlaceholders, forms.ModelForm):
    class Meta:
        model = Category
        formfield_callback = safe_formfield
        fields = ["name", "slug", "description", "police_types", "order", "active"]
