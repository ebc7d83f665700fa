"""Issue #13 §2: schools.sql_shapes keeps the SQL text of a query shape and binds the values per call. It
keeps only what it can prove is one shape (two compiles with different stand-in values agree); anything
else is built and compiled on every call, with the same rows. Both exits: `fetch` (rows as tuples) and
`queryset` (Django's own instances, select_related and annotations, only to be iterated)."""

from __future__ import annotations

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import DateField, F, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dossier.models import DossierEntry, EntryKind
from dossier.services.record import record
from schools import sql_shapes
from schools.models import GuardianRelation, Student
from schools.student_panels import PanelRows, _fetch, overview_rows
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh():
    sql_shapes.clear()
    yield
    sql_shapes.clear()


def _students(p):
    return (
        Student.objects.filter(school=p.school, last_name__in=p.names)
        .order_by("pk")
        .values_list("pk", "first_name")
    )


def _both(key, values, build, school_ids):
    with scope(school=school_ids):
        plain = sql_shapes.fetch(key, values, build, cached=False)
        kept = [sql_shapes.fetch(key, values, build) for _ in range(2)]
    return plain, kept


def test_issue_13_kept_sql_binds_every_value_and_the_scope(world):
    a, b = world.school.pk, world.other_school.pk
    values = {"school": a, "names": ["Vries", "Jansen"]}
    plain, kept = _both(("t",), values, _students, [a])
    assert plain == kept[0] == kept[1] and {name for _, name in plain} == {"Sanne", "Daan"}
    assert len(sql_shapes._PLANS) == 1 and not sql_shapes.UNCACHEABLE
    # The same shape for school B (scope and value): its own rows, the same kept SQL.
    plain, kept = _both(("t",), {"school": b, "names": ["Visser", "Jansen"]}, _students, [b])
    assert plain == kept[0] == [(world.otto.pk, "Otto")]
    assert len(sql_shapes._PLANS) == 1
    # AVG-4: school A's student asked for inside school B's scope: nothing (the scope is bound too).
    with scope(school=[b]):
        assert sql_shapes.fetch(("t",), values, _students) == []
    # A scope of two schools is another shape (two bound ids).
    plain, kept = _both(("t",), {"school": b, "names": ["Visser"]}, _students, [a, b])
    assert plain == kept[0] == [(world.otto.pk, "Otto")] and len(sql_shapes._PLANS) == 2


def _first_n(p):
    return Student.objects.filter(school=p.school).order_by("pk").values_list("pk")[: p.n]


def _day_after(p):
    return Student.objects.filter(date_of_birth__lt=p.day + datetime.timedelta(days=1)).values_list("pk")


def test_issue_13_a_value_in_the_sql_text_or_a_value_derived_from_one_is_never_kept(world):
    school = world.school.pk
    for n in (1, 2):
        plain, kept = _both(("limit",), {"school": school, "n": n}, _first_n, [school])
        assert plain == kept[0] == kept[1] and len(plain) == n
    day = world.sanne.date_of_birth
    plain, kept = _both(("derived",), {"day": day}, _day_after, [school])
    assert plain == kept[0] and (world.sanne.pk,) in plain
    assert not sql_shapes._PLANS and len(sql_shapes.UNCACHEABLE) == 2


def _none_of(p):
    return Student.objects.filter(pk__in=p.ids).values_list("pk")


def test_issue_13_a_shape_sure_to_be_empty_sends_no_query(world):
    with scope(school=[world.school.pk]), CaptureQueriesContext(connection) as ctx:
        assert sql_shapes.fetch(("empty",), {"ids": []}, _none_of) == []
        assert sql_shapes.fetch(("empty",), {"ids": []}, _none_of) == []
        assert sql_shapes.fetch(("empty",), {"ids": [world.sanne.pk]}, _none_of) == [(world.sanne.pk,)]
    assert len(ctx.captured_queries) == 1


def _birthdays(p):
    return Student.objects.filter(pk=p.student).values_list("date_of_birth", "first_name")


def test_issue_13_kept_sql_converts_its_columns_like_the_orm(world):
    values = {"student": world.sanne.pk}
    plain, kept = _both(("dates",), values, _birthdays, [world.school.pk])
    assert plain == kept[1] and isinstance(kept[1][0][0], datetime.date)


def _recorded_between(p):
    return (
        DossierEntry.objects.filter(school=p.school, occurred_at__gte=p.since, occurred_at__lt=p.until)
        .order_by("pk")
        .values_list("pk", "occurred_at")
    )


