"""Forms of the meeting side (every one a SafeForm; the services hold the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.cleaning import SafeForm
from schools.forms.widgets import SharedChoices
from schools.models import StaffMember

from ..models_meeting import EvaluationOutcome, ReferralTarget


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False, min_value=0, max_value=2_000_000_000, widget=forms.HiddenInput, **kwargs
        )


class DiscussionItemForm(SafeForm):
    reason = forms.CharField(label=_("Reden van bespreking"), required=False, widget=_area(2))
    hulpvraag = forms.CharField(label=_("Hulpvraag"), required=False, widget=_area())
    leerdoel = forms.CharField(label=_("Leerdoel"), required=False, widget=_area())
    questions = forms.CharField(label=_("Vragen aan de vakdocenten"), required=False, widget=_area())
    version = VersionField()


class StartForm(SafeForm):
    tasks = forms.CharField(
        label=_("Taakverdeling"),
        widget=_area(),
        help_text=_("Wie leidt (mentor), wie is voorzitter en tijdbewaker, wie notuleert (LB-6)."),
    )
    version = VersionField()


class DiscussionForm(SafeForm):
    strengths = forms.CharField(label=_("Sterke kanten"), required=False, widget=_area())
    concerns = forms.CharField(label=_("Wat niet goed loopt"), required=False, widget=_area())
    team_ask = forms.CharField(
        label=_("Wat vraagt deze leerling van ons als team?"), required=False, widget=_area(2)
    )
    student_needs = forms.CharField(
        label=_("Wat heeft deze leerling nodig?"), required=False, widget=_area(2)
    )
    how_to_help = forms.CharField(
        label=_("Hoe kunnen wij deze leerling zo goed mogelijk helpen binnen onze mogelijkheden?"),
        required=False,
        widget=_area(2),
    )
    notes = forms.CharField(label=_("Notities van de notulist"), required=False, widget=_area(4))
    version = VersionField()


class AgreementForm(SafeForm):
    goal = forms.CharField(
        label=_("Concreet, waarneembaar doel"),
        widget=_area(2),
        help_text=_("Wat doet de leerling, hoe vaak, wanneer (SMART, LB-9)."),
    )
    owner = forms.ModelChoiceField(label=_("Eigenaar"), queryset=StaffMember.objects.none())
    carried_out_by = forms.ModelMultipleChoiceField(
        label=_("Wie voert het uit"), queryset=StaffMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evaluate_on = forms.DateField(
        label=_("Evaluatiedatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    vague_reason = forms.CharField(
        label=_("Waarom dit doel toch meetbaar is (alleen als de controle het vaag vindt)"),
        required=False,
        widget=_area(2),
    )
    action_plan_title = forms.CharField(
        label=_("Handelingsplan (naam, optioneel)"), required=False, max_length=200
    )
    version = VersionField()

    def __init__(self, *args, staff=None, **kwargs):
        """`staff`: the staff to choose from, a queryset or (issue 13) the rows the view read once for every
        form on the screen (a SharedChoices, or a list of staff members)."""
        super().__init__(*args, **kwargs)
        if isinstance(staff, list):
            staff = SharedChoices.of_objects(staff)
        if isinstance(staff, SharedChoices):
            shared = staff
            staff = StaffMember.objects.filter(
                pk__in=[s.pk for s in shared.objects]
            )  # what a post validates on
        else:
            shared = None
        queryset = staff if staff is not None else StaffMember.objects.none()
        for name in ("owner", "carried_out_by"):
            self.fields[name].queryset = queryset
            if shared is not None:
                shared.attach(self.fields[name])


class ReferralForm(SafeForm):
    target = forms.ChoiceField(label=_("Naar"), choices=ReferralTarget.choices)
    question = forms.CharField(label=_("Vraag"), widget=_area(2))
    reason = forms.CharField(label=_("Reden"), widget=_area(2))


class AnswerForm(SafeForm):
    answer = forms.CharField(label=_("Antwoord"), widget=_area(4))


class EvaluationForm(SafeForm):
    outcome = forms.ChoiceField(
        label=_("Resultaat"), choices=EvaluationOutcome.choices, widget=forms.RadioSelect
    )
    what_next = forms.CharField(label=_("Hoe verder"), widget=_area(3))


class FollowUpForm(SafeForm):
    summary = forms.CharField(label=_("Verslag"), widget=_area(4))
