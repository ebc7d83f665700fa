"""Step 2 of het gedragsprotocol (GP-8 – GP-12): the talk, the behaviour plan, feedback, evaluation.

`hold_step2_talk(...)` records the talk with its `BehaviourPlan`, makes the plan a document the parents
sign, hangs the feedback reminders (at the agreed frequency) and the final evaluation (the case's
version: 2 months by default, GP-10) on it and informs the ib-er. `record_parent_feedback(...)` files
each feedback; `evaluate_plan(...)` closes the plan, and a plan that did not work moves the case to
step 3, decided with the director and the ib-er (GP-12).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import Deadline, DeadlineState, TermUnit
from deadlines.services.deadline_schedules import (
    Step,
    cancel_schedule,
    create_schedule,
    schedules_for,
    step_due_on,
)
from deadlines.services.deadlines import complete_deadline
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from messaging.services.messages import compose_letter
from messaging.services.outbox import queue_staff_message
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Role, StaffMember
from signatures.models import DocumentKind
from signatures.services.signatures import signable_letter

from ..models import BehaviourCase
from ..models import Step as LadderStep
from ..models_plans import BehaviourPlan, Feedback, PlanState
from ..plan_settings import STEP2_EVALUATION
from .ladder import advance_step

FEEDBACK_KIND = "gp_feedback"
PLAN_LETTER = "behaviour.step2.plan"
REQUIRED_STEP2 = ("student", "teacher", "parents")  # GP-8
OPTIONAL_PARTICIPANTS = ("director", "care_coordinator", "behaviour_specialist")
PARTICIPANT_LABELS = {
    "student": "de leerling",
    "teacher": "de leerkracht",
    "parents": "de ouders",
    "director": "de directeur",
    "care_coordinator": "de intern begeleider",
    "behaviour_specialist": "de gedragsspecialist",
}


def participant_labels() -> dict[str, str]:
    return {code: _(label) for code, label in PARTICIPANT_LABELS.items()}


def require_open_at(case: BehaviourCase, step: int, rule: str) -> None:
    if not case.is_open:
        raise ProtocolViolation(rule=rule, message=_("Deze gedragszaak is gesloten."))
    if case.step != step:
        raise ProtocolViolation(
            rule=rule,
            message=_("Deze stap hoort bij %(need)s; de leerling staat op %(now)s.")
            % {"need": LadderStep(step).label, "now": LadderStep(case.step).label},
        )


def check_participants(participants: Sequence[str], required: Sequence[str], rule: str) -> list[str]:
    chosen = [p for p in participants if p in PARTICIPANT_LABELS]
    missing = [participant_labels()[p] for p in required if p not in chosen]
    if missing:
        raise ValidationError(
            _("Bij dit gesprek zijn ook aanwezig (%(rule)s): %(who)s.")
            % {"rule": rule, "who": ", ".join(missing)}
        )
    return chosen


def staff_with_role(school, role: str) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(school=school, active=True, role_assignments__role=role)
        .distinct()
        .order_by("pk")
    )


def inform_staff(*, school, staff: Sequence[StaffMember], student, subject: str, body: str, key: str) -> None:
    """A notice to each staff member (no file entry; the file has the entry of the step itself)."""
    for member in staff:
        queue_staff_message(
            school=school, staff=member, student=student, subject=subject, body=body,
            idempotency_key=f"{key}:{member.pk}",
        )  # fmt: skip


def _feedback_steps(frequency: str, weeks: int, owner: StaffMember) -> list[Step]:
    """One reminder per agreed feedback moment until the evaluation (GP-9)."""
    title = _("Terugkoppeling aan de ouders (gedragsplan)")
    if frequency == Feedback.DAILY:
        offsets, unit = range(1, weeks * 5), TermUnit.SCHOOL_DAYS
    else:
        every = 2 if frequency == Feedback.BIWEEKLY else 1
        offsets, unit = range(every, weeks, every), TermUnit.WEEKS
    return [Step(f"feedback-{n}", n, unit, title, owner, rule="GP-9") for n in offsets]


def hold_step2_talk(
    *,
    actor,
    case: BehaviourCase,
    talk_on: datetime.date,
    participants: Sequence[str],
    desired_behaviour: str,
    reward: str = "",
    sanction: str = "",
    consequences: Sequence[str] = (),
    feedback_frequency: str,
    feedback_channel: str,
    teacher: StaffMember,
    text_warnings: Sequence[str] = (),
) -> BehaviourPlan:
    """GP-8: the talk and its plan; the parents sign it; reminders at the agreed frequency (GP-9);
    the ib-er is informed (GP-9); the final evaluation after the case version's term (GP-10)."""
    require_open_at(case, LadderStep.PERIODIC, "GP-8")
    desired_behaviour = clean_text(desired_behaviour).strip()
    if not desired_behaviour:  # GP-8
        raise ValidationError(_("Beschrijf het gewenste gedrag: daar gaat het plan over (GP-8)."))
    chosen = check_participants(participants, REQUIRED_STEP2, "GP-8")
    if feedback_frequency not in Feedback.values:
        raise ValidationError(_("Kies hoe vaak de leerkracht terugkoppelt aan de ouders (GP-8)."))
    channels = case.setting("step2_feedback_channels")
    if feedback_channel not in channels:
        raise ValidationError(_("Kies een manier van terugkoppelen uit de lijst van de school (GP-8)."))
    allowed = case.setting("step2_consequences")
    if any(c not in allowed for c in consequences):  # GP-11
        raise ValidationError(_("Kies consequenties uit de lijst van de school (GP-11)."))
    if teacher.school_id != case.school_id:
        raise ValidationError(_("De leerkracht werkt op een andere school."))
    if case.plans.filter(state=PlanState.ACTIVE).exists():
        raise ValidationError(_("Er loopt al een gedragsplan; evalueer dat eerst (GP-10)."))
    school, student = case.school, case.student
    weeks = case.setting(STEP2_EVALUATION)  # GP-10: from the case's version, never a constant
    with transaction.atomic():
        plan = BehaviourPlan.objects.create(
            school=school, case=case, student=student, talk_on=talk_on,
            participants=", ".join(participant_labels()[p] for p in chosen),
            desired_behaviour=desired_behaviour, reward=clean_text(reward).strip(),
            sanction=clean_text(sanction).strip(), consequences=list(consequences),
            feedback_frequency=feedback_frequency, feedback_channel=feedback_channel, teacher=teacher,
            evaluation_due=step_due_on(school=school, anchor_date=talk_on, offset=weeks, unit=TermUnit.WEEKS),
        )  # fmt: skip
        record(
            student=student, kind=EntryKind.AGREEMENT, title=_("Gedragsplan (stap 2)"), actor=actor,
            body=plan_text(plan), source=plan, text_warnings=text_warnings,
            occurred_at=timezone.make_aware(datetime.datetime.combine(talk_on, datetime.time(12))),
        )  # fmt: skip
        letter = compose_letter(actor=actor, student=student, template_code=PLAN_LETTER, source=plan,
                                context=plan_context(plan))  # fmt: skip
        plan.document = signable_letter(actor=actor, letter=letter, title=_("Gedragsplan (stap 2)"),
                                        kind=DocumentKind.PLAN, source=plan)  # fmt: skip
        plan.save(update_fields=["document"])
        steps = _feedback_steps(feedback_frequency, weeks, teacher)
        steps.append(
            Step("evaluation", weeks, TermUnit.WEEKS, _("Eindevaluatie gedragsplan"), teacher, rule="GP-10")
        )
        create_schedule(anchor_object=plan, anchor_date=talk_on, steps=steps, actor=actor, student=student,
                        code="behaviour.step2")  # fmt: skip
        inform_staff(  # GP-9: the ib-er is informed
            school=school,
            staff=staff_with_role(school, Role.CARE_COORDINATOR),
            student=student,
            subject=_("Nieuw gedragsplan (stap 2)"),
            body=_(
                "Er is een gedragsplan (stap 2) afgesproken voor een leerling. Bekijk het in Leerlingzorg."
            ),
            key=f"behaviour.plan:{plan.pk}",
        )
        audit(actor=user_of(actor), action="behaviour.plan.created", obj=plan, student=student,
              data={"weeks": weeks, "frequency": feedback_frequency, "rule": "GP-8"})  # fmt: skip
    return plan


