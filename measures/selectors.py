"""Reads of the measures app: open measures and deadlines (director and board), yearly counts, the SV-4 file."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from deadlines.models import PENDING_STATES, Deadline
from schools.json_rows import date_of, flag_of, moment_of, rows_of
from signatures.models import Signature, SignerType
from signatures.services.signature_checks import COUNTING_DECISIONS

from .models import ExpulsionCase, ExpulsionState, Objection, SchoolContact, Suspension, TimeOut

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


HEARINGS = ("teachers", "parents", "student")


def expulsion_file_cases() -> QuerySet[ExpulsionCase]:
    """The expulsion case with what its file page (SV-4) shows of it in the SAME query (issue #13: at
    most 12 queries, the same however long the procedure): the student, the school, each hearing
    report's current version and whether a guardian signed it (SV-3), and as rows the objections,
    the contacted schools, the case's deadlines and the student's time-outs and suspensions.
    `file_rows(case)` reads them back as model objects."""
    case_type = ContentType.objects.get_for_model(ExpulsionCase)
    signed = {
        f"{who}_guardian_signed": Exists(
            Signature.objects.filter(
                version_id=OuterRef(f"{who}_heard__current_version_id"),
                signer_type=SignerType.GUARDIAN,
                decision__in=COUNTING_DECISIONS,
                sha256=OuterRef(f"{who}_heard__current_version__sha256"),
            )
        )
        for who in HEARINGS
    }
    return ExpulsionCase.objects.select_related(
        "student", "school", *(f"{who}_heard__current_version" for who in HEARINGS)
    ).annotate(
        **signed,
        objection_rows=rows_of(Objection.objects.filter(case=OuterRef("pk")), "case",
                             id="id", received_on="received_on", late="late", decided_at="decided_at"),
        contact_rows=rows_of(SchoolContact.objects.filter(case=OuterRef("pk")), "case",
                           id="id", school_name="school_name", contacted_on="contacted_on", answer="answer",
                           agreed="agreed"),
        deadline_rows=rows_of(
            Deadline.objects.filter(source_type=case_type, source_id=Cast(OuterRef("pk"), CharField())),
            "source_id", id="id", title="title", due_on="due_on", state="state", rule="rule",
        ),
        time_out_rows=rows_of(TimeOut.objects.filter(student_id=OuterRef("student_id")), "student",
                            id="id", on_date="on_date", part="part", extended_days="extended_days"),
        suspension_rows=rows_of(Suspension.objects.filter(student_id=OuterRef("student_id")), "student",
                              id="id", start_on="start_on", end_on="end_on", school_days="school_days",
                              reasons="reasons"),
    )  # fmt: skip


def file_rows(case: ExpulsionCase) -> dict:
    """What expulsion_file_cases() read with the case, as (unsaved-looking, read-only) model objects in
    the page's order: objections, contacts, deadlines, time_outs, suspensions; and `guardian_signed`
    per hearing."""

    def rows(name, key):
        return sorted(getattr(case, name) or [], key=lambda row: (row[key], row["id"]))

    return {
        "objections": [
            Objection(id=r["id"], case=case, received_on=date_of(r["received_on"]), late=flag_of(r["late"]),
                      decided_at=moment_of(r["decided_at"]))
            for r in rows("objection_rows", "received_on")
        ],
        "contacts": [
            SchoolContact(id=r["id"], case=case, school_name=r["school_name"],
                          contacted_on=date_of(r["contacted_on"]), answer=r["answer"], agreed=flag_of(r["agreed"]))
            for r in rows("contact_rows", "contacted_on")
        ],
        "deadlines": [
            Deadline(id=r["id"], title=r["title"], due_on=date_of(r["due_on"]), state=r["state"], rule=r["rule"])
            for r in rows("deadline_rows", "due_on")
        ],
        "time_outs": [
            TimeOut(id=r["id"], student=case.student, school=case.school, on_date=date_of(r["on_date"]),
                    part=r["part"], extended_days=r["extended_days"])
            for r in rows("time_out_rows", "on_date")
        ],
        "suspensions": [
            Suspension(id=r["id"], student=case.student, school=case.school, start_on=date_of(r["start_on"]),
                       end_on=date_of(r["end_on"]), school_days=r["school_days"], reasons=r["reasons"])
            for r in rows("suspension_rows", "start_on")
        ],
        "guardian_signed": {who: getattr(case, f"{who}_guardian_signed") for who in HEARINGS},
    }  # fmt: skip
