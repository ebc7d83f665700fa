"""Logboek: write a note, edit it within 24 hours, correct it after (AVG-2)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.audit import audit
from dossier.models import EntryKind, LogEntry, LogTemplate, Visibility
from dossier.selectors import readable_levels
from dossier.services.record import record
from protocols.exceptions import ProtocolViolation
from schools.access import get_access
from schools.models import Student

STALE_EDIT_MESSAGE = gettext_lazy(
    "Deze notitie is intussen elders gewijzigd. Je tekst staat hieronder nog; "
    "vergelijk hem met de huidige versie en sla opnieuw op."
)


def _warned(text_warnings) -> dict:
    return {"text_warnings": sorted(set(text_warnings))} if text_warnings else {}


def _check_marking(actor, student: Student, visibility: str, is_health: bool) -> None:
    """An author may only file a note at a level they can read themselves (AVG-4)."""
    access = get_access(actor, student.school)
    if str(visibility) not in readable_levels(access):
        raise ValidationError(_("Je kunt geen notitie vastleggen op een niveau dat je zelf niet mag lezen."))
    if is_health and not access.is_care_team:
        raise ValidationError(_("Alleen het zorgteam legt gezondheidsinformatie vast."))


def write_log_entry(
    *,
    actor,
    student: Student,
    title: str,
    body: str,
    occurred_at: datetime.datetime | None = None,
    visibility: Visibility | str = Visibility.TEAM,
    is_health: bool = False,
    parent_visible: bool = False,
    template: LogTemplate | None = None,
    involved: list[Student] | tuple[Student, ...] = (),
    corrects: LogEntry | None = None,
    address: str = "",
    text_warnings: list[str] | tuple[str, ...] = (),
) -> LogEntry:
    """`text_warnings`: the text-check warnings the writer was shown (AVG-4, LB-8, LB-9), kept on the entry."""
    if not actor.has_perm("dossier.add_log_entry", student):
        raise PermissionDenied
    _check_marking(actor, student, visibility, is_health)
    if template is not None and template.school_id != student.school_id:
        raise ValidationError(_("Dit sjabloon hoort niet bij deze school."))
    now = timezone.now()
    with transaction.atomic():
        log = LogEntry.objects.create(
            school=student.school,
            student=student,
            author=get_access(actor, student.school).staff,
            title=title,
            body=body,
            occurred_at=occurred_at or now,
            template=template,
            visibility=visibility,
            is_health=is_health,
            parent_visible=parent_visible,
            corrects=corrects,
            created_at=now,
            updated_at=now,
        )
        log.entry = record(
            student=student,
            kind=EntryKind.LOG_ENTRY,
            title=title,
            body=body,
            actor=actor,
            occurred_at=log.occurred_at,
            visibility=visibility,
            parent_visible=parent_visible,
            is_health=is_health,
            involved=involved,
            source=log,
            corrects=corrects.entry if corrects else None,
            address=address,
            text_warnings=text_warnings,
        )
        log.save(update_fields=["entry"])
        audit(
            actor=actor,
            action="dossier.log_entry.corrected" if corrects else "dossier.log_entry.written",
            obj=log,
            student=student,
            data={**({"corrects": corrects.pk} if corrects else {}), **_warned(text_warnings)},
            address=address,
        )
    return log


def edit_log_entry(
    *,
    actor,
    log_entry: LogEntry,
    expected_version: int,
    title: str,
    body: str,
    occurred_at: datetime.datetime,
    visibility: Visibility | str,
    is_health: bool = False,
    parent_visible: bool = False,
    address: str = "",
    text_warnings: list[str] | tuple[str, ...] = (),
) -> LogEntry:
    """Change a note in place: only its author, only within 24 hours, only from the current version."""
    with transaction.atomic():
        log = (
            LogEntry.objects.select_for_update(of=("self",))
            .select_related("author", "student__school")
            .get(pk=log_entry.pk)
        )
        if not actor.has_perm("dossier.edit_log_entry", log):
            if log.author and log.author.user_id == actor.pk:
                # AVG-2: after 24 hours a wrong fact is corrected by a new entry, never edited.
                raise ProtocolViolation(
                    rule="AVG-2",
                    message=_("Na 24 uur kun je een notitie niet meer wijzigen. Leg een correctie vast."),
                )
            raise PermissionDenied
        if log.version != expected_version:
            raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
        _check_marking(actor, log.student, visibility, is_health)
        before = {"version": log.version, "title": log.title}
        log.title, log.body, log.occurred_at = title, body, occurred_at
        log.visibility, log.is_health, log.parent_visible = visibility, is_health, parent_visible
        log.version += 1
        log.updated_at = timezone.now()
        log.save()
        if log.entry_id:
            entry = log.entry
            entry.title, entry.body, entry.occurred_at = title, body, occurred_at
            entry.visibility, entry.is_health, entry.parent_visible = visibility, is_health, parent_visible
            # A warning once shown stays recorded, whatever the edit.
            entry.text_warnings = sorted(set(entry.text_warnings or []) | set(text_warnings))
            entry.save(
                update_fields=[
                    "title", "body", "occurred_at", "visibility", "is_health", "parent_visible", "text_warnings"
                ]
            )  # fmt: skip
        # The edit is never silent: who, when, from which version.
        audit(
            actor=actor,
            action="dossier.log_entry.edited",
            obj=log,
            student=log.student,
            data={"from": before, "version": log.version, **_warned(text_warnings)},
            address=address,
        )
    return log


def correct_log_entry(
    *,
    actor,
    log_entry: LogEntry,
    title: str,
    body: str,
    occurred_at: datetime.datetime | None = None,
    visibility: Visibility | str | None = None,
    is_health: bool | None = None,
    parent_visible: bool | None = None,
    address: str = "",
    text_warnings: list[str] | tuple[str, ...] = (),
) -> LogEntry:
    """AVG-2: a correction is a new entry pointing at the old one; both stay in the file."""
    if not actor.has_perm("dossier.correct_log_entry", log_entry):
        raise PermissionDenied
    return write_log_entry(
        actor=actor,
        student=log_entry.student,
        title=title,
        body=body,
        occurred_at=occurred_at or log_entry.occurred_at,
        visibility=visibility or log_entry.visibility,
        is_health=log_entry.is_health if is_health is None else is_health,
        parent_visible=log_entry.parent_visible if parent_visible is None else parent_visible,
        corrects=log_entry,
        address=address,
        text_warnings=text_warnings,
    )
