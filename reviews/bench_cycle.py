"""Benchmarks of the review cycle (`make bench`, registered from ReviewsConfig.ready()).

build(): one extra vo school of 2,016 students (63 classes of 32, twelve teachers each) with a
round and a meeting per class under a protocol version of eight signal questions.
run(): opening the signal round of each class (the whole school: about 24,000 response rows),
the 32 × 8 signal grid of one class, and saving one answer: median, p95 and queries per request.
"""

from __future__ import annotations

import datetime
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

CLASSES, STUDENTS_PER_CLASS, TEACHERS_PER_CLASS, TEACHERS = 63, 32, 12, 80
QUESTIONS = ["Werkhouding", "Gedrag in de les", "Sociaal-emotioneel", "Resultaten", "Verzuim / te laat",
             "Sterke kanten", "Huiswerk", "Samenwerken"]  # fmt: skip
PASSWORD = "bench-wachtwoord"
_STATE: dict = {}


def build(schools) -> dict:
    from protocols.models import ProtocolVersion
    from reviews.models import ReviewMeeting, ReviewRound
    from schools.models import (
        Board,
        Group,
        GroupMembership,
        Role,
        RoleAssignment,
        School,
        SchoolYear,
        StaffMember,
        Student,
        TeachingAssignment,
        User,
    )  # fmt: skip
    from schools.models.organisation import SchoolKind

    today = timezone.localdate()
    now = timezone.now()
    with scopes_disabled():
        board = (
            School.objects.get(pk=schools[0].school_id).board
            if schools
            else Board.objects.create(name="Bench LB")
        )
        school = School.objects.create(board=board, name="Benchschool leerlingbespreking", kind=SchoolKind.VO,
                                       brin="77LB", region="midden")  # fmt: skip
        start, end = SchoolYear.bounds_for(today)
        year = SchoolYear.objects.create(school=school, start=start, end=end)
        staff = StaffMember.objects.bulk_create(
            StaffMember(school=school, first_name="Docent", last_name=f"{n:03d}", email=f"docent{n}@lb.bench")
            for n in range(TEACHERS)
        )
        teacher_user = User.objects.create_user("docent0@lb.bench", PASSWORD)
        staff[0].user = teacher_user
        staff[0].save(update_fields=["user"])
        RoleAssignment.objects.create(staff=staff[-1], role=Role.CARE_COORDINATOR)
        groups = Group.objects.bulk_create(
            Group(school=school, school_year=year, name=f"LB{n:02d}", year_level=1 + n % 6)
            for n in range(CLASSES)
        )
        students = Student.objects.bulk_create(
            Student(
                school=school, student_number=f"LB{n:05d}", first_name=f"Kind{n}", last_name=f"Bench{n:05d}"
            )
            for n in range(CLASSES * STUDENTS_PER_CLASS)
        )
        GroupMembership.objects.bulk_create(
            GroupMembership(student=s, group=groups[i // STUDENTS_PER_CLASS], start=start)
            for i, s in enumerate(students)
        )
        TeachingAssignment.objects.bulk_create(
            TeachingAssignment(staff=staff[(g * 5 + k) % (TEACHERS - 1)] if k else staff[0] if g == 0 else staff[(g * 5) % (TEACHERS - 1)],
                               group=group, subject=f"vak {k}")
            for g, group in enumerate(groups) for k in range(TEACHERS_PER_CLASS)
        )  # fmt: skip
        for group in groups:
            group.mentors.add(staff[(groups.index(group) * 5) % (TEACHERS - 1)])
        version = ProtocolVersion.objects.create(
            school=school, protocol="review", number=1, values={"signal_questions": QUESTIONS}, reason="bench",
            created_at=now, effective_from=now,
        )  # fmt: skip
        review_round = ReviewRound.objects.create(school=school, school_year=year, number=1)
        starts_at = now + datetime.timedelta(days=21)
        meetings = ReviewMeeting.objects.bulk_create(
            ReviewMeeting(school=school, round=review_round, group=group, starts_at=starts_at,
                          leader_id=staff[(g * 5) % (TEACHERS - 1)].pk, chair=staff[-1], protocol_version=version)
            for g, group in enumerate(groups)
        )  # fmt: skip
    _STATE.update(school_id=school.pk, meeting_ids=[m.pk for m in meetings], teacher_user_id=teacher_user.pk)
    return {"students": len(students), "classes": CLASSES}


def run(schools, requests: int = 20) -> list:
    from bench.measure import Result
    from reviews.models import ReviewMeeting
    from reviews.models_cycle import SignalResponse
    from reviews.services.signals import open_signal_round
    from schools.models import User

    if not _STATE:
        return []
    results = []
    opening = Result("signaalronde openen, klas van 32 × 12 docenten")
    whole = Result("signaalrondes openen, hele school (2.016 leerlingen)")
    started_all = time.perf_counter()
    with scope(school=[_STATE["school_id"]]):
        for meeting in ReviewMeeting.objects.filter(pk__in=_STATE["meeting_ids"]).select_related(
            "group", "school", "protocol_version"
        ):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                open_signal_round(actor=None, meeting=meeting)
                opening.timings_ms.append((time.perf_counter() - started) * 1000)
            opening.queries.append(len(ctx.captured_queries))
        whole.timings_ms.append((time.perf_counter() - started_all) * 1000)
        whole.queries.append(
            SignalResponse.objects.filter(round__meeting_id__in=_STATE["meeting_ids"]).count()
        )
        first = ReviewMeeting.objects.get(pk=_STATE["meeting_ids"][0])
        round_id = first.signal_round.pk
        student_ids = list(SignalResponse.objects.filter(round_id=round_id, teacher__user_id=_STATE["teacher_user_id"])
                           .values_list("student_id", flat=True))  # fmt: skip
    results += [opening, whole]  # "whole": queries column holds the response rows created

    client = Client()
    client.force_login(User.objects.get(pk=_STATE["teacher_user_id"]))
    from bench.measure import measure

    results.append(
        measure("signaleringslijst 32 × 8 (docent)", client, f"/signaleringslijst/{round_id}/", {}, requests)
    )
    save = Result("antwoord opslaan (docent)")
    for n in range(requests):
        data = {
            "student": student_ids[n % len(student_ids)],
            "question": str(n % len(QUESTIONS)),
            "value": "watch",
        }
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.post(f"/signaleringslijst/{round_id}/antwoord/", data)
            save.timings_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        save.queries.append(len(ctx.captured_queries))
    results.append(save)
    return results
