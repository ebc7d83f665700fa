"""Registering an incident on a phone (GP-0 – GP-5): six taps for a typical incident, offline-tolerant.

The visible form is the student, the category, what happened, what was done, "discussed with the
student" and the button; where, when, the student's part, other students and "serious" sit under
"Meer" with their defaults (here, now, actor). The vendored script `behaviour/offline-form.js`
keeps the input in localStorage and sends it when the connection returns; the hidden `client_key`
makes a resent form land once.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from protocols.exceptions import ProtocolViolation
from protocols.registry import BEHAVIOUR
from protocols.services import current_version
from protocols.text_checks import warnings_shown
from schools.cleaning import SafeForm
from schools.forms.widgets import QuickSelect, SharedChoices
from schools.models import Student
from schools.views.common import staff_required

from ..models_incidents import Part
from ..services.incidents import register_incident

EXTRA_STUDENTS = 2


class StudentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.student_number})"


class IncidentForm(SafeForm):
    leerling = StudentChoice(
        label=_("Leerling"),
        queryset=Student.objects.none(),
        empty_label=_("Kies een leerling"),
        widget=QuickSelect,
    )
    categorie = forms.ChoiceField(label=_("Wat voor gedrag"))
    feiten = forms.CharField(
        label=_("Wat gebeurde er (feiten)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    actie = forms.CharField(
        label=_("Wat heb je gedaan"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    besproken = forms.BooleanField(label=_("Besproken met de leerling (GP-5)"), required=False)
    # Under "Meer": defaults that fit a typical incident.
    rol = forms.ChoiceField(label=_("Rol van deze leerling"), choices=Part.choices, initial=Part.ACTOR)
    waar = forms.CharField(label=_("Waar"), max_length=120, required=False)
    wanneer = forms.DateTimeField(
        label=_("Wanneer"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ernstig = forms.BooleanField(label=_("Ernstig incident (GP-6)"), required=False)
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        # The behaviour version in force, read once: the categories here, the service's checks (issue #13).
        self.protocol = current_version(school, BEHAVIOUR)
        students = Student.objects.filter(school=school, left_on__isnull=True).order_by(
            "last_name", "first_name"
        )
        self.fields["leerling"].queryset = students
        # Issue #13: the school's students read once for the three pickers, each option without a template.
        shared = SharedChoices(
            self.fields["leerling"], only=("pk", "first_name", "name_prefix", "last_name", "student_number")
        )
        shared.attach(self.fields["leerling"], gettext("Kies een leerling"))
        self.fields["categorie"].choices = [("", gettext("Kies"))] + [
            (c, c) for c in self.protocol.value("incident_categories")
        ]
        for n in range(2, EXTRA_STUDENTS + 2):
            self.fields[f"leerling_{n}"] = StudentChoice(
                label=gettext("Andere leerling %(n)s") % {"n": n - 1}, queryset=students, required=False,
                empty_label=gettext("Geen"), widget=QuickSelect,
            )  # fmt: skip
            shared.attach(self.fields[f"leerling_{n}"], gettext("Geen"))
            self.fields[f"rol_{n}"] = forms.ChoiceField(
                label=gettext("Rol van andere leerling %(n)s") % {"n": n - 1}, choices=Part.choices, initial=Part.VICTIM,
                required=False,
            )  # fmt: skip

    def clean_wanneer(self):
        value = self.cleaned_data.get("wanneer") or timezone.now()
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(gettext("Een incident is al gebeurd; kies geen moment in de toekomst."))
        return value

    def students(self) -> list[tuple[Student, str]]:
        data = self.cleaned_data
        pairs = [(data["leerling"], data["rol"])]
        for n in range(2, EXTRA_STUDENTS + 2):
            if data.get(f"leerling_{n}"):
                pairs.append((data[f"leerling_{n}"], data.get(f"rol_{n}") or Part.VICTIM))
        for student, _part in pairs:
            if student.school_id == self.school.pk:  # the pickers' queryset: always (not read again)
                student.school = self.school
        return pairs


@staff_required
def incident_new(request: HttpRequest) -> HttpResponse:
    """GP-2: any staff member of the school registers an incident."""
    school = request.access.school
    if request.method == "POST":
        form = IncidentForm(request.POST, school=school)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = register_incident(
                    actor=request.access.staff or request.user,  # the staff row the request read already
                    students=form.students(),
                    category=data["categorie"],
                    facts=data["feiten"],
                    where=data["waar"],
                    happened_at=data["wanneer"],
                    action_taken=data["actie"],
                    discussed_with_student=data["besproken"],
                    serious=data["ernstig"],
                    text_warnings=warnings_shown(request.POST),
                    client_key=data["client_key"],
                    protocol=form.protocol,
                )
            except (ProtocolViolation, ValidationError) as error:
                form.add_error(None, getattr(error, "message", None) or error)
            else:
                messages.success(request, gettext("Het incident is vastgelegd."))
                student = data["leerling"]
                if request.user.has_perm("behaviour.view_student", student):
                    target = reverse("behaviour_student", args=[student.pk])
                else:
                    target = f"{request.path}?vastgelegd={incident.pk}"
                if request.headers.get("X-Offline-Form"):
                    # The page's script sent it: it opens `target` itself, which then shows the message.
                    return HttpResponse(status=204, headers={"X-Location": target})
                return redirect(target)
        status = 422 if form.errors else 200
    else:
        initial = {"wanneer": timezone.localtime().replace(second=0, microsecond=0), "rol": Part.ACTOR}
        chosen = request.GET.get("leerling", "")
        if chosen.isdigit():
            initial["leerling"] = int(chosen)
        form = IncidentForm(initial=initial, school=school)
        status = 200
    return render(
        request,
        "behaviour/incident_form.html",
        {"form": form, "saved": "vastgelegd" in request.GET},
        status=status,
    )


urlpatterns = [path("gedrag/incident/nieuw/", incident_new, name="behaviour_incident_new")]
