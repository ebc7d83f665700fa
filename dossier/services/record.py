"""`record(...)`: the one entry point that puts anything in a student's file (ARCHITECTURE: the file)."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from audit.audit import audit
from dossier.entry_kinds import validate_entry_kind
from dossier.models import DossierEntry, EntryKind, Visibility
from schools.actors import staff_member
from schools.models import Student


def record(
    *,
    student: Student,
    kind: EntryKind | str,
    title: str,
    actor=None,
    body: str = "",
    occurred_at: datetime.datetime | None = None,
    visibility: Visibility | str = Visibility.TEAM,
    parent_visible: bool = False,
    is_health: bool = False,
    involved: list[Student] | tuple[Student, ...] = (),
    source=None,
    corrects: DossierEntry | None = None,
    address: str = "",
    text_warnings: list[str] | tuple[str, ...] = (),
) -> DossierEntry:
    """Record one entry in `student`'s file and audit it, in the caller's transaction.

    `actor` is a User or a StaffMember (or None for the system). Other students
    involved are linked but their names are never shown to this student's parents.
    `text_warnings` are the kinds of text-check warnings the writer was shown (protocols.text_checks).
    """
    validate_entry_kind(str(kind))  # a kind nobody registered has no label on the timeline
    staff = staff_member(actor, student.school_id)
    user = getattr(staff, "user", None) if staff else actor
    # No savepoint: inside the caller's transaction a failure here fails that transaction (the caller's
    # write never lands without its entry); called alone it is one transaction of its own.
    with transaction.atomic(savepoint=False):
        entry = DossierEntry.objects.create(
            school=student.school,
            student=student,
            kind=kind,
            title=title,
            body=body,
            author=staff,
            author_label=staff.full_name if staff else (str(actor) if actor else "Leerlingzorg"),
            occurred_at=occurred_at or timezone.now(),
            recorded_at=timezone.now(),
            visibility=visibility,
            parent_visible=parent_visible,
            is_health=is_health,
            corrects=corrects,
            text_warnings=sorted(set(text_warnings)),
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=str(source.pk) if source is not None else "",
        )
        others = [s for s in involved if s.pk != student.pk]
        if others:
            entry.involved.set(others)
        audit(
            actor=user,
            action="dossier.entry.recorded",
            obj=entry,
            school=student.school,
            student=student,
            data={"kind": str(kind)},
            address=address,
        )
    return entry
