"""The step-1 ladder (GP-3, GP-4, GP-6, GP-7) and the one way a case changes step (`advance_step`).

Positions come from the version the case started under: the warnings (GP-3), the small sanctions
(GP-3), then the out-of-class stages (GP-4). `propose_next_measure(case)` says the next one and the
rule requiring it; the teacher confirms it or records a reasoned deviation (`confirm_measure`). An
out-of-class stage records the host class and the work, and sends the parents' message with the
copies and the named people of the school's setting for that stage.

The step to step 2 (GP-6 serious, GP-7 structural) waits for the recorded consent of everyone the
setting `escalation_consent` names (always the director and the behaviour specialist):
`request_escalation` asks them (a deadline and a message each), `give_consent` records a decision,
and `advance_step` refuses step 2 until all agreed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from dossier.services.record import record
from protocols.exceptions import ProtocolViolation
from protocols.models import ProtocolVersion
from protocols.registry import BEHAVIOUR
from protocols.services import start_case_version
from schools import sql_shapes
from schools.actors import staff_member, user_of
from schools.models import Group, Role, SchoolYear, StaffMember, Student
from schools.selectors import current_group_facts

from ..models import BehaviourCase, Step
from ..models_incidents import Consent, EscalationRequest, Incident, Involvement, LadderMeasure, Part
from ..settings import RESTART_SCHOOL_YEAR, ROLE_WORDS, per_stage, role_words

OUT_OF_CLASS_TEMPLATE = "behaviour.out_of_class"
CONSENT_REQUEST_TEMPLATE = "behaviour.consent_request"
MEASURE_KIND = "measure"
STEP_KIND = "behaviour_step"
ESCALATION_RULES = ("GP-6", "GP-7")
# SV-1 (time-out "with immediate effect" after a serious incident), SV-2/GP-23 (suspension) and SV-3
# (expulsion) put the case on step 5 themselves: no GP-6/GP-7 consent round precedes them.
MEASURE_RULES = ("SV-1", "SV-2", "GP-23", "SV-3")
ROLE_OF_WORD = {
    "directeur": Role.DIRECTOR,
    "gedragsspecialist": Role.BEHAVIOUR_SPECIALIST,
    "ib-er": Role.CARE_COORDINATOR,
}


@dataclass(frozen=True)
class Position:
    code: str  # warning_1, small_sanction_1, stage_1, …
    label: str
    rule: str
    stage: int = 0  # 1..n for an out-of-class stage


@dataclass(frozen=True)
class Proposal:
    code: str  # a position code, or "step_2"
    label: str
    rule: str
    escalate: bool = False  # the next thing is step 2 (GP-6/GP-7): ask for consent


STEP_2 = "step_2"


def positions(case: BehaviourCase) -> list[Position]:
    """The ladder of this case's version, in order (GP-3, GP-4)."""
    result = []
    for n in range(1, case.setting("warnings") + 1):
        label = (
            _("eerste waarschuwing, gewenst gedrag benoemd")
            if n == 1
            else _("%(n)se waarschuwing, gewenst gedrag opnieuw benoemd") % {"n": n}
        )
        result.append(Position(f"warning_{n}", label, "GP-3"))
    sanctions = case.setting("small_sanctions")
    for n in range(1, case.setting("small_sanction_count") + 1):
        label = _("kleine sanctie (%(examples)s)") % {"examples": ", ".join(sanctions)}
        result.append(Position(f"small_sanction_{n}", label, "GP-3"))
    for n, stage in enumerate(case.setting("out_of_class_stages"), start=1):
        result.append(
            Position(
                f"stage_{n}", _("buiten de klas, stap %(n)s: %(stage)s") % {"n": n, "stage": stage}, "GP-4", n
            )
        )
    return result


