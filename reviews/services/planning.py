"""Planning the review cycle (LB-1, LB-2, LB-4, LB-5, LB-6, LB-15): rounds per school year, a meeting
per group, and the schedule of deadlines hung on the meeting date. Every offset is read from the
meeting's protocol version."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import TermUnit
from deadlines.services.deadline_schedules import (
    Step,
    cancel_schedule,
    create_schedule,
    move_schedule,
    schedules_for,
)
from protocols.exceptions import ProtocolViolation
from protocols.registry import REVIEW
from protocols.services import protocol_value, start_case_version
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Group, Role, SchoolYear, StaffMember

from ..models import MeetingState, ReviewMeeting, ReviewRound
from ..selectors import expected_staff

STEP_SIGNALS_OUT = "signals_out"
STEP_SIGNALS_DUE = "signals_due"
STEP_DISCUSSION_LIST = "discussion_list"
STEP_ATTEND = "attend:"  # + staff pk: the meeting in the calendar feed of everyone expected (LB-2)


@dataclass
class Planned:
    meeting: ReviewMeeting
    warnings: list[str] = field(default_factory=list)


def _require(actor, perm: str, obj, message: str, rule: str = "LB-15") -> None:
    user = user_of(actor)
    if user is None or not user.has_perm(perm, obj):
        raise ProtocolViolation(rule=rule, message=message)


def plan_review_round(*, actor, school_year: SchoolYear, number: int, title: str = "") -> ReviewRound:
    """LB-1: a school plans its rounds per school year, at most `rounds_per_year` of them."""
    school = school_year.school
    _require(
        actor,
        "reviews.plan_round",
        school,
        _("Alleen de afdelingsleider of de zorgcoördinator plant bespreekrondes."),
    )
    title = clean_text(title or "", multiline=False)[:100]
    maximum = protocol_value(school, REVIEW, "rounds_per_year")
    if not 1 <= number <= maximum:  # LB-1
        raise ProtocolViolation(
            rule="LB-1",
            message=_("Een schooljaar heeft %(max)s bespreekrondes; kies een ronde van 1 tot en met %(max)s.")
            % {"max": maximum},
        )
    with transaction.atomic():
        if ReviewRound.objects.filter(school_year=school_year, number=number).exists():
            raise ProtocolViolation(
                rule="LB-1", message=_("Ronde %(n)s van dit schooljaar bestaat al.") % {"n": number}
            )
        review_round = ReviewRound.objects.create(
            school=school, school_year=school_year, number=number, title=title,
            planned_by=staff_member(actor, school),
        )  # fmt: skip
        audit(actor=user_of(actor), action="reviews.round.planned", obj=review_round,
              data={"school_year": school_year.pk, "number": number})  # fmt: skip
    return review_round


def _check_people(
    *, school, group: Group, leader: StaffMember, chair: StaffMember, minute_taker
) -> list[str]:
    """LB-6: the mentor leads, the care coordinator chairs, a minute-taker of this school, preferably
    not a mentor. Refusals raise; the preference is a warning."""
    for person in (leader, chair, minute_taker):
        if person is not None and (person.school_id != school.pk or not person.active):
            raise ProtocolViolation(
                rule="LB-6",
                message=_("%(name)s werkt niet (meer) op deze school.") % {"name": person.full_name},
            )
    if not group.mentors.filter(pk=leader.pk).exists():
        raise ProtocolViolation(
            rule="LB-6",
            message=_("De bespreking wordt geleid door een mentor van %(group)s.") % {"group": group.name},
        )
    if not chair.role_assignments.filter(role=Role.CARE_COORDINATOR).exists():
        raise ProtocolViolation(
            rule="LB-6", message=_("De voorzitter is de zorgcoördinator (ib-er) van de school (LB-6, LB-15).")
        )
    warnings = []
    if minute_taker is not None and minute_taker.mentor_of.exists():  # LB-6: preferably not a mentor
        warnings.append(
            _("%(name)s is mentor; de notulist is bij voorkeur geen mentor (LB-6).")
            % {"name": minute_taker.full_name}
        )
    return warnings


def _steps(meeting: ReviewMeeting) -> list[Step]:
    """LB-4, LB-5, LB-2: the deadlines hung on the meeting date, every offset from its version."""
    group, leader = meeting.group.name, meeting.leader
    local = timezone.localtime(meeting.starts_at)
    steps = [
        Step(STEP_SIGNALS_OUT, -meeting.setting("signal_lists_out_weeks_before"), TermUnit.WEEKS,
             _("Signaleringslijsten %(group)s uitzetten") % {"group": group}, leader, rule="LB-4"),
        Step(STEP_SIGNALS_DUE, -meeting.setting("signal_lists_due_weeks_before"), TermUnit.WEEKS,
             _("Signaleringslijsten %(group)s ingevuld") % {"group": group}, leader, rule="LB-4"),
        Step(STEP_DISCUSSION_LIST, -meeting.setting("discussion_list_weeks_before"), TermUnit.WEEKS,
             _("Bespreeklijst %(group)s opstellen en rondsturen") % {"group": group}, leader, rule="LB-5"),
    ]  # fmt: skip
    for person in expected_staff(meeting):
        steps.append(
            Step(
                f"{STEP_ATTEND}{person.pk}",
                0,
                TermUnit.WEEKS,
                attend_title(meeting, local),
                person,
                rule="LB-2",
            )
        )
    return steps


def attend_title(meeting: ReviewMeeting, local: datetime.datetime | None = None) -> str:
    local = local or timezone.localtime(meeting.starts_at)
    title = _("Leerlingbespreking %(group)s om %(time)s") % {
        "group": meeting.group.name,
        "time": f"{local:%H:%M}",
    }
    return f"{title}, {meeting.place}" if meeting.place else title


def _check_start(starts_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise ProtocolViolation(rule="LB-1", message=_("Een bespreking plan je in de toekomst."))


def plan_review_meeting(
    *,
    actor,
    review_round: ReviewRound,
    group: Group,
    starts_at: datetime.datetime,
    place: str,
    leader: StaffMember,
    chair: StaffMember,
    minute_taker: StaffMember | None = None,
) -> Planned:
    """LB-1, LB-6: one meeting per group per round, with its schedule (LB-4, LB-5) and the meeting in
    the calendar of everyone expected (LB-2). Nothing is written when a check fails."""
    school = review_round.school
    if group.school_id != school.pk or group.school_year_id != review_round.school_year_id:
        raise ProtocolViolation(
            rule="LB-1", message=_("Deze groep hoort niet bij het schooljaar van de ronde.")
        )
    _require(
        actor,
        "reviews.plan_meeting",
        group,
        _("Alleen de afdelingsleider of de zorgcoördinator plant deze bespreking."),
    )
    place = clean_text(place or "", multiline=False)[:100]
    _check_start(starts_at)
    warnings = _check_people(
        school=school, group=group, leader=leader, chair=chair, minute_taker=minute_taker
    )
    with transaction.atomic():
        if (
            ReviewMeeting.objects.filter(round=review_round, group=group)
            .exclude(state=MeetingState.CANCELLED)
            .exists()
        ):
            raise ProtocolViolation(
                rule="LB-1",
                message=_("%(group)s heeft in deze ronde al een bespreking.") % {"group": group.name},
            )
        meeting = ReviewMeeting.objects.create(
            school=school, round=review_round, group=group, starts_at=starts_at, place=place, leader=leader,
            chair=chair, minute_taker=minute_taker,
            protocol_version=start_case_version(school=school, protocol=REVIEW),
        )  # fmt: skip
        create_schedule(
            anchor_object=meeting, anchor_date=timezone.localdate(starts_at), steps=_steps(meeting), actor=actor,
            code="reviews.meeting",
        )  # fmt: skip
        audit(actor=user_of(actor), action="reviews.meeting.planned", obj=meeting,
              data={"group": group.pk, "starts_at": starts_at.isoformat(), "leader": leader.pk, "chair": chair.pk,
                    "minute_taker": getattr(minute_taker, "pk", None), "warnings": len(warnings)})  # fmt: skip
    return Planned(meeting, warnings)


def _locked(meeting: ReviewMeeting, row_version: int | None) -> ReviewMeeting:
    locked = ReviewMeeting.objects.select_for_update().select_related("group", "school").get(pk=meeting.pk)
    if row_version is not None and locked.row_version != row_version:
        raise ProtocolViolation(
            rule="LB-15",
            message=_("Iemand anders heeft deze bespreking intussen gewijzigd. Laad de pagina opnieuw."),
        )
    if locked.state != MeetingState.PLANNED:
        raise ProtocolViolation(rule="LB-15", message=_("Deze bespreking is niet meer gepland."))
    return locked


def move_review_meeting(
    *,
    actor,
    meeting: ReviewMeeting,
    starts_at: datetime.datetime,
    reason: str = "",
    row_version: int | None = None,
) -> ReviewMeeting:
    """LB-4, LB-5: every pending step moves by its own offset; done steps stay (move_schedule)."""
    _require(
        actor,
        "reviews.plan_meeting",
        meeting,
        _("Alleen de afdelingsleider of de zorgcoördinator verplaatst deze bespreking."),
    )
    _check_start(starts_at)
    reason = clean_text(reason or "")[:200]
    with transaction.atomic():
        meeting = _locked(meeting, row_version)
        previous = meeting.starts_at
        meeting.starts_at = starts_at
        meeting.row_version += 1
        meeting.save(update_fields=["starts_at", "row_version"])
        for schedule in schedules_for(meeting):
            move_schedule(
                schedule=schedule, new_anchor=timezone.localdate(starts_at), actor=actor, reason=reason
            )
            schedule.deadlines.filter(step_code__startswith=STEP_ATTEND).update(
                title=attend_title(meeting)[:200]
            )
        from ..models_cycle import SignalRound
        from .signals import signal_due_on

        SignalRound.objects.filter(meeting=meeting, closed_at__isnull=True).update(
            due_on=signal_due_on(meeting)
        )
        audit(actor=user_of(actor), action="reviews.meeting.moved", obj=meeting,
              data={"from": previous.isoformat(), "to": starts_at.isoformat(), "reason": reason})  # fmt: skip
    return meeting


def cancel_review_meeting(
    *, actor, meeting: ReviewMeeting, reason: str, row_version: int | None = None
) -> ReviewMeeting:
    """Cancelling withdraws every pending step (cancel_schedule) and closes the signal round."""
    _require(
        actor,
        "reviews.plan_meeting",
        meeting,
        _("Alleen de afdelingsleider of de zorgcoördinator annuleert deze bespreking."),
    )
    reason = clean_text(reason or "")[:200]
    if not reason.strip():
        raise ProtocolViolation(rule="LB-15", message=_("Geef een reden voor het annuleren."))
    with transaction.atomic():
        meeting = _locked(meeting, row_version)
        meeting.state = MeetingState.CANCELLED
        meeting.row_version += 1
        meeting.save(update_fields=["state", "row_version"])
        for schedule in schedules_for(meeting):
            cancel_schedule(schedule=schedule, actor=actor, reason=reason)
        from ..models_cycle import SignalRound

        SignalRound.objects.filter(meeting=meeting, closed_at__isnull=True).update(closed_at=timezone.now())
        audit(actor=user_of(actor), action="reviews.meeting.cancelled", obj=meeting, data={"reason": reason})
    return meeting
