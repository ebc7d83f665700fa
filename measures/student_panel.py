"""The measures panel of the student's care overview (issue 10 §8, SV-1 – SV-3): the open time-outs and
suspensions and, for the director, an expulsion case in progress. Registered from MeasuresConfig.ready();
the rows come in the page's one overview query (schools.student_panels).

Need to know (AVG-4): measures are seen by the care team (measures.view_measure), an expulsion case by
the director only (measures.manage_measure: its file entries are director-level).
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.student_panels import PanelRows, overview_rows

from .models import ExpulsionCase, ExpulsionState, Suspension, SuspensionMode, TimeOut

SHOWN = 5


def open_measures(student, request) -> PanelRows | None:
    if not request.user.has_perm("measures.view_measure", student):
        return None
    director = request.user.has_perm("measures.manage_measure", student)  # SV-3: the director's file
    return PanelRows(_rows, _context, values={"student": student.pk, "today": timezone.localdate()},
                     shape={"director": director})  # fmt: skip


def _rows(p, *, director: bool) -> list:
    """The rows of open_measures from its values only (schools.student_panels: the SQL per shape)."""
    # SV-1: open until the parents are informed and the talk is reported, and on the day itself.
    time_outs = TimeOut.objects.filter(
        Q(parents_contacted_at__isnull=True) | Q(report__isnull=True) | Q(on_date__gte=p.today),
        student=p.student,
    )
    # SV-2, LAW-1: open while it runs or is to come, or while a notice is still to be made.
    suspensions = Suspension.objects.filter(
        Q(end_on__gte=p.today)
        | Q(school_days__gt=1, inspectorate_filed_at__isnull=True)
        | Q(mode=SuspensionMode.URGENT, board_informed_at__isnull=True),
        student=p.student,
    )
    rows = [
        overview_rows(time_outs, kind="time_out", date_a="on_date", number="extended_days",
                      order_by=("-on_date", "-pk"), limit=SHOWN),
        overview_rows(suspensions, kind="suspension", date_a="start_on", date_b="end_on", number="school_days",
                      order_by=("-start_on", "-pk"), limit=SHOWN),
    ]  # fmt: skip
    if director:
        expulsions = ExpulsionCase.objects.filter(
            student=p.student, state__in=[ExpulsionState.PREPARING, ExpulsionState.DECIDED]
        )
        rows.append(overview_rows(expulsions, kind="expulsion", title="state", date_a=TruncDate("created_at"),
                                  date_b="effective_on", order_by=("-created_at", "-pk"), limit=1))  # fmt: skip
    return rows


def _context(rows) -> dict | None:
    if not rows:
        return None  # nothing open: no panel
    states = dict(ExpulsionState.choices)
    items = []
    for row in sorted(rows, key=lambda row: (row.date_a, row.ref), reverse=True):
        if row.kind == "time_out":
            items.append({"label": _("Time-out op %(date)s") % {"date": row.date_a.strftime("%d-%m-%Y")},
                          "note": _("verlengd met %(days)s dag(en)") % {"days": row.number} if row.number else "",
                          "url": reverse("measures_time_out", args=[row.ref])})  # fmt: skip
        elif row.kind == "suspension":
            items.append({"label": _("Schorsing %(start)s – %(end)s") % {
                              "start": row.date_a.strftime("%d-%m-%Y"), "end": row.date_b.strftime("%d-%m-%Y")},
                          "note": _("%(days)s schooldag(en)") % {"days": row.number},
                          "url": reverse("measures_suspension", args=[row.ref])})  # fmt: skip
        else:
            items.append({"label": _("Verwijderingszaak"), "note": states.get(row.title, row.title),
                          "url": reverse("measures_expulsion", args=[row.ref])})  # fmt: skip
    return {"title": _("Open maatregelen"), "measures": items}


def register() -> None:
    """Called once from MeasuresConfig.ready()."""
    from schools.student_panels import register_student_panel

    register_student_panel(
        "maatregelen", order=40, provider=open_measures, template="measures/panels/measures.html"
    )
