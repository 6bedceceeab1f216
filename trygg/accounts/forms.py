from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.places.models import Municipality


class TokenForm(forms.Form):
    """The six-digit code from the authenticator app."""

    token = forms.CharField(
        label=_("Kod från appen"),
        help_text=_("Sex siffror, till exempel 123456. Koden byts var 30:e sekund."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "size": 8}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Skriv de sex siffrorna som appen visar."))
        return token


class AuditFilterForm(forms.Form):
    """Filters of the audit view (GET). Every field is optional."""

    kommun = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Municipality.objects.none(), required=False, empty_label=_("Alla")
    )
    vem = forms.CharField(
        label=_("Vem"), required=False, max_length=150, help_text=_("Namn eller användarnamn")
    )
    handelse = forms.ChoiceField(label=_("Händelse"), required=False)
    fran = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, municipalities, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommun"].queryset = municipalities
        self.fields["handelse"].choices = [("", _("Alla")), *actions]

    def clean(self):
        data = super().clean()
        start, end = data.get("fran"), data.get("till")
        if start and end and start > end:
            raise forms.ValidationError(_("Från-datumet ligger efter till-datumet."))
        return data
