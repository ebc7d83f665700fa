"""Schedules of deadlines (issue 9 §5): deadlines hung on an anchor, each with its own offset.

Dates are concrete and checked by hand against the school calendar of Beekdal (region midden):
herfstvakantie 17–25 October 2026. Tests that read "today" freeze the clock with time-machine.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from deadlines.models import Deadline, DeadlineState, ScheduleState, TermUnit
from deadlines.selectors_deadlines import overdue_deadlines
from deadlines.services.deadline_schedules import (
    Step,
    cancel_schedule,
    create_schedule,
    move_schedule,
    pause_deadline,
    resume_deadline,
    schedules_for,
)
from deadlines.services.deadlines import complete_deadline, create_deadline, remind_school
from messaging.models import Message, MessageStatus
from messaging.services.outbox import queue_staff_message
from schools.access import get_access
from schools.periodic import run_all
from schools.services.calendar import load_default_holidays
from tests.queued import run_queued_tasks

D = datetime.date


def on(day: datetime.date, hour: int = 10):
    """Freeze the clock on `day` at `hour` in Amsterdam (ARCHITECTURE: time)."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def w(world):
    load_default_holidays(school=world.school, school_years=[2025, 2026])
    return world


def meeting_steps(w):
    """A review meeting (LB-4/LB-5): signal lists out two weeks before, due one week before,
    the discussion list three school days before, the report five school days after."""
    return [
        Step("lists_out", -2, TermUnit.WEEKS, "Signaleringslijsten uitzetten", w.carla, rule="LB-4"),
        Step("lists_due", -1, TermUnit.WEEKS, "Signaleringslijsten invullen", w.teacher, rule="LB-4"),
        Step("discussion_list", -3, TermUnit.SCHOOL_DAYS, "Bespreeklijst maken", w.carla, rule="LB-5"),
        Step("report", 5, TermUnit.SCHOOL_DAYS, "Verslag vastleggen", w.mentor, rule="LB-5"),
    ]


def due_dates(schedule) -> dict[str, datetime.date]:
    return {d.step_code: d.due_on for d in schedule.deadlines.all()}


def test_each_step_is_computed_from_the_anchor_by_its_own_offset(w):
    # Meeting Thursday 5 Nov 2026. Two weeks before is Thu 22 Oct, in the herfstvakantie: a deadline
    # before the meeting moves back to the last school day before the holiday, Fri 16 Oct.
    schedule = create_schedule(
        anchor_object=w.group_2b,
        anchor_date=D(2026, 11, 5),
        steps=meeting_steps(w),
        actor=w.carla,
        code="reviews.meeting",
    )
    assert due_dates(schedule) == {
        "lists_out": D(2026, 10, 16),
        "lists_due": D(2026, 10, 29),
        "discussion_list": D(2026, 11, 2),
        "report": D(2026, 11, 12),
    }
    assert list(schedules_for(w.group_2b)) == [schedule]
    assert all(d.source == w.group_2b for d in schedule.deadlines.all())
    assert AuditEvent.objects.filter(action="dossier.deadline_schedule.created").count() == 1
    assert AuditEvent.objects.filter(action="dossier.deadline.created").count() == 4


