"""Issue #13: the review providers' EXISTS probe (reviews.home_probe.review_flags), compiled once per shape
(schools.sql_shapes), gives the same flags as the probe before it (the access' objects, timezone.now(),
pending_leave(access)) for every persona, now and a year later (the planned meetings in the past), and its
shape is never uncacheable."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db.models import Exists, Q
from django.utils import timezone
from django_scopes import scope

from reviews.home_probe import _KEY, review_flags
from reviews.models import MeetingState, ReviewMeeting
from reviews.models_cycle import SignalAssignment
from reviews.models_meeting import Agreement, AgreementState, FollowUp
from reviews.selectors import pending_leave
from schools import sql_shapes
from schools.models import StaffMember
from tests.persona_fixtures import _media_root, _module_media, matrix_world, request  # noqa: F401
from tests.persona_world import STAFF_PERSONAS

pytestmark = pytest.mark.django_db


def _flags_before(access) -> dict[str, bool]:
    """review_flags as it was before issue #13's shapes."""
    staff, now, today = access.staff, timezone.now(), timezone.localdate()
    checks = {
        "signal_lists": SignalAssignment.objects.filter(
            teacher=staff, finished_at__isnull=True, round__closed_at__isnull=True, round__due_on__gte=today
        ),
        "meetings": ReviewMeeting.objects.filter(school_id=access.school.pk)
        .filter(Q(leader=staff) | Q(minute_taker=staff) | Q(group_id__in=access.mentor_group_ids))
        .filter(state__in=[MeetingState.PLANNED, MeetingState.IN_PROGRESS]),
        "follow_ups": FollowUp.objects.filter(meeting__leader=staff, done_at__isnull=True),
        "recap": Agreement.objects.filter(
            carried_out_by=staff, state=AgreementState.OPEN, meeting__state=MeetingState.CLOSED
        ),
    }
    if access.head_of_department_ids or access.is_director:
        checks["leave"] = pending_leave(access)
    if access.is_care_coordinator or access.is_department_head:
        upcoming = ReviewMeeting.objects.filter(state=MeetingState.PLANNED, starts_at__gte=now)
        if not access.is_care_coordinator:
            upcoming = upcoming.filter(group__department_id__in=access.head_of_department_ids)
        checks["upcoming"] = upcoming
    if access.is_care_coordinator:
        checks["round_meetings"] = ReviewMeeting.objects.filter(
            school_id=access.school.pk, round__school_year__end__gte=today
        )
        checks["overdue_evaluations"] = Agreement.objects.filter(
            school=access.school, state=AgreementState.OPEN, evaluate_on__lt=today,
            meeting__state=MeetingState.CLOSED,
        )  # fmt: skip
    row = (
        StaffMember.objects.filter(pk=staff.pk)
        .annotate(**{f"has_{key}": Exists(query) for key, query in checks.items()})
        .values(*(f"has_{key}" for key in checks))
        .first()
    ) or {}
    return {key: bool(row.get(f"has_{key}", False)) for key in checks}


@pytest.mark.parametrize("later", [0, 400], ids=["today", "in_a_year"])
def test_review_flags_kept_shape_are_the_flags_before_for_every_persona(mw, later):
    seen, true = set(), set()
    for persona in STAFF_PERSONAS:
        response = request(mw, persona, "GET", "/")
        req = response.wsgi_request
        access = getattr(req, "access", None)
        if access is None or access.staff is None:
            continue
        with time_machine.travel(timezone.now() + datetime.timedelta(days=later), tick=False):
            with scope(school=[access.school.pk]):
                for enabled in (True, False, True):
                    req.__dict__.pop(_KEY, None)
                    sql_shapes.ENABLED = enabled
                    try:
                        assert review_flags(req) == _flags_before(access), persona
                    finally:
                        sql_shapes.ENABLED = True
                seen.add(persona)
                true |= {key for key, value in review_flags(req).items() if value}
    assert len(seen) >= 3
    if not later:  # the world has planned meetings, signal lists, follow-ups: the probe finds them
        assert {"meetings", "upcoming", "round_meetings", "signal_lists"} <= true
    assert not [key for key in sql_shapes.UNCACHEABLE if str(key[2][0]).startswith("reviews.")]
