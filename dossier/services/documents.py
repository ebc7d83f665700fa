"""Documents: an upload is checked by its content and size before anything is written."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.audit import audit
from dossier.models import Document, EntryKind, Visibility
from dossier.services.logbook import _check_marking
from dossier.services.record import record
from schools.access import get_access
from schools.models import Student

# extension → (content type, label in messages). Only these are accepted, recognised by content.
ALLOWED = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "PNG-afbeelding"),
    "jpg": ("image/jpeg", "JPEG-afbeelding"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word-document (DOCX)",
    ),
}
NAME_ALIASES = {"jpeg": "jpg"}
ALLOWED_TEXT = gettext_lazy("Toegestaan zijn PDF, PNG, JPEG en DOCX.")


def detect_type(upload: UploadedFile) -> str | None:
    """The allowed extension that matches the file's content, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension in ("pdf", "png", "jpg"):
        return kind.extension
    if kind.extension in ("docx", "zip"):
        # A DOCX is a zip with word/document.xml; filetype only sees the first bytes.
        try:
            with zipfile.ZipFile(upload) as archive:
                found = "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            found = False
        upload.seek(0)
        return "docx" if found else None
    return None


def check_upload(upload: UploadedFile, max_mb: int) -> str:
    """Return the checked extension or raise a Dutch ValidationError. Reads, never writes."""
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("Het bestand is groter dan %(mb)s MB en kan niet worden opgeslagen.") % {"mb": max_mb}
        )
    claimed = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    claimed = NAME_ALIASES.get(claimed, claimed)
    if claimed not in ALLOWED:
        raise ValidationError(
            _("Dit soort bestand is niet toegestaan. %(allowed)s") % {"allowed": ALLOWED_TEXT}
        )
    actual = detect_type(upload)
    if actual != claimed:
        label = ALLOWED[claimed][1]
        raise ValidationError(
            _("Dit bestand is geen %(kind)s, al zegt de naam dat wel. Het wordt niet opgeslagen. %(allowed)s")
            % {"kind": label, "allowed": ALLOWED_TEXT}
        )
    return actual


def upload_document(
    *,
    actor,
    student: Student,
    upload: UploadedFile,
    title: str,
    visibility: Visibility | str = Visibility.TEAM,
    is_health: bool = False,
    parent_visible: bool = False,
    address: str = "",
    text_warnings: list[str] | tuple[str, ...] = (),
) -> Document:
    """`text_warnings`: the text-check warnings shown while writing the title (AVG-4, LB-8), kept on the entry."""
    if not actor.has_perm("dossier.upload_document", student):
        raise PermissionDenied
    _check_marking(actor, student, visibility, is_health)
    extension = check_upload(upload, student.school.max_upload_mb)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = Document(
        school=student.school,
        student=student,
        title=title,
        original_name=PurePosixPath(upload.name).name[:255],
        content_type=ALLOWED[extension][0],
        extension=extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=get_access(actor, student.school).staff,
        visibility=visibility,
        is_health=is_health,
        parent_visible=parent_visible,
    )
    document.file.save("upload", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            document.entry = record(
                student=student,
                kind=EntryKind.DOCUMENT,
                title=title,
                actor=actor,
                visibility=visibility,
                parent_visible=parent_visible,
                is_health=is_health,
                source=document,
                address=address,
                text_warnings=text_warnings,
            )
            document.save(update_fields=["entry"])
            audit(
                actor=actor,
                action="dossier.document.uploaded",
                obj=document,
                student=student,
                data={"sha256": document.sha256, "size": document.size, "type": extension},
                address=address,
            )
    except BaseException:
        # No row, no file: a failed save must not leave an orphan on disk.
        document.file.delete(save=False)
        raise
    return document