def position_of(case: BehaviourCase) -> Position | None:
    """Where the student stands: the latest confirmed measure (None: nothing yet)."""
    latest = case.measures.order_by("-confirmed_at", "-pk").first()
    return position_at(positions(case), latest.code) if latest is not None else None


def position_at(ladder: list[Position], code: str) -> Position | None:
    """The ladder's position of a measure's code (None: not on this version's ladder)."""
    return next((p for p in ladder if p.code == code), None)


def _latest_actor_incident(case: BehaviourCase) -> Incident | None:
    involvement = (
        case.involvements.filter(part=Part.ACTOR)
        .select_related("incident")
        .order_by("-number", "-pk")
        .first()
    )
    return involvement.incident if involvement else None


def propose_next_measure(case: BehaviourCase) -> Proposal | None:
    """The next measure and the rule that requires it; None when the case is past step 1."""
    if case.step != Step.INCIDENT or not case.is_open:
        return None
    incident = _latest_actor_incident(case)
    return proposal_from(case, positions(case), position_of(case), incident is not None and incident.serious)


def proposal_from(
    case: BehaviourCase, ladder: list[Position], current: Position | None, latest_serious: bool
) -> Proposal | None:
    """The proposal from what a reader already has: the ladder, the position and whether the latest
    incident as actor was serious (the student's page reads them in its own queries, issue 13)."""
    if case.step != Step.INCIDENT or not case.is_open:
        return None
    index = ladder.index(current) + 1 if current else 0
    first_stage = next(i for i, p in enumerate(ladder) if p.stage == 1)
    if latest_serious and index < first_stage:
        # GP-3: "if the nature of the incident demands it" the out-of-class stages follow at once.
        position = ladder[first_stage]
        return Proposal(position.code, position.label, "GP-3")
    if index < len(ladder):
        position = ladder[index]
        return Proposal(position.code, position.label, position.rule)
    # GP-7: past the last stage the incidents are structural: step 2, with consent.
    return Proposal(
        STEP_2, _("stap 2, met instemming van de directeur en de gedragsspecialist"), "GP-7", True
    )


def _school_year_start(case: BehaviourCase, day: datetime.date) -> datetime.date | None:
    return (
        SchoolYear.objects.filter(school_id=case.school_id, start__lte=day, end__gte=day)
        .values_list("start", flat=True)
        .first()
    )


def _lock_student(student: Student) -> None:
    Student.objects.select_for_update().filter(pk=student.pk).first()


def _open_case(p):
    """The student's open case (at most one) with its count of incidents as actor."""
    actor_count = (
        Involvement.objects.filter(case=OuterRef("pk"), part=Part.ACTOR)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        BehaviourCase.objects.filter(student_id=p.student, closed_at__isnull=True)
        .select_related("protocol_version")
        .annotate(actor_involvements=Coalesce(Subquery(actor_count), Value(0), output_field=IntegerField()))
        .order_by("-opened_at", "pk")[:1]  # what .first() read: the model's ordering, one row
    )


def case_for(
    *,
    student: Student,
    actor=None,
    at: datetime.datetime | None = None,
    protocol: ProtocolVersion | None = None,
) -> BehaviourCase:
    """The student's open case, opened on the first incident as actor (GP-2); restarted per the
    setting `ladder_restart` (default each school year, GP-3). Call inside the student's lock.

    The case carries `actor_involvements`: how many incidents it holds with the student as actor
    (read with it, issue #13: the next incident's number)."""
    at = at or timezone.now()
    # Its SQL compiled once per process (issue #13: built and compiled on every registration before).
    case = next(
        iter(sql_shapes.queryset(("behaviour.open_case",), {"student": student.pk}, _open_case)), None
    )
    if (
        case is not None
        and case.step == Step.INCIDENT
        and case.setting("ladder_restart") == RESTART_SCHOOL_YEAR
    ):
        start = _school_year_start(case, timezone.localdate(at))
        if start is not None and timezone.localdate(case.opened_at) < start:
            case.closed_at = at
            case.close_reason = _("Nieuw schooljaar: de ladder begint opnieuw (GP-3).")
            case.row_version += 1
            case.save(update_fields=["closed_at", "close_reason", "row_version"])
            audit(actor=user_of(actor), action="behaviour.case.restarted", obj=case, student=student)
            case = None
    if case is None:
        case = BehaviourCase.objects.create(
            school=student.school,
            student=student,
            opened_by=staff_member(actor, student.school) if actor else None,
            # In force now (`protocol`: as the caller read it in this request).
            protocol_version=start_case_version(school=student.school, protocol=BEHAVIOUR, current=protocol),
        )
        case.actor_involvements = 0
        audit(actor=user_of(actor), action="behaviour.case.opened", obj=case, student=student)
    return case


