"""'Mijn acties': the director's open measures and their deadlines."""

from django.utils.translation import gettext as _


def open_measures(request) -> dict | None:
    access = getattr(request, "access", None)
    if access is None or access.school is None or not access.is_director:
        return None
    from .selectors import open_measures_of

    rows = open_measures_of(access.school)
    if not rows:
        return None
    return {
        "title": _("Maatregelen: open termijnen"),
        "items": [{"label": f"{row['title']} — {row['student']}", "url": row["url"]} for row in rows[:10]],
        "empty": _("Geen open maatregelen."),
    }