def test_moving_the_anchor_across_the_school_holiday_moves_each_step_by_its_own_offset(w):
    schedule = create_schedule(
        anchor_object=w.group_2b, anchor_date=D(2026, 11, 5), steps=meeting_steps(w), actor=w.carla
    )
    done = schedule.deadlines.get(step_code="lists_out")
    complete_deadline(deadline=done, actor=w.carla)

    # The meeting moves forward a week, to Thu 29 Oct, the week after the herfstvakantie.
    move_schedule(schedule=schedule, new_anchor=D(2026, 10, 29), actor=w.carla, reason="Zieke mentor")
    assert due_dates(schedule) == {
        "lists_out": D(2026, 10, 16),  # done: stays where it was
        "lists_due": D(2026, 10, 16),  # Thu 22 Oct is in the holiday: back to Fri 16 Oct
        "discussion_list": D(2026, 10, 26),  # 3 school days back: Wed 28, Tue 27, Mon 26
        "report": D(2026, 11, 5),  # 5 school days on: Fri 30, Mon 2, Tue 3, Wed 4, Thu 5
    }
    # Not one date for all (the bug this replaces), and the done one kept its state.
    assert Deadline.objects.get(pk=done.pk).state == DeadlineState.DONE
    schedule.refresh_from_db()
    assert schedule.anchor_date == D(2026, 10, 29)
    moved = AuditEvent.objects.filter(action="dossier.deadline.moved")
    assert moved.count() == 3
    assert {e.data["step"] for e in moved} == {"lists_due", "discussion_list", "report"}
    assert AuditEvent.objects.get(action="dossier.deadline_schedule.moved").data["reason"] == "Zieke mentor"

    # And back across the holiday, to Thu 12 Nov: every pending step from its own offset again.
    move_schedule(schedule=schedule, new_anchor=D(2026, 11, 12), actor=w.carla)
    assert due_dates(schedule) == {
        "lists_out": D(2026, 10, 16),
        "lists_due": D(2026, 11, 5),
        "discussion_list": D(2026, 11, 9),
        "report": D(2026, 11, 19),
    }


def test_moving_the_anchor_across_a_weekend(w):
    steps = [
        Step("day_before", -1, TermUnit.SCHOOL_DAYS, "Uitnodiging versturen", w.carla),
        Step("day_after", 1, TermUnit.SCHOOL_DAYS, "Afspraken vastleggen", w.mentor),
        Step("week_after", 1, TermUnit.WEEKS, "Terugkoppeling ouders", w.mentor),
    ]
    schedule = create_schedule(
        anchor_object=w.sanne, anchor_date=D(2026, 11, 13), steps=steps, actor=w.carla, student=w.sanne
    )  # Friday 13 November 2026
    assert due_dates(schedule) == {
        "day_before": D(2026, 11, 12),
        "day_after": D(2026, 11, 16),  # over the weekend to Monday
        "week_after": D(2026, 11, 20),
    }
    move_schedule(schedule=schedule, new_anchor=D(2026, 11, 16), actor=w.carla)  # to Monday
    assert due_dates(schedule) == {
        "day_before": D(2026, 11, 13),  # one school day back over the weekend: Friday
        "day_after": D(2026, 11, 17),
        "week_after": D(2026, 11, 23),
    }
    assert set(schedule.deadlines.values_list("student", flat=True)) == {w.sanne.pk}


def test_moving_resets_the_reminders_of_a_moved_deadline_only(w):
    # A meeting planned in the herfstvakantie (Mon 19 Oct 2026) moves to Tue 20 Oct, still in it.
    schedule = create_schedule(
        anchor_object=w.group_2b, anchor_date=D(2026, 10, 19), actor=w.carla,
        steps=[Step("a", 0, TermUnit.SCHOOL_DAYS, "A", w.carla), Step("b", -1, TermUnit.WEEKS, "B", w.carla)],
    )  # fmt: skip
    schedule.deadlines.update(reminded_before_on=D(2026, 10, 9))
    move_schedule(schedule=schedule, new_anchor=D(2026, 10, 20), actor=w.carla)
    a, b = schedule.deadlines.order_by("step_code")
    assert (a.due_on, a.reminded_before_on) == (D(2026, 10, 26), D(2026, 10, 9))  # first day after: stays
    assert (b.due_on, b.reminded_before_on) == (D(2026, 10, 13), None)  # Mon 12 → Tue 13: reminded again
    assert AuditEvent.objects.filter(action="dossier.deadline.moved").count() == 1


