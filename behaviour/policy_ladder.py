"""Who may do what on the incidents and the step-1 ladder (AVG-4 need to know, GP-2, GP-6, GP-7)."""

import rules

from schools.access import get_access
from schools.models import Role
from schools.rules import is_care_team, is_school_staff, relates_to_group, relates_to_student


@rules.predicate
def relates_to_case_student(user, obj) -> bool:
    return obj is not None and relates_to_student(user, obj.case.student)


@rules.predicate
def relates_to_involved_student(user, involvement) -> bool:
    return involvement is not None and relates_to_student(user, involvement.student)


@rules.predicate
def decides_on_escalation(user, request) -> bool:
    """GP-6, GP-7: the director or the behaviour specialist (the roles the request needs) of the school."""
    from .services.ladder import ROLE_OF_WORD

    if request is None:
        return False
    access = get_access(user, request.case.school)
    if access.school is None or access.school.pk != request.case.school_id:
        return False
    return any(ROLE_OF_WORD.get(word) in access.roles for word in request.required)


@rules.predicate
def is_anti_bullying_coordinator(user, flag) -> bool:
    if flag is None:
        return False
    access = get_access(user, flag.school)
    return (
        access.school is not None
        and access.school.pk == flag.school_id
        and Role.ANTI_BULLYING_COORDINATOR in access.roles
    )


# GP-2: whoever on the team sees the behaviour registers it.
rules.add_perm("behaviour.register_incident", is_school_staff)
rules.add_perm("behaviour.view_student", relates_to_student)
rules.add_perm("behaviour.confirm_measure", relates_to_student)
rules.add_perm("behaviour.request_escalation", relates_to_student)
rules.add_perm("behaviour.give_consent", decides_on_escalation)
rules.add_perm("behaviour.record_aftercare", relates_to_involved_student)
rules.add_perm(
    "behaviour.handle_bullying_flag", is_anti_bullying_coordinator | (is_care_team & is_school_staff)
)
rules.add_perm("behaviour.view_group", relates_to_group)
