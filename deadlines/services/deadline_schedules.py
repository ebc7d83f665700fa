"""Schedules of deadlines: deadlines hung on an anchor date, each with its own offset (ARCHITECTURE: time).

A review meeting on 12 November hangs "signal lists out" 2 weeks before it, "signal lists due"
1 week before, "report filed" 5 school days after. Moving the meeting moves each pending deadline
by its own offset through the school calendar; a done one stays where it was.

Counting (one calendar, schools.calendar):
- school days: `add_school_days(anchor, offset)`; a negative offset counts back over school days.
- weeks and months are calendar terms. A date after the anchor that falls on a closed day moves
  to the next school day (as `add_weeks` does, Algemene termijnenwet); a date *before* the anchor
  moves to the last school day on or before it, so a "before the meeting" deadline never lands
  on or after the meeting because of a holiday.

Pausing (an objection waiting for the Geschillencommissie, LAW-4): the clock stops on the day of
`pause_deadline` and runs again from `resume_deadline`. The due date then moves on by the days
the clock stood still, counted the way the term is counted: school days (days after the pause up
to and including the day of resuming that are school days) for a term in school days; calendar
days for a term in weeks or months or a fixed date, the result landing on a school day. The
moved-on days are kept (`pause_extension`), so a later move of the anchor keeps them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import (
    PENDING_STATES,
    Deadline,
    DeadlineSchedule,
    DeadlineState,
    ScheduleState,
    TermUnit,
)
from schools import calendar
from schools.actors import user_of
from schools.models import School, StaffMember, Student

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Step:
    """One deadline of a schedule: `offset` `unit`s from the anchor (negative: before it)."""

    code: str
    offset: int
    unit: str  # TermUnit
    title: str  # what must happen, without the student's name (it leaves in mails and feeds)
    owner: StaffMember  # the responsible staff member
    rule: str = ""
    url: str = ""


def _last_school_day_on_or_before(school: School, day: datetime.date) -> datetime.date:
    return calendar.add_school_days(school, day + ONE_DAY, -1)


def _extended(school: School, day: datetime.date, days: int, unit: str) -> datetime.date:
    """`day` moved on by `days` paused days, counted like the term (see the module docstring)."""
    if not days:
        return day
    if unit == TermUnit.SCHOOL_DAYS:
        return calendar.add_school_days(school, day, days)
    return calendar.next_school_day(school, day + datetime.timedelta(days=days))


def step_due_on(
    *, school: School, anchor_date: datetime.date, offset: int, unit: str, extension: int = 0
) -> datetime.date:
    """The due date of a step `offset` `unit`s from `anchor_date`, moved on by earlier pauses."""
    if unit == TermUnit.SCHOOL_DAYS:
        day = calendar.add_school_days(school, anchor_date, offset)
    else:
        if unit == TermUnit.WEEKS:
            raw = anchor_date + datetime.timedelta(weeks=offset)
        elif unit == TermUnit.MONTHS:
            raw = calendar.add_calendar_months(anchor_date, offset)
        else:
            raise ValidationError(_("Onbekende eenheid voor een termijn: %(unit)s") % {"unit": unit})
        if offset >= 0:
            day = calendar.next_school_day(school, raw)
        else:
            day = _last_school_day_on_or_before(school, raw)
    return _extended(school, day, extension, unit)


def _anchor_fields(anchor) -> dict:
    return {"anchor_type": ContentType.objects.get_for_model(anchor), "anchor_id": str(anchor.pk)}


def schedules_for(anchor):
    """The active schedules hung on `anchor` (a meeting, a decision)."""
    return DeadlineSchedule.objects.filter(state=ScheduleState.ACTIVE, **_anchor_fields(anchor))


def create_schedule(
    *,
    anchor_object,
    anchor_date: datetime.date,
    steps: Sequence[Step],
    actor,
    school: School | None = None,
    student: Student | None = None,
    code: str = "",
) -> DeadlineSchedule:
    """Hang one deadline per step on `anchor_object` at `anchor_date`, in one transaction."""
    school = school or anchor_object.school
    codes = [step.code for step in steps]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Elke stap van een termijnschema heeft een eigen code."))
    for step in steps:
        if step.owner.school_id != school.pk:
            raise ValidationError(_("De eigenaar van een termijn werkt op een andere school."))
        if step.unit not in TermUnit.values:
            raise ValidationError(_("Onbekende eenheid voor een termijn: %(unit)s") % {"unit": step.unit})
    who = user_of(actor)
    with transaction.atomic():
        schedule = DeadlineSchedule.objects.create(
            school=school, code=code[:100], anchor_date=anchor_date, **_anchor_fields(anchor_object)
        )
        for step in steps:
            due_on = step_due_on(school=school, anchor_date=anchor_date, offset=step.offset, unit=step.unit)
            deadline = Deadline.objects.create(
                school=school,
                owner=step.owner,
                student=student,
                title=step.title[:200],
                rule=step.rule,
                due_on=due_on,
                url=step.url,
                source_type=schedule.anchor_type,
                source_id=schedule.anchor_id,
                schedule=schedule,
                step_code=step.code[:100],
                term_offset=step.offset,
                term_unit=step.unit,
            )
            audit(actor=who, action="dossier.deadline.created", obj=deadline, student=student,
                  data={"rule": step.rule, "due_on": str(due_on), "owner": step.owner.pk,
                        "schedule": schedule.pk, "step": step.code})  # fmt: skip
        audit(actor=who, action="dossier.deadline_schedule.created", obj=schedule, student=student,
              data={"code": code, "anchor_date": str(anchor_date), "steps": codes})  # fmt: skip
    return schedule


def _locked_active(schedule: DeadlineSchedule) -> DeadlineSchedule:
    schedule = DeadlineSchedule.objects.select_for_update().get(pk=schedule.pk)
    if schedule.state != ScheduleState.ACTIVE:
        raise ValidationError(_("Dit termijnschema is geannuleerd."))
    return schedule


def move_schedule(
    *, schedule: DeadlineSchedule, new_anchor: datetime.date, actor, reason: str = ""
) -> DeadlineSchedule:
    """The anchor moved: each pending deadline moves by its own offset; done ones stay."""
    who = user_of(actor)
    with transaction.atomic():
        schedule = _locked_active(schedule)
        previous_anchor = schedule.anchor_date
        pending = schedule.deadlines.select_for_update().filter(state__in=PENDING_STATES)
        for deadline in pending.order_by("pk"):
            due_on = step_due_on(
                school=schedule.school,
                anchor_date=new_anchor,
                offset=deadline.term_offset,
                unit=deadline.term_unit,
                extension=deadline.pause_extension,
            )
            if due_on == deadline.due_on:
                continue
            previous = deadline.due_on
            deadline.due_on = due_on
            deadline.reminded_before_on = deadline.reminded_due_on = None
            deadline.save(update_fields=["due_on", "reminded_before_on", "reminded_due_on"])
            audit(actor=who, action="dossier.deadline.moved", obj=deadline, student=deadline.student_id,
                  data={"from": str(previous), "to": str(due_on), "schedule": schedule.pk,
                        "step": deadline.step_code, "reason": reason[:200]})  # fmt: skip
        schedule.anchor_date = new_anchor
        schedule.save(update_fields=["anchor_date"])
        audit(actor=who, action="dossier.deadline_schedule.moved", obj=schedule,
              data={"from": str(previous_anchor), "to": str(new_anchor), "reason": reason[:200]})  # fmt: skip
    return schedule


def cancel_schedule(*, schedule: DeadlineSchedule, actor, reason: str = "") -> int:
    """The anchor was cancelled: pending deadlines lapse, done ones stay. Twice: nothing more."""
    who = user_of(actor)
    with transaction.atomic():
        schedule = DeadlineSchedule.objects.select_for_update().get(pk=schedule.pk)
        if schedule.state == ScheduleState.CANCELLED:
            return 0
        pending = list(schedule.deadlines.select_for_update().filter(state__in=PENDING_STATES))
        for deadline in pending:
            deadline.state = DeadlineState.WITHDRAWN
            deadline.paused_on = None
            deadline.save(update_fields=["state", "paused_on"])
            audit(actor=who, action="dossier.deadline.withdrawn", obj=deadline, student=deadline.student_id,
                  data={"rule": deadline.rule, "schedule": schedule.pk, "step": deadline.step_code})  # fmt: skip
        schedule.state = ScheduleState.CANCELLED
        schedule.save(update_fields=["state"])
        audit(actor=who, action="dossier.deadline_schedule.cancelled", obj=schedule,
              data={"withdrawn": len(pending), "reason": reason[:200]})  # fmt: skip
    return len(pending)


def pause_deadline(*, deadline: Deadline, actor, reason: str = "") -> Deadline:
    """Stop the clock of an open deadline (LAW-4: the board waits for the Geschillencommissie)."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.state != DeadlineState.OPEN:
            raise ValidationError(_("Alleen een openstaande termijn kan worden gepauzeerd."))
        deadline.state = DeadlineState.PAUSED
        deadline.paused_on = timezone.localdate()
        deadline.save(update_fields=["state", "paused_on"])
        audit(actor=user_of(actor), action="dossier.deadline.paused", obj=deadline,
              student=deadline.student_id,
              data={"rule": deadline.rule, "due_on": str(deadline.due_on), "reason": reason[:200]})  # fmt: skip
    return deadline


