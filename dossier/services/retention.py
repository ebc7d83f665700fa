"""Retention (AVG-3): legal holds, the school's periods, and the periodic purge.

`retention.purge` deletes the file entries of students who left longer ago than the period of the
entry's kind, unless a legal hold is active, and records what it deleted as counts per kind only
(an audit row `dossier.retention.purged` and a RetentionRun). Run twice, the second run finds
nothing. A student's own row (name, number) is not deleted here.

Sources of deleted entries: when no remaining entry points at the same object, an object with a
`delete_for_retention()` method is asked to delete itself (documents, letters: they know their
files and versions); otherwise a `file` field is emptied and its stored file deleted; other
objects (an incident involving several students) stay, only the entry goes.

A hold whose student has expired records gets a deadline (AVG-3, 10 school days) for the person
who placed it, to review it: holds must not keep data forever by being forgotten.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from schools.actors import staff_member, user_of
from schools.models import Role, School, StaffMember, Student

from ..audit import audit
from ..models import DossierEntry, EntryKind, EntryRetentionMark, LegalHold, RetentionPolicy, RetentionRun
from ..models.retention import SPECIAL_EDUCATION_REFERRAL, default_retention_years, retention_kinds
from ..periodic import periodic_job
from .deadlines import create_deadline, open_deadlines_for, withdraw_deadlines_for

HOLD_REVIEW_SCHOOL_DAYS = 10
BATCH = 500


def place_legal_hold(*, actor, student: Student, reason: str) -> LegalHold:
    """AVG-3: stop deletion of this student's file (a dispute, an objection). One active hold at a time."""
    if not reason.strip():
        raise ValidationError(_("Geef de reden voor de bewaarstop."))
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(student=student, lifted_at__isnull=True).first()
        if hold is not None:
            return hold
        hold = LegalHold.objects.create(
            student=student,
            reason=reason.strip(),
            placed_by=staff_member(actor, student.school),
            placed_at=timezone.now(),
        )
        audit(
            actor=user_of(actor),
            action="dossier.retention.hold_placed",
            obj=hold,
            school=student.school,
            student=student,
        )
    return hold


def lift_legal_hold(*, actor, hold: LegalHold, reason: str | None = None) -> LegalHold:
    """End the hold; the next purge deletes what has expired. `reason`, when given, must say why."""
    if reason is not None and not reason.strip():
        raise ValidationError(_("Geef de reden voor het opheffen van de bewaarstop."))
    with transaction.atomic():
        if hold.lifted_at is not None:
            return hold
        hold.lifted_at = timezone.now()
        hold.lifted_by = staff_member(actor, hold.student.school)
        hold.lift_reason = (reason or "").strip()
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        withdraw_deadlines_for(hold, actor=user_of(actor))
        audit(
            actor=user_of(actor),
            action="dossier.retention.hold_lifted",
            obj=hold,
            school=hold.student.school,
            student=hold.student,
        )
    return hold


def mark_special_education_referral(*, entry: DossierEntry) -> EntryRetentionMark:
    """AVG-3: this referral entry is a referral to special education (kept 3 years by default)."""
    if entry.kind != EntryKind.REFERRAL:
        raise ValidationError(_("Alleen een verwijzing kan een verwijzing naar speciaal onderwijs zijn."))
    mark, _created = EntryRetentionMark.objects.update_or_create(
        entry=entry, defaults={"special_education_referral": True}
    )
    return mark


def retention_years(school: School) -> dict[str, int]:
    """The period per policy key at this school: its own setting, else the AVG-3 default."""
    own = dict(RetentionPolicy.objects.filter(school=school).values_list("kind", "years"))
    return {kind: own.get(kind, default_retention_years(kind)) for kind, _label in retention_kinds()}


def set_retention_period(*, actor, school: School, kind: str, years: int) -> RetentionPolicy:
    if kind not in dict(retention_kinds()):
        raise ValidationError(_("Onbekende soort."))
    if not 1 <= years <= 20:
        raise ValidationError(_("Een bewaartermijn is 1 tot 20 jaar."))
    with transaction.atomic():
        policy, _created = RetentionPolicy.objects.update_or_create(
            school=school, kind=kind, defaults={"years": years}
        )
        audit(
            actor=actor,
            action="dossier.retention.period_set",
            obj=policy,
            school=school,
            data={"kind": kind, "years": years},
        )
    return policy


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February → 28 February: a day later deletion, never earlier
        return day.replace(year=day.year - years, day=28)


