"""Shared helpers of the measures services: the protocol version, the ladder, deadlines by step code."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.models import PENDING_STATES, Deadline
from deadlines.services.deadline_schedules import Step, create_schedule
from protocols.exceptions import ProtocolViolation
from protocols.registry import MEASURES
from protocols.services import start_case_version
from schools.access import get_access
from schools.actors import staff_member, user_of
from schools.models import Role, StaffMember, Student


def version_for(school):
    return start_case_version(school=school, protocol=MEASURES)


def require_director(actor, school, *, rule: str) -> StaffMember:
    """Only the director takes a measure (SV-1 home part, SV-2 on behalf of the board)."""
    staff = staff_member(actor, school)
    if staff is None or not get_access(user_of(actor), school).is_director:
        raise ProtocolViolation(rule=rule, message=_("Alleen de directeur kan deze maatregel nemen."))
    return staff


def director_of(school, fallback: StaffMember | None = None) -> StaffMember:
    member = (
        StaffMember.objects.filter(school=school, active=True, role_assignments__role=Role.DIRECTOR)
        .order_by("last_name", "pk")
        .first()
    )
    if member is None and fallback is None:
        raise ProtocolViolation(rule="SV-2", message=_("Deze school heeft geen directeur in Leerlingzorg."))
    return member or fallback


def acts_for_board(user, school) -> bool:
    """SV-3, LAW-2, LAW-4: the board's acts (the decision, hearing the parents on an objection, deciding on
    it) are done by a board member of the school's board; where that board has no account in Leerlingzorg,
    the director records them on the board's behalf (audited under the director's name)."""
    from schools.models import BoardMember

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if school.board_id in get_access(user).board_ids:
        return True
    return (
        not BoardMember.objects.filter(board_id=school.board_id).exists()
        and get_access(user, school).is_director
    )


def board_deadline_owner(school) -> StaffMember:
    """Who owns a deadline of the board (LAW-4: decide on the objection within the term): a board member's
    staff account at the school, else the director (who may act for a board without an account)."""
    member = (
        StaffMember.objects.filter(school=school, active=True, user__board_roles__board_id=school.board_id)
        .order_by("last_name", "pk")
        .first()
    )
    return member or director_of(school)


def open_behaviour_case(student: Student):
    from behaviour.models import BehaviourCase

    return BehaviourCase.objects.filter(student=student, closed_at__isnull=True).first()


def move_to_measures_step(student: Student, *, actor, rule: str):
    """GP-23: a measure on a student with an open ladder puts the case on step 5, through the ladder's one
    way to change step (`advance_step`: step entry and audit row; no GP-6/7 consent for a measure)."""
    from behaviour.models import Step
    from behaviour.services.ladder import advance_step

    case = open_behaviour_case(student)
    if case is not None and case.step != Step.MEASURES:
        case = advance_step(actor=actor, case=case, to_step=Step.MEASURES, rule=rule)
    return case


def is_adult(student: Student, on: datetime.date | None = None) -> bool:
    """LAW-1: from 18 the decision goes to the student too."""
    born = student.date_of_birth
    if born is None:
        return False
    on = on or timezone.localdate()
    return (on.year - born.year - ((on.month, on.day) < (born.month, born.day))) >= 18


def add_deadlines(*, anchor, student, actor, code: str, steps: list[Step], anchor_date=None):
    return create_schedule(
        anchor_object=anchor, anchor_date=anchor_date or timezone.localdate(), steps=steps, actor=actor,
        school=anchor.school, student=student, code=code,
    )  # fmt: skip


def pending_deadline(source, step_code: str) -> Deadline | None:
    return (
        Deadline.objects.filter(
            source_type=ContentType.objects.get_for_model(source),
            source_id=str(source.pk),
            step_code=step_code,
            state__in=PENDING_STATES,
        )  # fmt: skip
        .order_by("pk")
        .first()
    )


def deadlines_of(source):
    return Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk)
    ).order_by("due_on", "pk")


def complete_step(source, step_code: str, actor) -> None:
    from deadlines.services.deadlines import complete_deadline

    deadline = pending_deadline(source, step_code)
    if deadline is not None:
        complete_deadline(deadline=deadline, actor=actor)


def bump(obj, fields: list[str]) -> None:
    obj.row_version += 1
    obj.save(update_fields=[*fields, "row_version"])
