"""Forms of steps 2–4 (Dutch labels; staff are addressed with "je"). Every form is a SafeForm."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.cleaning import SafeForm
from schools.models import Role, StaffMember

from .models_plans import Feedback
from .services.plans import OPTIONAL_PARTICIPANTS, participant_labels

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = ((("1"), _("ja")), (("0"), _("nee")))


def _text(label, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, max_length=4000, widget=forms.Textarea(attrs={"rows": rows})
    )


def _staff(school, role=None):
    staff = StaffMember.objects.filter(school=school, active=True)
    if role:
        staff = staff.filter(role_assignments__role=role).distinct()
    return staff.order_by("last_name", "first_name")


class CaseForm(SafeForm):
    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


class Step2TalkForm(CaseForm):
    talk_on = forms.DateField(label=_("Datum van het gesprek"), widget=DATE)
    participants = forms.MultipleChoiceField(label=_("Aanwezig"), widget=forms.CheckboxSelectMultiple)
    desired_behaviour = _text(_("Gewenst gedrag"))
    reward = _text(_("Beloning"), required=False, rows=2)
    sanction = _text(_("Sanctie bij grensoverschrijdend gedrag"), required=False, rows=2)
    consequences = forms.MultipleChoiceField(
        label=_("Consequenties (GP-11)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    feedback_frequency = forms.ChoiceField(label=_("Terugkoppeling aan de ouders"), choices=Feedback.choices)
    feedback_channel = forms.ChoiceField(label=_("Manier van terugkoppelen"))
    teacher = forms.ModelChoiceField(
        label=_("Leerkracht die terugkoppelt"), queryset=StaffMember.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.case
        self.fields["participants"].choices = list(participant_labels().items())
        self.fields["participants"].initial = ["student", "teacher", "parents"]
        self.fields["consequences"].choices = [(c, c) for c in case.setting("step2_consequences")]
        self.fields["feedback_channel"].choices = [(c, c) for c in case.setting("step2_feedback_channels")]
        self.fields["feedback_frequency"].initial = case.setting("step2_feedback_frequency")
        self.fields["teacher"].queryset = _staff(case.school)
        self.fields["talk_on"].initial = timezone.localdate()


class FeedbackForm(CaseForm):
    given_on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    summary = _text(_("Wat heb je teruggekoppeld?"))


class Step2EvaluationForm(CaseForm):
    effective = forms.TypedChoiceField(
        label=_("Was het plan effectief?"),
        choices=YES_NO,
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    notes = _text(_("Uitkomst van de evaluatie"))
    director = forms.ModelChoiceField(label=_("Besloten met de directeur (GP-12)"), required=False,
                                      queryset=StaffMember.objects.none())  # fmt: skip
    care_coordinator = forms.ModelChoiceField(label=_("en de intern begeleider (GP-12)"), required=False,
                                              queryset=StaffMember.objects.none())  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = _staff(self.case.school, Role.DIRECTOR)
        self.fields["care_coordinator"].queryset = _staff(self.case.school, Role.CARE_COORDINATOR)


class Step3TalkForm(CaseForm):
    talk_on = forms.DateField(label=_("Datum van het gesprek"), widget=DATE)
    participants = forms.MultipleChoiceField(label=_("Aanwezig"), widget=forms.CheckboxSelectMultiple)
    agreements = _text(_("Afspraken over gewenst gedrag"))
    measure = _text(_("Maatregel bij grensoverschrijdend gedrag"))
    after_school = forms.BooleanField(
        label=_("Nablijven na schooltijd als richtlijn (GP-19)"), required=False
    )
    timeout_allowed = forms.BooleanField(
        label=_("Time-out bij de directeur toegestaan (GP-17)"), required=False
    )
    timeout_per_week = forms.IntegerField(
        label=_("Ten hoogste zo vaak per week"), required=False, min_value=1, max_value=5
    )
    timeout_minutes = forms.IntegerField(
        label=_("Duur (minuten)"), required=False, min_value=5, max_value=240
    )
    deputies = forms.ModelMultipleChoiceField(label=_("Vervangers van de directeur"), required=False,
                                              queryset=StaffMember.objects.none())  # fmt: skip
    serious = forms.BooleanField(
        label=_("Ernstig: de directeur schuift aan bij de voortgangsgesprekken"), required=False
    )
    progress_owner = forms.ModelChoiceField(
        label=_("Voortgangsgesprekken door"), queryset=StaffMember.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        school = self.case.school
        self.fields["participants"].choices = list(participant_labels().items())
        self.fields["participants"].initial = [
            "student",
            "teacher",
            "parents",
            "director",
            *OPTIONAL_PARTICIPANTS[1:2],
        ]
        self.fields["deputies"].queryset = _staff(school)
        self.fields["progress_owner"].queryset = (
            _staff(school)
            .filter(role_assignments__role__in=[Role.BEHAVIOUR_SPECIALIST, Role.CARE_COORDINATOR])
            .distinct()
        )
        self.fields["talk_on"].initial = timezone.localdate()


class ProgressForm(CaseForm):
    held_on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    summary = _text(_("Wat kwam eruit?"))
    director_present = forms.BooleanField(label=_("De directeur was erbij"), required=False)
    feedback_given = forms.BooleanField(
        label=_("Teruggekoppeld aan alle betrokkenen"), required=False, initial=True
    )


class ExternalContactForm(CaseForm):
    agency = forms.CharField(label=_("Instantie"), max_length=200)
    parents_position = _text(_("Wat de ouders van het advies vinden"), rows=2)
    summary = _text(_("Het contact"))


class Step3EvaluationForm(CaseForm):
    final = forms.TypedChoiceField(
        label=_("Soort evaluatie"), choices=(("0", _("tussenevaluatie")), ("1", _("eindevaluatie"))),
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )  # fmt: skip
    effective = forms.TypedChoiceField(
        label=_("Werken de afspraken?"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    notes = _text(_("Uitkomst van de evaluatie"))


class PlacementForm(CaseForm):
    host_group = forms.ModelChoiceField(label=_("Gastgroep"), queryset=None)
    starts_on = forms.DateField(label=_("Begint op"), widget=DATE)
    agreements = _text(_("Afspraken in het stappenplan"))
    work = _text(_("Werk (de eigen leerkracht blijft verantwoordelijk)"))

    def __init__(self, *args, groups=None, proposed=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every group of the school year, the own one too: choosing it is refused with GP-21's reason.
        self.fields["host_group"].queryset = groups
        self.fields["host_group"].initial = proposed.pk if proposed else None
        self.fields["starts_on"].initial = timezone.localdate()


class HostLogForm(CaseForm):
    text = _text(_("Notitie in het logboek"), rows=4)


class ReturnForm(CaseForm):
    kept_rules = forms.TypedChoiceField(
        label=_("Heeft de leerling zich aan de afspraken gehouden?"), choices=YES_NO,
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )  # fmt: skip
    summary = _text(_("Gesprek na de week (leerkrachten en intern begeleider)"))
    feedback = _text(_("Terugkoppeling aan alle betrokkenen"))


class ButtonForm(CaseForm):
    """A step that is one button (invite, start)."""
