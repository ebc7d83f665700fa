from django import forms
from django.utils.translation import gettext_lazy as _

from ..cleaning import SafeForm
from ..models import Department, Role


class StaffForm(SafeForm):
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    name_prefix = forms.CharField(label=_("Voorvoegsel"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100)
    email = forms.EmailField(label=_("E-mailadres"))
    roles = forms.MultipleChoiceField(
        label=_("Rollen"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    department = forms.ModelChoiceField(
        label=_("Afdeling (voor een afdelingsleider)"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("geen afdeling"),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(school=school)


class RolesForm(SafeForm):
    roles = forms.MultipleChoiceField(
        label=_("Rollen"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    department = forms.ModelChoiceField(
        label=_("Afdeling (voor een afdelingsleider)"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("geen afdeling"),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(school=school)
