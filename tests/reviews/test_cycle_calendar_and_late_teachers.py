"""The meeting as a timed event in the calendar feed of everyone expected (LB-1, LB-2), and a teacher
who joins the group after the lists went out (LB-4, LB-5) or whose assignment ends."""

import datetime

import time_machine
from django.utils import timezone
from icalendar import Calendar

from deadlines.services.calendar_feed import regenerate_calendar_token
from messaging.models import Message
from reviews.jobs_cycle import run_cycle
from reviews.models_cycle import SignalAssignment, SignalResponse
from reviews.services.planning import cancel_review_meeting, move_review_meeting
from reviews.services.preparation import send_discussion_list
from reviews.services.signals import open_signal_round
from schools.models import TeachingAssignment
from tests import factories as f

from .cycle_helpers import at, meeting_day, plan
from .meeting_support import put_on_list


def _events(client, staff):
    token = regenerate_calendar_token(staff=staff, actor=staff.user)
    response = client.get(f"/dossier/agenda/{token}.ics")
    assert response.status_code == 200
    return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]


def _meetings(client, staff):
    return [e for e in _events(client, staff) if str(e["summary"]).startswith("Leerlingbespreking")]


def test_lb_1_lb_2_the_meeting_is_a_timed_event_with_place_in_the_feed_of_everyone_expected(world, client):
    meeting = plan(world, minute_taker=world.bea)
    for person in (
        world.mentor,
        world.teacher,
        world.carla,
        world.bea,
    ):  # leader, teacher, chair, minute-taker
        events = _meetings(client, person)
        assert len(events) == 1, person  # the timed event stands for the all-day "attend" deadline
        event = events[0]
        assert event["summary"] == "Leerlingbespreking 2B"
        assert event.decoded("dtstart") == meeting.starts_at  # date and time, not an all-day date
        assert event.decoded("dtend") - event.decoded("dtstart") >= datetime.timedelta(minutes=60)
        assert event["location"] == "lokaal 12"
        assert "Sanne" not in event.to_ical().decode()
    assert _meetings(client, world.olga) == []  # a teacher of 3C is not expected


def test_lb_1_a_moved_meeting_moves_in_the_feed_and_a_cancelled_one_leaves_it(world, client):
    meeting = plan(world)
    later = at(meeting_day(35), hour=14)
    move_review_meeting(actor=world.anouk, meeting=meeting, starts_at=later, reason="Studiedag")
    assert _meetings(client, world.teacher)[0].decoded("dtstart") == later
    cancel_review_meeting(actor=world.anouk, meeting=meeting, reason="Vervalt")
    assert _meetings(client, world.teacher) == []
    assert _meetings(client, world.mentor) == []


def test_lb_4_a_teacher_given_an_assignment_after_the_lists_went_out_gets_their_list_on_the_next_run(
    world, client
):
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    eva = f.StaffFactory(school=world.school, user=f.UserFactory(email="eva@beekdal.test"), first_name="Eva",
                         last_name="Engels")  # fmt: skip
    f.teach(eva, world.group_2b, "Engels")  # no commit in this test: the daily job catches up
    assert not SignalAssignment.objects.filter(teacher=eva).exists()
    assert run_cycle()["teachers_added"] == 1
    assert run_cycle()["teachers_added"] == 0  # idempotent
    assert SignalResponse.objects.filter(round=signal_round, teacher=eva).count() == 2
    assert Message.objects.filter(idempotency_key=f"reviews-signals-out-{signal_round.pk}-{eva.pk}").exists()
    assert world.client_for(eva).get(f"/signaleringslijst/{signal_round.pk}/").status_code == 200
    assert _meetings(client, eva)  # and the meeting is in her calendar


def test_lb_4_lb_5_a_new_assignment_brings_the_lists_at_once_on_commit(
    world, django_capture_on_commit_callbacks
):
    meeting = plan(world)
    signal_round = open_signal_round(actor=world.mentor, meeting=meeting)
    put_on_list(world, meeting, world.sanne)
    send_discussion_list(actor=world.mentor.user, meeting=meeting)
    eva = f.StaffFactory(school=world.school, user=f.UserFactory(email="eva@beekdal.test"), first_name="Eva",
                         last_name="Engels")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        f.teach(eva, world.group_2b, "Engels")
    assert SignalAssignment.objects.filter(round=signal_round, teacher=eva).exists()
    to_eva = Message.objects.filter(recipients__to__0__email="eva@beekdal.test")
    assert sorted(m.subject.split(" ")[0] for m in to_eva) == ["Bespreeklijst", "Signaleringslijst"]
    assert run_cycle()["lists_to_new_teachers"] == 0  # nothing twice


def test_lb_5_the_discussion_list_reaches_a_teacher_added_after_it_was_sent(world):
    meeting = plan(world)
    put_on_list(world, meeting, world.sanne)
    send_discussion_list(actor=world.mentor.user, meeting=meeting)
    eva = f.StaffFactory(school=world.school, user=f.UserFactory(email="eva@beekdal.test"), first_name="Eva",
                         last_name="Engels")  # fmt: skip
    f.teach(eva, world.group_2b, "Engels")
    assert run_cycle()["lists_to_new_teachers"] == 1
    assert run_cycle()["lists_to_new_teachers"] == 0
    message = Message.objects.get(
        subject__startswith="Bespreeklijst", recipients__to__0__email="eva@beekdal.test"
    )
    assert "Sanne de Vries" in message.body


def test_lb_4_a_teacher_whose_assignment_ended_is_not_reminded(world):
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    remind = datetime.datetime.combine(signal_round.due_on - datetime.timedelta(days=1), datetime.time(8),
                                       tzinfo=timezone.get_current_timezone())  # fmt: skip
    TeachingAssignment.objects.filter(staff=world.teacher, group=world.group_2b).delete()
    with time_machine.travel(remind, tick=False):
        assert run_cycle()["signal_reminders"] == 0
    f.teach(world.teacher, world.group_2b, "Wiskunde")  # back on the group: reminded again
    with time_machine.travel(remind, tick=False):
        assert run_cycle()["signal_reminders"] == 1
