"""The purge journal (AVG-3): every retention purge and every legal hold placed or lifted, recorded
OUTSIDE the database and the backup, so that a restored backup never brings back what a purge deleted
after the backup was taken, and never loses a hold placed after it.

Receivers on dossier's RetentionRun (written by dossier/services/purge.py at the end of each school's
purge) and LegalHold (dossier/services/retention.py; read here, not changed) append one JSON line each,
after the commit: a purge with its school, the day it purged for, when, and its counts; a hold with its
school, student id, hold id, who placed or lifted it (staff id) and when. Never names, reasons or
content, like the run itself. Lines without "event" are purges (the journal's first format).

After a restore, `replay_after(taken_at)` replays in journal order what was recorded after the backup:
a hold placed is placed again (its reason says it was restored from the journal), a hold lifted is
lifted again, and a purge runs again for its school and day. The purge is a function of the data, the
day and the holds active then, so it deletes the same records again and skips what a hold protected.
Journal order, not "holds first": a hold placed after a purge must not bring back what that purge
deleted. The file is PURGE_JOURNAL (default var/purge-journal.jsonl, next to, not inside, MEDIA_ROOT);
put it with the backups, on other storage than the database.
"""

from __future__ import annotations

import datetime
import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.dateparse import parse_date, parse_datetime

_replaying = False

PURGE = "purge"
HOLD_PLACED = "hold_placed"
HOLD_LIFTED = "hold_lifted"


def journal_path() -> Path:
    return Path(settings.PURGE_JOURNAL)


def _append(line: dict) -> None:
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")


def record_run(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created or _replaying:
        return  # loaddata (a restore), an edit, or the replay itself: nothing new was purged
    line = {
        "event": PURGE,
        "school": instance.school_id,
        "ran_for": instance.ran_for.isoformat(),
        "ran_at": instance.ran_at.isoformat(),
        "deleted": instance.deleted,
        "students": instance.students,
        "files": instance.files,
    }
    transaction.on_commit(lambda: _append(line))


def record_hold(sender, instance, created: bool, raw: bool = False, update_fields=None, **kwargs) -> None:
    """AVG-3: a hold placed or lifted after a backup must survive its restore (ids and times only)."""
    if raw or _replaying:
        return
    if created:
        event, at, by = HOLD_PLACED, instance.placed_at, instance.placed_by_id
    elif instance.lifted_at is not None and (update_fields is None or "lifted_at" in update_fields):
        event, at, by = HOLD_LIFTED, instance.lifted_at, instance.lifted_by_id
    else:
        return
    line = {
        "event": event,
        "school": instance.student.school_id,
        "student": instance.student_id,
        "hold": instance.pk,
        "by": by,
        "at": at.isoformat(),
        "ran_at": at.isoformat(),
    }
    transaction.on_commit(lambda: _append(line))


def connect() -> None:
    post_save.connect(record_run, sender="dossier.RetentionRun", dispatch_uid="ops.journal.record_run")
    post_save.connect(record_hold, sender="dossier.LegalHold", dispatch_uid="ops.journal.record_hold")


def entries() -> list[dict]:
    path = journal_path()
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        line.setdefault("event", PURGE)
    return lines


@contextmanager
def _replay():
    global _replaying
    _replaying = True
    try:
        yield
    finally:
        _replaying = False


def _replay_hold(entry: dict, school) -> dict | None:
    from django.utils.translation import gettext as _

    from audit.audit import audit
    from dossier.models import LegalHold
    from schools.models import StaffMember, Student

    student = Student.objects.filter(pk=entry["student"], school=school).first()
    if student is None:
        return None  # made after the backup and gone again: nothing to protect
    by = StaffMember.objects.filter(pk=entry["by"], school=school).first() if entry["by"] else None
    at = parse_datetime(entry["at"])
    with transaction.atomic():
        active = LegalHold.objects.select_for_update().filter(student=student, lifted_at__isnull=True).first()
        if entry["event"] == HOLD_PLACED:
            if active is not None:
                return None
            hold = LegalHold.objects.create(
                student=student,
                placed_by=by,
                placed_at=at,
                reason=_("Bewaarstop teruggezet uit het journaal na het herstel van een back-up."),
            )
            action = "ops.journal.hold_placed_again"
        else:
            if active is None:
                return None
            hold = active
            hold.lifted_at, hold.lifted_by = at, by
            hold.lift_reason = _("Opgeheven volgens het journaal na het herstel van een back-up.")
            hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
            action = "ops.journal.hold_lifted_again"
        audit(actor=None, action=action, obj=hold, school=school, student=student)
    return {"event": entry["event"], "school": school.pk, "student": student.pk, "at": entry["at"]}


def replay_after(taken_at: str) -> list[dict]:
    """Replay, in journal order, the holds and purges recorded after `taken_at` (AVG-3)."""
    from django_scopes import scope, scopes_disabled

    from dossier.services.retention import purge_school
    from schools.models import School

    since = parse_datetime(taken_at)
    replayed = []
    with _replay():
        for entry in entries():
            if parse_datetime(entry["ran_at"]) <= since:
                continue
            with scopes_disabled():
                school = School.objects.filter(pk=entry["school"]).first()
            if school is None:
                continue
            with scope(school=[school.pk]):
                if entry["event"] in (HOLD_PLACED, HOLD_LIFTED):
                    if done := _replay_hold(entry, school):
                        replayed.append(done)
                    continue
                day: datetime.date = parse_date(entry["ran_for"])
                run = purge_school(school, today=day)
            replayed.append(
                {"event": PURGE, "school": school.pk, "ran_for": entry["ran_for"], "deleted": run.deleted}
            )
    return replayed
