"""The student's behaviour page (step, position, proposal, recent incidents), the ladder's actions
(confirm a measure, ask for step 2, consent, aftercare, a bullying flag) and a group's "who is where"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from audit.audit import audit_request
from protocols.exceptions import ProtocolViolation
from schools.cleaning import SafeForm
from schools.models import Group, Student
from schools.views.common import get_permitted, staff_required

from ..models_incidents import BullyingFlag, EscalationRequest, Involvement
from ..selectors import behaviour_student_queryset, group_ladder, open_case_of, student_behaviour
from ..services import incidents as incident_service
from ..services import ladder as service

DENIED = "behaviour.view_denied"


class MeasureForm(SafeForm):
    maatregel = forms.ChoiceField(label=_("Maatregel"))
    reden = forms.CharField(label=_("Reden van afwijken van het voorstel"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    gastklas = forms.ModelChoiceField(
        label=_("Opgevangen in klas"), queryset=Group.objects.none(), required=False
    )
    werk = forms.CharField(
        label=_("Meegegeven werk"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, case, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maatregel"].choices = [(p.code, p.label) for p in service.positions(case)]
        if proposal is not None and proposal.code != service.STEP_2:
            self.fields["maatregel"].initial = proposal.code
        self.fields["gastklas"].queryset = Group.objects.filter(school_id=case.school_id).order_by("name")
        self.fields["versie"].initial = case.row_version


class EscalationForm(SafeForm):
    regel = forms.ChoiceField(
        label=_("Waarom stap 2"),
        choices=[("GP-7", _("het gedrag is structureel (GP-7)")), ("GP-6", _("ernstig incident (GP-6)"))],
    )
    reden = forms.CharField(label=_("Toelichting"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(SafeForm):
    besluit = forms.ChoiceField(
        label=_("Besluit"), choices=[("ja", _("Ik stem in")), ("nee", _("Ik stem niet in"))]
    )
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AftercareForm(SafeForm):
    nazorg = forms.CharField(max_length=100)


def _student(request: HttpRequest, pk, perm: str, queryset=None) -> Student:
    queryset = Student.objects.select_related("school") if queryset is None else queryset
    return get_permitted(request, queryset, pk, perm, action=DENIED)


def _context(request: HttpRequest, student: Student, **forms_) -> dict:
    data = student_behaviour(student)
    case = data["case"]
    if case is not None and "measure_form" not in forms_:
        forms_["measure_form"] = MeasureForm(case=case, proposal=data["proposal"])
    forms_.setdefault("escalation_form", EscalationForm())
    return {
        "student": student,
        **data,
        **forms_,
        "may_confirm": request.user.has_perm("behaviour.confirm_measure", student),
    }


@staff_required
def student_page(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student(request, pk, "behaviour.view_student", behaviour_student_queryset())
    audit_request(request, action="behaviour.page.viewed", obj=student, student=student)
    return render(request, "behaviour/student.html", _context(request, student))


def _refused(request, student, status=422, **forms_) -> HttpResponse:
    return render(request, "behaviour/student.html", _context(request, student, **forms_), status=status)


@staff_required
@require_POST
def confirm_measure(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student(request, pk, "behaviour.confirm_measure")
    case = open_case_of(student)
    if case is None:
        messages.error(request, gettext("Deze leerling heeft nog geen incident op de ladder."))
        return redirect("behaviour_student", student.pk)
    form = MeasureForm(request.POST, case=case, proposal=service.propose_next_measure(case))
    if form.is_valid():
        data = form.cleaned_data
        case.row_version = data["versie"]  # the version the teacher saw: a change in between is refused
        try:
            service.confirm_measure(actor=request.user, case=case, measure=data["maatregel"], deviation_reason=data["reden"],
                                    host_group=data["gastklas"], work_given=data["werk"])  # fmt: skip
        except (ProtocolViolation, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or error)
        else:
            messages.success(request, gettext("De maatregel is vastgelegd."))
            return redirect("behaviour_student", student.pk)
    return _refused(request, student, measure_form=form)


@staff_required
@require_POST
def request_escalation(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student(request, pk, "behaviour.request_escalation")
    case = open_case_of(student)
    form = EscalationForm(request.POST)
    if case is None:
        form.add_error(None, gettext("Deze leerling heeft nog geen incident op de ladder."))
    elif form.is_valid():
        try:
            service.request_escalation(
                actor=request.user,
                case=case,
                rule=form.cleaned_data["regel"],
                reason=form.cleaned_data["reden"],
            )
        except ProtocolViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, gettext("De directeur en de gedragsspecialist zijn om instemming gevraagd.")
            )
            return redirect("behaviour_student", student.pk)
    return _refused(request, student, escalation_form=form)


@staff_required
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """GP-6, GP-7: the director or the behaviour specialist decides on a request for step 2."""
    escalation = get_permitted(
        request, EscalationRequest.objects.select_related("case__student__school", "requested_by"), pk,
        "behaviour.give_consent", action=DENIED, student_field="case__student_id",
    )  # fmt: skip
    student = escalation.case.student
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        agreed = form.cleaned_data["besluit"] == "ja"
        try:
            service.give_consent(
                actor=request.user, request=escalation, agreed=agreed, note=form.cleaned_data["toelichting"]
            )
        except ProtocolViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Je besluit is vastgelegd."))
            return redirect("home")
    status = 422 if form.errors else 200
    consents = list(escalation.consents.select_related("staff"))
    return render(request, "behaviour/consent.html", {"escalation": escalation, "student": student, "form": form,
                                                      "consents": consents}, status=status)  # fmt: skip


@staff_required
@require_POST
def aftercare(request: HttpRequest, pk: int) -> HttpResponse:
    involvement = get_permitted(
        request, Involvement.objects.select_related("student__school", "incident"), pk,
        "behaviour.record_aftercare", action=DENIED, student_field="student_id",
    )  # fmt: skip
    form = AftercareForm(request.POST)
    if form.is_valid():
        try:
            incident_service.record_aftercare(
                actor=request.user, involvement=involvement, item=form.cleaned_data["nazorg"]
            )
        except ProtocolViolation as error:
            messages.error(request, error.message)
            return _refused(request, involvement.student)
        messages.success(request, gettext("De nazorg is vastgelegd."))
        return redirect("behaviour_student", involvement.student_id)
    return _refused(request, involvement.student)


@staff_required
@require_POST
def handle_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_permitted(request, BullyingFlag.objects.select_related("school", "student"), pk,
                         "behaviour.handle_bullying_flag", action=DENIED, student_field="student_id")  # fmt: skip
    incident_service.handle_bullying_flag(actor=request.user, flag=flag)
    messages.success(request, gettext("De melding is afgehandeld."))
    return redirect("home")


@staff_required
def group_page(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_permitted(
        request, Group.objects.select_related("school"), pk, "behaviour.view_group", action=DENIED
    )
    rows = group_ladder(group)
    return render(request, "behaviour/group.html", {"group": group, "rows": rows})


urlpatterns = [
    path("gedrag/leerling/<int:pk>/", student_page, name="behaviour_student"),
    path("gedrag/leerling/<int:pk>/maatregel/", confirm_measure, name="behaviour_confirm_measure"),
    path("gedrag/leerling/<int:pk>/stap-2/", request_escalation, name="behaviour_request_escalation"),
    path("gedrag/instemming/<int:pk>/", consent, name="behaviour_consent"),
    path("gedrag/nazorg/<int:pk>/", aftercare, name="behaviour_aftercare"),
    path("gedrag/pesten/<int:pk>/", handle_flag, name="behaviour_bullying_flag"),
    path("gedrag/groep/<int:pk>/", group_page, name="behaviour_group"),
]