def plan_text(plan: BehaviourPlan) -> str:
    lines = [
        _("Aanwezig: %(who)s") % {"who": plan.participants},
        _("Gewenst gedrag: %(text)s") % {"text": plan.desired_behaviour},
    ]
    if plan.reward:
        lines.append(_("Beloning: %(text)s") % {"text": plan.reward})
    if plan.sanction:
        lines.append(_("Sanctie: %(text)s") % {"text": plan.sanction})
    if plan.consequences:
        lines.append(_("Consequenties: %(text)s") % {"text": "; ".join(plan.consequences)})
    lines.append(
        _("Terugkoppeling aan de ouders: %(freq)s, via %(channel)s")
        % {"freq": plan.get_feedback_frequency_display(), "channel": plan.feedback_channel}
    )
    return "\n".join(lines)


def plan_context(plan: BehaviourPlan) -> dict:
    return {
        "plan": {
            "talk_on": plan.talk_on,
            "participants": plan.participants,
            "desired_behaviour": plan.desired_behaviour,
            "reward": plan.reward or "—",
            "sanction": plan.sanction or "—",
            "consequences": "; ".join(plan.consequences) or "—",
            "feedback": str(plan.get_feedback_frequency_display()),
            "channel": plan.feedback_channel,
            "evaluation_due": plan.evaluation_due,
        }
    }


def _next_open(source, prefix: str) -> Deadline | None:
    schedule = schedules_for(source).first()
    if schedule is None:
        return None
    return (
        Deadline.objects.filter(schedule=schedule, state=DeadlineState.OPEN, step_code__startswith=prefix)
        .order_by("due_on", "pk")
        .first()
    )


