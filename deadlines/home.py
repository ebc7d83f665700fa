"""Home-page sections of the deadlines area ("mijn acties"), registered at the end of this module
(schools.home.register_home_provider; DeadlinesConfig.ready() imports it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.selectors_deadlines import viewer_open_deadlines, viewer_overdue_deadlines
from schools.home import register_home_provider

HOME_LIMIT = 10


def _item(deadline, today, *, with_owner: bool = False) -> dict:
    label = deadline.title
    if deadline.student_id:
        label = f"{label} – {deadline.student.full_name}"
    if with_owner:
        label = f"{label} ({deadline.owner.full_name})"
    return {
        "label": label,
        "url": deadline.url or reverse("deadline_list"),
        "due": deadline.due_on,
        "overdue": deadline.due_on < today,
        "rule": deadline.rule,
    }


def my_deadlines(request) -> dict | None:
    access = getattr(request, "access", None)
    if access is None or access.staff is None:
        return None
    today = timezone.localdate()
    deadlines = viewer_open_deadlines(request)[:HOME_LIMIT]  # shared with other providers (issue #13)
    return {
        "title": _("Mijn termijnen"),
        "items": [_item(d, today) for d in deadlines],
        "empty": _("Je hebt geen openstaande acties."),
        "more_url": reverse("deadline_list"),
    }


def overdue_in_school(request) -> dict | None:
    access = getattr(request, "access", None)
    if (
        access is None
        or access.school is None
        or not request.user.has_perm("dossier.view_overdue_deadlines", access.school)
    ):
        return None
    today = timezone.localdate()
    deadlines = viewer_overdue_deadlines(request)[:HOME_LIMIT]  # read with the viewer's own (issue #13)
    return {
        "title": _("Verlopen termijnen in de school"),
        "items": [_item(d, today, with_owner=True) for d in deadlines],
        "empty": _("Er zijn geen verlopen termijnen."),
        "more_url": reverse("deadline_overdue"),
    }


register_home_provider(my_deadlines, order=10)
register_home_provider(overdue_in_school, order=30)
