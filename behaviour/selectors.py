"""Reads of the incidents and the ladder: school-scoped, a fixed number of queries whatever the history."""

from __future__ import annotations

from django.db.models import FilteredRelation, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from protocols.models import ProtocolVersion
from protocols.registry import BEHAVIOUR
from schools import sql_shapes
from schools.json_rows import moment_of, rows_of
from schools.models import Group, StaffMember, Student
from schools.selectors import current_membership_q

from .models import BehaviourCase, Step
from .models_incidents import Consent, EscalationRequest, Involvement, LadderMeasure, Part
from .services.ladder import position_at, positions, proposal_from

RECENT_INCIDENTS = 10


def open_case_of(student: Student) -> BehaviourCase | None:
    return (
        BehaviourCase.objects.filter(student=student, closed_at__isnull=True)
        .select_related("protocol_version", "student__school")
        .first()
    )


def behaviour_student_queryset() -> QuerySet[Student]:
    """The student for their behaviour page with everything the page shows about the open case in the
    SAME query (issue 13: at most 12 queries, the same whatever the history): the case and its version
    (one open case per student, a constraint), whether the latest incident as actor was serious (GP-3),
    the open or granted step-2 request with its consents (GP-6, GP-7) and the behaviour settings in
    force (the victims' aftercare)."""

    def open_escalation(student_pk):
        return EscalationRequest.objects.filter(
            case__student=student_pk,
            case__closed_at__isnull=True,
            state__in=[EscalationRequest.State.OPEN, EscalationRequest.State.GRANTED],
        ).order_by("-requested_at", "-pk")

    open_case = Q(case__student=OuterRef("pk"), case__closed_at__isnull=True)
    escalation = open_escalation(OuterRef("pk"))
    latest_actor = Involvement.objects.filter(open_case, part=Part.ACTOR).order_by("-number", "-pk")
    consents = rows_of(
        Consent.objects.filter(request_id=Subquery(open_escalation(OuterRef(OuterRef("pk"))).values("pk")[:1])),
        "request_id", id="id", word="role_word", agreed="agreed", at="given_at",
        first="staff__first_name", prefix="staff__name_prefix", last="staff__last_name",
    )  # fmt: skip
    settings = ProtocolVersion.objects.filter(
        school_id=OuterRef("school_id"), protocol=BEHAVIOUR, effective_from__lte=timezone.now()
    ).order_by("-effective_from", "-number")
    return (
        Student.objects.select_related("school")
        .annotate(open_case=FilteredRelation("behaviour_cases", condition=Q(behaviour_cases__closed_at__isnull=True)))
        .select_related("open_case__protocol_version")
        .annotate(
            latest_actor_serious=Subquery(latest_actor.values("incident__serious")[:1]),
            behaviour_values=Subquery(settings.values("values")[:1], output_field=JSONField()),
            **{f"esc_{name}": Subquery(escalation.values(name)[:1])
               for name in ("id", "rule", "reason", "state", "requested_at")},
            consent_rows=consents,
        )
    )  # fmt: skip


def _escalation_of(student: Student, case: BehaviourCase) -> tuple[EscalationRequest | None, list[Consent]]:
    if student.esc_id is None:
        return None, []
    escalation = EscalationRequest(
        id=student.esc_id, case=case, rule=student.esc_rule, reason=student.esc_reason,
        state=student.esc_state, requested_at=student.esc_requested_at,
    )  # fmt: skip
    consents = [
        Consent(
            id=row["id"],
            request=escalation,
            role_word=row["word"],
            agreed=bool(row["agreed"]),
            given_at=moment_of(row["at"]),
            staff=StaffMember(
                first_name=row["first"] or "", name_prefix=row["prefix"] or "", last_name=row["last"] or ""
            ),
        )  # fmt: skip
        for row in sorted(student.consent_rows or [], key=lambda row: row["id"])
    ]
    return escalation, consents


def student_behaviour(student: Student) -> dict:
    """The student's behaviour page: step, position, proposal, recent incidents, consent, aftercare.

    Three queries besides the student's own whatever the history (issue 13): the student comes with
    the case, the step-2 request and the settings (behaviour_student_queryset); then the recent
    involvements and the recent measures (the latest gives the position)."""
    if not hasattr(student, "consent_rows"):  # not read with behaviour_student_queryset()
        student = behaviour_student_queryset().get(pk=student.pk)
    case = getattr(student, "open_case", None)  # not set when there is no open case
    escalation, consents = None, []
    if case is not None:
        case.student = student
        escalation, consents = _escalation_of(student, case)
    involvements = list(
        Involvement.objects.filter(student=student)
        .select_related("incident", "incident__reported_by")
        .order_by("-incident__happened_at", "-pk")[:RECENT_INCIDENTS]
    )
    measures: list[LadderMeasure] = []
    ladder, position, proposal = [], None, None
    if case is not None:
        measures = list(
            case.measures.select_related("host_group", "confirmed_by").order_by("-confirmed_at", "-pk")[:10]
        )
        ladder = positions(case)
        if measures:
            position = position_at(ladder, measures[0].code)
        proposal = proposal_from(case, ladder, position, bool(student.latest_actor_serious))
    aftercare = [i for i in involvements if i.part == Part.VICTIM]
    settings = ProtocolVersion(protocol=BEHAVIOUR, values=student.behaviour_values or {})
    return {
        "case": case,
        "ladder": ladder,
        "position": position,
        "proposal": proposal,
        "measures": measures,
        "involvements": involvements,
        "escalation": escalation,
        "consents": consents,
        "aftercare": aftercare,
        "aftercare_items": settings.value("victim_aftercare") if aftercare else [],
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


def _open_requests(p) -> QuerySet[EscalationRequest]:
    return EscalationRequest.objects.filter(
        case__school_id=p.school, state=EscalationRequest.State.OPEN
    ).select_related("case__student")


def _open_consents(p) -> QuerySet[Consent]:
    """The consents of _open_requests(p) (what its prefetch_related("consents") read)."""
    return Consent.objects.filter(
        request__case__school_id=p.school, request__state=EscalationRequest.State.OPEN
    ).values_list("request_id", "role_word")


def consent_requests_for(access) -> list[EscalationRequest]:
    """Open requests for step 2 waiting for this staff member's role (GP-6, GP-7)."""
    from .services.ladder import ROLE_OF_WORD

    if access.school is None or access.staff is None:
        return []
    words = {word for word, role in ROLE_OF_WORD.items() if role in access.roles}
    if not words:
        return []
    # Issue #13: both reads (the requests, their consents: what prefetch_related read) compiled once
    # per shape (schools.sql_shapes), the school bound.
    values = {"school": access.school.pk}
    requests = list(sql_shapes.queryset(("behaviour.home_consent_requests",), values, _open_requests))
    given: dict[int, set[str]] = {}
    if requests:
        for request_id, word in sql_shapes.fetch(("behaviour.home_consents",), values, _open_consents):
            given.setdefault(request_id, set()).add(word)
    result = []
    for request in requests:
        done = given.get(request.pk, set())
        if any(w in words and w not in done for w in request.required):
            result.append(request)
    return result
