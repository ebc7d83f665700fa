"""Forms of the measures pages (SafeForm: no control characters, bounded numbers and dates)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.cleaning import SafeForm
from schools.models import StaffMember

from .models import DayPart, SuspensionMode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TimeOutForm(SafeForm):
    incident = forms.CharField(
        label=_("Het ernstige incident"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    part = forms.ChoiceField(label=_("Duur"), choices=DayPart.choices, initial=DayPart.DAY)
    home_part_by_director = forms.BooleanField(
        label=_("Deel van de dag thuis (alleen op besluit van de directeur)"), required=False
    )


class SuspensionForm(SafeForm):
    grounds = forms.MultipleChoiceField(label=_("Gronden (GP-23)"), widget=forms.CheckboxSelectMultiple)
    reasons = forms.CharField(label=_("Redenen"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    start_on = forms.DateField(label=_("Eerste dag"), widget=DATE)
    school_days = forms.IntegerField(label=_("Aantal schooldagen"), min_value=1, max_value=31)
    mode = forms.ChoiceField(label=_("Besluitvorming"), choices=SuspensionMode.choices)
    catch_up_work = forms.CharField(
        label=_("Schoolwerk tijdens de schorsing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    contact_person = forms.ModelChoiceField(label=_("Contactpersoon"), queryset=StaffMember.objects.none())

    def __init__(self, *args, school, grounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"].choices = [(g, g) for g in grounds]
        self.fields["contact_person"].queryset = StaffMember.objects.filter(
            school=school, active=True
        ).order_by("last_name", "pk")


class SuspensionStepForm(SafeForm):
    step = forms.ChoiceField(
        label=_("Stap"),
        choices=[
            ("board_informed", _("Bestuur geïnformeerd")),
            ("inspectorate_filed", _("Gemeld in het Internet Schooldossier")),
            ("attendance_officer", _("Melding naar de leerplichtambtenaar sturen")),
        ],
    )


class BoardDecisionForm(SafeForm):
    effective_on = forms.DateField(label=_("Datum van verwijdering"), widget=DATE)
    reasons = forms.CharField(
        label=_("Toelichting van het bestuur"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
