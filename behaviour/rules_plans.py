"""Who may act on steps 2–4 of het gedragsprotocol (AVG-4): asked with user.has_perm(..., student)."""

import rules

from dossier.policy_timeline import relates_to_file
from schools.rules import is_care_coordinator, is_care_team, is_director

# Teacher, mentor, department head of the student now, or the care team: the plan page and step 2.
rules.add_perm("behaviour.view_plans", relates_to_file)
rules.add_perm("behaviour.hold_step2", relates_to_file)
# Steps 3 and 4 are led by the directie and the care team (GP-13, GP-20).
rules.add_perm("behaviour.lead_step3", relates_to_file & is_care_team)
rules.add_perm("behaviour.invite_parents", relates_to_file & is_director)
rules.add_perm("behaviour.external_contact", relates_to_file & is_care_coordinator)
