"""Pages of the measures: start a time-out or a suspension, read them, the director's SV-4 file and
its PDF, the overview of open measures and the yearly counts. The board's screen: views_board.py."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from audit.audit import audit_request
from protocols.exceptions import ProtocolViolation
from schools.access import get_access
from schools.models import Student
from schools.views.common import get_permitted, staff_required

from . import selectors
from .director_file import director_file, director_file_pdf
from .forms import (
    ExpulsionOpenForm,
    ExpulsionStepForm,
    NationalTestForm,
    ParentsViewForm,
    SuspensionForm,
    SuspensionStepForm,
    TimeOutForm,
    TimeOutStepForm,
)
from .models import ExpulsionCase, Suspension, TimeOut
from .services import expulsions as expulsion_service
from .services import suspensions as suspension_service
from .services import timeouts as time_out_service
from .services.common import deadlines_of, version_for

DENIED = "measures.case.view_denied"


def _errors(form, error) -> None:
    form.add_error(None, error.message if isinstance(error, ProtocolViolation) else error)


def school_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    return start, datetime.date(start.year + 1, 7, 31)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The director's (and the board's) overview of open measures and their deadlines; yearly counts."""
    access = get_access(request.user)
    start, end = school_year(timezone.localdate())
    if access.is_director and request.school is not None:
        school_ids = [request.school.pk]
        context = {"deadlines": selectors.open_deadlines(school_ids), "expulsions": selectors.open_expulsions(school_ids),
                   "counts": selectors.yearly_counts(school_ids, start, end), "board": False}  # fmt: skip
    elif access.is_board_member:
        # The board sees expulsion cases and counts of its schools, no other care content (AVG-4).
        from schools.models import School

        with scopes_disabled():
            school_ids = list(
                School.objects.filter(board_id__in=access.board_ids).values_list("pk", flat=True)
            )
            context = {"deadlines": [], "expulsions": list(selectors.open_expulsions(school_ids)),
                       "counts": selectors.yearly_counts(school_ids, start, end), "board": True}  # fmt: skip
    else:
        raise Http404
    context.update(year_start=start, year_end=end)
    return render(request, "measures/overview.html", context)


@staff_required
def time_out_new(request: HttpRequest, student_pk: int) -> HttpResponse:
    student = get_permitted(
        request, Student.objects.all(), student_pk, "measures.impose_time_out", action=DENIED
    )
    form = TimeOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            time_out = time_out_service.impose_time_out(
                actor=request.user, student=student, **form.cleaned_data
            )
        except (ValidationError, ProtocolViolation) as error:
            _errors(form, error)
        else:
            messages.success(request, _("De time-out is vastgelegd. Neem vandaag contact op met de ouders."))
            if request.user.has_perm("measures.view_measure", time_out):
                return redirect("measures_time_out", time_out.pk)
            return redirect("dossier_timeline", student.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "measures/time_out_form.html", {"form": form, "student": student}, status=status)


@staff_required
def time_out_detail(request: HttpRequest, pk: int) -> HttpResponse:
    time_out = get_permitted(request, TimeOut.objects.select_related("student", "report"), pk, "measures.view_measure",
                             action=DENIED, student_field="student_id")  # fmt: skip
    audit_request(request, action="measures.case.viewed", obj=time_out, student=time_out.student)
    return render(request, "measures/time_out_detail.html",
                  {"time_out": time_out, "deadlines": deadlines_of(time_out), "form": TimeOutStepForm()})  # fmt: skip


def _student_to_manage(request: HttpRequest, student_pk: int, *, page: str) -> Student:
    """A student the viewer may see and take measures for; otherwise a 404 with an audit row (AVG-4)."""
    student = get_permitted(request, Student.objects.all(), student_pk, "schools.view_student", action=DENIED)
    if not request.user.has_perm("measures.manage_measure", student):
        audit_request(request, action=DENIED, student=student, success=False, data={"page": page})
        raise Http404
    return student


