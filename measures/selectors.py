"""Reads of the measures app: open measures and deadlines (director and board), yearly counts, the SV-4 file."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from deadlines.models import PENDING_STATES, Deadline

from .models import ExpulsionCase, ExpulsionState, Objection, Suspension, TimeOut

_URLS = {TimeOut: "/maatregelen/time-out/{}/", Suspension: "/maatregelen/schorsing/{}/",
         ExpulsionCase: "/maatregelen/verwijdering/{}/", Objection: "/maatregelen/verwijdering/{}/"}  # fmt: skip


def _measure_types():
    """The content types a measure's deadline hangs on (cached by Django after the first read)."""
    return ContentType.objects.get_for_models(TimeOut, Suspension, ExpulsionCase, Objection).values()


def open_deadlines(school_ids) -> list[Deadline]:
    """Pending deadlines of every measure of these schools, soonest first (one query)."""
    return list(
        Deadline.objects.filter(
            school_id__in=school_ids, state__in=PENDING_STATES, source_type__in=_measure_types()
        )
        .select_related("student", "owner", "school")
        .order_by("due_on", "pk")
    )


def measure_deadlines_wanted(access) -> Q | None:
    """The director's home section (measures.home): the pending deadlines of every measure of the
    school, read with the viewer's own deadlines (deadlines.selectors_deadlines, issue #13)."""
    if access.school is None or not access.is_director:
        return None
    return Q(school_id=access.school.pk, state__in=PENDING_STATES, source_type__in=_measure_types())


def open_expulsions(school_ids):
    return (
        ExpulsionCase.objects.filter(school_id__in=school_ids)
        .exclude(state__in=[ExpulsionState.FINAL, ExpulsionState.WITHDRAWN])
        .select_related("student", "school")
        .order_by("created_at", "pk")
    )


def yearly_counts(school_ids, year_start: datetime.date, year_end: datetime.date) -> list[dict]:
    """For the annual report: time-outs, suspensions (and how many reported), expulsions per school."""
    from schools.models import School

    period = {"created_at__date__gte": year_start, "created_at__date__lte": year_end}
    time_outs = dict(TimeOut.objects.filter(school_id__in=school_ids, **period).values_list("school_id")
                     .annotate(n=Count("pk")).values_list("school_id", "n"))  # fmt: skip
    suspensions = {
        row["school_id"]: row
        for row in Suspension.objects.filter(school_id__in=school_ids, **period).values("school_id").annotate(
            n=Count("pk"), reported=Count("pk", filter=Q(inspectorate_filed_at__isnull=False)))
    }  # fmt: skip
    expulsions = dict(ExpulsionCase.objects.filter(school_id__in=school_ids, decided_at__isnull=False, **period)
                      .values_list("school_id").annotate(n=Count("pk")).values_list("school_id", "n"))  # fmt: skip
    return [
        {"school": school.name, "time_outs": time_outs.get(school.pk, 0),
         "suspensions": suspensions.get(school.pk, {}).get("n", 0),
         "reported": suspensions.get(school.pk, {}).get("reported", 0),
         "expulsions": expulsions.get(school.pk, 0)}
        for school in School.objects.filter(pk__in=school_ids).order_by("name")
    ]  # fmt: skip


def case_title(case) -> str:
    return str(case)


def url_of(case) -> str:
    return _URLS[type(case)].format(case.pk)


def no_label() -> str:
    return _("geen")