def test_cancelling_withdraws_pending_deadlines_and_keeps_done_ones(w):
    schedule = create_schedule(
        anchor_object=w.group_2b, anchor_date=D(2026, 11, 5), steps=meeting_steps(w), actor=w.carla
    )
    complete_deadline(deadline=schedule.deadlines.get(step_code="lists_out"), actor=w.carla)
    with on(D(2026, 10, 20)):
        pause_deadline(deadline=schedule.deadlines.get(step_code="report"), actor=w.carla)

    assert cancel_schedule(schedule=schedule, actor=w.carla, reason="Bespreking vervalt") == 3
    states = dict(schedule.deadlines.values_list("step_code", "state"))
    assert states == {
        "lists_out": DeadlineState.DONE,
        "lists_due": DeadlineState.WITHDRAWN,
        "discussion_list": DeadlineState.WITHDRAWN,
        "report": DeadlineState.WITHDRAWN,  # a paused one lapses too
    }
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.CANCELLED
    assert list(schedules_for(w.group_2b)) == []
    assert cancel_schedule(schedule=schedule, actor=w.carla) == 0  # twice: nothing more
    assert AuditEvent.objects.filter(action="dossier.deadline_schedule.cancelled").count() == 1
    assert AuditEvent.objects.filter(action="dossier.deadline.withdrawn").count() == 3
    with pytest.raises(ValidationError):
        move_schedule(schedule=schedule, new_anchor=D(2026, 11, 12), actor=w.carla)


def test_a_schedule_refuses_an_owner_of_another_school_and_duplicate_steps(w):
    with pytest.raises(ValidationError):
        create_schedule(anchor_object=w.group_2b, anchor_date=D(2026, 11, 5), actor=w.carla,
                        steps=[Step("x", 1, TermUnit.WEEKS, "X", w.zeno)])  # fmt: skip
    with pytest.raises(ValidationError):
        create_schedule(anchor_object=w.group_2b, anchor_date=D(2026, 11, 5), actor=w.carla,
                        steps=[Step("x", 1, TermUnit.WEEKS, "X", w.carla)] * 2)  # fmt: skip
    assert not Deadline.objects.exists()


def test_law_4_objection_term_paused_for_the_geschillencommissie_moves_on_by_calendar_days(w):
    # LAW-4: the board decides within four weeks of receiving the objection (Mon 7 Dec 2026 → Mon 4 Jan
    # 2027); when the parents go to the Geschillencommissie, the board waits: the clock stops.
    with on(D(2026, 12, 7)):
        term = create_deadline(school=w.school, owner=w.dirk, title="Beslissen op bezwaar", rule="LAW-4",
                               weeks=4, student=w.sanne)  # fmt: skip
    assert term.due_on == D(2027, 1, 4)
    with on(D(2026, 12, 9)):
        pause_deadline(deadline=term, actor=w.dirk, reason="Zaak bij de Geschillencommissie")
    term.refresh_from_db()
    assert term.state == DeadlineState.PAUSED and term.paused_on == D(2026, 12, 9)
    # Paused: no reminder, not overdue, whatever the date.
    assert remind_school(w.school, today=D(2027, 1, 4)) == {"before": 0, "due": 0}
    assert not overdue_deadlines(get_access(w.carla.user, w.school), today=D(2027, 1, 20)).exists()
    # The opinion comes on Mon 15 Feb 2027: 68 calendar days stood still (a term in weeks counts
    # calendar days, the kerstvakantie included). 4 Jan + 68 days is Saturday 13 Mar 2027, so the
    # term ends on the next school day, Monday 15 Mar 2027.
    with on(D(2027, 2, 15)):
        resume_deadline(deadline=term, actor=w.dirk, reason="Oordeel ontvangen")
    term.refresh_from_db()
    assert term.state == DeadlineState.OPEN and term.paused_on is None
    assert term.due_on == D(2027, 3, 15)
    assert term.pause_extension == 68
    event = AuditEvent.objects.get(action="dossier.deadline.resumed")
    assert event.data["paused_days"] == 68 and event.data["counted_in"] == "days"
    assert AuditEvent.objects.filter(action="dossier.deadline.paused", student_id=w.sanne.pk).count() == 1


