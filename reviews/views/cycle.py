"""Pages of the review cycle: planning rounds and meetings (LB-1, LB-6, LB-15), the meeting's cycle
page (schedule, lists, leave), moving and cancelling, leave (LB-2, LB-12)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.audit import audit_request
from deadlines.models import Deadline
from deadlines.services.deadline_schedules import schedules_for
from protocols.exceptions import ProtocolViolation
from schools.models import Group, SchoolYear, Student
from schools.views.common import get_permitted, staff_required

from ..forms_cycle import (
    CancelForm,
    DecideForm,
    LeaveForm,
    MeetingForm,
    MoveForm,
    RoundForm,
    WrittenInputForm,
)
from ..models import ReviewMeeting, ReviewRound
from ..models_cycle import LeaveRequest, LeaveState, SignalAssignment, WrittenInput
from ..selectors import group_students, is_expected
from ..services.leave import (
    approved_leave,
    confirm_agreements_read,
    decide_leave,
    request_leave,
    save_written_input,
)
from ..services.planning import (
    cancel_review_meeting,
    move_review_meeting,
    plan_review_meeting,
    plan_review_round,
)
from ..services.signals import open_signal_round

DENIED = "reviews.access_denied"


def _message(exc: Exception) -> str:
    return exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)


def _attempt(request, action: Callable[[], object], success: str) -> object | None:
    """Run a service for a POST view: its refusal becomes an error message, else `success` is shown.
    Returns the service's result, or None when it was refused."""
    try:
        result = action()
    except (ProtocolViolation, ValidationError) as exc:
        messages.error(request, _message(exc))
        return None
    messages.success(request, success)
    return result


def _current_year(school) -> SchoolYear | None:
    today = timezone.localdate()
    return SchoolYear.objects.filter(school=school, start__lte=today, end__gte=today).first()


def _organiser(request) -> None:
    if not request.user.has_perm("reviews.plan_round", request.school):
        audit_request(request, action=DENIED, data={"page": "planning"}, success=False)
        raise Http404


def _at(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, time))


@staff_required
def planning(request: HttpRequest) -> HttpResponse:
    """LB-1, LB-15: the rounds of this school year and their meetings, for the organisers."""
    _organiser(request)
    year = _current_year(request.school)
    rounds = (
        list(ReviewRound.objects.filter(school_year=year).prefetch_related("meetings__group")) if year else []
    )
    form = RoundForm(initial={"number": len(rounds) + 1})
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid() and year is not None:
            try:
                plan_review_round(actor=request.user, school_year=year, number=form.cleaned_data["number"],
                                  title=form.cleaned_data["title"])  # fmt: skip
            except (ProtocolViolation, ValidationError) as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, _("De ronde is gepland."))
                return redirect("reviews_planning")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reviews/cycle/planning.html", {"rounds": rounds, "year": year, "form": form}, status=status
    )


