from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.plans.models import STATUS_CHOICES

from .models import TOKEN_ROLES


class PublicFilterForm(forms.Form):
    """The resident's filters on a public plan page: year, area, status and political assignment."""

    ar = forms.TypedChoiceField(label=_("Uppföljningsår"), coerce=int, required=False)
    omrade = forms.TypedChoiceField(label=_("Delområde"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    politiskt = forms.ChoiceField(
        label=_("Politiskt uppdrag"),
        required=False,
        choices=[("", _("Alla")), ("ja", _("Bara politiska uppdrag")), ("nej", _("Inte politiska uppdrag"))],
    )

    def __init__(self, data, *, years, areas):
        super().__init__(data)
        self.fields["ar"].choices = [(y, str(y)) for y in years]
        self.fields["omrade"].choices = [("", _("Alla"))] + [
            (a.number, f"4.{a.number} {a.title}") for a in areas
        ]
        self.fields["status"].choices = [("", _("Alla")), *STATUS_CHOICES, ("none", _("Ej rapporterad"))]

    def political(self) -> bool | None:
        value = self.cleaned_data.get("politiskt") if self.is_valid() else ""
        return {"ja": True, "nej": False}.get(value)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Vem eller vilket system är nyckeln till?"),
        max_length=200,
        help_text=_("Till exempel ”Polisen, lokalpolisområde Kungälv” eller ”Kommunens uppföljningssystem”."),
    )
    role = forms.ChoiceField(
        label=_("Behörighet"),
        choices=TOKEN_ROLES,
        help_text=_(
            "Nyckeln läser det som en användare med den här behörigheten i kommunen får läsa. Den kan aldrig "
            "ändra något."
        ),
    )