def _staff_of_school(actor, school) -> StaffMember:
    staff = staff_member(actor, school)
    if staff is None or staff.school_id != school.pk or not staff.active:
        raise ProtocolViolation(rule="GP-2", message=_("Alleen een medewerker van deze school kan dit doen."))
    return staff


def _locked_case(case: BehaviourCase) -> BehaviourCase:
    locked = (
        BehaviourCase.objects.select_for_update()
        .select_related("protocol_version", "student__school")
        .get(pk=case.pk)
    )
    if locked.row_version != case.row_version:
        # Someone else changed the case since it was read: never overwrite silently.
        raise ProtocolViolation(
            rule="GP-3",
            message=_(
                "Iemand anders heeft de ladder van deze leerling intussen gewijzigd; bekijk hem opnieuw."
            ),
        )
    return locked


def _out_of_class_rule(case: BehaviourCase, stage: int, teacher: StaffMember) -> dict[str, list[str]]:
    """The recipients of stage `stage` from the case's version (GP-4)."""

    def tokens(lines: list[str]) -> list[str]:
        return [
            f"staff:{teacher.pk}" if ROLE_WORDS[w] == "teacher" else ROLE_WORDS[w]
            for w in per_stage(lines, stage)
        ]

    return {
        "to": ["guardians_with_authority"],
        "cc": tokens(case.setting("out_of_class_copies")),
        "named": tokens(case.setting("out_of_class_named")),
    }


def confirm_measure(
    *,
    actor,
    case: BehaviourCase,
    measure: str,
    deviation_reason: str = "",
    host_group: Group | None = None,
    work_given: str = "",
    incident: Incident | None = None,
) -> LadderMeasure:
    """Confirm the proposed measure, or another with a reason (GP-3, GP-4).

    `measure` is a position code of the case's ladder. An out-of-class stage needs `host_group`
    (another class than the student's own) and `work_given`; its message to the parents goes out
    with the copies and the named people the school set for that stage (GP-4).
    """
    staff = _staff_of_school(actor, case.school)
    deviation_reason = (deviation_reason or "").strip()
    work_given = (work_given or "").strip()
    with transaction.atomic():
        case = _locked_case(case)
        proposal = propose_next_measure(case)
        if proposal is None:
            raise ProtocolViolation(rule="GP-3", message=_("Deze leerling staat niet (meer) in stap 1."))
        position = next((p for p in positions(case) if p.code == measure), None)
        if position is None:
            raise ProtocolViolation(rule=proposal.rule, message=_("Kies een maatregel van de ladder."))
        if measure != proposal.code and not deviation_reason:
            raise ProtocolViolation(
                rule=proposal.rule,
                message=_("Je wijkt af van het voorstel (%(label)s); schrijf op waarom.")
                % {"label": proposal.label},
            )
        if position.stage:
            own_groups = {group_id for group_id, _d in current_group_facts(case.student)}
            if host_group is None or host_group.school_id != case.school_id or host_group.pk in own_groups:
                raise ProtocolViolation(
                    rule="GP-4", message=_("Kies een andere klas waar de leerling wordt opgevangen.")
                )
            if not work_given:
                raise ProtocolViolation(rule="GP-4", message=_("Schrijf op welk werk de leerling meekrijgt."))
        incident = incident or _latest_actor_incident(case)
        row = LadderMeasure.objects.create(
            case=case,
            incident=incident,
            code=position.code,
            label=position.label[:200],
            proposed_code=proposal.code,
            rule=position.rule,
            deviation_reason=deviation_reason,
            host_group=host_group if position.stage else None,
            work_given=work_given if position.stage else "",
            confirmed_by=staff,
        )
        case.row_version += 1
        case.save(update_fields=["row_version"])
        body = [position.label]
        if position.stage:
            body.append(
                _("Opgevangen in: %(group)s. Meegegeven werk: %(work)s")
                % {"group": host_group.name, "work": work_given}
            )
        if deviation_reason:
            body.append(
                _("Afwijking van het voorstel (%(label)s): %(reason)s")
                % {"label": proposal.label, "reason": deviation_reason}
            )
        record(
            student=case.student,
            kind=MEASURE_KIND,
            title=(_("Maatregel: %(label)s") % {"label": position.label})[:200],
            body="\n".join(body),
            actor=staff,
            source=case,
        )
        audit(actor=user_of(actor), action="behaviour.measure.confirmed", obj=row, school=case.school,
              student=case.student, data={"code": row.code, "proposed": proposal.code, "deviation": bool(deviation_reason)})  # fmt: skip
        if position.stage:
            _send_stage_message(
                actor=staff, case=case, position=position, host_group=host_group, work=work_given
            )
    return row


