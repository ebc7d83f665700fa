"""Rules (policy) for deadlines, the calendar feed and retention (AVG-3)."""

import rules

from schools.access import get_access
from schools.rules import is_care_coordinator, is_director, is_functional_admin, is_school_staff


@rules.predicate
def owns_deadline(user, deadline) -> bool:
    if deadline is None:
        return False
    access = get_access(user, deadline.school)
    return access.staff is not None and access.staff.pk == deadline.owner_id


# Completing is the owner's act; the care coordinator sees overdue ones but the owner closes them.
rules.add_perm("dossier.complete_deadline", owns_deadline)
rules.add_perm("dossier.view_overdue_deadlines", is_care_coordinator)
rules.add_perm("dossier.use_calendar_feed", is_school_staff)
# AVG-3: a legal hold (dispute, objection) is placed by the care coordinator or the director.
rules.add_perm("dossier.place_legal_hold", is_care_coordinator | is_director)
rules.add_perm("dossier.manage_retention", is_functional_admin)
