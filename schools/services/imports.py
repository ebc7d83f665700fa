"""Import of students, guardians, groups, staff and teaching assignments: upload → preview → apply.

Every problem in a file is reported (line, column, Dutch reason) and then nothing is written.
Applying happens in one transaction; a big file is applied by a task that reports progress.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from audit.audit import audit

from ..importing import mapping as column_mapping
from ..importing.apply import apply_changes
from ..importing.changes import compute_changes, describe
from ..importing.edexml import parse_edexml
from ..importing.oneroster import parse_oneroster
from ..importing.records import ImportProblems, ImportSet, Problem, school_year_start_for
from ..importing.tabular import read_table
from ..models import ImportFormat, ImportMapping, ImportRun, ImportStatus, School

# Files with more students than this are applied by a background task with a progress bar.
INLINE_LIMIT = getattr(settings, "IMPORT_INLINE_STUDENT_LIMIT", 2000)


def today() -> datetime.date:
    return timezone.localdate()


def detect_format(data: bytes, filename: str) -> str:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return ImportFormat.EDEXML
    if data[:4] == b"PK\x03\x04" and not filename.lower().endswith((".xlsx", ".xlsm")):
        return ImportFormat.ONEROSTER
    return ImportFormat.TABULAR


def read_columns(run: ImportRun, mapping: str = "standaard") -> tuple[list[str], dict[str, str]]:
    """The file's headers and the suggested mapping (the school's saved one where it fits)."""
    run.upload.open("rb")
    with run.upload:
        headers, _ = read_table(run.upload.read(), run.filename)
    saved = ImportMapping.objects.filter(school=run.school, name=mapping).first()
    return headers, column_mapping.suggest_columns(headers, saved.columns if saved else None)


def parse_file(
    *,
    school: School,
    format: str,
    data: bytes | Path,
    filename: str,
    columns: dict | None = None,
    school_year_start: datetime.date | None = None,
    options: dict | None = None,
) -> ImportSet:
    """Any supported file → the common record set, or ImportProblems. Reads nothing from the database."""
    if format == ImportFormat.EDEXML:
        return parse_edexml(data, filename, brin=school.brin, location_code=school.location_code)
    if format == ImportFormat.ONEROSTER:
        return parse_oneroster(data, filename, brin=school.brin, options=options, kind=school.kind)
    headers, rows = read_table(data, filename)
    start = (school_year_start or school_year_start_for(today())).isoformat()
    columns = columns if columns is not None else column_mapping.suggest_columns(headers)
    return column_mapping.rows_to_import_set(headers, rows, columns, start, filename)


def start_import(*, actor, school: School, data: bytes, filename: str, format: str = "") -> ImportRun:
    """Store the upload. EDEXML and OneRoster are previewed at once; CSV/XLSX wait for their columns."""
    format = format or detect_format(data, filename)
    run = ImportRun(school=school, created_by=actor, format=format, filename=filename[:255])
    run.upload.save(Path(filename).name or "import", ContentFile(data), save=False)
    run.save()
    audit(
        actor=actor, action="schools.import.uploaded", obj=run, data={"format": format, "file": run.filename}
    )
    if format == ImportFormat.ONEROSTER:
        from .oneroster_import import saved_options

        run.columns = saved_options(school)  # the org and grouping chosen last time
        _preview(
            run,
            lambda: parse_file(
                school=school, format=format, data=data, filename=filename, options=run.columns
            ),
        )
    elif format != ImportFormat.TABULAR:
        _preview(run, lambda: parse_file(school=school, format=format, data=data, filename=filename))
    else:
        try:
            read_table(data, filename)
        except ImportProblems as problems:
            _reject(run, problems.problems)
    return run


def confirm_columns(
    *,
    actor,
    run: ImportRun,
    columns: dict[str, str],
    save_mapping: bool = True,
    school_year_start: datetime.date | None = None,
) -> ImportRun:
    """The user confirmed which column is which: parse with it, preview, and remember it for next time."""
    columns = {k: v for k, v in columns.items() if v}
    run.columns = columns
    run.upload.open("rb")
    with run.upload:
        data = run.upload.read()
    _preview(
        run,
        lambda: parse_file(
            school=run.school,
            format=run.format,
            data=data,
            filename=run.filename,
            columns=columns,
            school_year_start=school_year_start,
        ),
    )
    if save_mapping:
        _remember_mapping(run, columns)
    return run


def _remember_mapping(run: ImportRun, columns: dict[str, str]) -> None:
    """Only a file that passed keeps its mapping: a rejected one may have a wrong mapping (issue 8)."""
    if run.status == ImportStatus.PREVIEWED:
        ImportMapping.objects.update_or_create(
            school=run.school, name="standaard", defaults={"columns": columns}
        )


def _reject(run: ImportRun, problems: list[Problem]) -> None:
    run.status = ImportStatus.INVALID
    run.problems = [{"line": p.line, "column": p.column, "message": str(p), "file": p.file} for p in problems]
    run.records, run.preview = {}, {}
    run.save(update_fields=["status", "problems", "records", "preview", "columns"])


def _preview(run: ImportRun, parse) -> None:
    try:
        data = parse()
    except ImportProblems as problems:
        _reject(run, problems.problems)
        return
    changes = compute_changes(run.school, data, today())
    run.records = data.to_dict()
    run.preview = describe(changes)
    run.problems = []
    run.status = ImportStatus.PREVIEWED
    run.save(update_fields=["records", "preview", "problems", "status", "columns"])


def apply_import(*, actor, run: ImportRun) -> ImportRun:
    """Apply a previewed import: inline for a small file, else queued (the page polls its progress)."""
    if run.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Deze import kan niet (meer) worden verwerkt; laad het bestand opnieuw."))
    if len(run.records.get("students", [])) <= INLINE_LIMIT:
        return apply_now(run_id=run.pk, actor_id=getattr(actor, "pk", None))
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEWED).update(status=ImportStatus.QUEUED)
        from ..importing.tasks import apply_import_task

        transaction.on_commit(lambda: apply_import_task.enqueue(run.pk, getattr(actor, "pk", None)))
    run.refresh_from_db()
    return run


class _Progress:
    """Counts applied rows and stores a percentage now and then.

    The apply runs in one transaction, so on PostgreSQL the percentage is written over a separate
    connection (autocommit) to be visible to the polling page; elsewhere it is written in-line.
    """

    def __init__(self, run_id: int, total: int):
        self.run_id, self.total, self.done, self.shown = run_id, max(total, 1), 0, 0

    def __call__(self, count: int) -> None:
        self.done += count
        percent = min(99, 100 * self.done // self.total)
        if percent >= self.shown + 5:
            self.shown = percent
            self._store(percent)

    def _store(self, percent: int) -> None:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            side = connections.create_connection("default")
            try:
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {ImportRun._meta.db_table} SET progress = %s WHERE id = %s",
                        [percent, self.run_id],
                    )
            finally:
                side.close()
        else:
            ImportRun.objects.filter(pk=self.run_id).update(progress=percent)


# Key space of the PostgreSQL advisory locks that serialise applying one import run.
_APPLY_LOCK_CLASS = 0x1D08


def _lock_run(run_id: int) -> None:
    """Let one apply of a run proceed at a time, without locking the run's row (issue 8).

    The progress bar is written to the run's row over a second connection while the apply's
    transaction is open; a row lock (select_for_update) made that write wait for the apply, which
    waited for the write: the import never finished on PostgreSQL. An advisory lock, released at
    commit, guards against a double apply instead. SQLite serialises writers by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_APPLY_LOCK_CLASS, run_id % 2**31])


