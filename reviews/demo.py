"""Demo content for the review protocol: a round with a meeting planned for the vo mentor's own class
and, for a class the demo teacher teaches, a meeting whose signal lists are out and partly filled.

Registered from `ReviewsConfig.ready()` as a demo filler; `manage.py demo` calls it once after the
people exist. Only services (audit, deadlines, staff messages), deterministic from `random.Random(seed)`.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import F
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from schools.calendar import next_school_day
from schools.models import Group, Role, School, SchoolKind, StaffMember, TeachingAssignment

from .models import ReviewRound
from .models_cycle import Score, SignalAssignment
from .services.planning import plan_review_meeting, plan_review_round
from .services.signals import open_signal_round, save_signal_answer

SCORES = [Score.values[0]] * 4 + list(Score.values[1:])  # mostly "goed"


def _starts_at(school: School, days_ahead: int) -> datetime.datetime:
    day = next_school_day(school, timezone.localdate() + datetime.timedelta(days=days_ahead))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 30)))


def fill_demo_reviews(schools: list[School], *, seed: int = 2026) -> dict:
    rng = random.Random(seed + 2)
    counts = {"review_meetings": 0, "signal_answers": 0}
    for school in schools:
        if school.kind != SchoolKind.VO:
            continue
        with scope(school=[school.pk]):
            _fill_school(rng, school, counts)
    return counts


def _fill_school(rng: random.Random, school: School, counts: dict) -> None:
    chair = StaffMember.objects.filter(
        school=school, user__isnull=False, role_assignments__role=Role.CARE_COORDINATOR
    ).first()
    mentored = Group.objects.filter(school=school, mentors__user__isnull=False).order_by("pk")
    own = mentored.filter(mentors__user__email__startswith="mentor@").first() or mentored.first()
    if chair is None or own is None:
        return
    # A class the demo teacher (a persona who is no mentor) teaches: its lists are out.
    other = (
        TeachingAssignment.objects.filter(group__school=school, staff__user__isnull=False)
        .exclude(staff__mentor_of__isnull=False)
        .exclude(group=own)
        .order_by("group_id")
        .values_list("group_id", flat=True)
        .first()
    )
    other = (
        Group.objects.filter(pk=other).first()
        or Group.objects.filter(school=school).exclude(pk=own.pk).first()
    )
    review_round = plan_review_round(
        actor=chair, school_year=own.school_year, number=2, title="Leerlingbesprekingen winter"
    )
    minute_taker = StaffMember.objects.filter(school=school, mentor_of__isnull=True).order_by("pk").first()
    plans = [(own, 25), (other, 10)]  # days ahead: a few weeks; the other's lists are out now (LB-4)
    meetings = []
    for group, days in plans:
        planned = plan_review_meeting(
            actor=chair,
            review_round=review_round,
            group=group,
            starts_at=_starts_at(school, days),
            place=f"lokaal {rng.randint(101, 130)}",
            leader=group.mentors.order_by("pk").first(),
            chair=chair,
            minute_taker=minute_taker,
        )
        meetings.append(planned.meeting)
        counts["review_meetings"] += 1
    signal_round = open_signal_round(actor=chair, meeting=meetings[1])
    teachers = [
        a.teacher
        for a in SignalAssignment.objects.filter(round=signal_round)
        .select_related("teacher")
        .order_by(F("teacher__user_id").desc(nulls_last=True), "teacher_id")[:3]
    ]
    student_ids = sorted({r.student_id for r in signal_round.responses.all()})
    for teacher in teachers:
        for student_id in rng.sample(student_ids, min(5, len(student_ids))):
            for question in range(len(signal_round.questions)):
                save_signal_answer(
                    actor=teacher,
                    round=signal_round,
                    student_id=student_id,
                    question=str(question),
                    value=rng.choice(SCORES),
                )
                counts["signal_answers"] += 1


def remove_demo_reviews(schools: list[School]) -> None:
    """Before `demo --reset` deletes the schools: the rounds (and their meetings) PROTECT the school year,
    the staff and the protocol version."""
    with scopes_disabled():
        ReviewRound.objects.filter(school__in=schools).delete()
