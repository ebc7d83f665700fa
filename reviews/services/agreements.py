"""Agreements (LB-9, LB-10, LB-12, LB-13) and referrals (LB-11).

An agreement is SMART (LB-9): an owner, a concrete observable goal, who carries it out, a start date
(default one week after the meeting, LB-12) and an evaluation date (required). A goal the text check
finds vague is refused unless it is rewritten or kept with the reason it is measurable after all
(LB-9: "het doel wordt SMART geformuleerd"; the reason is on record next to the goal).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.services.deadlines import complete_deadlines_for, create_deadline
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from protocols.exceptions import ProtocolViolation
from protocols.text_checks import DEFAULT_VAGUE_GOALS, VAGUE_GOAL, check_text
from schools import calendar
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import StaffMember

from ..models import MeetingState, ReviewMeeting
from ..models_meeting import (
    ActionPlan,
    Agreement,
    AgreementState,
    DiscussionItem,
    Evaluation,
    EvaluationOutcome,
    Referral,
    ReferralState,
    ReferralTarget,
)
from .meeting import check_version, locked_meeting, require_in_progress, warned

ADDED = "reviews.agreement.added"
CHANGED = "reviews.agreement.changed"
EVALUATED = "reviews.agreement.evaluated"
REFERRED = "reviews.referral.made"
ANSWERED = "reviews.referral.answered"


def default_start(meeting: ReviewMeeting) -> datetime.date:
    """LB-12: the action points start in the lessons one week after the review (a setting)."""
    day = timezone.localtime(meeting.starts_at).date()
    return calendar.add_weeks(meeting.school, day, meeting.setting("agreement_start_weeks"))


def default_evaluation(meeting: ReviewMeeting) -> datetime.date:
    return calendar.add_weeks(
        meeting.school, default_start(meeting), meeting.setting("agreement_evaluation_weeks")
    )


def vague_parts(goal: str) -> list[str]:
    """The parts of a goal the LB-9 check finds vague."""
    return [
        f.text for f in check_text(goal, vague_goals=DEFAULT_VAGUE_GOALS, labels=()) if f.kind == VAGUE_GOAL
    ]


def _validated(
    *, meeting, goal: str, owner, carried_out_by, starts_on, evaluate_on, vague_reason: str
) -> tuple[str, list[StaffMember], datetime.date, str]:
    goal = clean_text(goal or "").strip()
    vague_reason = clean_text(vague_reason or "").strip()
    if not goal:
        raise ProtocolViolation(
            rule="LB-9", message=_("Beschrijf het doel: wat doet de leerling, hoe vaak, wanneer (LB-9).")
        )
    if owner is None or owner.school_id != meeting.school_id:
        raise ProtocolViolation(rule="LB-9", message=_("Kies een eigenaar van deze school (LB-9)."))
    doers = list(carried_out_by or ())
    if not doers:
        raise ProtocolViolation(rule="LB-9", message=_("Kies wie de afspraak uitvoert (LB-9)."))
    if any(s.school_id != meeting.school_id for s in doers):
        raise ProtocolViolation(rule="LB-9", message=_("Wie de afspraak uitvoert, werkt op deze school."))
    if evaluate_on is None:  # LB-9: always evaluated for its effect
        raise ProtocolViolation(
            rule="LB-9", message=_("Geef een evaluatiedatum: elke afspraak wordt geëvalueerd (LB-9).")
        )
    starts_on = starts_on or default_start(meeting)
    if evaluate_on <= starts_on:
        raise ProtocolViolation(rule="LB-9", message=_("De evaluatiedatum ligt na de startdatum (LB-9)."))
    vague = vague_parts(goal)
    if vague and not vague_reason:  # LB-9: SMART, or on record why it is measurable after all
        raise ProtocolViolation(
            rule="LB-9",
            message=_(
                "Dit doel is vaag (“%(part)s”, LB-9). Herschrijf het zo dat je het kunt waarnemen, of leg "
                "uit waarom het toch meetbaar is."
            )
            % {"part": vague[0]},
        )
    return goal, doers, starts_on, vague_reason if vague else ""


def add_agreement(
    *,
    actor,
    meeting: ReviewMeeting,
    student,
    goal: str,
    owner: StaffMember | None,
    carried_out_by,
    evaluate_on: datetime.date | None,
    starts_on: datetime.date | None = None,
    vague_reason: str = "",
    action_plan_title: str = "",
    text_warnings=(),
) -> Agreement:
    """Enter an agreement during the meeting (LB-10)."""
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        require_in_progress(meeting)  # LB-10: entered during the review itself
        if not DiscussionItem.objects.filter(discussion_list__meeting=meeting, student=student).exists():
            raise ProtocolViolation(rule="LB-5", message=_("Deze leerling staat niet op de bespreeklijst."))
        goal, doers, starts_on, vague_reason = _validated(
            meeting=meeting, goal=goal, owner=owner, carried_out_by=carried_out_by, starts_on=starts_on,
            evaluate_on=evaluate_on, vague_reason=vague_reason,
        )  # fmt: skip
        plan = None
        title = clean_text(action_plan_title or "", multiline=False).strip()
        if title:
            plan, _created = ActionPlan.objects.get_or_create(
                meeting=meeting, student=student, defaults={"school": meeting.school, "title": title[:200]}
            )
        agreement = Agreement.objects.create(
            school=meeting.school, meeting=meeting, student=student, action_plan=plan, owner=owner, goal=goal,
            starts_on=starts_on, evaluate_on=evaluate_on, vague_reason=vague_reason,
            text_warnings=warned(text_warnings), created_by=staff_member(actor, meeting.school_id),
        )  # fmt: skip
        agreement.carried_out_by.set(doers)
        audit(actor=user_of(actor), action=ADDED, obj=agreement, school=meeting.school, student=student,
              data={"text_warnings": warned(text_warnings), "vague_confirmed": bool(vague_reason)})  # fmt: skip
    return agreement


def update_agreement(
    *,
    actor,
    agreement: Agreement,
    expected_version: int,
    goal: str,
    owner: StaffMember | None,
    carried_out_by,
    evaluate_on: datetime.date | None,
    starts_on: datetime.date | None = None,
    vague_reason: str = "",
    text_warnings=(),
) -> Agreement:
    """Change an agreement in the meeting; from an older version it is refused and nothing is written."""
    with transaction.atomic():
        meeting = locked_meeting(agreement.meeting)
        require_in_progress(meeting)
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        check_version(current, expected_version)
        goal, doers, starts_on, vague_reason = _validated(
            meeting=meeting, goal=goal, owner=owner, carried_out_by=carried_out_by, starts_on=starts_on,
            evaluate_on=evaluate_on, vague_reason=vague_reason,
        )  # fmt: skip
        before = {"goal": current.goal, "evaluate_on": str(current.evaluate_on)}
        current.goal, current.owner, current.starts_on = goal, owner, starts_on
        current.evaluate_on, current.vague_reason = evaluate_on, vague_reason
        current.text_warnings = warned([*current.text_warnings, *text_warnings])
        current.row_version += 1
        current.save()
        current.carried_out_by.set(doers)
        audit(actor=user_of(actor), action=CHANGED, obj=current, school=meeting.school, student=current.student,
              data={"from": before, "version": current.row_version})  # fmt: skip
    return current


def evaluate_agreement(
    *, actor, agreement: Agreement, outcome: str, what_next: str, text_warnings=()
) -> Evaluation:
    """LB-13: each agreement is evaluated on its date (achieved / partly / not, what next); in the file."""
    what_next = clean_text(what_next or "").strip()
    if outcome not in EvaluationOutcome.values:
        raise ValidationError(_("Kies of het doel behaald, deels behaald of niet behaald is."))
    if not what_next:
        raise ValidationError(_("Schrijf op hoe het verder gaat (LB-13)."))
    with transaction.atomic():
        current = (
            Agreement.objects.select_for_update().select_related("meeting", "student").get(pk=agreement.pk)
        )
        if current.meeting.state != MeetingState.CLOSED:
            raise ProtocolViolation(
                rule="LB-13", message=_("Een afspraak wordt geëvalueerd na de bespreking.")
            )
        if current.state == AgreementState.EVALUATED:
            raise ProtocolViolation(rule="LB-13", message=_("Deze afspraak is al geëvalueerd."))
        evaluation = Evaluation.objects.create(
            school=current.school, agreement=current, outcome=outcome, what_next=what_next,
            evaluated_by=staff_member(actor, current.school_id), text_warnings=warned(text_warnings),
        )  # fmt: skip
        current.state = AgreementState.EVALUATED
        current.row_version += 1
        current.save(update_fields=["state", "row_version"])
        record(
            student=current.student, kind=EntryKind.EVALUATION, actor=actor, source=evaluation,
            title=_("Evaluatie afspraak: %(outcome)s") % {"outcome": evaluation.get_outcome_display()},
            body=_("Doel: %(goal)s\nResultaat: %(outcome)s\nHoe verder: %(next)s") % {
                "goal": current.goal, "outcome": evaluation.get_outcome_display(), "next": what_next},
            text_warnings=text_warnings,
        )  # fmt: skip
        complete_deadlines_for(current, actor=actor, rule="LB-13")
        audit(actor=user_of(actor), action=EVALUATED, obj=current, school=current.school, student=current.student,
              data={"outcome": outcome})  # fmt: skip
    return evaluation


def refer(
    *, actor, meeting: ReviewMeeting, student, target: str, question: str, reason: str, text_warnings=()
) -> Referral:
    """LB-11: heavier problems go to the internal care team or the ZAT, with the question and the reason.
    The referral and its file entry are for the care team only (AVG-4); it is tracked until answered."""
    question, reason = clean_text(question or "").strip(), clean_text(reason or "").strip()
    if target not in ReferralTarget.values:
        raise ValidationError(_("Kies het zorgteam of het ZAT."))
    if not question or not reason:
        raise ValidationError(_("Een verwijzing heeft een vraag en een reden (LB-11)."))
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        require_in_progress(meeting)
        if not DiscussionItem.objects.filter(discussion_list__meeting=meeting, student=student).exists():
            raise ProtocolViolation(rule="LB-5", message=_("Deze leerling staat niet op de bespreeklijst."))
        referral = Referral.objects.create(
            school=meeting.school, meeting=meeting, student=student, target=target, question=question,
            reason=reason, created_by=staff_member(actor, meeting.school_id), text_warnings=warned(text_warnings),
        )  # fmt: skip
        record(
            student=student, kind=EntryKind.REFERRAL, actor=actor, source=referral,
            visibility=Visibility.CARE_TEAM,  # AVG-4
            title=_("Verwijzing naar %(target)s") % {"target": referral.get_target_display()},
            body=_("Vraag: %(q)s\nReden: %(r)s") % {"q": question, "r": reason}, text_warnings=text_warnings,
        )  # fmt: skip
        create_deadline(
            school=meeting.school, owner=meeting.chair, title=_("Verwijzing opvolgen tot er antwoord is"),
            rule="LB-11", weeks=2, start=timezone.localdate(), source=referral, student=student, actor=actor,
        )  # fmt: skip
        audit(actor=user_of(actor), action=REFERRED, obj=referral, school=meeting.school, student=student,
              data={"target": target})  # fmt: skip
    return referral


def answer_referral(*, actor, referral: Referral, answer: str, text_warnings=()) -> Referral:
    """The care team records the answer (LB-11): the referral is no longer open."""
    answer = clean_text(answer or "").strip()
    if not answer:
        raise ValidationError(_("Schrijf het antwoord op."))
    with transaction.atomic():
        current = Referral.objects.select_for_update().select_related("student").get(pk=referral.pk)
        if current.state == ReferralState.ANSWERED:
            raise ProtocolViolation(rule="LB-11", message=_("Deze verwijzing is al beantwoord."))
        current.state, current.answer = ReferralState.ANSWERED, answer
        current.answered_at, current.answered_by = timezone.now(), staff_member(actor, current.school_id)
        current.row_version += 1
        current.save()
        record(
            student=current.student, kind=EntryKind.REFERRAL, actor=actor, source=current,
            visibility=Visibility.CARE_TEAM,  # AVG-4
            title=_("Antwoord op verwijzing naar %(target)s") % {"target": current.get_target_display()},
            body=answer, text_warnings=text_warnings,
        )  # fmt: skip
        complete_deadlines_for(current, actor=actor, rule="LB-11")
        audit(
            actor=user_of(actor), action=ANSWERED, obj=current, school=current.school, student=current.student
        )
    return current
