"""Rounds, meetings and the schedule of the review cycle (LB-1, LB-2, LB-4, LB-5, LB-6, LB-15)."""

import datetime

import pytest
from django.utils import timezone

from deadlines.models import Deadline, DeadlineState
from deadlines.services.calendar_feed import regenerate_calendar_token
from deadlines.services.deadlines import complete_deadline
from protocols.exceptions import ProtocolViolation
from protocols.services import change_protocol
from reviews.models import MeetingState, ReviewMeeting, ReviewRound
from reviews.services.planning import (
    cancel_review_meeting,
    move_review_meeting,
    plan_review_meeting,
    plan_review_round,
)
from schools.models import Role, SchoolHoliday
from tests import factories as f

from .cycle_helpers import at, meeting_day, plan


def steps_of(meeting):
    return {
        d.step_code: d for d in Deadline.objects.filter(source_id=str(meeting.pk), schedule__isnull=False)
    }


def test_lb_1_rounds_per_school_year_up_to_the_protocol_setting(world):
    year = world.group_2b.school_year
    for number in (1, 2, 3):
        plan_review_round(actor=world.anouk, school_year=year, number=number)
    with pytest.raises(ProtocolViolation) as exc:
        plan_review_round(actor=world.anouk, school_year=year, number=4)
    assert exc.value.rule == "LB-1" and "3 bespreekrondes" in exc.value.message
    assert ReviewRound.objects.count() == 3


def test_lb_15_a_teacher_does_not_plan_rounds_or_meetings(world):
    with pytest.raises(ProtocolViolation):
        plan_review_round(actor=world.teacher, school_year=world.group_2b.school_year, number=1)
    review_round = plan_review_round(actor=world.carla, school_year=world.group_2b.school_year, number=1)
    with pytest.raises(ProtocolViolation):  # Henk heads bovenbouw, 2B is onderbouw
        plan_review_meeting(actor=world.henk, review_round=review_round, group=world.group_2b,
                            starts_at=at(meeting_day()), place="", leader=world.mentor, chair=world.carla)  # fmt: skip
    assert ReviewMeeting.objects.count() == 0


def test_lb_6_mentor_leads_care_coordinator_chairs_and_the_schedule_hangs_on_the_date(world):
    day = meeting_day()
    meeting = plan(world, day=day)
    assert (meeting.leader, meeting.chair, meeting.state) == (world.mentor, world.carla, MeetingState.PLANNED)
    steps = steps_of(meeting)
    assert steps["signals_out"].due_on <= day - datetime.timedelta(weeks=2)  # LB-4
    assert steps["signals_out"].due_on > day - datetime.timedelta(weeks=2, days=4)
    assert steps["signals_due"].due_on <= day - datetime.timedelta(weeks=1)
    assert steps["discussion_list"].due_on == steps["signals_due"].due_on  # LB-5
    assert steps["signals_out"].owner == world.mentor
    with pytest.raises(ProtocolViolation):  # LB-6: the leader is a mentor of the group
        plan_review_meeting(actor=world.anouk, review_round=meeting.round, group=world.group_2b, starts_at=at(day),
                            place="", leader=world.teacher, chair=world.carla)  # fmt: skip
    with pytest.raises(ProtocolViolation):  # LB-6, LB-15: the chair is the care coordinator
        plan_review_meeting(actor=world.anouk, review_round=meeting.round, group=world.group_2b, starts_at=at(day),
                            place="", leader=world.mentor, chair=world.teacher)  # fmt: skip


def test_lb_2_every_teacher_of_the_group_has_the_meeting_in_their_calendar_feed(world, client):
    meeting = plan(world)
    expected = {
        d.owner_id
        for d in Deadline.objects.filter(step_code__startswith="attend:", source_id=str(meeting.pk))
    }
    assert expected == {world.teacher.pk, world.mentor.pk, world.carla.pk}
    token = regenerate_calendar_token(staff=world.teacher, actor=world.teacher.user)
    feed = client.get(f"/dossier/agenda/{token}.ics").content.decode()
    assert "Leerlingbespreking 2B om 15:00" in feed.replace("\r\n ", "")
    olga_token = regenerate_calendar_token(staff=world.olga, actor=world.olga.user)
    assert "Leerlingbespreking" not in client.get(f"/dossier/agenda/{olga_token}.ics").content.decode()


