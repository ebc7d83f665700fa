"""Forms of the measures pages (SafeForm: no control characters, bounded numbers and dates)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.cleaning import SafeForm
from schools.models import StaffMember

from .models import DayPart, NationalTestDecision, SuspensionMode

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


class ExpulsionOpenForm(SafeForm):
    """SV-3: the director opens an expulsion case (only when nothing else works)."""

    ground = forms.CharField(
        label=_("Grond voor verwijdering"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    rules_exist = forms.BooleanField(
        label=_("De school heeft gedragsregels (SV-3)"), required=False, initial=True
    )


class SuspensionStepForm(SafeForm):
    step = forms.ChoiceField(
        label=_("Stap"),
        choices=[
            ("board_informed", _("Bestuur geïnformeerd")),
            ("inspectorate_filed", _("Gemeld in het Internet Schooldossier")),
            ("attendance_officer", _("Melding naar de leerplichtambtenaar sturen")),
        ],
    )


class NationalTestForm(SafeForm):
    """SV-2: the director admits the suspended student for the national test, or provides material."""

    decision = forms.ChoiceField(
        label=_("Besluit over de landelijke toets"),
        choices=[(NationalTestDecision.ADMIT, NationalTestDecision.ADMIT.label),
                 (NationalTestDecision.MATERIAL, NationalTestDecision.MATERIAL.label)],
        widget=forms.RadioSelect,
    )  # fmt: skip


class ParentsViewForm(SafeForm):
    """SV-2: the parents' view on the suspension, given to the board."""

    text = forms.CharField(
        label=_("Zienswijze van de ouders aan het bestuur"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class BoardDecisionForm(SafeForm):
    effective_on = forms.DateField(label=_("Datum van verwijdering"), widget=DATE)
    reasons = forms.CharField(
        label=_("Toelichting van het bestuur"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class TimeOutStepForm(SafeForm):
    step = forms.ChoiceField(
        label=_("Stap"),
        choices=[
            ("contacted", _("Ouders geïnformeerd")),
            ("report", _("Verslag van incident en gesprek maken (ter ondertekening door de ouders)")),
            ("extend", _("Time-out één dag verlengen")),
        ],
    )
    text = forms.CharField(label=_("Verslag of reden"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=5000)  # fmt: skip


class ExpulsionStepForm(SafeForm):
    step = forms.ChoiceField(
        label=_("Stap"),
        choices=[
            ("warning", _("Schriftelijke waarschuwing versturen")),
            ("warning_omitted", _("Reden vastleggen waarom geen waarschuwing")),
            ("teachers", _("Verslag horen leraar/leraren")),
            ("parents", _("Verslag horen ouders")),
            ("student", _("Verslag horen leerling (vo)")),
            ("reports", _("Ondertekende verslagen naar leerplicht en inspectie")),
            ("inspectorate", _("Overleg met de inspectie vastleggen")),
            ("school", _("Benaderde school vastleggen")),
            ("objection", _("Bezwaar van de ouders ontvangen")),
            ("commission", _("Ouders gingen naar de Geschillencommissie")),
            ("opinion", _("Oordeel van de Geschillencommissie ontvangen")),
            ("final", _("Verwijdering definitief maken")),
        ],
    )
    text = forms.CharField(
        label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    school_name = forms.CharField(label=_("Naam van de school"), required=False, max_length=200)
    on_date = forms.DateField(label=_("Datum"), widget=DATE, required=False)
    agreed = forms.BooleanField(label=_("De school laat de leerling toe"), required=False)


class ObjectionDecisionForm(SafeForm):
    objection = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    step = forms.ChoiceField(
        label=_("Stap"), choices=[("hear", _("Ouders gehoord")), ("decide", _("Beslissen"))]
    )
    on_date = forms.DateField(label=_("Gehoord op"), widget=DATE, required=False)
    outcome = forms.CharField(label=_("Beslissing op het bezwaar"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=5000)  # fmt: skip
    upheld = forms.BooleanField(label=_("Bezwaar gegrond (verwijdering vervalt)"), required=False)
    follows_opinion = forms.BooleanField(label=_("Het bestuur volgt het oordeel van de Geschillencommissie"),
                                         required=False, initial=True)  # fmt: skip
    departs_reason = forms.CharField(label=_("Waarom het bestuur afwijkt"), widget=forms.Textarea(attrs={"rows": 2}),
                                     required=False, max_length=5000)  # fmt: skip
