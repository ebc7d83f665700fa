"""Issue #13: the care coordinator's round status (reviews.home_meeting.round_status) reads its meetings and
overdue evaluations through schools.sql_shapes: the kept SQL gives the same rows as the plain queryset of
before for each school, today and a year later (then every open agreement is overdue)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from reviews import home_meeting
from reviews.models import ReviewMeeting
from reviews.selectors_meeting import overdue_evaluations
from schools import sql_shapes
from tests.persona_fixtures import _media_root, _module_media, matrix_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _pks(rows) -> list[tuple]:
    return [(row.pk, getattr(row, "student_id", None), getattr(row, "group_id", None)) for row in rows]


def test_round_status_kept_shapes_give_the_rows_before(mw):
    found = {"meetings": 0, "overdue": 0}
    for school_id in sorted({mw.world.school.pk, *ReviewMeeting.objects.values_list("school_id", flat=True)}):
        for later in (0, 400):
            today = timezone.localdate() + datetime.timedelta(days=later)
            values = {"school": school_id, "today": today}
            with scope(school=[school_id]):
                before_meetings = list(
                    ReviewMeeting.objects.filter(school_id=school_id, round__school_year__end__gte=today)
                    .select_related("group", "round")
                    .order_by("starts_at", "pk")[:50]
                )
                before_overdue = list(overdue_evaluations(school_id, today=today)[:20])
                for _ in range(2):  # the first call compiles the shape, the second binds into it
                    meetings = list(sql_shapes.queryset(("t.round",), values, home_meeting._round_meetings))
                    overdue = list(sql_shapes.queryset(("t.overdue",), values, home_meeting._overdue))
                    assert _pks(meetings) == _pks(before_meetings)
                    assert [m.group.name for m in meetings] == [m.group.name for m in before_meetings]
                    assert _pks(overdue) == _pks(before_overdue)
                    assert [a.meeting.leader.full_name for a in overdue] == [
                        a.meeting.leader.full_name for a in before_overdue
                    ]
            found["meetings"] += len(meetings)
            found["overdue"] += len(overdue)
    assert found["meetings"] and found["overdue"]
    assert not [key for key in sql_shapes.UNCACHEABLE if str(key[2][0]).startswith("t.")]