def test_issue_13_a_moment_is_bound_as_the_backend_binds_a_datetime_field(world):
    """Datetimes (aware) are inputs too: bound per call as Django binds a DateTimeField's value (SQLite:
    naive UTC text; PostgreSQL: the datetime), so the kept SQL finds what the ORM finds for any moment."""
    at = timezone.now().replace(microsecond=250_000)
    entries = [
        record(
            student=world.sanne,
            kind=EntryKind.TALK,
            title=str(n),
            occurred_at=at - datetime.timedelta(hours=n),
        )
        for n in (1, 5, 30)
    ]
    school = world.school.pk
    for hours in (2, 6, 48):  # three windows, one shape
        since = (at - datetime.timedelta(hours=hours)).astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
        values = {"school": school, "since": since, "until": at}
        plain, kept = _both(("moments",), values, _recorded_between, [school])
        assert plain == kept[0] == kept[1]
        assert {pk for pk, _at in kept[1]} == {e.pk for e in entries if e.occurred_at >= since}
    assert len(sql_shapes._PLANS) == 1 and not sql_shapes.UNCACHEABLE
    with scope(school=[school]):  # a naive moment is another shape (and Django's own warning)
        naive = {"school": school, "since": timezone.make_naive(at), "until": timezone.make_naive(at)}
        with pytest.warns(RuntimeWarning):
            assert sql_shapes.fetch(("moments",), naive, _recorded_between) == []


@pytest.mark.parametrize("value", [True, [None], 1.5, datetime.timedelta(days=1)])
def test_issue_13_a_value_of_another_kind_is_refused(world, value):
    """On the kept and the plain path alike (a test with the cache off sees it too)."""
    for cached in (True, False):
        with scope(school=[world.school.pk]), pytest.raises(TypeError):
            sql_shapes.fetch(("kinds",), {"student": value}, _birthdays, cached=cached)


def test_issue_13_a_panel_built_by_a_closure_is_compiled_per_request_not_kept(world):
    """A closure may read anything (the request, the clock): only module-level functions are kept."""
    day = Value(datetime.date(2026, 1, 1), output_field=DateField())

    def rows(p):
        return overview_rows(
            Student.objects.filter(pk=p.student), kind="student", title="first_name", date_a=day
        )

    panel = PanelRows(rows, lambda found: None, values={"student": world.sanne.pk})
    with scope(school=[world.school.pk]):
        found = _fetch([("test", panel)])
    assert [row.title for row in found["test"]] == ["Sanne"] and not sql_shapes._PLANS


def _born(p):
    return Student.objects.filter(date_of_birth=p.born).order_by("pk").values_list("pk")


def test_issue_13_none_is_part_of_the_shape_never_bound(world):
    """`= None` is `IS NULL`: None and a date are two shapes, each with the plain path's rows."""
    school = world.school.pk
    unknown = f.StudentFactory(school=world.school, date_of_birth=None)
    plain, kept = _both(("born",), {"born": None}, _born, [school])
    assert plain == kept[0] == kept[1] and (unknown.pk,) in plain and (world.mila.pk,) not in plain
    plain, kept = _both(("born",), {"born": world.mila.date_of_birth}, _born, [school])
    assert plain == kept[0] == kept[1] == [(world.mila.pk,)]
    assert len(sql_shapes._PLANS) == 2 and not sql_shapes.UNCACHEABLE


def _relations(p):
    return (
        GuardianRelation.objects.filter(student=p.student)
        .select_related("guardian", "student")
        .annotate(guardian_name=F("guardian__last_name"))
        .order_by("pk")
    )


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def test_issue_13_the_queryset_exit_gives_the_orms_instances_for_each_school(world):
    """Instances, their select_related objects and annotations as Django makes them, one query, for a
    student of school A and of school B with the one kept shape."""
    for student in (world.sanne, world.otto):
        with scope(school=[student.school_id]):
            plain = list(sql_shapes.queryset(("rel",), {"student": student.pk}, _relations, cached=False))
            for _ in range(2):
                with CaptureQueriesContext(connection) as ctx:
                    kept = list(sql_shapes.queryset(("rel",), {"student": student.pk}, _relations))
                    seen = [(r.guardian.last_name, r.student.first_name, r.guardian_name) for r in kept]
                assert len(ctx.captured_queries) == 1
                assert [(_fields(r), _fields(r.guardian), _fields(r.student)) for r in kept] == [
                    (_fields(r), _fields(r.guardian), _fields(r.student)) for r in plain
                ]
                assert seen == [(r.guardian.last_name, r.student.first_name, r.guardian_name) for r in plain]
            assert plain and all(r.student_id == student.pk for r in plain)
    assert len(sql_shapes._PLANS) == 1 and not sql_shapes.UNCACHEABLE
    # AVG-4: school A's student inside school B's scope: nothing.
    with scope(school=[world.otto.school_id]):
        assert list(sql_shapes.queryset(("rel",), {"student": world.sanne.pk}, _relations)) == []


