"""Forms of the review cycle (every form a SafeForm: hostile input is refused with a Dutch message)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.cleaning import SafeForm
from schools.models import Role, StaffMember


class RoundForm(SafeForm):
    number = forms.IntegerField(label=_("ronde"), min_value=1, max_value=12)
    title = forms.CharField(label=_("naam"), max_length=100, required=False)


class MeetingForm(SafeForm):
    group = forms.ModelChoiceField(label=_("groep / klas"), queryset=None)
    date = forms.DateField(label=_("datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("tijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("plaats"), max_length=100, required=False)
    leader = forms.ModelChoiceField(label=_("gespreksleider (mentor)"), queryset=None)
    chair = forms.ModelChoiceField(label=_("voorzitter (zorgcoördinator)"), queryset=None)
    minute_taker = forms.ModelChoiceField(label=_("notulist"), queryset=None, required=False)

    def __init__(self, *args, groups, school, **kwargs):
        super().__init__(*args, **kwargs)
        staff = StaffMember.objects.filter(school=school, active=True)
        self.fields["group"].queryset = groups
        self.fields["leader"].queryset = staff.filter(mentor_of__in=groups).distinct()
        self.fields["chair"].queryset = staff.filter(role_assignments__role=Role.CARE_COORDINATOR).distinct()
        # Every colleague of this school may take minutes; another school's id is "not a valid choice".
        self.fields["minute_taker"].queryset = staff


class MoveForm(SafeForm):
    date = forms.DateField(label=_("nieuwe datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("tijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.CharField(label=_("reden"), max_length=200, required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CancelForm(SafeForm):
    reason = forms.CharField(label=_("reden"), max_length=200)
    row_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SignalForm(SafeForm):
    text = forms.CharField(
        label=_("Wat viel je op?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class LeaveForm(SafeForm):
    reason = forms.CharField(label=_("reden"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(SafeForm):
    decision = forms.ChoiceField(
        label=_("besluit"), choices=[("approve", _("toekennen")), ("deny", _("afwijzen"))]
    )
    reason = forms.CharField(
        label=_("toelichting"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WrittenInputForm(SafeForm):
    student = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    text = forms.CharField(label=_("inbreng"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
