"""Signal lists (LB-4) and signals outside the cycle (LB-14).

A round is opened per meeting: one list per teacher with a teaching assignment in the group, one
response row per teacher × student. An answer is saved as it is given, under a row lock that merges
the one answer into the row, so one teacher's two tabs never lose each other's answers and two
teachers each write their own row. After the round closes an answer is refused.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import TermUnit
from deadlines.services.deadline_schedules import schedules_for, step_due_on
from deadlines.services.deadlines import complete_deadline
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from messaging.services import outbox
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Student
from schools.selectors import current_membership_q

from ..models import MeetingState, ReviewMeeting
from ..models_cycle import REMARK, OutOfCycleSignal, Score, SignalAssignment, SignalResponse, SignalRound
from ..selectors import group_students, group_teachers, next_meeting_for_student
from .planning import STEP_SIGNALS_OUT

REMARK_MAX = 2000
SIGNAL_MAX = 5000


def signal_due_on(meeting: ReviewMeeting) -> datetime.date:
    """LB-4: the lists are due `signal_lists_due_weeks_before` weeks before the meeting (school calendar)."""
    return step_due_on(
        school=meeting.school, anchor_date=timezone.localdate(meeting.starts_at),
        offset=-meeting.setting("signal_lists_due_weeks_before"), unit=TermUnit.WEEKS,
    )  # fmt: skip


def open_signal_round(*, actor, meeting: ReviewMeeting) -> SignalRound:
    """LB-4: the lists go out to every teacher of the group. Opening twice returns the first round."""
    existing = SignalRound.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if meeting.state != MeetingState.PLANNED:
        raise ProtocolViolation(rule="LB-4", message=_("Deze bespreking is niet meer gepland."))
    user = user_of(actor)
    if user is not None and not (
        user.has_perm("reviews.plan_meeting", meeting)
        or staff_member(actor, meeting.school_id) == meeting.leader
    ):
        raise ProtocolViolation(
            rule="LB-4", message=_("De mentor of de zorgcoördinator zet de signaleringslijsten uit.")
        )
    teachers = list(group_teachers(meeting.group))
    student_ids = list(group_students(meeting.group).values_list("pk", flat=True))
    with transaction.atomic():
        ReviewMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
        existing = SignalRound.objects.filter(meeting=meeting).first()
        if existing is not None:
            return existing
        round_ = SignalRound.objects.create(
            school=meeting.school, meeting=meeting, questions=list(meeting.setting("signal_questions")),
            opened_by=staff_member(actor, meeting.school_id), due_on=signal_due_on(meeting),
        )  # fmt: skip
        SignalAssignment.objects.bulk_create(
            [SignalAssignment(school=meeting.school, round=round_, teacher=teacher) for teacher in teachers]
        )
        SignalResponse.objects.bulk_create(
            [
                SignalResponse(school=meeting.school, round=round_, teacher=teacher, student_id=student_id)
                for teacher in teachers
                for student_id in student_ids
            ],
            batch_size=2000,
        )
        for schedule in schedules_for(meeting):
            for deadline in schedule.deadlines.filter(step_code=STEP_SIGNALS_OUT, state="open"):
                complete_deadline(deadline=deadline, actor=actor)
        for teacher in teachers:  # LB-4: the lists go out; the message names the group, never a student
            _list_out(round_, teacher)
        audit(actor=user, action="reviews.signal_round.opened", obj=round_,
              data={"meeting": meeting.pk, "teachers": len(teachers), "students": len(student_ids)})  # fmt: skip
    return round_


def _list_out(round_: SignalRound, teacher) -> None:
    meeting = round_.meeting
    outbox.queue_staff_message(
        school=meeting.school, staff=teacher,
        subject=_("Signaleringslijst %(group)s staat klaar") % {"group": meeting.group.name},
        body=_("Vul de signaleringslijst van %(group)s in vóór %(due)s: %(url)s")
        % {"group": meeting.group.name, "due": f"{round_.due_on:%d-%m-%Y}",
           "url": reverse("reviews_signal_grid", args=[round_.pk])},
        idempotency_key=f"reviews-signals-out-{round_.pk}-{teacher.pk}",
    )  # fmt: skip


def add_new_teachers(*, round: SignalRound) -> int:
    """LB-4: a teacher given a teaching assignment in the group after the round was opened gets their
    list too (rows for every student, the message), while the round is open. Idempotent; the periodic
    job and the TeachingAssignment signal call it. Returns how many teachers were added."""
    if not round.is_open():
        return 0
    meeting = round.meeting
    have = SignalAssignment.objects.filter(round=round).values("teacher_id")
    new = list(group_teachers(meeting.group).exclude(pk__in=have))
    if not new:
        return 0
    student_ids = list(group_students(meeting.group).values_list("pk", flat=True))
    with transaction.atomic():
        SignalAssignment.objects.bulk_create(
            [SignalAssignment(school_id=round.school_id, round=round, teacher=t) for t in new],
            ignore_conflicts=True,
        )
        SignalResponse.objects.bulk_create(
            [SignalResponse(school_id=round.school_id, round=round, teacher=t, student_id=s)
             for t in new for s in student_ids],
            batch_size=2000, ignore_conflicts=True,
        )  # fmt: skip
        for teacher in new:
            _list_out(round, teacher)
        audit(actor=None, action="reviews.signal_round.teachers_added", obj=round,
              data={"meeting": meeting.pk, "teachers": [t.pk for t in new]})  # fmt: skip
    return len(new)


def _closed_message(round_: SignalRound) -> str:
    return _(
        "De signaleringslijst van %(group)s is gesloten sinds %(due)s; je antwoord is niet opgeslagen."
    ) % {
        "group": round_.meeting.group.name,
        "due": f"{round_.due_on:%d-%m-%Y}",
    }


def _clean_answer(round_: SignalRound, key: str, value: str) -> tuple[str, str]:
    value = value or ""
    if key == REMARK:
        value = clean_text(value).strip()
        if len(value) > REMARK_MAX:
            raise ProtocolViolation(
                rule="LB-4", message=_("Een opmerking is ten hoogste %(n)s tekens.") % {"n": REMARK_MAX}
            )
        return key, value
    if not key.isdigit() or not 0 <= int(key) < len(round_.questions):
        raise ProtocolViolation(rule="LB-4", message=_("Deze vraag staat niet op de signaleringslijst."))
    if value and value not in Score.values:
        raise ProtocolViolation(rule="LB-4", message=_("Kies goed, let op of zorg."))
    return str(int(key)), value


def save_signal_answer(
    *, actor, round: SignalRound, student_id: int, question: str, value: str
) -> SignalResponse:
    """LB-4: one answer, saved as given. Refused after the round closed (nothing written)."""
    staff = staff_member(actor, round.school_id)
    if staff is None:
        raise ProtocolViolation(rule="LB-4", message=_("Alleen docenten van de groep vullen deze lijst in."))
    key, value = _clean_answer(round, str(question), value)
    with transaction.atomic():
        response = (
            SignalResponse.objects.select_for_update()
            .select_related("round__meeting__group")
            .filter(round_id=round.pk, teacher_id=staff.pk, student_id=student_id)
            .first()
        )
        if response is None:
            raise ProtocolViolation(
                rule="LB-4", message=_("Deze leerling staat niet op jouw signaleringslijst.")
            )
        if not response.round.is_open():  # LB-4: teachers complete the lists within the week
            raise ProtocolViolation(rule="LB-4", message=_closed_message(response.round))
        answers = dict(response.answers)
        if value:
            answers[key] = value
        else:
            answers.pop(key, None)
        response.answers = answers
        response.answered = sum(1 for k in answers if k != REMARK)
        response.row_version += 1
        response.updated_at = timezone.now()
        response.save(update_fields=["answers", "answered", "row_version", "updated_at"])
    return response


def finish_signal_list(*, actor, round: SignalRound) -> SignalAssignment:
    """The teacher hands in their list (LB-4); every scored question of every student answered."""
    staff = staff_member(actor, round.school_id)
    with transaction.atomic():
        assignment = SignalAssignment.objects.select_for_update().filter(round=round, teacher=staff).first()
        if assignment is None:
            raise ProtocolViolation(rule="LB-4", message=_("Deze signaleringslijst is niet voor jou."))
        if not round.is_open():
            raise ProtocolViolation(rule="LB-4", message=_closed_message(round))
        rows = SignalResponse.objects.filter(round=round, teacher=staff)
        missing = sum(len(round.questions) - r for r in rows.values_list("answered", flat=True))
        if missing:
            raise ProtocolViolation(
                rule="LB-4",
                message=_("Er staan nog %(n)s vragen open; je kunt de lijst later afmaken.") % {"n": missing},
            )
        if assignment.finished_at is None:
            assignment.finished_at = timezone.now()
            assignment.save(update_fields=["finished_at"])
            audit(actor=user_of(actor), action="reviews.signal_list.finished", obj=assignment,
                  data={"round": round.pk})  # fmt: skip
    return assignment


def raise_signal(
    *, actor, student: Student, text: str, text_warnings: list[str] | tuple[str, ...] = ()
) -> OutOfCycleSignal:
    """LB-14: any teacher of the student, any time: reaches the mentor at once (a staff message) and is
    proposed for the group's next discussion list. One file entry (kind signal, team level)."""
    user = user_of(actor)
    if user is None or not user.has_perm("reviews.raise_signal", student):
        raise ProtocolViolation(
            rule="LB-14", message=_("Je kunt alleen een signaal geven over je eigen leerlingen.")
        )
    text = clean_text(text or "").strip()
    if not text:
        raise ProtocolViolation(rule="LB-14", message=_("Beschrijf wat je opviel."))
    if len(text) > SIGNAL_MAX:
        raise ProtocolViolation(
            rule="LB-14", message=_("Een signaal is ten hoogste %(n)s tekens.") % {"n": SIGNAL_MAX}
        )
    staff = staff_member(actor, student.school_id)
    meeting = next_meeting_for_student(student)
    with transaction.atomic():
        signal = OutOfCycleSignal.objects.create(
            school_id=student.school_id,
            student=student,
            raised_by=staff,
            text=text,
            proposed_for_meeting=meeting,
        )
        record(student=student, kind=EntryKind.SIGNAL, title=_("Signaal buiten de leerlingbespreking"), body=text,
               actor=actor, visibility=Visibility.TEAM, source=signal, text_warnings=text_warnings)  # fmt: skip
        mentors = {
            mentor.pk: mentor
            for membership in student.memberships.filter(current_membership_q()).select_related("group")
            for mentor in membership.group.mentors.all()
        }
        url = reverse("dossier_timeline", args=[student.pk])
        for mentor in mentors.values():  # LB-14: the mentor at once; the message names no student
            outbox.queue_staff_message(
                school=student.school, staff=mentor, subject=_("Nieuw signaal over een leerling van je mentorgroep"),
                body=_("%(who)s meldde een signaal. Lees het in het dossier: %(url)s")
                % {"who": staff.full_name if staff else "", "url": url},
                idempotency_key=f"reviews-signal-{signal.pk}-{mentor.pk}",
            )  # fmt: skip
        audit(actor=user, action="reviews.signal.raised", obj=signal, student=student,
              data={"proposed_for_meeting": getattr(meeting, "pk", None), "mentors": len(mentors)})  # fmt: skip
    return signal
