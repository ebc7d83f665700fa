""" "Mijn acties" sections of the review cycle: each role sees what is theirs (issue 12, item 9)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import sql_shapes

from .home_probe import pk_url, review_flags
from .models import MeetingState, ReviewMeeting
from .selectors import open_lists_for, pending_leave_for, round_progress_queryset, round_progress_rows


def _staff(request):
    access = getattr(request, "access", None)
    if access is None or access.school is None or access.staff is None:
        return None, None
    return access, access.staff


def my_signal_lists(request) -> dict | None:
    """A teacher: the signal lists to fill in, with progress (17/28) (LB-4)."""
    access, staff = _staff(request)
    if staff is None or not review_flags(request)["signal_lists"]:  # issue #13: one probe, no query
        return None
    rows = open_lists_for(staff)
    if not rows:
        return None
    return {
        "title": _("Signaleringslijsten invullen"),
        "items": [
            {
                "label": _("%(group)s: %(answered)s/%(total)s")
                % {
                    "group": row["assignment"].round.meeting.group.name,
                    "answered": row["answered"],
                    "total": row["total"],
                },
                "url": reverse("reviews_signal_grid", args=[row["assignment"].round_id]),
                "due": row["assignment"].round.due_on,
            }
            for row in rows
        ],
        "empty": _("Geen signaleringslijsten."),
    }


def leave_to_decide(request) -> dict | None:
    """The department head (po: the director): leave requests to decide (LB-2)."""
    access, staff = _staff(request)
    if staff is None or not (access.is_department_head or access.is_director):
        return None
    if not review_flags(request)["leave"]:  # issue #13: nothing requested, no query
        return None
    requests = pending_leave_for(access)
    if not requests:
        return None
    return {
        "title": _("Verlofaanvragen leerlingbespreking"),
        "items": [
            {
                "label": _("%(who)s — %(group)s")
                % {"who": leave.teacher.full_name, "group": leave.meeting.group.name},
                "url": reverse("reviews_leave_detail", args=[leave.pk]),
                "due": timezone.localdate(leave.meeting.starts_at),
            }
            for leave in requests
        ],
        "empty": _("Geen verlofaanvragen."),
    }


UPCOMING_LIMIT = 20


def _upcoming_query(p, *, coordinator: bool):
    meetings = ReviewMeeting.objects.filter(state=MeetingState.PLANNED, starts_at__gte=p.now)
    if not coordinator:
        meetings = meetings.filter(group__department_id__in=p.departments)
    return round_progress_queryset(meetings.order_by("starts_at", "pk"), limit=UPCOMING_LIMIT)


def upcoming_progress(access) -> list[dict]:
    """The planned meetings' progress (the first 20), its SQL compiled once per shape (issue #13,
    schools.sql_shapes: the care coordinator's branch and the number of departments in the key)."""
    coordinator = access.is_care_coordinator
    values = {
        "now": timezone.now(),
        "departments": [] if coordinator else sorted(access.head_of_department_ids),
    }

    def build(p):
        return _upcoming_query(p, coordinator=coordinator)

    return round_progress_rows(sql_shapes.queryset(("reviews.home_upcoming", coordinator), values, build))


def upcoming_meetings(request) -> dict | None:
    """The care coordinator: all planned meetings with their status; the department head: the
    round's progress per class (lists finished / out) (LB-15)."""
    access, staff = _staff(request)
    if staff is None or not (access.is_care_coordinator or access.is_department_head):
        return None
    rows = []
    if review_flags(request)["upcoming"]:  # issue #13: nothing planned, no query
        rows = upcoming_progress(access)
    planning = []
    if request.user.has_perm("reviews.plan_round", access.school):  # LB-15: the organisers plan
        planning = [{"label": _("Leerlingbesprekingen plannen"), "url": reverse("reviews_planning")}]
    if not rows and not planning:
        return None
    meeting_url = pk_url("reviews_meeting_cycle")
    return {
        "title": _("Leerlingbesprekingen"),
        "items": planning
        + [
            {
                "label": _("%(group)s: %(finished)s/%(lists)s lijsten af")
                % {"group": row["meeting"].group.name, "finished": row["finished"], "lists": row["lists"]},
                "url": meeting_url(row["meeting"].pk),
                "due": timezone.localdate(row["meeting"].starts_at),
            }
            for row in rows
        ],
        "empty": _("Geen besprekingen gepland."),
        "more_url": reverse("reviews_planning"),
    }
