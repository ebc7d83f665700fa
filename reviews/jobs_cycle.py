"""Periodic jobs of the review cycle; each is idempotent (a second run finds nothing to do)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from deadlines.models import Deadline, DeadlineState
from messaging.services import outbox
from schools import calendar
from schools.models import School, TeachingAssignment

from .models import MeetingState, ReviewMeeting
from .models_cycle import LeaveRequest, LeaveState, SignalAssignment, SignalRound, WrittenInput
from .services.planning import STEP_ATTEND, STEP_SIGNALS_OUT


def run_cycle() -> dict:
    """Open the signal rounds whose day came (LB-4), remind unfinished lists (LB-4) and missing
    written input (LB-2), and mark attendance done once the meeting day has passed."""
    counts = {"opened": 0, "teachers_added": 0, "lists_to_new_teachers": 0, "signal_reminders": 0,
              "input_reminders": 0, "attended": 0}  # fmt: skip
    with scopes_disabled():
        school_ids = list(
            ReviewMeeting.objects.filter(state=MeetingState.PLANNED)
            .values_list("school_id", flat=True)
            .distinct()
        )
    for school_id in school_ids:
        with scope(school=[school_id]):
            school = School.objects.get(pk=school_id)
            for key, value in _run_school(school).items():
                counts[key] += value
    return counts


def _late_teachers(school: School, group_id: int | None = None) -> dict:
    """LB-4, LB-5: a teacher who got a teaching assignment after the lists went out gets their signal
    list (while the round is open) and the discussion list (once sent), before the meeting."""
    from .services.preparation import send_list_to_new_teachers
    from .services.signals import add_new_teachers

    counts = {"teachers_added": 0, "lists_to_new_teachers": 0}
    today = timezone.localdate()
    rounds = SignalRound.objects.filter(
        school=school, closed_at__isnull=True, due_on__gte=today, meeting__state=MeetingState.PLANNED
    ).select_related("meeting__group", "meeting__school")
    meetings = ReviewMeeting.objects.filter(
        school=school,
        state=MeetingState.PLANNED,
        starts_at__gt=timezone.now(),
        discussion_list__sent_at__isnull=False,
    ).select_related("group", "school")
    if group_id is not None:
        rounds, meetings = rounds.filter(meeting__group_id=group_id), meetings.filter(group_id=group_id)
    for round_ in rounds:
        counts["teachers_added"] += add_new_teachers(round=round_)
    for meeting in meetings:
        counts["lists_to_new_teachers"] += send_list_to_new_teachers(meeting=meeting)
    return counts


def _run_school(school: School) -> dict:
    from .services.signals import open_signal_round

    today = timezone.localdate()
    counts = {"opened": 0, "signal_reminders": 0, "input_reminders": 0, "attended": 0}
    due_out = Deadline.objects.filter(
        school=school, step_code=STEP_SIGNALS_OUT, state=DeadlineState.OPEN, due_on__lte=today
    )
    meeting_ids = [int(d.source_id) for d in due_out]
    for meeting in ReviewMeeting.objects.filter(
        pk__in=meeting_ids, state=MeetingState.PLANNED, signal_round__isnull=True
    ):
        open_signal_round(actor=None, meeting=meeting)  # LB-4: the lists go out two weeks before
        counts["opened"] += 1
    counts.update(_late_teachers(school))
    # LB-4: those not finished are reminded `signal_reminder_school_days_before` school days before the due date.
    # A teacher whose assignment in the group ended (or who left) is not reminded any more.
    teaches = TeachingAssignment.objects.filter(
        staff_id=OuterRef("teacher_id"), group_id=OuterRef("round__meeting__group_id")
    )
    unfinished = SignalAssignment.objects.filter(
        Exists(teaches),
        round__school=school,
        finished_at__isnull=True,
        round__closed_at__isnull=True,
        round__due_on__gte=today,
        teacher__active=True,
    ).select_related("round__meeting__group", "round__meeting__protocol_version", "teacher")
    for assignment in unfinished:
        round_ = assignment.round
        days = round_.meeting.setting("signal_reminder_school_days_before")
        if calendar.add_school_days(school, today, days) < round_.due_on:
            continue
        _message, created = outbox.queue_staff_message(
            school=school, staff=assignment.teacher,
            subject=_("Herinnering: signaleringslijst %(group)s") % {"group": round_.meeting.group.name},
            body=_("Je signaleringslijst van %(group)s is nog niet af; inleveren vóór %(due)s: %(url)s")
            % {"group": round_.meeting.group.name, "due": f"{round_.due_on:%d-%m-%Y}",
               "url": reverse("reviews_signal_grid", args=[round_.pk])},
            idempotency_key=f"reviews-signal-reminder-{assignment.pk}-{round_.due_on:%Y%m%d}",
        )  # fmt: skip
        counts["signal_reminders"] += int(created)
    # LB-2: an absent teacher without written input is reminded before the meeting.
    approved = LeaveRequest.objects.filter(
        school=school,
        state=LeaveState.APPROVED,
        meeting__state=MeetingState.PLANNED,
        meeting__starts_at__gt=timezone.now(),
    ).select_related("meeting__group", "meeting__protocol_version", "teacher")
    for leave in approved:
        meeting = leave.meeting
        days = meeting.setting("written_input_reminder_school_days_before")
        if calendar.add_school_days(school, today, days) < timezone.localdate(meeting.starts_at):
            continue
        if WrittenInput.objects.filter(meeting=meeting, teacher=leave.teacher).exists():
            continue
        _message, created = outbox.queue_staff_message(
            school=school, staff=leave.teacher,
            subject=_("Herinnering: schriftelijke inbreng %(group)s") % {"group": meeting.group.name},
            body=_("Lever vóór de leerlingbespreking van %(group)s je schriftelijke inbreng in: %(url)s")
            % {"group": meeting.group.name, "url": reverse("reviews_leave_detail", args=[leave.pk])},
            idempotency_key=f"reviews-input-reminder-{leave.pk}-{meeting.starts_at:%Y%m%d}",
        )  # fmt: skip
        counts["input_reminders"] += int(created)
    # The meeting in the calendar is a deadline per person: done once its day has passed.
    counts["attended"] = Deadline.objects.filter(
        school=school, step_code__startswith=STEP_ATTEND, state=DeadlineState.OPEN, due_on__lt=today
    ).update(state=DeadlineState.DONE, completed_at=timezone.now())
    return counts


def teaching_assignment_made(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of TeachingAssignment: once committed, a new teacher of a group under review gets the
    open signal list and the sent discussion list at once (the daily job is the backstop, e.g. for
    bulk imports, which send no signals)."""
    if not created or raw:
        return
    from django.db import transaction

    group_id = instance.group_id

    def catch_up() -> None:
        with scopes_disabled():
            school_id = (
                ReviewMeeting.objects.filter(group_id=group_id).values_list("school_id", flat=True).first()
            )
        if school_id is None:
            return
        with scope(school=[school_id]):
            _late_teachers(School.objects.get(pk=school_id), group_id=group_id)

    transaction.on_commit(catch_up)
