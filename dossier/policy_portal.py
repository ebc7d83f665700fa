"""Rules (policy) for the dossier's portal area: guardians, signatures and access requests."""

import rules

from schools.models import School, Student
from schools.rules import is_care_coordinator, is_director, relates_to_student


@rules.predicate
def has_parental_authority(user, student: Student | None) -> bool:
    """A guardian whose relation to this child gives parental authority and has not ended (AVG-1)."""
    from .portal.queries import guardian_for

    return isinstance(student, Student) and guardian_for(user, student) is not None


@rules.predicate
def relates_to_document_student(user, document) -> bool:
    return document is not None and relates_to_student(user, document.student)


@rules.predicate
def leads_access_requests(user, obj=None) -> bool:
    """Care coordinator or director of the object's school (or of the active school)."""
    school = obj if isinstance(obj, School) or obj is None else getattr(obj, "school", None)
    return is_care_coordinator(user, school) or is_director(user, school)


# Parent portal (the object is the child).
rules.add_perm("dossier.portal_view_student", has_parental_authority)
rules.add_perm("dossier.portal_sign", has_parental_authority)
rules.add_perm("dossier.portal_add_statement", has_parental_authority)
rules.add_perm("dossier.portal_request_access", has_parental_authority)

# Staff: signable documents (the object is the document) and access requests.
rules.add_perm("dossier.view_signable_document", relates_to_document_student)
rules.add_perm("dossier.sign_on_staff_screen", relates_to_document_student)
rules.add_perm("dossier.manage_access_requests", leads_access_requests)
