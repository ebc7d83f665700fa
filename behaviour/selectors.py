"""Reads of the incidents and the ladder: school-scoped, a fixed number of queries whatever the history."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Subquery

from protocols.registry import BEHAVIOUR
from protocols.services import protocol_value
from schools.models import Group, Student
from schools.selectors import current_membership_q

from .models import BehaviourCase, Step
from .models_incidents import BullyingFlag, EscalationRequest, Involvement, LadderMeasure, Part
from .services.ladder import position_of, positions, propose_next_measure

RECENT_INCIDENTS = 10


def open_case_of(student: Student) -> BehaviourCase | None:
    return (
        BehaviourCase.objects.filter(student=student, closed_at__isnull=True)
        .select_related("protocol_version", "student__school")
        .first()
    )


def student_behaviour(student: Student) -> dict:
    """The student's behaviour page: step, position, proposal, recent incidents, consent, aftercare."""
    case = open_case_of(student)
    involvements = list(
        Involvement.objects.filter(student=student)
        .select_related("incident", "incident__reported_by")
        .order_by("-incident__happened_at", "-pk")[:RECENT_INCIDENTS]
    )
    escalation = None
    measures: list[LadderMeasure] = []
    if case is not None:
        measures = list(
            case.measures.select_related("host_group", "confirmed_by").order_by("-confirmed_at", "-pk")[:10]
        )
        escalation = (
            case.escalations.filter(state__in=[EscalationRequest.State.OPEN, EscalationRequest.State.GRANTED])
            .prefetch_related("consents__staff")
            .first()
        )
    aftercare = [i for i in involvements if i.part == Part.VICTIM]
    return {
        "case": case,
        "ladder": positions(case) if case else [],
        "position": position_of(case) if case else None,
        "proposal": propose_next_measure(case) if case else None,
        "measures": measures,
        "involvements": involvements,
        "escalation": escalation,
        "aftercare": aftercare,
        "aftercare_items": protocol_value(student.school, BEHAVIOUR, "victim_aftercare") if aftercare else [],
        "flags": list(BullyingFlag.objects.filter(student=student, handled_at__isnull=True)),
    }


def group_ladder(group: Group) -> list[dict]:
    """Who is where: each current student of the group with their step and position (three queries)."""
    latest = LadderMeasure.objects.filter(case=OuterRef("pk")).order_by("-confirmed_at", "-pk")
    cases = (
        BehaviourCase.objects.filter(closed_at__isnull=True, student__memberships__group=group)
        .select_related("protocol_version")
        .annotate(latest_code=Subquery(latest.values("code")[:1]))
    )
    students = (
        Student.objects.filter(memberships__in=group.memberships.filter(current_membership_q()))
        .distinct()
        .order_by("last_name", "first_name")
        .prefetch_related(Prefetch("behaviour_cases", queryset=cases, to_attr="open_cases"))
    )
    rows = []
    for student in students:
        case = student.open_cases[0] if student.open_cases else None
        position = None
        if case is not None and case.latest_code:
            position = next((p for p in positions(case) if p.code == case.latest_code), None)
        rows.append(
            {
                "student": student,
                "case": case,
                "step": case.get_step_display() if case else Step(Step.INCIDENT).label,
                "position": position.label if position else "",
            }
        )
    return rows


def consent_requests_for(access) -> list[EscalationRequest]:
    """Open requests for step 2 waiting for this staff member's role (GP-6, GP-7)."""
    from .services.ladder import ROLE_OF_WORD

    if access.school is None or access.staff is None:
        return []
    words = {word for word, role in ROLE_OF_WORD.items() if role in access.roles}
    if not words:
        return []
    requests = (
        EscalationRequest.objects.filter(case__school=access.school, state=EscalationRequest.State.OPEN)
        .select_related("case__student")
        .prefetch_related("consents")
    )
    result = []
    for request in requests:
        given = {c.role_word for c in request.consents.all()}
        if any(w in words and w not in given for w in request.required):
            result.append(request)
    return result
