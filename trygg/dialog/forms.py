from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.lib.formfields import BoundedDateField, DecimalCommaFloatField

from .models import CATEGORIES, Campaign, Submission
from .photos import MAX_BYTES
from .protection import HONEYPOT_FIELD, TOKEN_FIELD
from .snapshot import CampaignSnapshot, for_campaign


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(forms.ModelForm):
    starts = BoundedDateField(label=_("Öppnar"), widget=DateInput())
    ends = BoundedDateField(label=_("Stänger"), widget=DateInput())
    categories = forms.MultipleChoiceField(
        label=_("Kategorier som invånarna kan välja"),
        choices=list(CATEGORIES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    area_text = forms.CharField(
        label=_("Område (GeoJSON-polygon)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=200_000,
        help_text=_("Lämna tomt för hela kommunen. Klistra in en Polygon eller MultiPolygon i WGS84."),
    )

    class Meta:
        model = Campaign
        fields = ["title", "question", "starts", "ends", "categories", "publish_comments"]
        widgets = {"question": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.initial.get("categories"):
            self.initial["categories"] = list(CATEGORIES)
        if self.instance.area:
            self.initial["area_text"] = json.dumps(self.instance.area)

    def clean_area_text(self):
        raw = self.cleaned_data["area_text"].strip()
        if not raw:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Området är inte giltig GeoJSON.")) from None
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
            raise forms.ValidationError(_("Området måste vara en Polygon eller MultiPolygon."))
        return data

    def save(self, commit=False):  # the view saves through actions.do_save_campaign
        campaign = super().save(commit=False)
        campaign.area = self.cleaned_data.get("area_text")
        return campaign


OPTIONAL = [("", _("Vill inte svara"))]


class PublicSubmissionForm(forms.Form):
    """The resident's form. Every field but the location, the reasons and the time is optional; the
    location is one of: a point from the map, a place from the list, or words."""

    lat = DecimalCommaFloatField(required=False, widget=forms.HiddenInput)
    lon = DecimalCommaFloatField(required=False, widget=forms.HiddenInput)
    place = forms.TypedChoiceField(
        label=_("Välj plats eller gata ur listan"), required=False, coerce=int, empty_value=None
    )
    location_text = forms.CharField(
        label=_("Eller beskriv platsen med egna ord"),
        required=False,
        max_length=300,
        help_text=_("Till exempel ”gångtunneln under väg 168 vid skolan”."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Varför känns platsen otrygg?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj ett eller flera svar."),
        error_messages={
            "required": _("Välj minst en orsak."),
            "invalid_choice": _("Välj orsaker ur listan."),
        },
    )
    time_of_day = forms.ChoiceField(
        label=_("När på dygnet?"),
        choices=Submission.TimeOfDay.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj dag, kväll eller natt.")},
    )
    day_type = forms.ChoiceField(
        label=_("Vardag eller helg?"),
        choices=Submission.DayType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vardag, helg eller båda.")},
    )
    text = forms.CharField(
        label=_("Berätta mer (frivilligt)"),
        required=False,
        max_length=Submission.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv inte namn eller något annat som pekar ut en person. Högst 2 000 tecken."),
        error_messages={
            "max_length": _("Texten får vara högst %(limit_value)d tecken (den har %(show_value)d).")
        },
    )
    age_group = forms.ChoiceField(
        label=_("Din ålder (frivilligt)"),
        required=False,
        choices=OPTIONAL + Submission.AgeGroup.choices,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=_("Kön (frivilligt)"),
        required=False,
        choices=OPTIONAL + Submission.Gender.choices,
        widget=forms.RadioSelect,
    )
    photo = forms.FileField(
        label=_("Foto (frivilligt)"),
        required=False,
        help_text=_(
            "JPEG, PNG eller WebP, högst 8 MB. Vi tar bort platsdata och annan information ur bilden."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    # Not shown to people (see the template); bots fill it in.
    webbplats = forms.CharField(label=_("Lämna detta fält tomt"), required=False, max_length=200)
    formular_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, campaign: Campaign, snapshot: CampaignSnapshot | None = None, **kwargs):
        """`snapshot` (see snapshot.py) carries the campaign's places, area and categories, built once per
        process; without one it is looked up."""
        super().__init__(*args, **kwargs)
        assert HONEYPOT_FIELD in self.fields and TOKEN_FIELD in self.fields  # noqa: S101
        snapshot = snapshot or for_campaign(campaign)
        self.campaign = campaign
        self.boundary = snapshot.boundary
        self.places = snapshot.places_by_pk
        self.fields["categories"].choices = snapshot.category_choices
        self.fields["place"].choices = (("", _("Ingen plats vald")), *snapshot.place_choices)
        self.fields["place"].error_messages["invalid_choice"] = _("Välj en plats ur listan.")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_BYTES:
            raise forms.ValidationError(_("Bilden är för stor (högst 8 MB)."))
        return photo

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            self.add_error(None, _("Punkten i kartan saknar en koordinat. Klicka i kartan igen."))
        elif lat is not None:
            try:
                self.boundary.require_inside(lat, lon, "området som frågan gäller")
            except ValueError as exc:
                self.add_error(None, str(exc))
        has_place = data.get("place") is not None
        if has_place and data["place"] not in self.places:
            self.add_error("place", _("Välj en plats ur listan."))
        if (
            lat is None
            and not has_place
            and not data.get("location_text", "").strip()
            and not self.has_error("location_text")
        ):
            self.add_error(
                None,
                _("Ange var platsen är: klicka i kartan, välj en plats i listan eller beskriv den med ord."),
            )
        return data


class ModerationForm(forms.Form):
    status = forms.ChoiceField(choices=Submission.Status.choices)


class RedactForm(forms.Form):
    text = forms.CharField(
        label=_("Text efter redigering"),
        required=False,
        max_length=Submission.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ta bort det som inte får finnas kvar. Den borttagna texten sparas inte någonstans."),
    )


class FocusAreaFromSubmissionForm(forms.Form):
    start = BoundedDateField(label=_("Från"), widget=DateInput())
    weeks = forms.IntegerField(label=_("Antal veckor"), min_value=1, max_value=52, initial=4)


class ActionFromSubmissionForm(forms.Form):
    title = forms.CharField(label=_("Åtgärd"), max_length=300, required=False)


ALL = [("", _("Alla"))]


class SubmissionFilterForm(forms.Form):
    """Filters of the case list and its exports (GET parameters)."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=ALL + Submission.Status.choices)
    category = forms.ChoiceField(label=_("Kategori"), required=False, choices=ALL + list(CATEGORIES.items()))
    time_of_day = forms.ChoiceField(
        label=_("Tid på dygnet"), required=False, choices=ALL + Submission.TimeOfDay.choices
    )
    day_type = forms.ChoiceField(
        label=_("Vardag/helg"), required=False, choices=ALL + Submission.DayType.choices
    )
    age_group = forms.ChoiceField(
        label=_("Åldersgrupp"), required=False, choices=ALL + Submission.AgeGroup.choices
    )
    gender = forms.ChoiceField(label=_("Kön"), required=False, choices=ALL + Submission.Gender.choices)

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        for name in ("status", "time_of_day", "day_type", "age_group", "gender"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("category"):
            # The JSON text holds each slug in quotes; slugs are not substrings of one another.
            qs = qs.filter(categories__icontains=f'"{data["category"]}"')
        return qs
