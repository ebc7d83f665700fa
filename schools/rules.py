"""The policy layer: every "may this user do X to this object" is answered here.

Views, API endpoints and services ask `user.has_perm("schools.view_student", student)`;
they never check roles themselves. The selectors in schools/selectors.py answer the
matching "which objects may this user list". Both read schools.access.Access.
"""

import rules

from .access import get_access
from .models import Group, School, Student


def _school_of(obj):
    if obj is None:
        return None
    if isinstance(obj, School):
        return obj
    return getattr(obj, "school", None)


@rules.predicate
def is_school_staff(user, obj=None) -> bool:
    school = _school_of(obj)
    access = get_access(user, school) if school else get_access(user)
    return access.is_staff_member and (school is None or access.school == school)


def _role_at_school(flag: str) -> rules.Predicate:
    """A predicate "holds this role (an Access flag) at the object's school" (or the active one)."""

    def check(user, obj=None) -> bool:
        school = _school_of(obj)
        access = get_access(user, school)
        return getattr(access, flag) and (school is None or access.school.pk == school.pk)

    return rules.predicate(check, name=flag)


is_care_team = _role_at_school("is_care_team")
is_director = _role_at_school("is_director")
is_care_coordinator = _role_at_school("is_care_coordinator")
is_functional_admin = _role_at_school("is_functional_admin")


@rules.predicate
def is_board_member(user, obj=None) -> bool:
    return get_access(user).is_board_member


@rules.predicate
def relates_to_student(user, student: Student | None) -> bool:
    """Teacher of one of the student's current groups, their mentor, or head of its department."""
    from .selectors import relates

    return student is not None and relates(get_access(user, student.school), student)


@rules.predicate
def relates_to_group(user, group: Group | None) -> bool:
    if group is None:
        return False
    access = get_access(user, group.school)
    if not access.is_staff_member:
        return False
    return (
        access.sees_whole_school
        or group.pk in access.group_ids
        or (group.department_id is not None and group.department_id in access.head_of_department_ids)
    )


@rules.predicate
def is_mentor_of_student(user, student: Student | None) -> bool:
    if student is None:
        return False
    access = get_access(user, student.school)
    from .selectors import current_group_facts

    return any(group_id in access.mentor_group_ids for group_id, _ in current_group_facts(student))


rules.add_perm("schools.use_app", is_school_staff)
rules.add_perm("schools.view_student", relates_to_student | is_functional_admin)
rules.add_perm("schools.view_group", relates_to_group | is_functional_admin)
rules.add_perm("schools.search_students", is_school_staff)
rules.add_perm("schools.manage_people", is_functional_admin)
# AVG-4: the roles page is the functional admin's and the director's; which roles each may change
# (care-content roles only the director or the board, never one's own) is the service's check.
rules.add_perm("schools.manage_roles", is_functional_admin | is_director)
rules.add_perm("schools.view_role_changes", is_director)
rules.add_perm("schools.import_data", is_functional_admin)
rules.add_perm("schools.manage_configuration", is_functional_admin)
rules.add_perm("schools.view_aggregates", is_board_member | is_director)
rules.add_perm("schools.manage_api_keys", is_functional_admin)
