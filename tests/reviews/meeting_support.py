"""Shared set-up for the meeting-side tests (LB-3 … LB-13): a meeting of 2B, a fake signal provider."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reviews.selectors_meeting import set_signal_answer_provider
from reviews.services import agreements, meeting, preparation

from .factories import ReviewMeetingFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def signals():
    """Signal answers injected through the selector interface (the real SignalResponse is another branch's)."""
    answers: dict = {}
    previous = set_signal_answer_provider(lambda m: answers)
    yield answers
    set_signal_answer_provider(previous)


@pytest.fixture
def meeting_2b(world):
    return ReviewMeetingFactory(
        group=world.group_2b,
        leader=world.mentor,
        chair=world.carla,
        minute_taker=world.teacher,
        starts_at=timezone.now() + datetime.timedelta(days=14),
    )


def put_on_list(world, m, *students):
    for student in students:
        preparation.save_discussion_item(
            actor=world.mentor.user, meeting=m, student=student,
            values={"hulpvraag": f"Hoe helpen we {student.first_name} met plannen?", "leerdoel": "Plant zelf.",
                    "questions": "Maakt hij/zij huiswerk in jouw vak?"},
        )  # fmt: skip
    m.refresh_from_db()
    return m


def started(world, m, *students):
    put_on_list(world, m, *students)
    meeting.start_meeting(
        actor=world.carla.user, meeting=m, tasks="Mirjam leidt, Carla bewaakt de tijd, Tom notuleert."
    )
    m.refresh_from_db()
    return m


def discuss(world, m, student, **values):
    values = {"strengths": "Behulpzaam in de groep.", "concerns": "Vergeet vaak zijn planner.", **values}
    return meeting.save_student_discussion(
        actor=world.teacher.user, meeting=m, student=student, values=values, expected_version=None
    )


def agree(
    world, m, student, goal="Noteert elke les het huiswerk in de planner; mentor checkt maandag.", **kw
):
    kwargs = {
        "owner": world.mentor,
        "carried_out_by": [world.teacher],
        "evaluate_on": timezone.localdate() + datetime.timedelta(days=60),
        **kw,
    }
    return agreements.add_agreement(actor=world.carla.user, meeting=m, student=student, goal=goal, **kwargs)


def closed(world, m, *students, **agree_kw):
    started(world, m, *students)
    for student in students:
        discuss(world, m, student)
        agree(world, m, student, **agree_kw)
    meeting.close_meeting(actor=world.carla.user, meeting=m)
    m.refresh_from_db()
    return m
