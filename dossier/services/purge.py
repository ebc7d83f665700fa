"""The retention purge (AVG-3): reads dossier/retention_table.py and deletes what has expired.

For each school, per boundary: the file entries per kind (as before), then every rule of
RETENTION_TABLE in order, deleting stored files with their rows; at the school's last boundary the
student row, the guardians without another child, their users and sign-in traces go, and the audit
rows about them keep only their keyed pseudonyms (AVG-4). A legal hold stops all of it.
Idempotent: a second run finds nothing. Counts per kind only are recorded (RetentionRun, audit).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from audit.audit import audit, erase_audit_identities
from dossier.models import DossierEntry, EntryKind, EntryRetentionMark, LegalHold, RetentionRun
from dossier.models.retention import SPECIAL_EDUCATION_REFERRAL
from dossier.retention_table import LAST, RetentionRule, retention_rules
from portal.models import PortalLoginToken
from schools.models import Guardian, GuardianRelation, School, StaffMember, Student

BATCH = 500


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February → 28 February: a day later deletion, never earlier
        return day.replace(year=day.year - years, day=28)


def _entries_of_kind(kind: str) -> QuerySet:
    entries = DossierEntry.objects.all()
    special = EntryRetentionMark.objects.filter(special_education_referral=True).values("entry_id")
    if kind == SPECIAL_EDUCATION_REFERRAL:
        return entries.filter(kind=EntryKind.REFERRAL, pk__in=special)
    if kind == EntryKind.REFERRAL:
        return entries.filter(kind=EntryKind.REFERRAL).exclude(pk__in=special)
    return entries.filter(kind=kind)


def _delete_files(names: list[str]) -> int:
    deleted = 0
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
            deleted += 1
    return deleted


def _dispose_source(content_type_id: int, source_id: str) -> int:
    """A source outside the table (a protocol's object) with `delete_for_retention()` deletes itself
    when no remaining entry points at it (and its stored files; it returns how many); table models
    are purged by their own rule. Returns the number of files deleted."""
    if DossierEntry.objects.filter(source_type_id=content_type_id, source_id=source_id).exists():
        return 0
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or model._meta.label_lower in {rule.model.lower() for rule in retention_rules()}:
        return 0
    source = model._default_manager.filter(pk=source_id).first()
    if source is not None and hasattr(source, "delete_for_retention"):
        return int(source.delete_for_retention() or 0)
    return 0


class _Purge:
    def __init__(self, school: School, today: datetime.date) -> None:
        self.school = school
        self.today = today
        self.years = _retention_years(school)
        self.last_years = max(self.years.values())
        self.held = set(
            LegalHold.objects.filter(student__school=school, lifted_at__isnull=True).values_list(
                "student_id", flat=True
            )
        )
        self.left = Student.objects.filter(school=school, left_on__isnull=False, left_on__lt=today)
        self.deleted: Counter[str] = Counter()
        self.students: set[int] = set()
        self.files = 0
        self.expired_held: set[int] = set()

    def expired(self, periods: tuple[str, ...]) -> QuerySet:
        years = max(self.last_years if key == LAST else self.years[key] for key in periods)
        return self.left.filter(left_on__lt=years_before(self.today, years))

    def entries(self) -> None:
        for kind, years in self.years.items():
            expired = _entries_of_kind(kind).filter(
                school=self.school, student__in=self.left.filter(left_on__lt=years_before(self.today, years))
            )
            self.expired_held |= set(
                expired.filter(student_id__in=self.held).values_list("student_id", flat=True).distinct()
            )
            expired = expired.exclude(student_id__in=self.held)
            while batch := list(
                expired.values_list("pk", "student_id", "source_type_id", "source_id")[:BATCH]
            ):
                with transaction.atomic():
                    DossierEntry.objects.filter(pk__in=[row[0] for row in batch]).delete()
                    for _pk, _student, content_type_id, source_id in batch:
                        if content_type_id and source_id:
                            self.files += _dispose_source(content_type_id, source_id)
                self.deleted[kind] += len(batch)
                self.students.update(row[1] for row in batch)

    def rule(self, rule: RetentionRule) -> None:
        model = apps.get_model(rule.model)
        expired = self.expired(rule.periods).exclude(pk__in=self.held)
        rows = model._default_manager.filter(**{f"{rule.student}__in": expired})
        if rule.shared:
            # A shared row stays while any student in it is not yet past the boundary (or held).
            rows = model._default_manager.filter(pk__in=rows.values("pk")).exclude(
                **{f"{rule.shared}__in": Student.objects.exclude(pk__in=expired)}
            )
        if rule.select is not None:
            rows = rule.select(rows)
        student_path = rule.student.replace(".", "__")
        while batch := list(rows.order_by("pk")[:BATCH]):
            files = [getattr(row, field).name for row in batch for field in rule.files if getattr(row, field)]
            students = set(rows.filter(pk__in=[row.pk for row in batch]).values_list(student_path, flat=True))
            with transaction.atomic():
                if rule.clear_only:
                    blank = {field: "" for field in rule.files}
                    blank.update(
                        {f"{field}_sha256": "" for field in rule.files if hasattr(model, f"{field}_sha256")}
                    )
                    model._default_manager.filter(pk__in=[row.pk for row in batch]).update(**blank)
                else:
                    model._default_manager.filter(pk__in=[row.pk for row in batch]).delete()
            self.files += _delete_files(files)
            self.deleted[rule.key] += len(batch)
            self.students.update(students)

    def forget_students(self) -> None:
        """The last boundary: the student row itself and everything that still names them."""
        for student in self.expired((LAST,)).exclude(pk__in=self.held).select_related("user"):
            self.students.add(student.pk)
            with transaction.atomic():
                counts = _forget_student(student)
            self.deleted.update(counts)


def _user_still_needed(user_id: int, *, except_student: int | None = None, except_guardians=()) -> bool:
    with scopes_disabled():
        return (
            StaffMember.objects.filter(user_id=user_id).exists()
            or Student.objects.filter(user_id=user_id).exclude(pk=except_student).exists()
            or Guardian.objects.filter(user_id=user_id).exclude(pk__in=list(except_guardians)).exists()
        )


def _forget_student(student: Student) -> Counter[str]:
    from schools.models import User

    counts: Counter[str] = Counter()
    with scopes_disabled():
        guardians = [
            g
            for g in Guardian.objects.filter(relations__student=student).select_related("user").distinct()
            if not GuardianRelation.objects.filter(guardian=g).exclude(student=student).exists()
        ]
    emails = {student.email} | {g.email for g in guardians}
    users = [student.user] if student.user else []
    users += [g.user for g in guardians if g.user]
    erase_users, kept_emails = [], set()
    for user in users:
        if _user_still_needed(user.pk, except_student=student.pk, except_guardians=[g.pk for g in guardians]):
            kept_emails.add(user.email.lower())  # a parent who is also staff stays as staff
        else:
            erase_users.append(user)
            emails.add(user.email)
    student_id = student.pk
    student.delete()
    counts["student"] += 1
    for guardian in guardians:
        guardian.delete()
        counts["guardian"] += 1
    for user in erase_users:
        User.objects.filter(pk=user.pk).delete()
        counts["user"] += 1
    emails = {e.lower() for e in emails if e} - kept_emails
    PortalLoginToken.objects.filter(email__in=emails).delete()
    _forget_sign_in_attempts(emails)
    erase_audit_identities(
        student_ids=[student_id], user_ids=[user.pk for user in erase_users], emails=emails
    )
    return counts


def _forget_sign_in_attempts(emails: set[str]) -> None:
    if not emails:
        return
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=emails).delete()


def _forget_old_imports(purge: _Purge) -> None:
    """Import runs list every student of an upload: they go at the last boundary after the upload."""
    from schools.models import ImportRun

    cutoff = timezone.make_aware(
        datetime.datetime.combine(years_before(purge.today, purge.last_years), datetime.time.min)
    )
    for run in ImportRun.objects.filter(school=purge.school, created_at__lt=cutoff):
        name = run.upload.name if run.upload else ""
        run.delete()
        purge.files += _delete_files([name])
        purge.deleted["import_run"] += 1


def _retention_years(school: School) -> dict[str, int]:
    from dossier.services.retention import retention_years

    return retention_years(school)


def run_purge(school: School, *, today: datetime.date) -> tuple[RetentionRun, set[int]]:
    """Delete this school's expired records (AVG-3); returns the run and the held students with
    expired records. Call inside the school's scope."""
    purge = _Purge(school, today)
    purge.entries()
    for rule in retention_rules():
        purge.rule(rule)
    purge.forget_students()
    _forget_old_imports(purge)
    with transaction.atomic():
        run = RetentionRun.objects.create(
            school=school,
            ran_at=timezone.now(),
            ran_for=today,
            deleted=dict(purge.deleted),
            students=len(purge.students),
            files=purge.files,
            held_students=len(purge.expired_held),
        )
        if purge.deleted:
            # AVG-3: the record of a deletion holds counts, never names or content.
            audit(
                actor=None,
                action="dossier.retention.purged",
                obj=run,
                school=school,
                data={"counts": dict(purge.deleted), "students": len(purge.students), "files": purge.files},
            )
    return run, purge.expired_held
