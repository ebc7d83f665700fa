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

from dossier.audit import audit

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


def read_columns(run: ImportRun) -> tuple[list[str], dict[str, str]]:
    """The file's headers and the suggested mapping (the school's saved one where it fits)."""
    run.upload.open("rb")
    with run.upload:
        headers, _ = read_table(run.upload.read(), run.filename)
    saved = ImportMapping.objects.filter(school=run.school, name="standaard").first()
    return headers, column_mapping.suggest_columns(headers, saved.columns if saved else None)


def parse_file(
    *,
    school: School,
    format: str,
    data: bytes | Path,
    filename: str,
    columns: dict | None = None,
    school_year_start: datetime.date | None = None,
) -> ImportSet:
    """Any supported file → the common record set, or ImportProblems. Reads nothing from the database."""
    if format == ImportFormat.EDEXML:
        return parse_edexml(data, filename, brin=school.brin, location_code=school.location_code)
    if format == ImportFormat.ONEROSTER:
        return parse_oneroster(data, filename, brin=school.brin)
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
    if format != ImportFormat.TABULAR:
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
    if save_mapping:
        ImportMapping.objects.update_or_create(
            school=run.school, name="standaard", defaults={"columns": columns}
        )
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
    return run


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


def apply_now(*, run_id: int, actor_id: int | None) -> ImportRun:
    """Apply in one transaction. Idempotent: a run applied before is left as it is."""
    from ..models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with transaction.atomic():
        with scopes_disabled():  # a task has no scope yet; the run tells which school
            run = ImportRun.objects.select_for_update().select_related("school").get(pk=run_id)
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