def test_a_term_in_school_days_moves_on_by_the_paused_school_days(w):
    # 10 school days from Fri 9 Oct 2026 across the herfstvakantie = Fri 30 Oct.
    term = create_deadline(school=w.school, owner=w.carla, title="Signaleringslijst", rule="LB-4",
                           start=D(2026, 10, 9), school_days=10)  # fmt: skip
    assert term.due_on == D(2026, 10, 30)
    with on(D(2026, 10, 14)):  # Wednesday
        pause_deadline(deadline=term, actor=w.carla)
    with on(D(2026, 10, 27)):  # Tuesday after the holiday: Thu 15, Fri 16, Mon 26, Tue 27 stood still
        resume_deadline(deadline=term, actor=w.carla)
    term.refresh_from_db()
    assert term.pause_extension == 4
    assert term.due_on == D(2026, 11, 5)  # 4 school days after Fri 30 Oct (not 13 calendar days)
    with pytest.raises(ValidationError):
        resume_deadline(deadline=term, actor=w.carla)  # not paused any more


def test_a_paused_and_resumed_step_keeps_its_extension_when_the_anchor_moves(w):
    schedule = create_schedule(
        anchor_object=w.group_2b, anchor_date=D(2026, 11, 13), actor=w.carla,
        steps=[Step("report", 5, TermUnit.SCHOOL_DAYS, "Verslag", w.mentor)],
    )  # fmt: skip
    report = schedule.deadlines.get()
    assert report.due_on == D(2026, 11, 20)
    with on(D(2026, 11, 16)):
        pause_deadline(deadline=report, actor=w.carla)
    with on(D(2026, 11, 18)):  # Tue 17 and Wed 18 stood still
        resume_deadline(deadline=report, actor=w.carla)
    report.refresh_from_db()
    assert report.due_on == D(2026, 11, 24)
    move_schedule(schedule=schedule, new_anchor=D(2026, 11, 20), actor=w.carla)
    report.refresh_from_db()
    assert report.due_on == D(2026, 12, 1)  # 5 school days after Fri 20 Nov = Fri 27, + 2 = Tue 1 Dec


def test_reminders_land_in_the_outbox_once(w, django_capture_on_commit_callbacks):
    term = create_deadline(school=w.school, owner=w.mentor, title="Bespreeklijst", rule="LB-5",
                           due_on=D(2026, 10, 26), student=w.sanne)  # fmt: skip
    with on(D(2026, 10, 15)), django_capture_on_commit_callbacks(execute=True):
        first = run_all(only=["deadlines.remind"])["deadlines.remind"]
        second = run_all(only=["deadlines.remind"])["deadlines.remind"]
    assert first == {"before": 1, "due": 0} and second == {"before": 0, "due": 0}
    message = Message.objects.get()
    assert message.status == MessageStatus.QUEUED
    assert message.addresses("to") == [w.mentor.email] and message.student == w.sanne
    assert message.subject == "Herinnering: Bespreeklijst uiterlijk 26-10-2026"
    assert "Sanne" not in message.subject + message.body  # no student name in mail (it leaves the school)
    assert AuditEvent.objects.filter(action="dossier.message.queued", object_id=str(message.pk)).exists()
    assert mail.outbox == []  # nothing is mailed in the job itself
    assert run_queued_tasks() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(mail.outbox) == 1
    assert mail.outbox[0].to == [w.mentor.email]

    # Even when the row's mark is lost (a crash between claim and commit is impossible, but a
    # hand-edit is not), the idempotency key keeps it to one message for this due date.
    Deadline.objects.filter(pk=term.pk).update(reminded_before_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_school(w.school, today=D(2026, 10, 15)) == {"before": 0, "due": 0}
    assert Message.objects.count() == 1
    assert run_queued_tasks() == 0 and len(mail.outbox) == 1


def test_queue_staff_message_is_idempotent_and_skips_staff_without_address(w):
    first, created = queue_staff_message(school=w.school, staff=w.carla, subject="S", body="B",
                                         idempotency_key="k-1")  # fmt: skip
    again, created_again = queue_staff_message(school=w.school, staff=w.carla, subject="S", body="B",
                                               idempotency_key="k-1")  # fmt: skip
    assert created and not created_again and first.pk == again.pk and Message.objects.count() == 1
    w.mentor.email = ""
    assert queue_staff_message(school=w.school, staff=w.mentor, subject="S", body="B",
                               idempotency_key="k-2") == (None, False)  # fmt: skip
