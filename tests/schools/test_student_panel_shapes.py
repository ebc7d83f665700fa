"""Issue #13 §2: the student overview's one UNION ALL is compiled once per shape (schools.sql_shapes) and
only its values are bound per request. The cached path must give exactly what building and compiling the
querysets on every request gives: the same rows and the same page, for every viewer (AVG-4: each role's
branch its own shape), every student, both schools (the scope's school is bound, never baked in), and
on another day (SV-1: "today" is a value)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone
from django_scopes import scope

from schools import sql_shapes
from schools.access import get_access
from schools.student_panels import PanelRows, _fetch, student_panels

from .overview_history import full_history

# Staff of school A who see Sanne and Daan in one role or another, and the director of school B (Otto).
VIEWERS_A = ("teacher", "mentor", "anouk", "carla", "bea", "dirk", "fiona", "henk")


@pytest.fixture
def histories(world):
    sql_shapes.clear()
    full_history(world, world.sanne, n=5)
    full_history(world, world.daan, n=7)
    full_history(world, world.otto, n=3)
    yield
    sql_shapes.clear()


def _normal(html: bytes) -> str:
    """The page without what differs per request anyway (the CSRF token, the CSP nonce)."""
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


def _pages(world, monkeypatch, cached: bool) -> dict:
    monkeypatch.setattr(sql_shapes, "ENABLED", cached)
    sql_shapes.clear()  # what the fixtures' writes kept (the behaviour version in force) is not the pages'
    pages = {}
    cases = [(persona, student) for persona in VIEWERS_A for student in ("sanne", "daan")] + [
        ("zeno", "otto")
    ]
    for persona, student in cases:
        client = world.client_for(getattr(world, persona))
        response = client.get(f"/leerlingen/{getattr(world, student).pk}/")
        pages[persona, student] = (response.status_code, _normal(response.content))
    return pages


def test_issue_13_cached_overview_sql_gives_the_same_page_for_every_viewer_student_and_school(
    world, histories, monkeypatch
):
    plain = _pages(world, monkeypatch, cached=False)
    assert not sql_shapes._PLANS, "the plain path keeps nothing"
    first = _pages(world, monkeypatch, cached=True)  # compiles each shape
    again = _pages(world, monkeypatch, cached=True)  # binds into the kept SQL
    assert sql_shapes._PLANS and not sql_shapes.UNCACHEABLE
    for case, (status, html) in plain.items():
        assert first[case] == (status, html), case
        assert again[case] == (status, html), case
    assert plain["carla", "sanne"][0] == 200 and "paneel-maatregelen" in plain["carla", "sanne"][1]
    assert "paneel-gedrag" in plain["zeno", "otto"][1]


def _rows(world, persona: str, student, *, cached: bool) -> dict:
    """What the panels' providers ask for and the rows the one query answers, for this viewer."""
    user = getattr(world, persona).user
    request = RequestFactory().get(f"/leerlingen/{student.pk}/")
    request.user, request.access = user, get_access(user)
    with scope(school=[student.school_id]):
        answers = [(panel.key, panel.provider(student, request)) for panel in student_panels()]
        answers = [(key, answer) for key, answer in answers if isinstance(answer, PanelRows)]
        return _fetch(answers, cached=cached)


def test_issue_13_cached_and_plain_overview_rows_are_identical_in_value_and_type(world, histories):
    for persona in VIEWERS_A:
        for student in (world.sanne, world.daan):
            plain = _rows(world, persona, student, cached=False)
            for _ in range(2):
                cached = _rows(world, persona, student, cached=True)
                assert cached == plain, (persona, student)
                assert [[type(v) for v in row] for rows in cached.values() for row in rows] == [
                    [type(v) for v in row] for rows in plain.values() for row in rows
                ]
    assert not sql_shapes.UNCACHEABLE


def test_avg_4_a_kept_shape_binds_the_other_schools_scope_and_student(world, histories):
    """The director of school B reuses the SQL the director of school A made (the same shape) and gets
    Otto's rows of school B only: the scope's school is a bound value, never part of the kept SQL."""
    dirk = _rows(world, "dirk", world.sanne, cached=True)
    kept = len(sql_shapes._PLANS)
    zeno = _rows(world, "zeno", world.otto, cached=True)
    assert len(sql_shapes._PLANS) == kept, "the same shape, the same SQL"
    assert zeno == _rows(world, "zeno", world.otto, cached=False)
    assert zeno != dirk and zeno["gedrag"]
    # Otto's school scope with Sanne's id: nothing of school A comes back.
    request = RequestFactory().get("/")
    request.user, request.access = world.zeno.user, get_access(world.zeno.user)
    with scope(school=[world.otto.school_id]):
        answers = [(p.key, p.provider(world.sanne, request)) for p in student_panels()]
        found = _fetch([(k, a) for k, a in answers if isinstance(a, PanelRows)], cached=True)
    assert not any(found.values())