def _send_stage_message(
    *, actor: StaffMember, case: BehaviourCase, position: Position, host_group: Group, work: str
):

    from django.core.exceptions import ValidationError

    stages = case.setting("out_of_class_stages")
    try:
        _send(actor, case, position, host_group, work, stages)
    except ValidationError as error:
        # GP-4: the parents are informed; without an address the measure waits (nothing is written).
        raise ProtocolViolation(rule="GP-4", message=" ".join(error.messages)) from None


def _send(actor, case, position, host_group, work, stages):
    from messaging.services.messages import send_message

    send_message(
        actor=actor,
        student=case.student,
        template_code=OUT_OF_CLASS_TEMPLATE,
        recipients=_out_of_class_rule(case, position.stage, actor),
        context={
            "stage": position.stage,
            "stage_text": stages[position.stage - 1],
            "host_group": host_group.name,
            "work": work,
            "teacher": actor.full_name,
        },
        source=case,
    )


# ---------------------------------------------------------------------------------------- step 2


def _role_holders(case: BehaviourCase, word: str) -> list[StaffMember]:
    role = ROLE_OF_WORD.get(word)
    if role is None:
        return []
    return list(
        StaffMember.objects.filter(school_id=case.school_id, active=True, role_assignments__role=role)
        .distinct()
        .order_by("last_name", "pk")
    )


