from dossier.models import DossierEntry

from .apps import KIND


def open_cases(request) -> dict | None:
    """Fake cases of the active school; no section where there are none (most tests)."""
    access = getattr(request, "access", None)
    if access is None or access.school is None or access.staff is None:
        return None
    entries = list(DossierEntry.objects.filter(school_id=access.school.pk, kind=KIND).order_by("-pk")[:5])
    if not entries:
        return None
    return {
        "title": "Nep-protocol: open zaken",
        "items": [{"label": entry.title, "url": f"/nep-protocol/zaak/{entry.pk}/"} for entry in entries],
        "empty": "Geen nepzaken.",
    }