def paused_days(deadline: Deadline, today: datetime.date) -> int:
    """The days the clock has stood still, in the term's own count (module docstring)."""
    if deadline.paused_on is None or today <= deadline.paused_on:
        return 0
    if deadline.term_unit == TermUnit.SCHOOL_DAYS:
        return calendar.school_days_between(deadline.school, deadline.paused_on, today)
    return (today - deadline.paused_on).days


def resume_deadline(*, deadline: Deadline, actor, reason: str = "") -> Deadline:
    """Start the clock again: the due date moves on by the paused days; reminders are sent again."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().select_related("school").get(pk=deadline.pk)
        if deadline.state != DeadlineState.PAUSED:
            raise ValidationError(_("Deze termijn is niet gepauzeerd."))
        today = timezone.localdate()
        days = paused_days(deadline, today)
        previous, paused_on = deadline.due_on, deadline.paused_on
        deadline.due_on = _extended(deadline.school, deadline.due_on, days, deadline.term_unit)
        deadline.pause_extension += days
        deadline.state = DeadlineState.OPEN
        deadline.paused_on = None
        deadline.reminded_before_on = deadline.reminded_due_on = None
        deadline.save(update_fields=["due_on", "pause_extension", "state", "paused_on",
                                     "reminded_before_on", "reminded_due_on"])  # fmt: skip
        audit(actor=user_of(actor), action="dossier.deadline.resumed", obj=deadline,
              student=deadline.student_id,
              data={"paused_on": str(paused_on), "paused_days": days,
                    "counted_in": "school_days" if deadline.term_unit == TermUnit.SCHOOL_DAYS else "days",
                    "from": str(previous), "to": str(deadline.due_on), "reason": reason[:200]})  # fmt: skip
    return deadline