def test_lb_6_a_minute_taker_who_is_a_mentor_is_a_warning(world):
    review_round = plan_review_round(actor=world.anouk, school_year=world.group_2b.school_year, number=1)
    planned = plan_review_meeting(actor=world.anouk, review_round=review_round, group=world.group_2b,
                                  starts_at=at(meeting_day()), place="", leader=world.mentor, chair=world.carla,
                                  minute_taker=world.mentor)  # fmt: skip
    assert planned.meeting.pk and "bij voorkeur geen mentor" in planned.warnings[0]
    assert (
        plan(
            world,
            minute_taker=world.teacher,
            round_=plan_review_round(actor=world.anouk, school_year=world.group_2b.school_year, number=2),
        ).minute_taker
        == world.teacher
    )


def test_lb_6_a_minute_taker_of_another_school_is_refused_and_nothing_written(world):
    review_round = plan_review_round(actor=world.anouk, school_year=world.group_2b.school_year, number=1)
    deadlines = Deadline.objects.count()
    with pytest.raises(ProtocolViolation) as exc:
        plan_review_meeting(actor=world.anouk, review_round=review_round, group=world.group_2b,
                            starts_at=at(meeting_day()), place="", leader=world.mentor, chair=world.carla,
                            minute_taker=world.zeno)  # fmt: skip
    assert "werkt niet (meer) op deze school" in exc.value.message
    assert ReviewMeeting.objects.count() == 0 and Deadline.objects.count() == deadlines
    # Through the form: another school's id is not a choice; nothing written.
    client = world.client_for(world.anouk)
    response = client.post(f"/leerlingbespreking/ronde/{review_round.pk}/bespreking/nieuw/", {
        "group": world.group_2b.pk, "date": meeting_day().isoformat(), "time": "15:00", "place": "",
        "leader": world.mentor.pk, "chair": world.carla.pk, "minute_taker": world.zeno.pk,
    })  # fmt: skip
    assert response.status_code == 422 and "geldige keuze" in response.content.decode()
    assert ReviewMeeting.objects.count() == 0


def test_lb_4_the_schedule_across_a_school_holiday(world):
    day = meeting_day(28)
    out = day - datetime.timedelta(weeks=2)
    SchoolHoliday.objects.create(school=world.school, name="Herfstvakantie", kind="regional",
                                 start=out - datetime.timedelta(days=2), end=out + datetime.timedelta(days=2))  # fmt: skip
    meeting = plan(world, day=day)
    steps = steps_of(meeting)
    # Before the meeting: the last school day on or before two weeks earlier, never inside the holiday.
    assert steps["signals_out"].due_on < out - datetime.timedelta(days=2)
    assert steps["signals_out"].due_on.weekday() < 5


def test_lb_4_moving_the_meeting_moves_each_pending_step_by_its_own_offset(world):
    day = meeting_day(28)
    meeting = plan(world, day=day)
    steps = steps_of(meeting)
    complete_deadline(deadline=steps["signals_out"], actor=world.mentor)  # done: stays
    new_day = meeting_day(42)
    move_review_meeting(actor=world.anouk, meeting=meeting, starts_at=at(new_day, 16), row_version=0)
    moved = steps_of(meeting)
    assert moved["signals_out"].due_on == steps["signals_out"].due_on
    assert moved["signals_due"].due_on <= new_day - datetime.timedelta(weeks=1)
    assert moved["signals_due"].due_on > steps["signals_due"].due_on
    assert moved[f"attend:{world.teacher.pk}"].due_on == new_day
    assert "16:00" in moved[f"attend:{world.teacher.pk}"].title
    with pytest.raises(ProtocolViolation):  # a stale form: refused
        move_review_meeting(actor=world.anouk, meeting=meeting, starts_at=at(day), row_version=0)


