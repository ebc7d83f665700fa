"""Issue 10 §8, issue 12 §8, issue 13 §1: the student's page with the care overview stays within the page
budget (MAX_QUERIES) and makes the same number of queries for a short and a long history (5 against 50
incidents, deadlines, documents and agreements), for every role that sees panels. The panels' rows come
in one query (schools.student_panels); the mentors and teachers in one (schools.selectors.staff_around)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.schools.overview_history import full_history

from .test_query_counts import MAX_QUERIES, statements


def _count(client, student) -> tuple[int, bytes]:
    url = f"/leerlingen/{student.pk}/"
    client.get(url)  # warm the session and the per-process caches (content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return statements(ctx.captured_queries), response.content


@pytest.mark.parametrize("persona", ["teacher", "mentor", "anouk", "carla", "bea", "dirk", "fiona"])
def test_student_overview_queries_bounded_and_constant_in_the_history(world, persona):
    full_history(world, world.sanne, n=5)
    full_history(world, world.daan, n=50)
    client = world.client_for(getattr(world, persona))
    short, short_html = _count(client, world.sanne)
    long, long_html = _count(client, world.daan)
    assert short <= MAX_QUERIES, f"{persona}: {short} queries"
    assert long == short, f"{persona}: {short} queries for 5, {long} for 50"
    if persona != "fiona":  # the functional admin sees the student, not their file (AVG-4)
        assert b"paneel-gedrag" in short_html and b"paneel-afspraken" in long_html


def _board_like(world, student, years: int = 4) -> None:
    """What the board data set (bench/dataset.py, behaviour/bench.py) gives the 5-year student and the
    tests' world did not: last year's group with its membership ended, cases closed in earlier school
    years with their incidents and measures, several guardians, teachers of 10 subjects."""
    import datetime

    from django.utils import timezone

    from behaviour.models_incidents import Incident, Involvement, LadderMeasure, Part
    from tests.behaviour.factories import BehaviourCaseFactory

    this_year = world.group_2b.school_year
    last_year = f.SchoolYearFactory(
        school=world.school, start=this_year.start.replace(year=this_year.start.year - 1),
        end=this_year.start - datetime.timedelta(days=1),
    )  # fmt: skip
    old_group = f.GroupFactory(school=world.school, school_year=last_year, name=f"1B-{student.pk}")
    f.place(student, old_group, end=last_year.end)
    f.teach(world.teacher, old_group, "Wiskunde")
    for n in range(10):
        f.teach(f.StaffFactory(school=world.school), world.group_2b, f"Vak {n}")
    for _ in range(2):
        f.link_guardian(student, f.GuardianFactory(school=world.school))
    for y in range(1, years + 1):
        at = timezone.now() - datetime.timedelta(days=365 * y)
        case = BehaviourCaseFactory(
            student=student, opened_at=at, closed_at=at + datetime.timedelta(days=200)
        )
        for i in range(3):
            incident = Incident.objects.create(
                school=world.school,
                category="fysiek geweld",
                facts="Duwde.",
                happened_at=at,
                reported_by=world.teacher,
            )
            Involvement.objects.create(
                incident=incident, student=student, part=Part.ACTOR, case=case, number=i + 1
            )
            LadderMeasure.objects.create(case=case, incident=incident, code=f"warning_{i + 1}", label="waarschuwing",
                                         rule="GP-3", confirmed_at=at)  # fmt: skip


@pytest.mark.parametrize("persona", ["teacher", "mentor", "carla", "dirk"])
def test_student_overview_queries_the_same_for_a_board_like_history(world, persona):
    """Issue 13: 12 queries in the tests, 14 on the board data set for the 5-year student: the same
    page for a student with last year's group, closed cases of earlier years, more guardians and
    teachers must cost what it costs for the short history."""
    full_history(world, world.sanne, n=5)
    full_history(world, world.daan, n=5)
    _board_like(world, world.daan)
    client = world.client_for(getattr(world, persona))
    short, _ = _count(client, world.sanne)
    long, _ = _count(client, world.daan)
    assert short <= MAX_QUERIES, f"{persona}: {short} queries"
    assert long == short, f"{persona}: {short} queries for the short history, {long} for the board-like one"
