"""Who may do what in the review cycle (LB-2, LB-4, LB-14, LB-15). Read by views and services
through `user.has_perm(...)`; never a role check in a view."""

from __future__ import annotations

import rules

from schools.access import get_access
from schools.models import Group, School
from schools.models.organisation import SchoolKind
from schools.rules import relates_to_student


def _organiser_for(access, group: Group | None) -> bool:
    """LB-15: the department head organises (vo: of the group's department); the care coordinator
    (po: the ib-er) too; in po, or for a group without a department, the director."""
    if not access.is_staff_member:
        return False
    if access.is_care_coordinator:
        return True
    po = access.school.kind == SchoolKind.PO
    if group is None:
        return access.is_department_head or (po and access.is_director)
    if group.department_id is not None and group.department_id in access.head_of_department_ids:
        return True
    return access.is_director and (po or group.department_id is None)


@rules.predicate
def may_organise(user, obj=None) -> bool:
    """obj: a School (rounds), a Group or a ReviewMeeting (meetings)."""
    if obj is None:
        return False
    school = obj if isinstance(obj, School) else obj.school
    access = get_access(user, school)
    if access.school is None or access.school.pk != school.pk:
        return False
    group = obj if isinstance(obj, Group) else getattr(obj, "group", None)
    return _organiser_for(access, group)


@rules.predicate
def may_view_meeting(user, meeting) -> bool:
    """Everyone expected (LB-2), the organisers, the care team and the group's department head."""
    if meeting is None:
        return False
    access = get_access(user, meeting.school)
    if access.school is None or access.school.pk != meeting.school_id or not access.is_staff_member:
        return False
    if access.is_care_team or _organiser_for(access, meeting.group):
        return True
    staff = access.staff
    if staff.pk in (meeting.leader_id, meeting.chair_id, meeting.minute_taker_id):
        return True
    return meeting.group_id in access.group_ids


@rules.predicate
def is_list_owner(user, assignment) -> bool:
    """A teacher fills in their own signal list only (LB-4)."""
    if assignment is None:
        return False
    access = get_access(user, assignment.school)
    return access.staff is not None and access.staff.pk == assignment.teacher_id


@rules.predicate
def is_expected_teacher(user, meeting) -> bool:
    if meeting is None:
        return False
    access = get_access(user, meeting.school)
    if access.staff is None or access.school.pk != meeting.school_id:
        return False
    from .selectors import is_expected

    return is_expected(meeting, access.staff)


@rules.predicate
def is_leave_approver(user, leave) -> bool:
    """LB-2: the department head of the group's department; po: the director."""
    if leave is None:
        return False
    access = get_access(user, leave.school)
    if access.staff is None or access.school.pk != leave.school_id:
        return False
    from .selectors import leave_approvers

    return leave_approvers(leave.meeting).filter(pk=access.staff.pk).exists()


def declare_rules() -> None:
    for name, predicate in {
        "reviews.plan_round": may_organise,
        "reviews.plan_meeting": may_organise,
        "reviews.view_meeting": may_view_meeting,
        "reviews.fill_signal_list": is_list_owner,
        "reviews.raise_signal": relates_to_student,  # LB-14: any teacher of the student, any time
        "reviews.request_leave": is_expected_teacher,
        "reviews.decide_leave": is_leave_approver,
    }.items():
        rules.set_perm(name, predicate)
