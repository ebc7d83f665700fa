"""Retention (AVG-3): legal holds, the school's periods, and the periodic purge.

What is deleted at which boundary is one table, dossier/retention_table.py; the purge that reads it
is dossier/services/purge.py. `retention.purge` (periodic, idempotent) runs it for every school.
The record of a purge holds counts per kind only (an audit row `dossier.retention.purged` and a
RetentionRun).

A hold whose student has expired records gets a deadline (AVG-3, 10 school days) for the person
who placed it, to review it: holds must not keep data forever by being forgotten.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from audit.audit import audit
from deadlines.services.deadlines import create_deadline, open_deadlines_for, withdraw_deadlines_for
from dossier.models import DossierEntry, EntryKind, EntryRetentionMark, LegalHold, RetentionRun
from dossier.models.retention import retention_kinds
from dossier.protocol_settings import retention_key
from dossier.services.purge import run_purge
from protocols.models import ProtocolVersion
from protocols.registry import FILE
from protocols.services import change_protocol, current_version, latest_version
from schools.actors import staff_member, user_of
from schools.models import Role, School, StaffMember, Student
from schools.periodic import periodic_job

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


def retention_years(school: School, at: datetime.datetime | None = None) -> dict[str, int]:
    """The period per policy key at this school: its file protocol version in force (AVG-3 defaults)."""
    version = current_version(school, FILE, at)
    return {kind: version.value(retention_key(kind)) for kind, _label in retention_kinds()}


def set_retention_periods(
    *, actor, school: School, years: dict[str, int], reason: str, based_on: int | None = None
) -> ProtocolVersion:
    """A new version of the school's file protocol with these periods (AVG-3 bounds checked there).

    `based_on` is the version number the form showed (stale-edit check); None: the latest.
    """
    if unknown := set(years) - set(dict(retention_kinds())):
        raise ValidationError(_("Onbekende soort: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))})
    if based_on is None:
        based_on = latest_version(school, FILE).number
    return change_protocol(
        actor=actor,
        school=school,
        protocol=FILE,
        values={retention_key(kind): value for kind, value in years.items()},
        reason=reason,
        based_on=based_on,
    )


def set_retention_period(*, actor, school: School, kind: str, years: int, reason: str) -> ProtocolVersion:
    return set_retention_periods(actor=actor, school=school, years={kind: years}, reason=reason)


def purge_school(school: School, *, today: datetime.date) -> RetentionRun:
    """Delete this school's expired records per dossier/retention_table.py (AVG-3), then ask for a
    review of holds that stopped a deletion. Call inside the school's scope."""
    run, expired_held = run_purge(school, today=today)
    with transaction.atomic():
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
