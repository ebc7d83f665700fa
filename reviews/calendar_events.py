"""The review meeting in the calendar feed of everyone expected, as a timed event with date, time and
place (LB-1, LB-2); registered from ReviewsConfig.ready() with deadlines' register_calendar_provider.

Expected: the mentor who leads, the chair, the minute-taker and every teacher with a teaching
assignment in the group (reviews.selectors.expected_staff). The event stands for the person's
all-day "attend" deadline of the meeting, which the feed then leaves out. A cancelled meeting
leaves the feed; a moved one moves. The summary names the group, never a student.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.models import Deadline
from deadlines.services.calendar_feed import TimedEvent
from schools.models import StaffMember

from .models import MeetingState, ReviewMeeting
from .services.planning import STEP_ATTEND, attend_title

PAST_DAYS = 30  # meetings of the last month stay in the calendar
MINIMUM_MINUTES = 60


def meeting_events(staff: StaffMember) -> list[TimedEvent]:
    since = timezone.now() - datetime.timedelta(days=PAST_DAYS)
    meetings = list(
        ReviewMeeting.objects.filter(school_id=staff.school_id, starts_at__gte=since)
        .exclude(state=MeetingState.CANCELLED)
        .filter(
            Q(leader=staff) | Q(chair=staff) | Q(minute_taker=staff)
            | Q(pk__in=ReviewMeeting.objects.filter(group__teaching_assignments__staff=staff).values("pk"))
        )
        .select_related("group", "protocol_version")
        .annotate(agenda=Count("discussion_list__items"))
        .order_by("starts_at", "pk")[:200]
    )  # fmt: skip
    if not meetings:
        return []
    attend: dict[str, list[int]] = {}
    for pk, source_id in Deadline.objects.filter(
        owner=staff, step_code__startswith=STEP_ATTEND, source_id__in=[str(m.pk) for m in meetings]
    ).values_list("pk", "source_id"):
        attend.setdefault(source_id, []).append(pk)
    events = []
    for meeting in meetings:
        minutes = max(MINIMUM_MINUTES, meeting.agenda * meeting.setting("meeting_minutes_per_student"))
        events.append(
            TimedEvent(
                uid=f"review-meeting-{meeting.pk}",
                starts_at=meeting.starts_at,
                ends_at=meeting.starts_at + datetime.timedelta(minutes=minutes),
                summary=_("Leerlingbespreking %(group)s") % {"group": meeting.group.name},
                location=meeting.place,
                url=reverse("reviews_meeting_cycle", args=[meeting.pk]),
                description=attend_title(meeting),
                replaces=tuple(attend.get(str(meeting.pk), ())),
            )
        )
    return events
