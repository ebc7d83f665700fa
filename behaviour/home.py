""" "Mijn acties": requests for step 2 waiting for my consent (GP-6, GP-7), and possible bullying
flagged to the anti-pest coordinator (issue 10 §3)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from schools.models import Role

from .models_incidents import BullyingFlag
from .selectors import consent_requests_for


def consent_requests(request) -> dict | None:
    access = getattr(request, "access", None)
    if access is None or access.school is None or access.staff is None:
        return None
    pending = consent_requests_for(access)
    if not pending:
        return None
    return {
        "title": _("Instemming met stap 2 gevraagd"),
        "items": [
            {
                "label": _("%(name)s naar stap 2 (%(rule)s)")
                % {"name": r.case.student.full_name, "rule": r.rule},
                "url": reverse("behaviour_consent", args=[r.pk]),
            }
            for r in pending
        ],
        "empty": _("Geen verzoeken."),
    }


def bullying_flags(request) -> dict | None:
    access = getattr(request, "access", None)
    if access is None or access.school is None or access.staff is None:
        return None
    if Role.ANTI_BULLYING_COORDINATOR not in access.roles:
        return None
    flags = list(
        BullyingFlag.objects.filter(school=access.school, handled_at__isnull=True).select_related("student")[
            :20
        ]
    )
    if not flags:
        return None
    return {
        "title": _("Mogelijk pesten"),
        "items": [
            {
                "label": _("%(name)s: %(kind)s (%(count)s keer)")
                % {"name": f.student.full_name, "kind": f.get_kind_display(), "count": f.count},
                "url": reverse("behaviour_student", args=[f.student_id]),
            }
            for f in flags
        ],
        "empty": _("Geen meldingen."),
    }
