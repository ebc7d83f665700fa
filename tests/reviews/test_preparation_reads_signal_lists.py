"""LB-4 → LB-5: what teachers fill in on their signal lists is what the mentor prepares with."""

import datetime

import pytest
from django.utils import timezone

from reviews.selectors_meeting import propose, signal_answers_for
from reviews.services.planning import plan_review_meeting, plan_review_round
from reviews.services.signals import open_signal_round, save_signal_answer
from tests import factories as f

pytestmark = pytest.mark.django_db


def _meeting_with_lists(world):
    review_round = plan_review_round(actor=world.anouk, school_year=world.group_2b.school_year, number=1)
    day = timezone.localdate() + datetime.timedelta(days=10)
    meeting = plan_review_meeting(
        actor=world.anouk, review_round=review_round, group=world.group_2b, place="B12",
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(15))),
        leader=world.mentor, chair=world.carla,
    ).meeting  # fmt: skip
    return meeting, open_signal_round(actor=world.mentor, meeting=meeting)


def test_lb_5_the_preparation_shows_the_teachers_real_signal_answers(world):
    meeting, signal_round = _meeting_with_lists(world)
    social = signal_round.questions.index("Sociaal-emotioneel")
    save_signal_answer(actor=world.teacher.user, round=signal_round, student_id=world.sanne.pk,
                       question=str(social), value="concern")  # fmt: skip

    answers = signal_answers_for(meeting)[world.sanne.pk]
    assert [(a.teacher, a.question, a.value) for a in answers] == [
        (world.teacher, "Sociaal-emotioneel", "zorg")
    ]


def test_lb_5_a_concern_on_sociaal_emotioneel_or_from_two_teachers_proposes_the_student(world):
    f.teach(world.olga, world.group_2b, "Engels")  # a second teacher of 2B gets a list too
    meeting, signal_round = _meeting_with_lists(world)
    work = signal_round.questions.index("Werkhouding")
    social = signal_round.questions.index("Sociaal-emotioneel")
    save_signal_answer(actor=world.teacher.user, round=signal_round, student_id=world.sanne.pk,
                       question=str(social), value="concern")  # fmt: skip
    for teacher in (world.teacher, world.olga):
        save_signal_answer(actor=teacher.user, round=signal_round, student_id=world.daan.pk,
                           question=str(work), value="concern")  # fmt: skip

    proposed = {p.student.pk: " ".join(p.reasons) for p in propose(meeting)}
    assert "Sociaal-emotioneel" in proposed[world.sanne.pk]
    assert world.daan.pk in proposed
    assert "2" in proposed[world.daan.pk]  # flagged by two teachers


def test_lb_5_one_teacher_worried_about_work_alone_does_not_propose_the_student(world):
    meeting, signal_round = _meeting_with_lists(world)
    work = signal_round.questions.index("Werkhouding")
    save_signal_answer(actor=world.teacher.user, round=signal_round, student_id=world.daan.pk,
                       question=str(work), value="concern")  # fmt: skip
    assert world.daan.pk not in {p.student.pk for p in propose(meeting)}