def test_sv_1_issue_13_today_is_a_bound_value_of_the_kept_sql(world, histories):
    """A handled time-out stays on the overview on its own day and leaves it the next day, with the SQL
    kept from the first day (today is bound, not compiled in)."""
    time_out = _handled_time_out(world)
    day = timezone.localtime().replace(hour=12)
    with time_machine.travel(day, tick=False):
        on_the_day = _rows(world, "carla", world.sanne, cached=True)["maatregelen"]
    with time_machine.travel(day + datetime.timedelta(days=1), tick=False):
        next_day = _rows(world, "carla", world.sanne, cached=True)["maatregelen"]
        assert next_day == _rows(world, "carla", world.sanne, cached=False)["maatregelen"]
    assert any(row.ref == time_out.pk for row in on_the_day if row.kind == "time_out")
    assert not any(row.ref == time_out.pk for row in next_day if row.kind == "time_out")


def _handled_time_out(world):
    """Sanne's time-out of today, the parents informed and the talk reported (SV-1)."""
    from measures.models import TimeOut
    from signatures.models import SignableDocument

    time_out = TimeOut.objects.get(student=world.sanne)
    time_out.parents_contacted_at = timezone.now()
    time_out.report = SignableDocument.objects.filter(student=world.sanne).first()
    time_out.save()
    return time_out


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def _orm_staff_around(group_ids):
    """staff_around as the ORM read it before issue #13 §2 (model instances of the union)."""
    from django.db.models import CharField, F, IntegerField, Value

    from schools.models import StaffMember

    mentors = StaffMember.objects.filter(mentor_of__in=group_ids).order_by().annotate(
        around_subject=Value("", output_field=CharField()), around_mentor=Value(1, output_field=IntegerField())
    )  # fmt: skip
    teaching = StaffMember.objects.filter(teaching_assignments__group_id__in=group_ids).order_by().annotate(
        around_subject=F("teaching_assignments__subject"), around_mentor=Value(0, output_field=IntegerField())
    )  # fmt: skip
    return [(_fields(s), s.around_subject, s.around_mentor) for s in mentors.union(teaching, all=True)]


@pytest.mark.parametrize("cached", [True, False])
def test_issue_13_guardians_and_staff_of_the_student_page_equal_the_orm_reads(
    world, histories, monkeypatch, cached
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schools import selectors
    from schools.models import GroupMembership, GuardianRelation
    from tests import factories as f

    monkeypatch.setattr(sql_shapes, "ENABLED", cached)
    f.teach(f.StaffFactory(school=world.school), world.group_2b, "Aardrijkskunde")
    for student in (world.sanne, world.daan, world.otto):
        with scope(school=[student.school_id]):
            orm = list(GuardianRelation.objects.filter(student=student).select_related("guardian")
                       .order_by("guardian__last_name"))  # fmt: skip
            for _ in range(2):
                with CaptureQueriesContext(connection) as ctx:
                    mine = selectors.guardian_relations(student)
                    names = [(r.guardian.full_name, r.guardian.email, r.guardian.phone) for r in mine]
                assert len(ctx.captured_queries) == 1  # the guardian comes with its relation
                assert [(_fields(r), _fields(r.guardian)) for r in mine] == [
                    (_fields(r), _fields(r.guardian)) for r in orm
                ]
                assert names == [(r.guardian.full_name, r.guardian.email, r.guardian.phone) for r in orm]
            groups = list(GroupMembership.objects.filter(student=student).values_list("group_id", flat=True))
            rows = _orm_staff_around(groups)
            mentors, teachers = selectors.staff_around(groups)
            expected_mentors = {}
            for fields, _, mentor in rows:
                if mentor:
                    expected_mentors.setdefault(fields["id"], fields)
            assert [_fields(m) for m in mentors] == list(expected_mentors.values())
            expected = sorted(((fields, subject) for fields, subject, mentor in rows if not mentor),
                              key=lambda t: (t[1], t[0]["last_name"]))  # fmt: skip
            assert [(_fields(t["staff"]), t["subject"]) for t in teachers] == expected
            assert student != world.sanne or (orm and mentors and len(teachers) >= 2)
    assert not sql_shapes.UNCACHEABLE
