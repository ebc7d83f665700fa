"""Step 3 of het gedragsprotocol (GP-13 – GP-19): structural.

The directie invites the parents (a letter with the case as source, GP-13); the talk sets the
agreements and the measure, time-out under the director's care with its frequency, length and
deputies (GP-17) and, as guidance, staying after school (GP-19); a weekly progress talk with the
behaviour specialist or ib-er is reminded and recorded (GP-15); the evaluation after six weeks
(GP-16, the case's version); when parents will not cooperate the ib-er records contact with an
external agency (GP-18). The teacher's logbook is the file's logbook (GP-14, `logbook_of`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import TermUnit
from deadlines.services.deadline_schedules import (
    Step,
    cancel_schedule,
    create_schedule,
    schedules_for,
    step_due_on,
)
from deadlines.services.deadlines import complete_deadline
from dossier.models import EntryKind, LogEntry, Visibility
from dossier.services.record import record
from messaging.services.messages import send_letter
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Role, StaffMember

from ..models import BehaviourCase
from ..models import Step as LadderStep
from ..models_plans import PlanState, Step3Plan
from ..plan_settings import STEP3_EVALUATION
from .ladder import advance_step
from .plans import (
    _next_open,
    check_participants,
    participant_labels,
    require_open_at,
    staff_with_role,
)

INVITATION_LETTER = "behaviour.step3.invitation"
REQUIRED_STEP3 = ("student", "teacher", "parents", "director")  # GP-13, plus the specialist or ib-er
TIMEOUT_MAX_PER_WEEK = 5
TIMEOUT_MAX_MINUTES = 240


def after_school_preset(case: BehaviourCase) -> str:
    """GP-19 as guidance: two weeks, half an hour, from 14:45 (the case's version)."""
    return _(
        "%(weeks)s weken lang blijft de leerling na schooltijd %(minutes)s minuten na, vanaf %(time)s uur (GP-19)."
    ) % {
        "weeks": case.setting("step3_after_school_weeks"),
        "minutes": case.setting("step3_after_school_minutes"),
        "time": case.setting("step3_after_school_from"),
    }


def open_step3_plan(case: BehaviourCase) -> Step3Plan | None:
    return case.step3_plans.filter(state=PlanState.ACTIVE).first()


def invite_step3_parents(*, actor, case: BehaviourCase) -> Step3Plan:
    """GP-13: the directie invites the parents as soon as possible (a letter from the case)."""
    require_open_at(case, LadderStep.STRUCTURAL, "GP-13")
    if open_step3_plan(case) is not None:
        raise ValidationError(_("De ouders zijn al uitgenodigd voor het gesprek van stap 3."))
    with transaction.atomic():
        letter = send_letter(actor=actor, student=case.student, template_code=INVITATION_LETTER, source=case)
        plan = Step3Plan.objects.create(
            school=case.school, case=case, student=case.student, invitation=letter
        )
        audit(actor=user_of(actor), action="behaviour.step3.invited", obj=plan, student=case.student,
              data={"letter": letter.pk, "rule": "GP-13"})  # fmt: skip
    return plan


def hold_step3_talk(
    *,
    actor,
    plan: Step3Plan,
    talk_on: datetime.date,
    participants: Sequence[str],
    agreements: str,
    measure: str,
    timeout_allowed: bool = False,
    timeout_per_week: int | None = None,
    timeout_minutes: int | None = None,
    deputies: Sequence[StaffMember] = (),
    serious: bool = False,
    after_school: bool = False,
    progress_owner: StaffMember,
    text_warnings: Sequence[str] = (),
) -> Step3Plan:
    """GP-13 the talk's agreements and measure; GP-17 time-out under the director's care; GP-19
    preset; GP-15 weekly progress talks and GP-16 the evaluation, reminded through a schedule."""
    case = plan.case
    require_open_at(case, LadderStep.STRUCTURAL, "GP-13")
    if plan.talk_on is not None:
        raise ValidationError(_("Het gesprek van stap 3 is al vastgelegd."))
    chosen = check_participants(participants, REQUIRED_STEP3, "GP-13")
    if not {"behaviour_specialist", "care_coordinator"} & set(chosen):
        raise ValidationError(
            _("Bij dit gesprek is ook de gedragsspecialist of de intern begeleider (GP-13).")
        )
    agreements, measure = clean_text(agreements).strip(), clean_text(measure).strip()
    if not agreements or not measure:
        raise ValidationError(_("Leg de afspraken over gewenst gedrag én de maatregel vast (GP-13)."))
    deputies = list(deputies)
    if timeout_allowed:  # GP-17
        if not timeout_per_week or not timeout_minutes:
            raise ValidationError(_("Zeg hoe vaak en hoe lang een time-out bij de directeur mag (GP-17)."))
        if (
            not 1 <= timeout_per_week <= TIMEOUT_MAX_PER_WEEK
            or not 5 <= timeout_minutes <= TIMEOUT_MAX_MINUTES
        ):
            raise ValidationError(
                _("Een time-out: ten hoogste 5 keer per week en 5 tot 240 minuten (GP-17).")
            )
        if not deputies:
            raise ValidationError(
                _("Wijs ten minste één vervanger aan voor als de directeur er niet is (GP-17).")
            )
    else:
        timeout_per_week = timeout_minutes = None
        deputies = []
    if any(d.school_id != case.school_id for d in deputies) or progress_owner.school_id != case.school_id:
        raise ValidationError(_("Kies medewerkers van deze school."))
    if after_school:  # GP-19
        measure = f"{measure}\n{after_school_preset(case)}"
    weeks = case.setting(STEP3_EVALUATION)  # GP-16: from the case's version
    school, student = case.school, case.student
    with transaction.atomic():
        plan.talk_on, plan.agreements, plan.measure = talk_on, agreements, measure
        plan.participants = ", ".join(participant_labels()[p] for p in chosen)
        plan.timeout_allowed, plan.timeout_per_week, plan.timeout_minutes = (
            timeout_allowed,
            timeout_per_week,
            timeout_minutes,
        )
        plan.serious, plan.after_school = serious, after_school
        plan.evaluation_due = step_due_on(
            school=school, anchor_date=talk_on, offset=weeks, unit=TermUnit.WEEKS
        )
        plan.save()
        plan.deputies.set(deputies)
        record(student=student, kind=EntryKind.AGREEMENT, title=_("Afspraken stap 3"), actor=actor, source=plan,
               body=step3_text(plan, deputies), text_warnings=text_warnings,
               occurred_at=timezone.make_aware(datetime.datetime.combine(talk_on, datetime.time(12))))  # fmt: skip
        steps = [
            Step(
                f"progress-{n}",
                n,
                TermUnit.WEEKS,
                _("Voortgangsgesprek gedrag (stap 3)"),
                progress_owner,
                rule="GP-15",
            )
            for n in range(1, weeks)
        ]
        steps.append(
            Step("evaluation", weeks, TermUnit.WEEKS, _("Evaluatie stap 3"), progress_owner, rule="GP-16")
        )
        create_schedule(anchor_object=plan, anchor_date=talk_on, steps=steps, actor=actor, student=student,
                        code="behaviour.step3")  # fmt: skip
        audit(actor=user_of(actor), action="behaviour.step3.talk_held", obj=plan, student=student,
              data={"weeks": weeks, "timeout": timeout_allowed, "after_school": after_school, "rule": "GP-13"})  # fmt: skip
    return plan


def step3_text(plan: Step3Plan, deputies: Sequence[StaffMember]) -> str:
    lines = [
        _("Aanwezig: %(who)s") % {"who": plan.participants},
        _("Afspraken: %(text)s") % {"text": plan.agreements},
        _("Maatregel: %(text)s") % {"text": plan.measure},
    ]
    if plan.timeout_allowed:
        lines.append(
            _(
                "Time-out bij de directeur: ten hoogste %(n)s keer per week, %(min)s minuten; vervangers: %(who)s (GP-17)."
            )
            % {
                "n": plan.timeout_per_week,
                "min": plan.timeout_minutes,
                "who": ", ".join(d.full_name for d in deputies),
            }
        )
    else:
        lines.append(_("Geen time-out bij de directeur afgesproken (GP-17)."))
    return "\n".join(lines)


def record_progress_talk(
    *,
    actor,
    plan: Step3Plan,
    held_on: datetime.date,
    summary: str,
    director_present: bool = False,
    feedback_given: bool = True,
    text_warnings: Sequence[str] = (),
) -> None:
    """GP-15: the weekly progress talk with the behaviour specialist or ib-er, then feedback to all
    parties; the director joins when the case is serious."""
    if plan.talk_on is None or plan.state != PlanState.ACTIVE:
        raise ProtocolViolation(rule="GP-15", message=_("Leg eerst het gesprek van stap 3 vast."))
    staff = staff_member(actor, plan.school_id)
    if (
        staff is None
        or not staff.role_assignments.filter(
            role__in=[Role.BEHAVIOUR_SPECIALIST, Role.CARE_COORDINATOR]
        ).exists()
    ):
        raise ProtocolViolation(
            rule="GP-15",
            message=_("Het voortgangsgesprek voert de gedragsspecialist of de intern begeleider (GP-15)."),
        )
    if plan.serious and not director_present:
        raise ProtocolViolation(
            rule="GP-15", message=_("Bij een ernstig geval schuift de directeur aan (GP-15).")
        )
    summary = clean_text(summary).strip()
    if not summary:
        raise ValidationError(_("Schrijf kort op wat het voortgangsgesprek opleverde (GP-15)."))
    if held_on > timezone.localdate():
        raise ValidationError(_("Een gesprek dat nog moet komen leg je later vast."))
    body = (
        summary
        + "\n"
        + (_("Teruggekoppeld aan alle betrokkenen.") if feedback_given else _("Nog niet teruggekoppeld."))
    )
    with transaction.atomic():
        record(student=plan.student, kind=EntryKind.TALK, title=_("Voortgangsgesprek stap 3"), actor=actor,
               source=plan, body=body, text_warnings=text_warnings,
               occurred_at=timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(12))))  # fmt: skip
        deadline = _next_open(plan, "progress-")
        if deadline is not None:
            complete_deadline(deadline=deadline, actor=actor)
        audit(actor=user_of(actor), action="behaviour.step3.progress_recorded", obj=plan, student=plan.student,
              data={"director": director_present, "rule": "GP-15"})  # fmt: skip


