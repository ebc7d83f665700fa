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

from schools.models import StaffMember

from .models import MeetingState, ReviewMeeting
from .models_cycle import SignalAssignment
from .models_meeting import Agreement, AgreementState, FollowUp
from .selectors import pending_leave

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
    "round_meetings", "overdue_evaluations"}: True when the provider's read may find rows."""
    cached = request.__dict__.get(_KEY)
    if cached is not None:
        return cached
    access = request.access
    staff = access.staff
    now = timezone.now()
    today = timezone.localdate()
    checks = {
        # home_cycle.my_signal_lists (selectors.open_lists_for)
        "signal_lists": SignalAssignment.objects.filter(
            teacher=staff, finished_at__isnull=True, round__closed_at__isnull=True, round__due_on__gte=today
        ),
        # home_meeting.my_meetings
        "meetings": ReviewMeeting.objects.filter(school_id=access.school.pk)
        .filter(Q(leader=staff) | Q(minute_taker=staff) | Q(group_id__in=access.mentor_group_ids))
        .filter(state__in=[MeetingState.PLANNED, MeetingState.IN_PROGRESS]),
        # home_meeting.my_meetings (selectors_meeting.open_follow_ups)
        "follow_ups": FollowUp.objects.filter(meeting__leader=staff, done_at__isnull=True),
        # home_meeting.my_recap (selectors_meeting.recap_for)
        "recap": Agreement.objects.filter(
            carried_out_by=staff, state=AgreementState.OPEN, meeting__state=MeetingState.CLOSED
        ),
    }
    if access.head_of_department_ids or access.is_director:
        # home_cycle.leave_to_decide (selectors.pending_leave_for, its approver check included)
        checks["leave"] = pending_leave(access)
    if access.is_care_coordinator or access.is_department_head:
        # home_cycle.upcoming_meetings
        upcoming = ReviewMeeting.objects.filter(state=MeetingState.PLANNED, starts_at__gte=now)
        if not access.is_care_coordinator:
            upcoming = upcoming.filter(group__department_id__in=access.head_of_department_ids)
        checks["upcoming"] = upcoming
    if access.is_care_coordinator:
        # home_meeting.round_status
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
    flags = {key: bool(row.get(f"has_{key}", False)) for key in checks}
    request.__dict__[_KEY] = flags
    return flags
