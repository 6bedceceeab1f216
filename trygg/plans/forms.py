from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.lib.stale_forms import BaseVersionMixin

from .models import STATUS_CHOICES, FollowUp

COMMENT_HELP = _(
    "Stycken skiljs med en tom rad. Markera text och använd knapparna Fet, Kursiv och Punktlista ovanför "
    "rutan. HTML visas som vanlig text."
)


class ActivityStatusForm(BaseVersionMixin, forms.Form):
    """Pass ``base_values={"status": …, "comment": …}`` as stored ("" when none): a change someone else
    makes meanwhile to the same value is refused on save (optimistic locking)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Välj status …")), *STATUS_CHOICES],
        error_messages={
            "invalid_choice": _("Välj en av de sex statusarna. ”%(value)s” finns inte."),
            "required": _("Välj en status."),
        },
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10, "data-comment-editor": ""}),
        help_text=COMMENT_HELP,
    )


class FollowUpTextsForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "recipient", "introduction", "summary", "current_analysis"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "introduction": forms.Textarea(attrs={"rows": 10, "data-comment-editor": ""}),
            "summary": forms.Textarea(attrs={"rows": 14, "data-comment-editor": ""}),
            "current_analysis": forms.Textarea(attrs={"rows": 14, "data-comment-editor": ""}),
        }
        help_texts = {"introduction": COMMENT_HELP, "summary": COMMENT_HELP, "current_analysis": COMMENT_HELP}


class OverviewFilterForm(forms.Form):
    ar = forms.TypedChoiceField(label=_("Uppföljning"), coerce=int, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    enhet = forms.TypedChoiceField(label=_("Ansvarig enhet"), coerce=int, required=False, empty_value=None)
    mina = forms.BooleanField(label=_("Mina aktiviteter"), required=False)
    ej_rapporterade = forms.BooleanField(label=_("Ej rapporterade i år"), required=False)
    politiskt = forms.ChoiceField(
        label=_("Politiskt uppdrag"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("ja", _("Endast politiska uppdrag")),
            ("nej", _("Inte politiska uppdrag")),
        ],
    )

    def __init__(self, data, *, years, units):
        super().__init__(data)
        self.fields["ar"].choices = [(y, str(y)) for y in years]
        self.fields["status"].choices = [("", _("Alla"))] + list(STATUS_CHOICES)
        self.fields["enhet"].choices = [("", _("Alla"))] + [(u.pk, u.name) for u in units]

    def political(self):
        value = self.cleaned_data.get("politiskt") if self.is_valid() else ""
        return {"ja": True, "nej": False}.get(value)


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (JSON eller XLSX)"),
        help_text=_("En fil som exporterats från Trygg, eller som följer formatet i dokumentationen."),
    )

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".json", ".xlsx")):
            raise forms.ValidationError(_("Filen måste vara en .json- eller .xlsx-fil."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Filen är större än 10 MB."))
        return upload
