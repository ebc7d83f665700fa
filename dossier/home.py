"""Home-page sections of the deadlines area ("mijn acties"), registered at the end of this module
(schools.home.register_home_provider; DossierConfig.ready() imports it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.home import register_home_provider

from .selectors_deadlines import my_open_deadlines, overdue_deadlines

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
    deadlines = list(my_open_deadlines(access)[:HOME_LIMIT])
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
    deadlines = list(overdue_deadlines(access, today=today).select_related("owner")[:HOME_LIMIT])
    return {
        "title": _("Verlopen termijnen in de school"),
        "items": [_item(d, today, with_owner=True) for d in deadlines],
        "empty": _("Er zijn geen verlopen termijnen."),
        "more_url": reverse("deadline_overdue"),
    }


def my_signatures(request) -> dict | None:
    """Documents waiting for this staff member's signature (guardians are e-mailed instead)."""
    from django.db.models import F

    from .models import RequestState, SignatureRequest

    access = getattr(request, "access", None)
    if access is None or access.staff is None:
        return None
    requests = list(
        SignatureRequest.objects.filter(
            staff=access.staff, state=RequestState.OPEN, version=F("version__document__current_version")
        )
        .select_related("version__document__student")
        .order_by("created_at", "pk")[:HOME_LIMIT]
    )
    if not requests:
        return None  # most staff never sign: no empty section for them
    return {
        "title": _("Te ondertekenen"),
        "items": [
            {
                "label": f"{r.version.document.title} – {r.version.document.student.full_name}",
                "url": reverse("signable_document_detail", args=[r.version.document_id]),
            }
            for r in requests
        ],
        "empty": _("Er wachten geen documenten op je handtekening."),
    }


register_home_provider(my_deadlines, order=10)
register_home_provider(my_signatures, order=20)
register_home_provider(overdue_in_school, order=30)