@staff_required
def suspension_new(request: HttpRequest, student_pk: int) -> HttpResponse:
    student = _student_to_manage(request, student_pk, page="suspension_new")
    grounds = version_for(request.school).value("suspension_grounds")
    form = SuspensionForm(request.POST or None, school=request.school, grounds=grounds)
    if request.method == "POST" and form.is_valid():
        try:
            suspension = suspension_service.suspend(actor=request.user, student=student, **form.cleaned_data)
        except (ValidationError, ProtocolViolation) as error:
            _errors(form, error)
        else:
            messages.success(request, _("De schorsing is vastgelegd en de brief aan de ouders is verstuurd."))
            return redirect("measures_suspension", suspension.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "measures/suspension_form.html", {"form": form, "student": student}, status=status)


@staff_required
def suspension_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suspension = get_permitted(request, Suspension.objects.select_related("student", "contact_person"), pk,
                               "measures.view_measure", action=DENIED, student_field="student_id")  # fmt: skip
    form = SuspensionStepForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("measures.manage_measure", suspension):
            raise Http404
        if form.is_valid():
            step = form.cleaned_data["step"]
            action = {"board_informed": suspension_service.record_board_informed,
                      "inspectorate_filed": suspension_service.record_inspectorate_filed,
                      "attendance_officer": suspension_service.notify_attendance_officer}[step]  # fmt: skip
            try:
                action(actor=request.user, suspension=suspension)
            except (ValidationError, ProtocolViolation) as error:
                _errors(form, error)
            else:
                messages.success(request, _("Vastgelegd."))
                return redirect("measures_suspension", suspension.pk)
    audit_request(request, action="measures.case.viewed", obj=suspension, student=suspension.student)
    return render(request, "measures/suspension_detail.html",
                  {"suspension": suspension, "form": form, "deadlines": deadlines_of(suspension),
                   "test_form": NationalTestForm(), "view_form": ParentsViewForm()},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@staff_required
def expulsion_new(request: HttpRequest, student_pk: int) -> HttpResponse:
    """SV-3: the director opens an expulsion case; the board decides later on its own screen."""
    student = _student_to_manage(request, student_pk, page="expulsion_new")
    form = ExpulsionOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = expulsion_service.open_expulsion(actor=request.user, student=student, **form.cleaned_data)
        except (ValidationError, ProtocolViolation) as error:
            _errors(form, error)
        else:
            messages.success(request, _("De verwijderingszaak is geopend."))
            return redirect("measures_expulsion", case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "measures/expulsion_form.html", {"form": form, "student": student}, status=status)


def _expulsion(request: HttpRequest, pk: int) -> ExpulsionCase:
    """The case with what its file shows (selectors.expulsion_file_cases: one query, issue #13)."""
    return get_permitted(request, selectors.expulsion_file_cases(), pk,
                         "measures.manage_measure", action=DENIED, student_field="student_id")  # fmt: skip


def expulsion_page(case: ExpulsionCase, form) -> dict:
    """The context of the director's file page (also the step form's page when it is refused)."""
    file = director_file(case)
    return {"case": file.case, "file": file, "deadlines": file.deadlines, "objections": file.objections,
            "contacts": file.contacts, "form": form}  # fmt: skip


@staff_required
def expulsion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """SV-4: the director's file of the case, on one page."""
    case = _expulsion(request, pk)
    audit_request(request, action="measures.case.viewed", obj=case, student=case.student)
    return render(request, "measures/expulsion_detail.html", expulsion_page(case, ExpulsionStepForm()))


@staff_required
def expulsion_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """SV-4: the file as one PDF with a table of contents."""
    case = _expulsion(request, pk)
    pdf = director_file_pdf(case)
    audit_request(request, action="measures.file.exported", obj=case, student=case.student)
    response = HttpResponse(pdf, content_type="application/pdf")
    # AVG-4: a neutral file name.
    response["Content-Disposition"] = f'attachment; filename="dossier-verwijdering-{case.pk}.pdf"'
    return response
