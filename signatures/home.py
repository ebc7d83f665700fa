"""Home-page section of the signatures area: documents waiting for this staff member's signature
(schools.home.register_home_provider; SignaturesConfig.ready() imports it)."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from schools import sql_shapes
from schools.home import register_home_provider
from signatures.models import RequestState, SignatureRequest

HOME_LIMIT = 10


def my_signatures(request) -> dict | None:
    """Documents waiting for this staff member's signature (guardians are e-mailed instead)."""

    access = getattr(request, "access", None)
    if access is None or access.staff is None:
        return None
    # Issue #13: its SQL compiled once per shape (schools.sql_shapes), the staff member bound.
    requests = list(sql_shapes.queryset(("signatures.home_mine",), {"staff": access.staff.pk}, _mine))
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


def _mine(p):
    return (
        SignatureRequest.objects.filter(
            staff_id=p.staff, state=RequestState.OPEN, version=F("version__document__current_version")
        )
        .select_related("version__document__student")
        .order_by("created_at", "pk")[:HOME_LIMIT]
    )


register_home_provider(my_signatures, order=20)