def record_external_contact(
    *, actor, plan: Step3Plan, agency: str, parents_position: str, summary: str
) -> None:
    """GP-18: the parents reject the advice; the ib-er records contact with an external agency."""
    staff = staff_member(actor, plan.school_id)
    if staff is None or not staff.role_assignments.filter(role=Role.CARE_COORDINATOR).exists():
        raise ProtocolViolation(
            rule="GP-18",
            message=_("Contact met een externe instantie legt de intern begeleider vast (GP-18)."),
        )
    agency, parents_position, summary = (clean_text(v).strip() for v in (agency, parents_position, summary))
    if not agency or not parents_position or not summary:
        raise ValidationError(_("Vul de instantie, de opstelling van de ouders en het contact in (GP-18)."))
    with transaction.atomic():
        record(student=plan.student, kind=EntryKind.REFERRAL, actor=actor, source=plan,
               visibility=Visibility.CARE_TEAM,
               title=_("Contact met externe instantie: %(agency)s") % {"agency": agency},
               body=_("Opstelling van de ouders: %(pos)s\n%(summary)s") % {"pos": parents_position, "summary": summary})  # fmt: skip
        audit(actor=user_of(actor), action="behaviour.step3.external_contact", obj=plan, student=plan.student,
              data={"rule": "GP-18"})  # fmt: skip


