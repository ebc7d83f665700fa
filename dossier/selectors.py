"""Reads of the student's file, filtered by need to know (AVG-4). Query counts stay flat as it grows.

`visible_entries` is the one filter staff views use. The parent portal and the access-request
export read through portal/queries.py (parent_entries); names of other children are
redacted everywhere by the one function in dossier/redaction.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.urls import reverse

from dossier.models import DossierEntry, Visibility
from dossier.models.entries import REDACTED_STUDENT
from dossier.redaction import Redactor
from dossier.redaction import redact as _redact
from schools.access import Access
from schools.models import StaffMember, Student
from schools.selectors import relates, visible_students


@dataclass(frozen=True)
class TimelineFilters:
    kinds: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    author_id: int | None = None


def readable_levels(access: Access) -> list[str]:
    """The visibility levels this user's role reaches (AVG-4); relation to the student checked apart."""
    if not access.is_staff_member:
        return []
    levels = [Visibility.TEAM]
    if access.is_care_team:
        levels.append(Visibility.CARE_TEAM)
    if access.is_director:
        levels.append(Visibility.DIRECTOR)
    return [str(level) for level in levels]


def may_read(access: Access, *, visibility: str, is_health: bool) -> bool:
    # AVG-4: health data (a special category) only for the care team, whatever the level.
    if is_health and not access.is_care_team:
        return False
    return str(visibility) in readable_levels(access)


def visible_entries(
    access: Access, student: Student, filters: TimelineFilters | None = None
) -> QuerySet[DossierEntry]:
    """The entries of `student`'s file this user may read, newest first (AVG-4)."""
    if not relates(access, student):
        return DossierEntry.objects.none()
    return entries_of_related(access, student.pk, filters)


def entries_of_related(
    access: Access, student_id: int, filters: TimelineFilters | None = None
) -> QuerySet[DossierEntry]:
    """visible_entries for a student the caller has checked `relates` for (the SQL from ids only:
    schools.sql_shapes compiles it once per shape)."""
    entries = DossierEntry.objects.filter(student_id=student_id, visibility__in=readable_levels(access))
    if not access.is_care_team:
        entries = entries.filter(is_health=False)
    if filters:
        if filters.kinds:
            entries = entries.filter(kind__in=filters.kinds)
        if filters.date_from:
            entries = entries.filter(occurred_at__date__gte=filters.date_from)
        if filters.date_to:
            entries = entries.filter(occurred_at__date__lte=filters.date_to)
        if filters.author_id:
            entries = entries.filter(author_id=filters.author_id)
    return (
        entries.select_related("author")
        .annotate(is_corrected=Exists(DossierEntry.objects.filter(corrects=OuterRef("pk"))))
        .order_by("-occurred_at", "-pk")
    )


def entry_authors(access: Access, student: Student) -> list[StaffMember]:
    """Authors of the entries this user may read, for the filter's author list."""
    author_ids = visible_entries(access, student).values("author_id")
    return list(StaffMember.objects.filter(pk__in=author_ids).order_by("last_name", "first_name"))


def prepare_for_staff(
    entries: Iterable[DossierEntry], access: Access, student: Student
) -> list[DossierEntry]:
    """Attach involved names (redacted where this user may not see that child) and detail links.

    Two queries whatever the number of entries: the involved students, and which of them this
    user may see.
    """
    entries = list(entries)
    allowed = _seen_involved(access, entries)
    for entry in entries:
        hidden = [other for other in entry.involved.all() if other.pk not in allowed]
        entry.involved_labels = [
            other.full_name if other.pk in allowed else REDACTED_STUDENT for other in entry.involved.all()
        ]
        if hidden:
            _redact_in_place(entry, hidden, student)
        entry.detail_url = detail_url(entry)
    return entries


