"""Rules (policy) for the school's admin screens: log templates and legal holds (AVG-3).

`dossier.place_legal_hold` itself lives in policy_deadlines.py (care coordinator or director).
"""

import rules

from schools.rules import is_care_coordinator, is_director, is_functional_admin

# Log templates shape every note in the school: the people who own the care process and
# the functional admin who configures the school keep them.
rules.add_perm("dossier.manage_log_templates", is_care_coordinator | is_director | is_functional_admin)
# AVG-3: whoever may place a hold may lift it; lifting lets the next purge delete the file.
rules.add_perm("dossier.lift_legal_hold", is_care_coordinator | is_director)
# The list of active holds explains why the purge keeps a file; the functional admin, who sets
# the retention periods, sees it too (without the reasons: those are the care team's).
rules.add_perm("dossier.view_legal_holds", is_care_coordinator | is_director | is_functional_admin)
rules.add_perm("dossier.view_legal_hold_reason", is_care_coordinator | is_director)
