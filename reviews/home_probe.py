"""One query for the review providers of the home page (issue #13: at most 12 queries per page).

The review cycle and meeting providers (home_cycle, home_meeting) each read their own table. Most
staff have nothing in most of them, so ONE query asks, per source, whether anything exists for this
viewer (EXISTS subqueries with the providers' own filters, or wider ones); a provider whose flag is
False returns what it would return for an empty read, without a query. Kept on the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, Q
from django.urls import reverse
from django.utils import timezone

from schools import sql_shapes
from schools.models import StaffMember

from .models import MeetingState, ReviewMeeting
from .models_cycle import SignalAssignment
from .models_meeting import Agreement, AgreementState, FollowUp
from .selectors import pending_leave_query

_KEY = "_review_home_flags"
_MARKER = 987654321


def pk_url(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many pks: reversed once, the pk put in its place (issue #13: a
    home section lists up to 50 meetings). For a URL with one integer argument."""
    url = reverse(name, args=[_MARKER])
    head, marker, tail = url.partition(str(_MARKER))
    if not marker or str(_MARKER) in tail:
        return lambda pk: reverse(name, args=[pk])
    return lambda pk: f"{head}{int(pk)}{tail}"


def review_flags(request) -> dict[str, bool]:
    """{"signal_lists", "meetings", "follow_ups", "recap", and per role "leave", "upcoming",
    "round_meetings", "overdue_evaluations"}: True when the provider's read may find rows.
    Issue #13: its SQL compiled once per shape (schools.sql_shapes): the roles' branches and the
    number of mentor groups / departments in the key, the ids, today and now bound."""
    cached = request.__dict__.get(_KEY)
    if cached is not None:
        return cached
    access = request.access
    staff = access.staff
    leave = bool(access.head_of_department_ids or access.is_director)
    upcoming = access.is_care_coordinator or access.is_department_head
    coordinator = access.is_care_coordinator
    director = access.is_director
    values = {
        "staff": staff.pk,
        "school": access.school.pk,
        "mentor_groups": sorted(access.mentor_group_ids),
        "departments": sorted(access.head_of_department_ids),
        "today": timezone.localdate(),
        "now": timezone.now(),
    }
    key = ("reviews.home_flags", leave, upcoming, coordinator, director)

    def build(p):
        return _flags_query(p, leave=leave, upcoming=upcoming, coordinator=coordinator, director=director)

    names = _flag_names(leave=leave, upcoming=upcoming, coordinator=coordinator)
    rows = sql_shapes.fetch(key, values, build)
    row = rows[0] if rows else (False,) * len(names)
    flags = {name: bool(value) for name, value in zip(names, row, strict=True)}
    request.__dict__[_KEY] = flags
    return flags


def _flag_names(*, leave: bool, upcoming: bool, coordinator: bool) -> list[str]:
    names = ["signal_lists", "meetings", "follow_ups", "recap"]
    if leave:
        names.append("leave")
    if upcoming:
        names.append("upcoming")
    if coordinator:
        names += ["round_meetings", "overdue_evaluations"]
    return names


def _flags_query(p, *, leave: bool, upcoming: bool, coordinator: bool, director: bool):
    """The one EXISTS row, read from `p` only (the branches are the key's)."""
    checks = {
        # home_cycle.my_signal_lists (selectors.open_lists_for)
        "signal_lists": SignalAssignment.objects.filter(
            teacher_id=p.staff,
            finished_at__isnull=True,
            round__closed_at__isnull=True,
            round__due_on__gte=p.today,
        ),
        # home_meeting.my_meetings
        "meetings": ReviewMeeting.objects.filter(school_id=p.school)
        .filter(Q(leader_id=p.staff) | Q(minute_taker_id=p.staff) | Q(group_id__in=p.mentor_groups))
        .filter(state__in=[MeetingState.PLANNED, MeetingState.IN_PROGRESS]),
        # home_meeting.my_meetings (selectors_meeting.open_follow_ups)
        "follow_ups": FollowUp.objects.filter(meeting__leader_id=p.staff, done_at__isnull=True),
        # home_meeting.my_recap (selectors_meeting.recap_for)
        "recap": Agreement.objects.filter(
            carried_out_by=p.staff, state=AgreementState.OPEN, meeting__state=MeetingState.CLOSED
        ),
    }
    if leave:
        # home_cycle.leave_to_decide (selectors.pending_leave_for, its approver check included)
        checks["leave"] = pending_leave_query(
            head_of_department_ids=p.departments, is_director=director, school_id=p.school, now=p.now
        )
    if upcoming:
        # home_cycle.upcoming_meetings
        meetings = ReviewMeeting.objects.filter(state=MeetingState.PLANNED, starts_at__gte=p.now)
        if not coordinator:
            meetings = meetings.filter(group__department_id__in=p.departments)
        checks["upcoming"] = meetings
    if coordinator:
        # home_meeting.round_status
        checks["round_meetings"] = ReviewMeeting.objects.filter(
            school_id=p.school, round__school_year__end__gte=p.today
        )
        checks["overdue_evaluations"] = Agreement.objects.filter(
            school_id=p.school, state=AgreementState.OPEN, evaluate_on__lt=p.today,
            meeting__state=MeetingState.CLOSED,
        )  # fmt: skip
    return (
        StaffMember.objects.filter(pk=p.staff)
        .annotate(**{f"has_{key}": Exists(query) for key, query in checks.items()})
        .values_list(*(f"has_{key}" for key in checks))
    )