def request_escalation(*, actor, case: BehaviourCase, rule: str, reason: str) -> EscalationRequest:
    """Ask everyone whose consent step 2 needs (GP-6 serious incident, GP-7 structural): a deadline
    and a message each; the case stays in step 1 until all agreed."""
    from deadlines.services.deadlines import create_deadline
    from messaging.services.outbox import queue_staff_message

    staff = _staff_of_school(actor, case.school)
    reason = (reason or "").strip()
    if rule not in ESCALATION_RULES:
        raise ProtocolViolation(
            rule="GP-7",
            message=_("Stap 2 volgt na een ernstig incident (GP-6) of structureel gedrag (GP-7)."),
        )
    if not reason:
        raise ProtocolViolation(rule=rule, message=_("Schrijf op waarom deze leerling naar stap 2 moet."))
    with transaction.atomic():
        case = _locked_case(case)
        if case.step != Step.INCIDENT or not case.is_open:
            raise ProtocolViolation(rule=rule, message=_("Deze leerling staat niet (meer) in stap 1."))
        if case.escalations.filter(state=EscalationRequest.State.OPEN).exists():
            raise ProtocolViolation(
                rule=rule, message=_("Er loopt al een verzoek om stap 2 voor deze leerling.")
            )
        required = [w for line in case.setting("escalation_consent") for w in role_words(line)]
        request = EscalationRequest.objects.create(
            case=case, rule=rule, reason=reason, requested_by=staff, required=required
        )
        case.row_version += 1
        case.save(update_fields=["row_version"])
        url = reverse("behaviour_student", args=[case.student_id])
        for word in required:
            for holder in _role_holders(case, word):
                create_deadline(school=case.school, owner=holder, title=_("Instemming met stap 2 gedragsprotocol"), rule=rule,
                                school_days=case.setting("consent_school_days"), source=request, student=case.student,
                                url=url, actor=user_of(actor))  # fmt: skip
                queue_staff_message(
                    school=case.school,
                    staff=holder,
                    subject=_("Gevraagd: instemming met stap 2 (%(rule)s)") % {"rule": rule},
                    body=_(
                        "%(who)s vraagt je instemming om een leerling naar stap 2 van het gedragsprotocol te laten gaan. "
                        "Bekijk het verzoek in Leerlingzorg onder Mijn acties."
                    )
                    % {"who": staff.full_name},  # fmt: skip
                    idempotency_key=f"behaviour-consent-{request.pk}-{holder.pk}",
                    student=case.student,
                )
        record(student=case.student, kind=STEP_KIND, title=_("Stap 2 voorgesteld (%(rule)s)") % {"rule": rule},
               body=reason, actor=staff, source=case)  # fmt: skip
        audit(actor=user_of(actor), action="behaviour.escalation.requested", obj=request, school=case.school,
              student=case.student, data={"rule": rule, "required": required})  # fmt: skip
    return request


def consent_roles_of(actor_staff: StaffMember, request: EscalationRequest) -> list[str]:
    """The role words of `request` the staff member may decide for (their roles at the school)."""
    roles = set(actor_staff.role_assignments.values_list("role", flat=True))
    return [w for w in request.required if ROLE_OF_WORD.get(w) in roles]


def give_consent(
    *, actor, request: EscalationRequest, agreed: bool = True, note: str = "", role_word: str = ""
) -> Consent:
    """Record the decision of the director or the behaviour specialist (GP-6, GP-7).

    When every required role agreed the request is granted and the case moves to step 2 (`advance_step`).
    """
    from deadlines.services.deadlines import complete_deadline

    case = request.case
    staff = _staff_of_school(actor, case.school)
    mine = consent_roles_of(staff, request)
    if role_word:
        mine = [w for w in mine if w == role_word]
    with transaction.atomic():
        request = EscalationRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != EscalationRequest.State.OPEN:
            raise ProtocolViolation(rule=request.rule, message=_("Over dit verzoek is al besloten."))
        given = set(request.consents.values_list("role_word", flat=True))
        open_words = [w for w in mine if w not in given]
        if not open_words:
            raise ProtocolViolation(
                rule=request.rule, message=_("Je instemming is hier niet nodig of al gegeven.")
            )
        consent = Consent.objects.create(
            request=request, role_word=open_words[0], staff=staff, agreed=agreed, note=(note or "").strip()
        )
        given.add(open_words[0])
        if not agreed:
            request.state = EscalationRequest.State.REFUSED
        elif set(request.required) <= given and all(request.consents.values_list("agreed", flat=True)):
            request.state = EscalationRequest.State.GRANTED
        request.save(update_fields=["state"])
        for deadline in request_deadlines(request, staff):
            complete_deadline(deadline=deadline, actor=user_of(actor))
        audit(actor=user_of(actor), action="behaviour.escalation.consented" if agreed else "behaviour.escalation.refused",
              obj=request, school=case.school, student=case.student, data={"role": consent.role_word})  # fmt: skip
        record(student=case.student, kind=STEP_KIND,
               title=(_("Instemming met stap 2: %(role)s") if agreed else _("Geen instemming met stap 2: %(role)s")) % {"role": consent.role_word},
               body=consent.note, actor=staff, source=case)  # fmt: skip
        if request.state == EscalationRequest.State.GRANTED:
            # GP-6, GP-7: everyone required agreed: the case moves to step 2 now.
            advance_step(
                actor=actor,
                case=BehaviourCase.objects.get(pk=case.pk),
                to_step=Step.PERIODIC,
                rule=request.rule,
            )
    return consent


