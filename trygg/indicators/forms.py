from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trygg.lib.text import NotANumber, parse_decimal

from .importers.common import parse_period
from .models import LOCAL_PREFIX, ImportJob, Indicator, Region

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av fil"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("JSON-stat- eller Kolada-svar (.json), PX-fil (.px) eller CSV (.csv). Högst 100 MB."),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # the kinds this user may import (national files: installation administrators)
            self.fields["kind"].choices = [(k, v) for k, v in ImportJob.Kind.choices if k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Filen är större än 100 MB."))
        if upload.size == 0:
            raise ValidationError(_("Filen är tom."))
        return upload


class LocalFigureForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Nyckeltal"), queryset=Indicator.objects.none())
    region = forms.ModelChoiceField(label=_("Område"), queryset=Region.objects.none())
    period = forms.CharField(
        label=_("År"), max_length=20, help_text=_("T.ex. 2023, eller 2021–2022 för sammanslagna år.")
    )
    gender = forms.ChoiceField(
        label=_("Kön"), required=False, choices=[("", _("Totalt")), ("K", _("Kvinnor")), ("M", _("Män"))]
    )
    value = forms.CharField(
        label=_("Värde"),
        required=False,
        max_length=40,
        help_text=_(
            "Lämna tomt om uppgiften saknas (det är inte samma sak som 0). Decimaler med komma eller punkt."
        ),
    )
    preliminary = forms.BooleanField(label=_("Preliminär uppgift"), required=False)

    def __init__(self, *args, municipality, **kwargs):
        from .actions import local_regions

        super().__init__(*args, **kwargs)
        # Only the municipality's own local indicators; the municipality itself, its län, polisregion, riket.
        self.fields["indicator"].queryset = Indicator.objects.filter(
            municipality=municipality, is_local=True
        ).order_by("title")
        self.fields["region"].queryset = local_regions(municipality)
        self.fields["region"].initial = Region.objects.filter(code=municipality.code).first()

    def clean_value(self):
        raw = self.cleaned_data["value"].strip()
        if not raw:
            return None
        try:
            value = float(parse_decimal(raw))
        except NotANumber as exc:
            raise ValidationError(str(exc)) from exc
        if value < 0:
            raise ValidationError(_("Värdet kan inte vara negativt."))
        return value

    def clean_period(self):
        period = parse_period(self.cleaned_data["period"])
        if period is None:
            raise ValidationError(_("Skriv ett år (t.ex. 2023) eller två år med bindestreck (2021–2022)."))
        return period.label


class LocalIndicatorForm(forms.Form):
    code = forms.SlugField(
        label=_("Kod"),
        max_length=60,
        help_text=_("Kort namn utan mellanslag, t.ex. krismottagning_samtal."),
    )
    title = forms.CharField(label=_("Namn"), max_length=300)
    unit = forms.ChoiceField(label=_("Enhet"), choices=Indicator.Unit.choices, initial=Indicator.Unit.COUNT)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sensitive = forms.BooleanField(
        label=_("Känsliga uppgifter: skydda små tal"),
        required=False,
        initial=True,
        help_text=Indicator._meta.get_field("sensitive").help_text,
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_code(self):
        code = LOCAL_PREFIX + self.cleaned_data["code"]
        if Indicator.objects.visible_in(self.municipality).filter(code=code).exists():
            raise ValidationError(_("Det finns redan ett nyckeltal med koden %(code)s.") % {"code": code})
        return code


class DashboardForm(forms.Form):
    """The dashboard's GET form. Choices come from lists the view has read once (no queries here)."""

    q = forms.CharField(label=_("Sök nyckeltal"), required=False, max_length=200)
    indicator = forms.ChoiceField(label=_("Nyckeltal"), required=False)
    regions = forms.MultipleChoiceField(
        label=_("Områden"), required=False, widget=forms.CheckboxSelectMultiple
    )
    breakdown = forms.ChoiceField(label=_("Uppdelning"), required=False)
    compare = forms.MultipleChoiceField(
        label=_("Jämför med"), required=False, widget=forms.CheckboxSelectMultiple
    )
    start = forms.IntegerField(label=_("Från år"), required=False, min_value=1900, max_value=2100)
    end = forms.IntegerField(label=_("Till år"), required=False, min_value=1900, max_value=2100)

    def __init__(self, data, *, indicators, regions, breakdowns=(), **kwargs):
        from .dashboard import COMPARE_CHOICES, KIND_GROUPS, KIND_ORDER

        super().__init__(data, **kwargs)
        # Titles only: codes are for the "Administrera statistik" page, not for readers.
        self.fields["indicator"].choices = [("", _("Välj nyckeltal …"))] + [
            (i.code, i.title) for i in indicators
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for info in sorted(regions.values(), key=lambda r: (KIND_ORDER.get(r.kind, 9), r.label)):
            groups.setdefault(str(KIND_GROUPS.get(info.kind, info.kind)), []).append((info.code, info.label))
        self.fields["regions"].choices = list(groups.items())
        self.fields["breakdown"].choices = [("", _("Totalt"))] + [
            (key, key.replace(";", ", ")) for key in breakdowns if key
        ]
        self.fields["compare"].choices = COMPARE_CHOICES

    def region_groups(self) -> list[tuple[str, list[tuple[str, str, bool]], bool]]:
        """The region checkboxes by kind: (group, [(code, label, checked)], any checked); the template folds
        each group that has nothing checked."""
        checked = set(self["regions"].value() or ())
        groups = []
        for group, options in self.fields["regions"].choices:
            rows = [(code, label, code in checked) for code, label in options]
            groups.append((group, rows, any(row[2] for row in rows)))
        return groups

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start > end:
            self.add_error("end", _("Till år kan inte vara före Från år."))
        return data


class CompositeForm(forms.Form):
    """The "Sammanvägt index" page's GET form; choices from lists the view has read (no queries here)."""

    indicators = forms.MultipleChoiceField(
        label=_("Nyckeltal i indexet"),
        help_text=_("Välj minst två."),
        widget=forms.CheckboxSelectMultiple,
    )
    year = forms.TypedChoiceField(label=_("År"), coerce=int)

    MAX_INPUTS = 12

    def __init__(self, data, *, indicators, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["indicators"].choices = [
            (
                i.code,
                f"{i.title} ({_('högre är bättre') if i.higher_is_better else _('lägre är bättre')})",
            )
            for i in indicators
        ]
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def clean_indicators(self):
        codes = list(dict.fromkeys(self.cleaned_data["indicators"]))
        if len(codes) < 2:
            raise ValidationError(_("Välj minst två nyckeltal."))
        if len(codes) > self.MAX_INPUTS:
            raise ValidationError(_("Välj högst %(n)s nyckeltal.") % {"n": self.MAX_INPUTS})
        return codes