def apply_now(*, run_id: int, actor_id: int | None) -> ImportRun:
    """Apply in one transaction. Idempotent: a run applied before is left as it is."""
    from ..models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with transaction.atomic():
        _lock_run(run_id)
        with scopes_disabled():  # a task has no scope yet; the run tells which school
            run = ImportRun.objects.select_related("school").get(pk=run_id)
        if run.status not in (ImportStatus.PREVIEWED, ImportStatus.QUEUED, ImportStatus.APPLYING):
            return run
        with scope(school=[run.school_id]):
            data = ImportSet.from_dict(run.records)
            changes = compute_changes(run.school, data, today())
            apply_changes(run.school, changes, _Progress(run.pk, changes.total))
            counts = changes.counts()
            run.status, run.progress, run.applied_at = ImportStatus.APPLIED, 100, timezone.now()
            run.result = {"counts": counts, "total": changes.total}
            run.records = {}  # data minimisation: the applied rows live in the tables now
            run.save(update_fields=["status", "progress", "applied_at", "result", "records"])
            audit(
                actor=actor,
                action="schools.import.applied",
                obj=run,
                school=run.school,
                data={"counts": counts},
            )
            upload_name = run.upload.name
            transaction.on_commit(lambda: run.upload.storage.delete(upload_name) if upload_name else None)
    return run