def record_parent_feedback(
    *,
    actor,
    plan: BehaviourPlan,
    given_on: datetime.date,
    summary: str,
    channel: str = "",
    text_warnings: Sequence[str] = (),
) -> None:
    """GP-9: the teacher's feedback to the parents goes into the file; the next reminder is done."""
    if plan.state != PlanState.ACTIVE:
        raise ProtocolViolation(rule="GP-9", message=_("Dit gedragsplan is al geëvalueerd."))
    summary = clean_text(summary).strip()
    if not summary:
        raise ValidationError(_("Schrijf kort wat je aan de ouders hebt teruggekoppeld (GP-9)."))
    if given_on > timezone.localdate():
        raise ValidationError(_("Een terugkoppeling ligt niet in de toekomst."))
    with transaction.atomic():
        entry = record(
            student=plan.student, kind=FEEDBACK_KIND, actor=actor, body=summary, source=plan,
            title=_("Terugkoppeling aan ouders via %(channel)s") % {"channel": channel or plan.feedback_channel},
            occurred_at=timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12))),
            text_warnings=text_warnings,
        )  # fmt: skip
        deadline = _next_open(plan, "feedback-")
        if deadline is not None:
            complete_deadline(deadline=deadline, actor=actor)
        audit(actor=user_of(actor), action="behaviour.plan.feedback_recorded", obj=plan, student=plan.student,
              data={"entry": entry.pk, "rule": "GP-9"})  # fmt: skip


def _has_role(staff: StaffMember, role: str) -> bool:
    return staff.role_assignments.filter(role=role).exists()


def evaluate_plan(
    *,
    actor,
    plan: BehaviourPlan,
    effective: bool,
    notes: str,
    director: StaffMember | None = None,
    care_coordinator: StaffMember | None = None,
    text_warnings: Sequence[str] = (),
) -> BehaviourPlan:
    """GP-10: the final evaluation, not before its date. Not effective → step 3, decided with the
    director and the ib-er (GP-12): both must be named, each holding that role."""
    if plan.state != PlanState.ACTIVE:
        raise ProtocolViolation(rule="GP-10", message=_("Dit gedragsplan is al geëvalueerd."))
    notes = clean_text(notes).strip()
    if not notes:
        raise ValidationError(_("Schrijf de uitkomst van de evaluatie op (GP-10)."))
    today = timezone.localdate()
    if today < plan.evaluation_due:  # GP-10
        raise ProtocolViolation(
            rule="GP-10",
            message=_("De eindevaluatie van het gedragsplan is op of na %(date)s.")
            % {"date": plan.evaluation_due},
        )
    if not effective:  # GP-12
        if director is None or care_coordinator is None:
            raise ProtocolViolation(
                rule="GP-12",
                message=_("Naar stap 3 gaat alleen samen met de directeur en de intern begeleider (GP-12)."),
            )
        if not _has_role(director, Role.DIRECTOR) or not _has_role(care_coordinator, Role.CARE_COORDINATOR):
            raise ProtocolViolation(
                rule="GP-12",
                message=_("Kies een directeur en een intern begeleider van de school (GP-12)."),
            )
    case = plan.case
    with transaction.atomic():
        plan.state = PlanState.EFFECTIVE if effective else PlanState.NOT_EFFECTIVE
        plan.evaluated_at, plan.evaluation = timezone.now(), notes
        plan.save(update_fields=["state", "evaluated_at", "evaluation"])
        outcome = _("effectief") if effective else _("niet effectief")
        body = notes
        if not effective:
            body += "\n" + _(
                "Besloten met %(director)s (directeur) en %(ib)s (intern begeleider): door naar stap 3."
            ) % {
                "director": director.full_name,
                "ib": care_coordinator.full_name,
            }
        record(student=plan.student, kind=EntryKind.EVALUATION, actor=actor, source=plan, body=body,
               title=_("Eindevaluatie gedragsplan: %(outcome)s") % {"outcome": outcome},
               text_warnings=text_warnings)  # fmt: skip
        evaluation = _next_open(plan, "evaluation")
        if evaluation is not None:
            complete_deadline(deadline=evaluation, actor=actor)
        for schedule in schedules_for(plan):
            cancel_schedule(schedule=schedule, actor=actor, reason=_("Gedragsplan geëvalueerd"))
        if not effective:
            plan.case = advance_step(actor=actor, case=case, to_step=LadderStep.STRUCTURAL, rule="GP-12")
        audit(actor=user_of(actor), action="behaviour.plan.evaluated", obj=plan, student=plan.student,
              data={"effective": effective, "rule": "GP-12" if not effective else "GP-10"})  # fmt: skip
    return plan


def active_plan(case: BehaviourCase) -> BehaviourPlan | None:
    return case.plans.filter(state=PlanState.ACTIVE).select_related("document").first()


def actor_staff(actor, school) -> StaffMember | None:
    return staff_member(actor, school)


__all__ = [
    "FEEDBACK_KIND",
    "PLAN_LETTER",
    "Visibility",
    "active_plan",
    "evaluate_plan",
    "hold_step2_talk",
    "record_parent_feedback",
]