def _entries_of_kind(kind: str):
    entries = DossierEntry.objects.all()
    special = EntryRetentionMark.objects.filter(special_education_referral=True).values("entry_id")
    if kind == SPECIAL_EDUCATION_REFERRAL:
        return entries.filter(kind=EntryKind.REFERRAL, pk__in=special)
    if kind == EntryKind.REFERRAL:
        return entries.filter(kind=EntryKind.REFERRAL).exclude(pk__in=special)
    return entries.filter(kind=kind)


def _dispose_source(content_type_id: int, source_id: str) -> int:
    """Delete what the entry pointed at when nothing else points at it. Returns files deleted."""
    if DossierEntry.objects.filter(source_type_id=content_type_id, source_id=source_id).exists():
        return 0
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return 0
    source = model._default_manager.filter(pk=source_id).first()
    if source is None:
        return 0
    if hasattr(source, "delete_for_retention"):
        return int(source.delete_for_retention() or 0)
    stored = getattr(source, "file", None)
    if stored and hasattr(stored, "delete"):
        stored.delete(save=True)
        return 1
    return 0


def purge_school(school: School, *, today: datetime.date) -> RetentionRun:
    """Delete this school's expired entries (AVG-3). Call inside the school's scope."""
    held = set(
        LegalHold.objects.filter(student__school=school, lifted_at__isnull=True).values_list(
            "student_id", flat=True
        )
    )
    left = Student.objects.filter(school=school, left_on__isnull=False, left_on__lt=today)
    deleted: Counter[str] = Counter()
    students: set[int] = set()
    files = 0
    expired_held: set[int] = set()
    for kind, years in retention_years(school).items():
        expired_students = left.filter(left_on__lt=_years_before(today, years))
        expired = _entries_of_kind(kind).filter(school=school, student__in=expired_students)
        expired_held |= set(
            expired.filter(student_id__in=held).values_list("student_id", flat=True).distinct()
        )
        expired = expired.exclude(student_id__in=held)
        while True:
            batch = list(expired.values_list("pk", "student_id", "source_type_id", "source_id")[:BATCH])
            if not batch:
                break
            with transaction.atomic():
                DossierEntry.objects.filter(pk__in=[row[0] for row in batch]).delete()
                for _pk, _student, content_type_id, source_id in batch:
                    if content_type_id and source_id:
                        files += _dispose_source(content_type_id, source_id)
            deleted[kind] += len(batch)
            students.update(row[1] for row in batch)
    with transaction.atomic():
        run = RetentionRun.objects.create(
            school=school,
            ran_at=timezone.now(),
            ran_for=today,
            deleted=dict(deleted),
            students=len(students),
            files=files,
            held_students=len(expired_held),
        )
        if deleted:
            # AVG-3: the record of a deletion holds counts, never names or content.
            audit(
                actor=None,
                action="dossier.retention.purged",
                obj=run,
                school=school,
                data={"counts": dict(deleted), "students": len(students), "files": files},
            )
        _ask_to_review_holds(school, expired_held)
    return run


def _ask_to_review_holds(school: School, student_ids: set[int]) -> None:
    for hold in LegalHold.objects.filter(student_id__in=student_ids, lifted_at__isnull=True).select_related(
        "placed_by", "student"
    ):
        if open_deadlines_for(hold).exists():
            continue
        owner = hold.placed_by if hold.placed_by and hold.placed_by.active else _care_coordinator(school)
        if owner is None:
            continue
        create_deadline(
            school=school,
            owner=owner,
            title=_("Bewaarstop herbeoordelen: de bewaartermijn is verstreken"),
            rule="AVG-3",
            school_days=HOLD_REVIEW_SCHOOL_DAYS,
            source=hold,
            student=hold.student,
        )


def _care_coordinator(school: School) -> StaffMember | None:
    return (
        StaffMember.objects.filter(school=school, active=True, role_assignments__role=Role.CARE_COORDINATOR)
        .order_by("pk")
        .first()
    )


@periodic_job("retention.purge")
def purge_expired() -> dict:
    today = timezone.localdate()
    with scopes_disabled():
        schools = list(School.objects.order_by("pk"))
    totals: Counter[str] = Counter()
    for school in schools:
        with scope(school=[school.pk]):
            run = purge_school(school, today=today)
        totals.update(run.deleted)
    return dict(totals)
