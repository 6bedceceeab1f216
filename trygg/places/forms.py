from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.lib.formfields import DecimalCommaFloatField, safe_formfield
from trygg.lib.geo import GeoError, sweref99tm_to_wgs84

from .actions import check_inside
from .models import District, Municipality, MunicipalityNotLoaded, Place


class PlaceForm(forms.ModelForm):
    """A place with WGS84 coordinates, or SWEREF 99 TM coordinates (as the municipality's GIS gives them)."""

    sweref_n = DecimalCommaFloatField(label=_("SWEREF 99 TM N (norr)"), required=False)
    sweref_e = DecimalCommaFloatField(label=_("SWEREF 99 TM E (öst)"), required=False)

    class Meta:
        model = Place
        formfield_callback = safe_formfield
        fields = ["name", "kind", "district", "aliases", "description", "lat", "lon", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        # A new place belongs to the current municipality; an existing one keeps its own.
        if self.instance.pk is None:
            self.instance.municipality = municipality
        self.municipality = self.instance.municipality
        self.fields["district"].queryset = District.objects.filter(municipality=self.municipality)
        self.fields["district"].required = False
        self.fields["district"].empty_label = _("Välj kommundel …")
        kind = self.fields["kind"]
        if getattr(kind, "choices", None) and kind.choices and kind.choices[0][0] == "":
            kind.choices = [("", _("Välj typ av plats …"))] + list(kind.choices)[1:]
        self.fields["lat"].required = self.fields["lon"].required = False
        self.fields["lat"].help_text = _("Decimalgrader, t.ex. 57,8745.")
        self.fields["lon"].help_text = _("Decimalgrader, t.ex. 11,9560.")

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        n, e = data.get("sweref_n"), data.get("sweref_e")
        try:
            if lat is None or lon is None:
                if n is None or e is None:
                    raise forms.ValidationError(
                        _("Ange platsens läge: latitud och longitud, eller SWEREF 99 TM N och E.")
                    )
                lat, lon = sweref99tm_to_wgs84(n, e)
                data["lat"], data["lon"] = round(lat, 6), round(lon, 6)
            check_inside(self.municipality, lat, lon)
        except (GeoError, MunicipalityNotLoaded) as exc:
            raise forms.ValidationError(str(exc)) from None
        return data