def evaluate_step3(
    *, actor, plan: Step3Plan, final: bool, effective: bool, notes: str, text_warnings: Sequence[str] = ()
) -> Step3Plan:
    """GP-16: an interim evaluation any time, the final one after the term; a final "not effective"
    moves the case to step 4 (GP-20)."""
    if plan.talk_on is None or plan.state != PlanState.ACTIVE:
        raise ProtocolViolation(
            rule="GP-16", message=_("Er is geen lopende afspraak van stap 3 om te evalueren.")
        )
    notes = clean_text(notes).strip()
    if not notes:
        raise ValidationError(_("Schrijf de uitkomst van de evaluatie op (GP-16)."))
    if final and timezone.localdate() < plan.evaluation_due:
        raise ProtocolViolation(
            rule="GP-16",
            message=_("De eindevaluatie van stap 3 is op of na %(date)s.") % {"date": plan.evaluation_due},
        )
    with transaction.atomic():
        title = _("Eindevaluatie stap 3") if final else _("Tussenevaluatie stap 3")
        record(student=plan.student, kind=EntryKind.EVALUATION, title=title, actor=actor, source=plan,
               body=notes, text_warnings=text_warnings)  # fmt: skip
        if final:
            plan.state = PlanState.EFFECTIVE if effective else PlanState.NOT_EFFECTIVE
            plan.evaluated_at, plan.evaluation = timezone.now(), notes
            plan.save(update_fields=["state", "evaluated_at", "evaluation"])
            deadline = _next_open(plan, "evaluation")
            if deadline is not None:
                complete_deadline(deadline=deadline, actor=actor)
            for schedule in schedules_for(plan):
                cancel_schedule(schedule=schedule, actor=actor, reason=_("Stap 3 geëvalueerd"))
            if not effective:
                plan.case = advance_step(
                    actor=actor, case=plan.case, to_step=LadderStep.OTHER_GROUP, rule="GP-16"
                )
        audit(actor=user_of(actor), action="behaviour.step3.evaluated", obj=plan, student=plan.student,
              data={"final": final, "effective": effective, "rule": "GP-16"})  # fmt: skip
    return plan


def logbook_of(plan_or_placement, since: datetime.datetime | None = None, *, access=None):
    """GP-14 / GP-21: the logbook notes of this student in the file since the step began.

    With `access`, only the notes this reader's role may read (AVG-4: a care-team or director note,
    or a health note, stays out of a teacher's view of the plan)."""
    from dossier.selectors import readable_levels

    since = since or plan_or_placement.created_at
    notes = LogEntry.objects.filter(
        school_id=plan_or_placement.school_id, student_id=plan_or_placement.student_id, occurred_at__gte=since
    )
    if access is not None:
        notes = notes.filter(visibility__in=readable_levels(access))
        if not access.is_care_team:
            notes = notes.filter(is_health=False)
    return notes.select_related("author")[:20]


def care_staff(school) -> list[StaffMember]:
    return staff_with_role(school, Role.BEHAVIOUR_SPECIALIST) + staff_with_role(school, Role.CARE_COORDINATOR)