def request_deadlines(request: EscalationRequest, staff: StaffMember):
    from django.contrib.contenttypes.models import ContentType

    from deadlines.models import Deadline, DeadlineState

    return Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(EscalationRequest),
        source_id=str(request.pk),
        owner=staff,
        state=DeadlineState.OPEN,
    )


def advance_step(*, actor, case: BehaviourCase, to_step: int, rule: str) -> BehaviourCase:
    """Move `case` to `to_step` (1–5) for `rule`, writing the file entry and the audit row.

    The one way a case changes step; the steps 2–4 and the measures call it too. Leaving step 1
    (GP-6, GP-7) needs a granted `EscalationRequest` of the case: every required consent agreed;
    otherwise ProtocolViolation(rule="GP-6"/"GP-7"). Refuses a closed case and a step that is not
    one of `Step`. Returns the case as saved (row_version bumped).

    Step 5 for a measure (`MEASURE_RULES`: SV-1 time-out "with immediate effect", SV-2/GP-23 suspension,
    SV-3 expulsion) needs no consent: the director's measure is the decision; any other rule may not
    enter step 5 from step 1.
    """
    staff = _staff_of_school(actor, case.school)
    if to_step not in Step.values:
        raise ProtocolViolation(rule=rule, message=_("Onbekende stap."))
    with transaction.atomic():
        case = _locked_case(case)
        if not case.is_open:
            raise ProtocolViolation(rule=rule, message=_("Deze gedragszaak is gesloten."))
        if to_step == case.step:
            raise ProtocolViolation(rule=rule, message=_("De leerling staat al in deze stap."))
        measure = to_step == Step.MEASURES and rule in MEASURE_RULES  # SV-1, SV-2, GP-23, SV-3
        if to_step == Step.MEASURES and not measure:
            raise ProtocolViolation(
                rule="GP-23",
                message=_("Stap 5 begint met een maatregel (time-out, schorsing of verwijdering)."),
            )
        if case.step == Step.INCIDENT and to_step > Step.INCIDENT and not measure:
            gate = (
                "GP-6" if rule == "GP-6" else "GP-7"
            )  # GP-6, GP-7: with the consent of director and specialist
            granted = case.escalations.filter(state=EscalationRequest.State.GRANTED).order_by("-pk").first()
            if granted is None:
                raise ProtocolViolation(
                    rule=gate,
                    message=_(
                        "Stap 2 kan pas als de directeur en de gedragsspecialist hebben ingestemd (%(rule)s)."
                    )
                    % {"rule": gate},
                )
            granted.state = EscalationRequest.State.DONE
            granted.save(update_fields=["state"])
        before = case.step
        case.step = to_step
        case.row_version += 1
        case.save(update_fields=["step", "row_version"])
        record(student=case.student, kind=STEP_KIND, title=_("Naar %(step)s (%(rule)s)") % {"step": case.get_step_display(), "rule": rule},
               actor=staff, source=case)  # fmt: skip
        audit(actor=user_of(actor), action="behaviour.case.step_changed", obj=case, school=case.school,
              student=case.student, data={"from": before, "to": to_step, "rule": rule})  # fmt: skip
    return case
