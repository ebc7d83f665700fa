"""Rules for preparing documents to sign: the mentor, the care team and the director of the student.

Teachers may read the file but do not draw up agreements with the family (they get a 404).
"""

import rules

from dossier.policy_timeline import may_read_file_entry_of
from schools.rules import is_care_team, is_director, is_mentor_of_student


@rules.predicate
def prepares_documents_for(user, student) -> bool:
    if student is None:
        return False
    return is_mentor_of_student(user, student) or is_care_team(user, student) or is_director(user, student)


@rules.predicate
def prepares_document(user, document) -> bool:
    return document is not None and prepares_documents_for(user, document.student)


# The object is the student.
rules.add_perm("dossier.create_signable_document", prepares_documents_for)
rules.add_perm("dossier.list_signable_documents", prepares_documents_for)
# The object is the document: its versions page and "Nieuwe versie".
# AVG-4: and reads it like its entry in the file (level and health mark).
rules.add_perm("dossier.manage_signable_document", prepares_document & may_read_file_entry_of)
