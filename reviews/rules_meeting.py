"""Who may do what in the meeting side of the leerlingbespreking (LB-3, LB-6, LB-11, LB-13; AVG-4).

The predicates read `schools.access.Access`; views and services ask `user.has_perm("reviews.…", obj)`.
"""

from __future__ import annotations

import rules

from schools.access import get_access
from schools.rules import is_care_coordinator, is_care_team, relates_to_group


def _staff_pk(user, school) -> int | None:
    access = get_access(user, school)
    if not access.is_staff_member or access.school is None or access.school.pk != school.pk:
        return None
    return access.staff.pk


def _meeting_of(obj):
    return getattr(obj, "meeting", None) if not hasattr(obj, "leader_id") else obj


@rules.predicate
def takes_part(user, obj) -> bool:
    """The mentor who leads, the care coordinator who chairs, the minute-taker (LB-6)."""
    meeting = _meeting_of(obj)
    if meeting is None:
        return False
    pk = _staff_pk(user, meeting.school)
    return pk is not None and pk in (meeting.leader_id, meeting.chair_id, meeting.minute_taker_id)


@rules.predicate
def leads_or_chairs(user, obj) -> bool:
    meeting = _meeting_of(obj)
    if meeting is None:
        return False
    pk = _staff_pk(user, meeting.school)
    return pk is not None and pk in (meeting.leader_id, meeting.chair_id)


@rules.predicate
def mentors_group(user, obj) -> bool:
    meeting = _meeting_of(obj)
    if meeting is None:
        return False
    access = get_access(user, meeting.school)
    return access.is_staff_member and meeting.group_id in access.mentor_group_ids


@rules.predicate
def concerns_group(user, obj) -> bool:
    """Teachers of the group, its mentors, its department head and the care team (LB-2)."""
    meeting = _meeting_of(obj)
    return meeting is not None and relates_to_group(user, meeting.group)


@rules.predicate
def owns_agreement(user, agreement) -> bool:
    pk = _staff_pk(user, agreement.school)
    return pk is not None and pk == agreement.owner_id


@rules.predicate
def school_care_team(user, obj) -> bool:
    return is_care_team(user, obj.school)


@rules.predicate
def school_care_coordinator(user, obj) -> bool:
    return is_care_coordinator(user, obj.school)


rules.add_perm("reviews.meeting_view", takes_part | concerns_group)
# LB-3: the mentor prepares with the care coordinator.
rules.add_perm("reviews.meeting_prepare", leads_or_chairs | mentors_group | school_care_coordinator)
# LB-6, LB-10: the mentor, the chair and the minute-taker work in the meeting screen.
rules.add_perm("reviews.meeting_run", takes_part | school_care_coordinator)
rules.add_perm("reviews.meeting_close", leads_or_chairs)
# AVG-4, LB-11: a referral is read by the care team only.
rules.add_perm("reviews.referral_view", school_care_team)
rules.add_perm("reviews.referral_answer", school_care_team)
# LB-13: the mentor sees to the evaluation; the owner and the care coordinator may record it.
rules.add_perm(
    "reviews.agreement_evaluate", owns_agreement | leads_or_chairs | mentors_group | school_care_coordinator
)
# LB-12: the mentor's talk and the feedback to the parents.
rules.add_perm("reviews.follow_up_record", leads_or_chairs | mentors_group)