def _student(p):
    return Student.objects.filter(pk=p.student)


def test_issue_13_a_bound_queryset_can_only_be_iterated(world):
    values = {"student": world.sanne.pk}
    with scope(school=[world.school.pk]):
        assert [s.pk for s in sql_shapes.queryset(("one",), values, _student)] == [world.sanne.pk]
        bound = sql_shapes.queryset(("one",), values, _student)
        derived = (
            lambda q: q.filter(pk=1), lambda q: q.first(), lambda q: q[:1], lambda q: q.count(), lambda q: q.exists()
        )  # fmt: skip
        for derive in derived:
            with pytest.raises(TypeError):
                derive(sql_shapes.queryset(("one",), values, _student))
        assert [s.pk for s in bound] == [world.sanne.pk]


def test_issue_13_prefetches_and_the_wrong_exit_are_refused(world):
    values = {"student": world.sanne.pk}
    with scope(school=[world.school.pk]):
        with pytest.raises(TypeError):
            sql_shapes.queryset(("p",), values, lambda p: _student(p).prefetch_related("memberships"))
        with pytest.raises(TypeError):
            sql_shapes.queryset(("v",), values, lambda p: _student(p).values_list("pk"))
        with pytest.raises(TypeError):
            sql_shapes.fetch(("m",), values, _student)


def test_issue_13_an_empty_shape_of_the_queryset_exit_sends_no_query(world):
    with scope(school=[world.school.pk]), CaptureQueriesContext(connection) as ctx:
        for _ in range(2):
            assert (
                list(
                    sql_shapes.queryset(
                        ("none",), {"ids": []}, lambda p: Student.objects.filter(pk__in=p.ids)
                    )
                )
                == []
            )
    assert len(ctx.captured_queries) == 0


def test_issue_13_the_bound_sql_is_the_sql_django_compiles(world):
    """For the real values: the kept text, and the parameters Django binds (rows and instances)."""
    values = {"school": world.school.pk, "names": ["Vries", "Jansen"]}
    with scope(school=[world.school.pk]):
        bound = sql_shapes.bound_sql(("t",), values, _students, rows=True)
        plain = _students(SimpleNamespace(**values)).query.sql_with_params()
        assert bound == (plain[0], tuple(plain[1]))
        bound = sql_shapes.bound_sql(("rel",), {"student": world.sanne.pk}, _relations)
        plain = _relations(SimpleNamespace(student=world.sanne.pk)).query.sql_with_params()
        assert bound == (plain[0], tuple(plain[1]))


def test_issue_13_with_scopes_disabled_the_shape_has_no_scope(world):
    """A command or task with scopes disabled: its own shape (no school bound), every school's rows."""
    values = {"school": world.other_school.pk, "names": ["Visser", "Vries"]}
    with scopes_disabled():
        plain = sql_shapes.fetch(("t",), values, _students, cached=False)
        kept = [sql_shapes.fetch(("t",), values, _students) for _ in range(2)]
    assert plain == kept[0] == kept[1] == [(world.otto.pk, "Otto")]
    with scope(school=[world.school.pk]):
        assert sql_shapes.fetch(("t",), values, _students) == []
    assert len(sql_shapes._PLANS) == 2


def test_avg_4_verify_catches_a_value_kept_from_outside_p(world, monkeypatch):
    """A build that reads a value from elsewhere (here a closure) bakes it into the kept SQL as a constant:
    the double compile can not see it (it is the same in both), the tests' VERIFY does, on the next call."""
    monkeypatch.setattr(sql_shapes, "VERIFY", True)

    def reading(school_id):
        return lambda p: Student.objects.filter(school_id=school_id, pk__in=p.ids).values_list("pk")

    ids = [world.sanne.pk, world.otto.pk]
    with scopes_disabled():
        assert sql_shapes.fetch(("closure",), {"ids": ids}, reading(world.school.pk)) == [(world.sanne.pk,)]
        with pytest.raises(AssertionError):
            sql_shapes.fetch(("closure",), {"ids": ids}, reading(world.other_school.pk))
        monkeypatch.setattr(sql_shapes, "VERIFY", False)  # what it would have read: school A's row
        assert sql_shapes.fetch(("closure",), {"ids": ids}, reading(world.other_school.pk)) == [
            (world.sanne.pk,)
        ]
