"""Rules (policy) for the dossier's messages area: letter templates, the outbox, letters."""

import rules

from schools.rules import is_care_coordinator, is_care_team, is_director, is_functional_admin


@rules.predicate
def may_view_letters_student(user, letter) -> bool:
    # A letter is a TEAM-level entry of the student's file: whoever may see the student.
    return letter is not None and user.has_perm("schools.view_student", letter.student)


# A school's letter texts are set by the care coordinator, the director or the functional admin.
rules.add_perm("dossier.manage_letter_templates", is_care_coordinator | is_director | is_functional_admin)
# The outbox lists messages about any student of the school: the care team (sees the whole school).
rules.add_perm("dossier.view_outbox", is_care_team | is_functional_admin)
rules.add_perm("dossier.retry_message", is_care_team | is_functional_admin)
rules.add_perm("dossier.view_letter", may_view_letters_student)