def _seen_involved(access: Access, entries: list[DossierEntry]) -> set[int]:
    """Of the students involved in these entries, the ids this user may see (two queries)."""
    prefetch_related_objects(entries, "involved")
    involved_ids = {other.pk for entry in entries for other in entry.involved.all()}
    if not involved_ids:
        return set()
    return set(visible_students(access).filter(pk__in=involved_ids).values_list("pk", flat=True))


def redact_sources_for_staff(sources: Iterable, access: Access, student: Student) -> None:
    """Redact, in memory, the title and body of source records (a log note, its corrections) the way
    the timeline redacts their file entries: another involved child whom this user may not see
    becomes "[andere leerling]" (AVG-4). Each source names its entry in `.entry`; the text itself is
    redacted by the shared `redact` (one function for timeline, detail pages and exports)."""
    sources = [source for source in sources if source is not None and source.entry_id]
    entries = [source.entry for source in sources]
    allowed = _seen_involved(access, entries)
    for source in sources:
        hidden = [other for other in source.entry.involved.all() if other.pk not in allowed]
        if hidden:
            source.title = redact(source.title, hidden, student)
            if hasattr(source, "body"):
                source.body = redact(source.body, hidden, student)


def file_entry_of(source) -> DossierEntry | None:
    """The (first) file entry recorded for `source` (a letter, a document to sign), cached on it.

    A download of a source is read like its entry: the entry's level and health mark decide (AVG-4).
    """
    if source is None:
        return None
    if "_file_entry" not in source.__dict__:
        source.__dict__["_file_entry"] = (
            DossierEntry.objects.filter(
                student_id=source.student_id,
                source_type=ContentType.objects.get_for_model(source),
                source_id=str(source.pk),
            )
            .select_related("student__school")
            .order_by("pk")
            .first()
        )
        _share_student(source, source.__dict__["_file_entry"])
    return source.__dict__["_file_entry"]


def _share_student(source, entry: DossierEntry | None) -> None:
    """The entry's student and school are the source's (already read): one instance, so what the
    rules cache on the student (its current groups) is read once per request (issue #13)."""
    if entry is None:
        return
    student = source._state.fields_cache.get("student")
    if student is not None and student.pk == entry.student_id:
        if "school" not in student._state.fields_cache:
            student.school = entry.student.school
        entry.student = student
    if entry.school_id == entry.student.school_id:
        entry.school = entry.student.school


# Where the details of an entry's source live: model → (url name, how to get the id from the source id).
# Each target page is open to everyone who may read the entry; a message has no page of its own
# (the outbox lists it) and an access request is for the care team (their list links it).
DETAIL_URLS = {
    "dossier.logentry": "dossier_log_detail",
    "dossier.document": "dossier_document_download",
    "messaging.letter": "letter_pdf",
    "signatures.signabledocument": "signable_document_detail",
}


def detail_url(entry: DossierEntry) -> str:
    """Where an entry's details live, without a query (the content type cache answers).

    The kind's registered detail URL comes first (dossier.entry_kinds), then the source's page.
    The page itself checks permission again: a link is a pointer, not a grant."""
    from dossier.entry_kinds import entry_kind

    spec = entry_kind(entry.kind)
    if spec is not None and spec.detail_url is not None:
        return spec.url_for(entry)
    if not entry.source_type_id or not entry.source_id:
        return ""
    label = ContentType.objects.get_for_id(entry.source_type_id).model_class()._meta.label_lower
    name = DETAIL_URLS.get(label)
    return reverse(name, args=[entry.source_id]) if name else ""


def _redact_in_place(entry: DossierEntry, others: list[Student], student: Student) -> None:
    redactor = Redactor(student, others)
    entry.title = redactor(entry.title)
    entry.body = redactor(entry.body)
    entry.__dict__["_redacted"] = True


def redact(text: str, others: Iterable[Student], student: Student | None = None) -> str:
    """Replace other children's names by "[andere leerling]" (AVG-4): the one shared redaction
    (dossier.redaction), kept here under its old name and signature for callers of the selectors."""
    return _redact(text, others, student)
