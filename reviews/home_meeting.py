"""Home-page sections of the meeting side (issue 12 §9): the mentor's preparation, meeting and
follow-up; a teacher's recap ("voor Sem: …", LB-12); the care coordinator's meetings with their status."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import sql_shapes

from .home_probe import pk_url, review_flags
from .models import MeetingState, ReviewMeeting


def _access(request):
    access = getattr(request, "access", None)
    if access is None or access.school is None or access.staff is None:
        return None
    return access


def my_meetings(request) -> dict | None:
    """The mentor (leader) and minute-taker: prepare, hold and follow up their meetings (LB-3, LB-6, LB-12)."""
    from .selectors_meeting import open_follow_ups

    access = _access(request)
    if access is None:
        return None
    staff = access.staff
    flags = review_flags(request)  # issue #13: read only what exists
    meetings = []
    if flags["meetings"]:
        meetings = list(
            ReviewMeeting.objects.filter(school_id=access.school.pk)
            .filter(Q(leader=staff) | Q(minute_taker=staff) | Q(group_id__in=access.mentor_group_ids))
            .filter(state__in=[MeetingState.PLANNED, MeetingState.IN_PROGRESS])
            .select_related("group")
            .order_by("starts_at")[:10]
        )
    follow_ups = list(open_follow_ups(staff)[:10]) if flags["follow_ups"] else []
    if not meetings and not follow_ups:
        return None
    items = []
    for meeting in meetings:
        when = timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")
        if meeting.state == MeetingState.PLANNED and meeting.leader_id == staff.pk:
            items.append({"label": _("Voorbereiden: bespreking %(group)s op %(when)s") % {"group": meeting.group.name, "when": when},
                          "url": reverse("review_prepare", args=[meeting.pk])})  # fmt: skip
        items.append({"label": _("Bespreking %(group)s op %(when)s") % {"group": meeting.group.name, "when": when},
                      "url": reverse("review_meeting_mode", args=[meeting.pk])})  # fmt: skip
    for follow_up in follow_ups:
        items.append({
            "label": _("%(kind)s: %(name)s") % {"kind": str(follow_up.get_kind_display()).capitalize(),
                                                 "name": follow_up.student.full_name},
            "url": reverse("review_follow_up", args=[follow_up.meeting_id]),
            "due": follow_up.due_on, "overdue": follow_up.due_on < timezone.localdate(),
        })  # fmt: skip
    return {"title": _("Leerlingbespreking"), "items": items, "empty": _("Geen besprekingen.")}


def my_recap(request) -> dict | None:
    """LB-12: what this teacher carries out, "voor Sem: …"."""
    from .selectors_meeting import recap_for

    access = _access(request)
    if access is None or not review_flags(request)["recap"]:  # issue #13: nothing to carry out, no query
        return None
    agreements = recap_for(access.staff, today=timezone.localdate())[:20]
    if not agreements:
        return None
    items = [
        {
            "label": _("Voor %(name)s: %(goal)s (vanaf %(start)s)") % {
                "name": a.student.first_name, "goal": a.goal, "start": a.starts_on.strftime("%d-%m-%Y")},
            "url": reverse("dossier_timeline", args=[a.student_id]),
            "due": a.evaluate_on,
        }
        for a in agreements
    ]  # fmt: skip
    return {"title": _("Afspraken die jij uitvoert"), "items": items, "empty": ""}


def _round_meetings(p):
    return (
        ReviewMeeting.objects.filter(school_id=p.school, round__school_year__end__gte=p.today)
        .select_related("group", "round")
        .order_by("starts_at", "pk")[:50]
    )


def _overdue(p):
    from .selectors_meeting import overdue_evaluations

    return overdue_evaluations(p.school, today=p.today)[:20]


def round_status(request) -> dict | None:
    """The care coordinator: every meeting of the running rounds with its status; overdue evaluations."""
    access = _access(request)
    if access is None or not access.is_care_coordinator:
        return None
    today = timezone.localdate()
    flags = review_flags(request)  # issue #13: read only what exists
    # Issue #13: both reads' SQL compiled once per shape (schools.sql_shapes), the school and day bound.
    values = {"school": access.school.pk, "today": today}
    meetings = []
    if flags["round_meetings"]:
        meetings = list(sql_shapes.queryset(("reviews.home_round_meetings",), values, _round_meetings))
    overdue = []
    if flags["overdue_evaluations"]:
        overdue = list(sql_shapes.queryset(("reviews.home_overdue_evaluations",), values, _overdue))
    if not meetings and not overdue:
        return None
    # Issue #13: the state labels and the URL worked out once for the (up to 50) meetings.
    states = {value: str(label) for value, label in MeetingState.choices}
    meeting_url = pk_url("review_meeting_mode")
    label = _("%(group)s, %(when)s: %(state)s")
    items = [
        {
            "label": label % {
                "group": m.group.name, "when": timezone.localtime(m.starts_at).strftime("%d-%m-%Y"),
                "state": states.get(m.state, m.state)},
            "url": meeting_url(m.pk),
        }
        for m in meetings
    ]  # fmt: skip
    for agreement in overdue:
        items.append({
            "label": _("Evaluatie te laat: %(name)s (mentor %(mentor)s)") % {
                "name": agreement.student.full_name, "mentor": agreement.meeting.leader.full_name},
            "url": reverse("review_evaluate", args=[agreement.pk]), "due": agreement.evaluate_on, "overdue": True,
        })  # fmt: skip
    return {"title": _("Leerlingbesprekingen van de ronde"), "items": items, "empty": _("Geen besprekingen.")}
