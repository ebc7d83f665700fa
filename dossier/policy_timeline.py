"""Rules (policy) for the student's file: timeline, logboek, documents and the access log (AVG-4).

The selectors (dossier/selectors.py) answer "which entries may this user list" with the same
functions (`schools.selectors.relates`, `may_read`), so a list and a detail page never disagree.
"""

import rules
from django.utils import timezone

from dossier.selectors import may_read
from schools.access import get_access
from schools.rules import is_care_coordinator, is_director, relates_to_student


def _student_of(obj):
    return obj if obj.__class__.__name__ == "Student" else getattr(obj, "student", None)


@rules.predicate
def relates_to_file(user, obj) -> bool:
    """Teacher, mentor or department head of the student now, or the care team of their school."""
    return relates_to_student(user, _student_of(obj) if obj is not None else None)


@rules.predicate
def may_read_item(user, obj) -> bool:
    """An entry, log note or document: its level and health mark against the user's role (AVG-4)."""
    if obj is None:
        return False
    access = get_access(user, obj.school)
    return may_read(access, visibility=obj.visibility, is_health=obj.is_health)


@rules.predicate
def may_read_file_entry_of(user, source) -> bool:
    """A letter, a document to sign: whoever may read its file entry, level and health mark (AVG-4).
    Never "may see the student": the functional admin sees students, not their file."""
    from dossier.selectors import file_entry_of

    entry = file_entry_of(source)
    return entry is not None and relates_to_file(user, entry) and may_read_item(user, entry)


@rules.predicate
def is_author(user, log_entry) -> bool:
    author = getattr(log_entry, "author", None)
    return author is not None and author.user_id == user.pk


@rules.predicate
def within_edit_window(user, log_entry) -> bool:
    return log_entry is not None and timezone.now() < log_entry.editable_until()


@rules.predicate
def is_care_team_of(user, obj) -> bool:
    return obj is not None and get_access(user, obj.school).is_care_team


_school_role = is_care_coordinator | is_director

rules.add_perm("dossier.view_dossier", relates_to_file)
rules.add_perm("dossier.add_log_entry", relates_to_file)
rules.add_perm("dossier.view_entry", relates_to_file & may_read_item)
rules.add_perm("dossier.view_log_entry", relates_to_file & may_read_item)
# Only the author, only for 24 hours; after that a correction is a new entry (AVG-2).
rules.add_perm("dossier.edit_log_entry", relates_to_file & is_author & within_edit_window)
rules.add_perm(
    "dossier.correct_log_entry",
    relates_to_file & may_read_item & ((is_author & ~within_edit_window) | is_care_team_of),
)
rules.add_perm("dossier.view_access_log", relates_to_file & _school_role)
rules.add_perm("dossier.upload_document", relates_to_file)
rules.add_perm("dossier.view_document", relates_to_file & may_read_item)
