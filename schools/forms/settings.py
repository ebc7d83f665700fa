from django import forms
from django.utils.translation import gettext_lazy as _

from ..cleaning import SafeForm
from ..models import Phase


def _parse_years(text: str) -> list[int]:
    try:
        return sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError as error:
        raise forms.ValidationError(
            _("Vul groepnummers in, gescheiden door komma's (bijvoorbeeld 1,2,3).")
        ) from error


class SchoolSettingsForm(SafeForm):
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    require_totp = forms.BooleanField(
        label=_("Tweestapsverificatie verplicht voor alle medewerkers"), required=False
    )
    max_upload_mb = forms.IntegerField(label=_("Maximale bestandsgrootte (MB)"), min_value=1, max_value=100)
    letterhead = forms.CharField(
        label=_("Briefhoofd"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    address = forms.CharField(label=_("Adres"), max_length=300, required=False)
    # Where letters to outside bodies go (SV-2, SV-3; recipient tokens in messaging/services/recipients.py).
    inspectorate_email = forms.EmailField(
        label=_("E-mailadres van de inspectie"),
        required=False,
        max_length=254,
        help_text=_("Voor meldingen van schorsing en verwijdering (SV-2, SV-3)."),
    )
    attendance_officer_name = forms.CharField(
        label=_("Naam van de leerplichtambtenaar"), max_length=200, required=False
    )
    attendance_officer_email = forms.EmailField(
        label=_("E-mailadres van de leerplichtambtenaar"),
        required=False,
        max_length=254,
        help_text=_("Voor meldingen van schorsing en verwijdering (SV-2, SV-3)."),
    )
    onderbouw = forms.CharField(label=_("Groepen in de onderbouw"), required=False)
    middenbouw = forms.CharField(label=_("Groepen in de middenbouw"), required=False)
    bovenbouw = forms.CharField(label=_("Groepen in de bovenbouw"), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_po = school.kind == "po"
        if not self.is_po:
            for phase in Phase.values:
                del self.fields[phase]

    def clean(self):
        data = super().clean()
        if self.is_po:
            data["phase_mapping"] = {phase: _parse_years(data.pop(phase, "") or "") for phase in Phase.values}
        return data