def test_lb_4_cancelling_the_meeting_withdraws_the_pending_steps(world):
    meeting = plan(world)
    with pytest.raises(ProtocolViolation):
        cancel_review_meeting(actor=world.anouk, meeting=meeting, reason="")
    cancel_review_meeting(actor=world.anouk, meeting=meeting, reason="Studiedag")
    states = {d.state for d in steps_of(meeting).values()}
    assert states == {DeadlineState.WITHDRAWN}
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED


def test_lb_4_every_offset_comes_from_the_meetings_protocol_version(world):
    change_protocol(actor=world.dirk, school=world.school, protocol="review",
                    values={"signal_lists_out_weeks_before": 3}, reason="Besluit team", based_on=0)  # fmt: skip
    day = meeting_day(35)
    meeting = plan(world, day=day)
    assert meeting.setting("signal_lists_out_weeks_before") == 3
    assert steps_of(meeting)["signals_out"].due_on <= day - datetime.timedelta(weeks=3)


def test_lb_15_po_the_care_coordinator_plans_a_group(world):
    po = world.other_school
    group = po.groups.first()
    ib = f.StaffFactory(
        school=po, user=f.UserFactory(email="ib@andere.test"), first_name="Ina", last_name="Ib"
    )
    f.give_role(ib, Role.CARE_COORDINATOR)
    teacher = f.StaffFactory(
        school=po, user=f.UserFactory(email="gl@andere.test"), first_name="Gijs", last_name="GL"
    )
    group.mentors.add(teacher)
    f.teach(teacher, group, "")
    review_round = plan_review_round(actor=ib, school_year=group.school_year, number=1)
    planned = plan_review_meeting(actor=ib, review_round=review_round, group=group, starts_at=at(meeting_day()),
                                  place="", leader=teacher, chair=ib)  # fmt: skip
    assert planned.meeting.school == po


def test_lb_1_planning_pages_for_the_department_head(world):
    client = world.client_for(world.anouk)
    assert client.get("/leerlingbespreking/planning/").status_code == 200
    response = client.post("/leerlingbespreking/planning/", {"number": "9", "title": ""})
    assert response.status_code == 422 and "bespreekrondes" in response.content.decode()
    assert client.post("/leerlingbespreking/planning/", {"number": "1", "title": "Herfst"}).status_code == 302
    review_round = ReviewRound.objects.get()
    response = client.post(f"/leerlingbespreking/ronde/{review_round.pk}/bespreking/nieuw/", {
        "group": world.group_2b.pk, "date": meeting_day().isoformat(), "time": "15:00", "place": "B12",
        "leader": world.mentor.pk, "chair": world.carla.pk, "minute_taker": world.mentor.pk,
    }, follow=True)  # fmt: skip
    assert "bij voorkeur geen mentor" in response.content.decode()
    meeting = ReviewMeeting.objects.get()
    assert world.client_for(world.teacher).get(f"/leerlingbespreking/{meeting.pk}/cyclus/").status_code == 200
    assert world.client_for(world.olga).get(f"/leerlingbespreking/{meeting.pk}/cyclus/").status_code == 404
    assert world.client_for(world.teacher).get("/leerlingbespreking/planning/").status_code == 404
    assert timezone.localtime(meeting.starts_at).hour == 15


def test_lb_5_the_mentor_is_asked_to_compile_the_discussion_list_one_week_before(world):
    change_protocol(actor=world.dirk, school=world.school, protocol="review",
                    values={"discussion_list_weeks_before": 2}, reason="Eerder rond", based_on=0)  # fmt: skip
    day = meeting_day(35)
    step = steps_of(plan(world, day=day))["discussion_list"]
    assert step.owner == world.mentor and step.rule == "LB-5"
    assert day - datetime.timedelta(weeks=2, days=4) < step.due_on <= day - datetime.timedelta(weeks=2)


def test_lb_15_the_organisers_find_the_planning_on_their_home_page(world):
    assert "Leerlingbesprekingen plannen" in world.client_for(world.anouk).get("/").content.decode()
    assert "Leerlingbesprekingen plannen" in world.client_for(world.carla).get("/").content.decode()
    assert "Leerlingbesprekingen plannen" not in world.client_for(world.teacher).get("/").content.decode()
