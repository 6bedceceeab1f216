from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation, Unit
from trygg.lib.formfields import DecimalCommaFloatField, SafeModelMultipleChoiceField, safe_formfield
from trygg.lib.photos import MAX_BYTES
from trygg.places.models import Place

from .models import PARAMETER_NAMES, Finding, Measure, Walk

NO_NAMES = _(
    "Skriv inte namn på enskilda personer. Personnummer, telefonnummer, e-post och registreringsnummer tas bort automatiskt."
)
SCORE_CHOICES = [("", _("Ej bedömt")), *[(str(n), str(n)) for n in range(1, 6)]]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class WalkForm(forms.ModelForm):
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
        model = Walk
        formfield_callback = safe_formfield
        fields = [
            "title",
            "place",
            "area",
            "date",
            "start_time",
            "organisations",
            "units",
            "description",
            "status",
            "published",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"description": NO_NAMES}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.municipality = municipality
        own = self.instance.municipality
        self.fields["place"].queryset = Place.objects.for_municipality(own).active()
        self.fields["units"].queryset = Unit.objects.filter(municipality=own)
        if self.instance.pk:
            self.initial.setdefault("organisations", list(self.instance.organisations.all()))
            self.initial.setdefault("units", list(self.instance.units.all()))


def _lat() -> DecimalCommaFloatField:
    return DecimalCommaFloatField(
        label=_("Latitud"), required=False, help_text=_("Fylls i av ”Använd min position” eller kartan.")
    )


def _lon() -> DecimalCommaFloatField:
    return DecimalCommaFloatField(label=_("Longitud"), required=False)


def clean_location(data) -> None:
    """A place or a point: the place list, "use my position" and the optional map all fill these."""
    lat, lon = data.get("lat"), data.get("lon")
    if (lat is None) != (lon is None):
        raise forms.ValidationError(_("Ange både latitud och longitud, eller ingen av dem."))
    if lat is None and not data.get("place"):
        raise forms.ValidationError(_("Välj en plats i listan, använd din position eller ange en punkt."))


class StopForm(forms.Form):
    place = forms.ModelChoiceField(label=_("Plats"), queryset=Place.objects.none(), required=False)
    lat = _lat()
    lon = _lon()
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False, help_text=NO_NAMES)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.for_municipality(municipality).active()

    def clean(self):
        data = super().clean()
        clean_location(data)
        return data


class FindingForm(forms.ModelForm):
    lat = _lat()
    lon = _lon()
    photo = forms.FileField(
        label=_("Foto (valfritt)"),
        required=False,
        help_text=_("JPEG, PNG eller WebP, högst 12 MB. Position och kamerauppgifter tas bort ur bilden."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Finding
        formfield_callback = safe_formfield
        fields = ["category", "place", "feeling", *PARAMETER_NAMES, "description"]
        widgets = {"category": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": NO_NAMES}

    def __init__(self, *args, walk, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.walk = walk
        self.fields["place"].queryset = Place.objects.for_municipality(walk.municipality).active()
        self.fields["category"].choices = Finding.Category.choices
        for name in ["feeling", *PARAMETER_NAMES]:
            model_field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=model_field.label,
                help_text=model_field.help_text,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "score"}),
            )
        if self.instance.pk:
            self.initial.setdefault("lat", self.instance.lat)
            self.initial.setdefault("lon", self.instance.lon)
            del self.fields["photo"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_BYTES:
            raise forms.ValidationError(_("Bilden är för stor: högst 12 MB."))
        return photo

    def clean(self):
        data = super().clean()
        clean_location(data)
        self.instance.lat, self.instance.lon = data.get("lat"), data.get("lon")
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Foto"),
        help_text=_("JPEG, PNG eller WebP, högst 12 MB. Position och kamerauppgifter tas bort ur bilden."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if photo.size > MAX_BYTES:
            raise forms.ValidationError(_("Bilden är för stor: högst 12 MB."))
        return photo


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        formfield_callback = safe_formfield
        fields = ["title", "responsible_unit", "responsible_organisation", "due_date", "status", "comment"]
        widgets = {"due_date": DateInput(), "comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"comment": NO_NAMES}

    def __init__(self, *args, finding, full: bool = True, **kwargs):
        """full=False (a responsible unit or partner): status, due date and comment only."""
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.finding = finding
        self.fields["responsible_unit"].queryset = Unit.objects.filter(municipality=finding.walk.municipality)
        if not full:
            for name in ("title", "responsible_unit", "responsible_organisation"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if (
            "title" in self.fields
            and not data.get("responsible_unit")
            and not data.get("responsible_organisation")
        ):
            raise forms.ValidationError(_("Ange en ansvarig enhet eller samverkanspart."))
        return data
