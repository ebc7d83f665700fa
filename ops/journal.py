"""The purge journal (AVG-3): every retention purge, recorded OUTSIDE the database and the backup, so
that a restored backup never brings back what a purge deleted after the backup was taken.

A receiver on dossier's RetentionRun (written by dossier/services/purge.py at the end of each school's
purge; read here, not changed) appends one JSON line per run: school, the day it purged for, when, and
its counts (never names or content, like the run itself). After a restore, `replay_after(taken_at)`
runs the purge again for each school and day recorded after the backup: the purge is a function of the
data and the day, so it deletes the same records again (and the restored runs stay as they were).
The file is PURGE_JOURNAL (default var/purge-journal.jsonl, next to, not inside, MEDIA_ROOT); put it
with the backups, on other storage than the database.
"""

from __future__ import annotations

import datetime
import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db.models.signals import post_save
from django.utils.dateparse import parse_date, parse_datetime

_replaying = False


def journal_path() -> Path:
    return Path(settings.PURGE_JOURNAL)


def record_run(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created or _replaying:
        return  # loaddata (a restore), an edit, or the replay itself: nothing new was purged
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "school": instance.school_id,
        "ran_for": instance.ran_for.isoformat(),
        "ran_at": instance.ran_at.isoformat(),
        "deleted": instance.deleted,
        "students": instance.students,
        "files": instance.files,
    }
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")


def connect() -> None:
    post_save.connect(record_run, sender="dossier.RetentionRun", dispatch_uid="ops.journal.record_run")


def entries() -> list[dict]:
    path = journal_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@contextmanager
def _replay():
    global _replaying
    _replaying = True
    try:
        yield
    finally:
        _replaying = False


def replay_after(taken_at: str) -> list[dict]:
    """Purge again, per school and day, what the journal recorded after `taken_at`; in journal order."""
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
            day: datetime.date = parse_date(entry["ran_for"])
            with scope(school=[school.pk]):
                run = purge_school(school, today=day)
            replayed.append({"school": school.pk, "ran_for": entry["ran_for"], "deleted": run.deleted})
    return replayed
