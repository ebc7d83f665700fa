"""Rules (policy) for the dossier's messages area: letter templates, the outbox, letters."""

import rules

from dossier.policy_timeline import may_read_file_entry_of
from schools.rules import is_care_coordinator, is_care_team, is_director, is_functional_admin

# A school's letter texts are set by the care coordinator, the director or the functional admin.
rules.add_perm("dossier.manage_letter_templates", is_care_coordinator | is_director | is_functional_admin)
# The outbox lists messages about any student of the school: the care team (sees the whole school).
rules.add_perm("dossier.view_outbox", is_care_team | is_functional_admin)
rules.add_perm("dossier.retry_message", is_care_team | is_functional_admin)
# AVG-4: what a message says (its subject, its letter) is for the care team, not the functional admin.
rules.add_perm("dossier.read_outbox_content", is_care_team)
# AVG-4: a letter is read like its entry in the file ("may view this entry", not "the student").
rules.add_perm("dossier.view_letter", may_read_file_entry_of)
