"""'Mijn acties': the director's open measures and their deadlines."""

from django.utils.translation import gettext as _

HOME_LIMIT = 10


def open_measures(request) -> dict | None:
    access = getattr(request, "access", None)
    if access is None or access.school is None or not access.is_director:
        return None
    from deadlines.selectors_deadlines import viewer_home_deadlines

    # The first HOME_LIMIT pending deadlines of the school's measures (selectors.measure_deadlines_wanted),
    # read in one query with the viewer's own deadlines (issue #13).
    rows = viewer_home_deadlines(request, "measures")
    if not rows:
        return None
    return {
        "title": _("Maatregelen: open termijnen"),
        "items": [
            {
                "label": f"{d.title} — {d.student.full_name if d.student else ''}",
                "url": d.url or "/maatregelen/",
            }
            for d in rows[:HOME_LIMIT]
        ],
        "empty": _("Geen open maatregelen."),
    }
