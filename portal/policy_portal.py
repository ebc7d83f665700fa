"""Rules (policy) for the dossier's portal area: guardians, signatures and access requests."""

import rules

from dossier.policy_timeline import may_read_file_entry_of
from schools.models import School, Student
from schools.rules import is_care_coordinator, is_director, relates_to_student


@rules.predicate
def has_parental_authority(user, student: Student | None) -> bool:
    """A guardian whose relation to this child gives parental authority and has not ended, for a
    child under 16 (AVG-1). From the 16th birthday the student exercises the rights: the guardian
    then sees nothing of the child in the portal (the school decides what else to tell them)."""
    from portal.queries import guardian_for, has_own_rights

    return (
        isinstance(student, Student)
        and not has_own_rights(student)  # AVG-1
        and guardian_for(user, student) is not None
    )


@rules.predicate
def is_student_with_own_rights(user, student: Student | None) -> bool:
    """The student themself, signed in, aged 16 or older (AVG-1)."""
    from portal.queries import has_own_rights

    return (
        isinstance(student, Student)
        and getattr(user, "is_authenticated", False)
        and student.user_id == user.pk
        and has_own_rights(student)  # AVG-1
    )


exercises_rights = has_parental_authority | is_student_with_own_rights


@rules.predicate
def relates_to_document_student(user, document) -> bool:
    return document is not None and relates_to_student(user, document.student)


@rules.predicate
def leads_access_requests(user, obj=None) -> bool:
    """Care coordinator or director of the object's school (or of the active school)."""
    school = obj if isinstance(obj, School) or obj is None else getattr(obj, "school", None)
    return is_care_coordinator(user, school) or is_director(user, school)


# Portal (the object is the child): the guardians of a child under 16, or the student from 16.
rules.add_perm("dossier.portal_view_student", exercises_rights)
rules.add_perm("dossier.portal_sign", exercises_rights)
rules.add_perm("dossier.portal_add_statement", exercises_rights)
rules.add_perm("dossier.portal_request_access", exercises_rights)

# Staff: signable documents (the object is the document) and access requests.
# AVG-4: a document to sign is read like its entry in the file (level and health mark).
rules.add_perm("dossier.view_signable_document", relates_to_document_student & may_read_file_entry_of)
rules.add_perm("dossier.sign_on_staff_screen", relates_to_document_student & may_read_file_entry_of)
rules.add_perm("dossier.manage_access_requests", leads_access_requests)
