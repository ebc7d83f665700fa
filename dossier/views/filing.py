"""The fields every form that files something in the student's file shares (AVG-4)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.models import Visibility
from dossier.selectors import readable_levels
from schools.cleaning import SafeForm


class FilingForm(SafeForm):
    """Who may read it, health mark and parent visibility. An author files only at a level they
    may read themselves, and only the care team can mark health information (AVG-4)."""

    visibility = forms.ChoiceField(label=_("Zichtbaar voor"))
    is_health = forms.BooleanField(label=_("Bevat gezondheidsinformatie (alleen zorgteam)"), required=False)
    parent_visible = forms.BooleanField(label=_("Zichtbaar voor ouders in het portaal"), required=False)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        levels = readable_levels(access)
        self.fields["visibility"].choices = [(v, label) for v, label in Visibility.choices if v in levels]
        if not access.is_care_team:
            del self.fields["is_health"]