@staff_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """LB-1, LB-6: a meeting per group with date, time, place, leader, chair and minute-taker."""
    review_round = get_permitted(request, ReviewRound.objects.select_related("school_year", "school"), pk,
                                 "reviews.plan_round", action=DENIED)  # fmt: skip
    # Issue 13: the permission reads each group's school: with the groups (was a query per group).
    groups = (
        Group.objects.filter(school_year=review_round.school_year)
        .select_related("school")
        .order_by("year_level", "name")
    )
    groups = Group.objects.filter(
        pk__in=[g.pk for g in groups if request.user.has_perm("reviews.plan_meeting", g)]
    )
    form = MeetingForm(request.POST or None, groups=groups, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planned = plan_review_meeting(
                actor=request.user, review_round=review_round, group=data["group"],
                starts_at=_at(data["date"], data["time"]), place=data["place"], leader=data["leader"],
                chair=data["chair"], minute_taker=data["minute_taker"],
            )  # fmt: skip
        except (ProtocolViolation, ValidationError) as exc:
            form.add_error(None, _message(exc))
        else:
            for warning in planned.warnings:
                messages.warning(request, warning)
            messages.success(request, _("De bespreking is gepland; de termijnen staan klaar."))
            return redirect("reviews_meeting_cycle", planned.meeting.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reviews/cycle/meeting_form.html", {"round": review_round, "form": form}, status=status
    )


def _meeting(request, pk) -> ReviewMeeting:
    queryset = ReviewMeeting.objects.select_related(
        "group__school", "leader", "chair", "minute_taker", "round", "school", "signal_round"
    )
    return get_permitted(request, queryset, pk, "reviews.view_meeting", action=DENIED)


@staff_required
def meeting_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's cycle: the schedule, the lists' progress per teacher, leave (LB-2, LB-4, LB-5)."""
    meeting = _meeting(request, pk)
    staff = request.access.staff
    schedule_ids = [s.pk for s in schedules_for(meeting)]
    # Issue 13: each step's owner with the step (was a query per step shown).
    steps = (
        Deadline.objects.filter(schedule_id__in=schedule_ids)
        .exclude(step_code__startswith="attend:")
        .select_related("owner")
    )
    round_ = getattr(meeting, "signal_round", None) if _has_round(meeting) else None
    assignments = []
    if round_ is not None:
        assignments = list(
            SignalAssignment.objects.filter(round=round_)
            .select_related("teacher")
            .order_by("teacher__last_name")
        )
    organiser = request.user.has_perm("reviews.plan_meeting", meeting)
    # One read of the meeting's leave requests (a few: the group's teachers) for the list and for my own.
    every_leave = list(meeting.leave_requests.select_related("teacher"))
    leave_requests = (
        every_leave if organiser or request.access.is_department_head or request.access.is_director else []
    )
    my_leave = next(
        (leave for leave in every_leave if staff is not None and leave.teacher_id == staff.pk), None
    )
    before_start = meeting.starts_at > timezone.now()
    context = {
        "meeting": meeting,
        "steps": steps.order_by("due_on", "pk"),
        "round": round_,
        "assignments": assignments,
        "organiser": organiser,
        "may_open": round_ is None and (organiser or staff.pk == meeting.leader_id),
        "leave_requests": leave_requests,
        "my_leave": my_leave,
        # The cheap conditions first: before the start only leave, after it only confirming (one check).
        "may_request_leave": my_leave is None and before_start and meeting.state == "planned"
        and request.user.has_perm("reviews.request_leave", meeting),
        "may_confirm_read": not before_start and is_expected(meeting, staff),
        "move_form": MoveForm(initial={"row_version": meeting.row_version, "date": timezone.localdate(meeting.starts_at),
                                       "time": timezone.localtime(meeting.starts_at).time()}),
        "cancel_form": CancelForm(initial={"row_version": meeting.row_version}),
        "leave_form": LeaveForm(),
    }  # fmt: skip
    return render(request, "reviews/cycle/meeting.html", context)


def _has_round(meeting: ReviewMeeting) -> bool:
    try:
        meeting.signal_round  # noqa: B018
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return True


@staff_required
@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_permitted(request, ReviewMeeting.objects.all(), pk, "reviews.plan_meeting", action=DENIED)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Controleer de nieuwe datum en tijd."))
        return redirect("reviews_meeting_cycle", meeting.pk)
    data = form.cleaned_data
    _attempt(request, lambda: move_review_meeting(
        actor=request.user, meeting=meeting, starts_at=_at(data["date"], data["time"]), reason=data["reason"],
        row_version=data["row_version"],
    ), _("De bespreking is verplaatst; elke termijn schoof mee."))  # fmt: skip
    return redirect("reviews_meeting_cycle", meeting.pk)


@staff_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_permitted(request, ReviewMeeting.objects.all(), pk, "reviews.plan_meeting", action=DENIED)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een reden voor het annuleren."))
        return redirect("reviews_meeting_cycle", meeting.pk)
    _attempt(request, lambda: cancel_review_meeting(
        actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"],
        row_version=form.cleaned_data["row_version"],
    ), _("De bespreking is geannuleerd; de termijnen zijn ingetrokken."))  # fmt: skip
    return redirect("reviews_meeting_cycle", meeting.pk)


@staff_required
@require_POST
def signal_round_open(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _attempt(request, lambda: open_signal_round(actor=request.user, meeting=meeting),
             _("De signaleringslijsten zijn uitgezet."))  # fmt: skip
    return redirect("reviews_meeting_cycle", meeting.pk)


@staff_required
@require_POST
def leave_request(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een reden voor je verlofaanvraag."))
        return redirect("reviews_meeting_cycle", meeting.pk)
    leave = _attempt(request, lambda: request_leave(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]),
                     _("Je verlofaanvraag is verstuurd."))  # fmt: skip
    if leave is None:
        return redirect("reviews_meeting_cycle", meeting.pk)
    return redirect("reviews_leave_detail", leave.pk)


def _leave(request, pk) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.select_related("meeting__group", "meeting__school", "teacher", "decided_by")
        .filter(pk=pk)
        .first()
    )
    staff = request.access.staff
    if leave is None or not (
        leave.teacher_id == staff.pk or request.user.has_perm("reviews.decide_leave", leave)
    ):
        audit_request(
            request, action=DENIED, data={"model": "reviews.leaverequest", "pk": str(pk)}, success=False
        )
        raise Http404
    return leave


@staff_required
def leave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """LB-2: the request; the approver decides; the teacher with leave hands in written input."""
    leave = _leave(request, pk)
    meeting = leave.meeting
    is_teacher = leave.teacher_id == request.access.staff.pk
    decide_form = DecideForm()
    if request.method == "POST":
        decide_form = DecideForm(request.POST)
        if not request.user.has_perm("reviews.decide_leave", leave):
            raise Http404
        if decide_form.is_valid():
            try:
                decide_leave(actor=request.user, leave=leave, approve=decide_form.cleaned_data["decision"] == "approve",
                             reason=decide_form.cleaned_data["reason"])  # fmt: skip
            except (ProtocolViolation, ValidationError) as exc:
                decide_form.add_error(None, _message(exc))
            else:
                messages.success(request, _("Het besluit is vastgelegd en aan de docent gestuurd."))
                return redirect("reviews_leave_detail", leave.pk)
    inputs = []
    if is_teacher and leave.state == LeaveState.APPROVED:
        written = {
            w.student_id: w for w in WrittenInput.objects.filter(meeting=meeting, teacher=leave.teacher)
        }
        inputs = [{"student": s, "form": WrittenInputForm(initial={"student": s.pk, "text": getattr(written.get(s.pk), "text", "")},
                                                           auto_id=f"id_{s.pk}_%s")}
                  for s in group_students(meeting.group)]  # fmt: skip
    context = {
        "leave": leave,
        "meeting": meeting,
        "is_teacher": is_teacher,
        "may_decide": leave.state == LeaveState.REQUESTED
        and request.user.has_perm("reviews.decide_leave", leave),
        "decide_form": decide_form,
        "inputs": inputs,
        "before_meeting": meeting.starts_at > timezone.now(),
    }
    return render(
        request, "reviews/cycle/leave.html", context, status=422 if request.method == "POST" else 200
    )


@staff_required
@require_POST
def written_input(request: HttpRequest, pk: int) -> HttpResponse:
    leave = _leave(request, pk)
    if leave.teacher_id != request.access.staff.pk or approved_leave(leave.meeting, leave.teacher) is None:
        raise Http404
    form = WrittenInputForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf je inbreng (ten hoogste 5000 tekens)."))
        return redirect("reviews_leave_detail", leave.pk)
    student = group_students(leave.meeting.group).filter(pk=form.cleaned_data["student"]).first()
    if student is None:
        student = Student(pk=0, school_id=leave.school_id)
    _attempt(request, lambda: save_written_input(actor=request.user, meeting=leave.meeting, student=student,
                                                 text=form.cleaned_data["text"]),
             _("Je inbreng is opgeslagen."))  # fmt: skip
    return redirect("reviews_leave_detail", leave.pk)


@staff_required
@require_POST
def agreements_read(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _attempt(
        request,
        lambda: confirm_agreements_read(actor=request.user, meeting=meeting),
        _("Je hebt bevestigd dat je de afspraken hebt gelezen."),
    )
    return redirect("reviews_meeting_cycle", meeting.pk)
