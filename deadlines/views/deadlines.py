"""Views of the deadlines area: my deadlines, the school's overdue ones, the private calendar feed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled
from icalendar import Calendar, Event

from deadlines.models import Deadline, DeadlineState
from deadlines.selectors_deadlines import my_open_deadlines, overdue_deadlines
from deadlines.services.calendar_feed import (
    TimedEvent,
    hash_token,
    regenerate_calendar_token,
    revoke_calendar_token,
    timed_events_for,
)
from deadlines.services.deadlines import complete_deadline
from schools.models import StaffMember
from schools.views.common import get_permitted, staff_required


@staff_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(my_open_deadlines(request.access), 50).get_page(request.GET.get("page"))
    return render(request, "deadlines/deadline_list.html", {"page": page, "today": timezone.localdate()})


@staff_required
@require_POST
def deadline_complete(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_permitted(
        request,
        Deadline.objects.select_related("school", "student"),
        pk,
        "dossier.complete_deadline",
        action="dossier.deadline.complete_denied",
    )
    error = ""
    try:
        deadline = complete_deadline(deadline=deadline, actor=request.access.staff)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    context = {"deadline": deadline, "today": timezone.localdate(), "error": error}
    if request.htmx:
        return render(request, "deadlines/deadline_list.html#row", context)
    return redirect("deadline_list")


@staff_required
def deadline_overdue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dossier.view_overdue_deadlines", request.school):
        raise Http404
    page = Paginator(overdue_deadlines(request.access), 50).get_page(request.GET.get("page"))
    return render(request, "deadlines/deadline_overdue.html", {"page": page, "today": timezone.localdate()})


@staff_required
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    staff = request.access.staff
    if not request.user.has_perm("dossier.use_calendar_feed", request.school):
        raise Http404
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoke_calendar_token(staff=staff, actor=request.user)
        else:
            token = regenerate_calendar_token(staff=staff, actor=request.user)
            feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
    context = {"staff": staff, "feed_url": feed_url, "has_feed": bool(staff.calendar_token)}
    response = render(request, "deadlines/calendar_feed.html", context)
    response["Cache-Control"] = "no-store"  # the page may show the secret URL
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics for calendar apps; the token is the only credential. Unknown or revoked → 404."""
    if len(token) < 20:
        raise Http404
    with scopes_disabled():  # the token, not a session, names the school
        staff = (
            StaffMember.objects.select_related("school", "user")
            .filter(calendar_token=hash_token(token), active=True)
            .first()
        )
    if staff is None or (staff.user is not None and not staff.user.is_active):
        raise Http404
    with scope(school=[staff.school_id]):
        events = timed_events_for(staff)
        replaced = {pk for event in events for pk in event.replaces}
        deadlines = list(
            Deadline.objects.filter(owner=staff, state=DeadlineState.OPEN)
            .exclude(pk__in=replaced)
            .order_by("due_on", "pk")[:500]
        )
    body = build_feed(staff, deadlines, base_url=request.build_absolute_uri("/"), events=events)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def build_feed(
    staff: StaffMember, deadlines: list[Deadline], *, base_url: str, events: list[TimedEvent] = ()
) -> bytes:
    """One all-day VEVENT per open deadline and one timed VEVENT per event the apps give (a meeting
    with its time and place). No student names: the feed leaves the school's systems."""
    cal = Calendar()
    cal.add("prodid", "-//Leerlingzorg//termijnen//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Leerlingzorg – %(school)s") % {"school": staff.school.name})
    now = timezone.now()
    host = base_url.split("//", 1)[-1].strip("/") or "leerlingzorg"
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + datetime.timedelta(days=1))
        event.add("summary", deadline.title)
        if deadline.rule:
            event.add("description", _("Termijn volgens %(rule)s") % {"rule": deadline.rule})
        event.add("url", base_url.rstrip("/") + (deadline.url or reverse("deadline_list")))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    for timed in events:
        event = Event()
        event.add("uid", f"{timed.uid}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", timed.starts_at.astimezone(datetime.UTC))
        event.add("dtend", timed.ends_at.astimezone(datetime.UTC))
        event.add("summary", timed.summary)
        if timed.location:
            event.add("location", timed.location)
        if timed.description:
            event.add("description", timed.description)
        event.add("url", base_url.rstrip("/") + (timed.url or reverse("deadline_list")))
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()


urlpatterns = [
    path("termijnen/", deadline_list, name="deadline_list"),
    path("termijnen/<int:pk>/afronden/", deadline_complete, name="deadline_complete"),
    path("termijnen/verlopen/", deadline_overdue, name="deadline_overdue"),
    path("agenda/", calendar_feed_settings, name="calendar_feed_settings"),
    path("agenda/<slug:token>.ics", calendar_feed, name="calendar_feed"),
]
