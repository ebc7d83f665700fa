"""Deadlines: create, move, withdraw and complete them, and remind their owners (ARCHITECTURE: deadlines).

Every "must happen by" of the protocols is one Deadline row whose due date comes from the school
calendar (schools.calendar). Protocol services call these functions inside their own transaction.
The periodic job `deadlines.remind` queues a reminder in the outbox for the owner N school days
before the due date and on it, once each; overdue deadlines are listed for the care coordinator
(deadlines.views.deadlines). Schedules (deadlines hung on an anchor with their own offsets) and
pausing live in deadlines/services/deadline_schedules.py.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from audit.audit import audit
from deadlines.models import PENDING_STATES, Deadline, DeadlineState, TermUnit
from messaging.services import outbox
from protocols.services import protocol_value
from schools import calendar
from schools.actors import staff_member
from schools.models import School, StaffMember, Student
from schools.periodic import periodic_job

logger = logging.getLogger(__name__)

# Reminder before the due date, in school days (a holiday does not eat the warning): a protocol number,
# `reminder_school_days_before` of the school's file protocol version (protocols/declarations.py).


def reminder_school_days(school: School) -> int:
    """How many school days before the due date the owner is reminded: the one place that reads it,
    from the school's file protocol version in force."""
    return protocol_value(school, "file", "reminder_school_days_before")


def compute_due_on(
    *,
    school: School,
    start: datetime.date | None = None,
    school_days: int | None = None,
    weeks: int | None = None,
    months: int | None = None,
) -> datetime.date:
    """The due date `school_days`, `weeks` or `months` after `start` (default today), on a school day."""
    start = start or timezone.localdate()
    given = [v is not None for v in (school_days, weeks, months)]
    if sum(given) != 1:
        raise ValueError("Give exactly one of school_days, weeks, months.")
    if school_days is not None:
        return calendar.add_school_days(school, start, school_days)
    if weeks is not None:
        return calendar.add_weeks(school, start, weeks)
    return calendar.add_months(school, start, months)


def _source_fields(source) -> dict:
    if source is None:
        return {"source_type": None, "source_id": ""}
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}


def create_deadline(
    *,
    school: School,
    owner: StaffMember,
    title: str,
    rule: str,
    due_on: datetime.date | None = None,
    start: datetime.date | None = None,
    school_days: int | None = None,
    weeks: int | None = None,
    months: int | None = None,
    source=None,
    student: Student | None = None,
    url: str = "",
    actor=None,
) -> Deadline:
    """A new open deadline. Give `due_on`, or a term (`school_days`/`weeks`/`months`) from `start`.

    `title` says what must happen, without the student's name: titles leave the application in the
    owner's calendar feed and reminder mails; the student is linked through `student`.
    """
    if owner.school_id != school.pk:
        raise ValidationError(_("De eigenaar van een termijn werkt op een andere school."))
    term_unit, term_offset = "", None
    if due_on is None:
        due_on = compute_due_on(
            school=school, start=start, school_days=school_days, weeks=weeks, months=months
        )
        for unit, value in ((TermUnit.SCHOOL_DAYS, school_days), (TermUnit.WEEKS, weeks),
                            (TermUnit.MONTHS, months)):  # fmt: skip
            if value is not None:
                term_unit, term_offset = unit, value
    with transaction.atomic():
        deadline = Deadline.objects.create(
            school=school,
            owner=owner,
            student=student,
            title=title[:200],
            rule=rule,
            due_on=due_on,
            url=url,
            term_unit=term_unit,
            term_offset=term_offset,
            **_source_fields(source),
        )
        audit(
            actor=actor,
            action="dossier.deadline.created",
            obj=deadline,
            student=student,
            data={"rule": rule, "due_on": str(due_on), "owner": owner.pk},
        )
    return deadline


def open_deadlines_for(source):
    return Deadline.objects.filter(state=DeadlineState.OPEN, **_source_fields(source))


def move_deadline(*, deadline: Deadline, due_on: datetime.date, actor=None, reason: str = "") -> Deadline:
    """A new due date; reminders are sent again for it."""
    if not deadline.is_open:
        raise ValidationError(_("Deze termijn is al afgerond of vervallen."))
    with transaction.atomic():
        previous = deadline.due_on
        deadline.due_on = due_on
        deadline.reminded_before_on = None
        deadline.reminded_due_on = None
        deadline.save(update_fields=["due_on", "reminded_before_on", "reminded_due_on"])
        audit(
            actor=actor,
            action="dossier.deadline.moved",
            obj=deadline,
            student=deadline.student_id,
            data={"from": str(previous), "to": str(due_on), "reason": reason[:200]},
        )
    return deadline


def withdraw_deadlines_for(source, *, actor=None, rule: str | None = None) -> int:
    """The source was cancelled or ended: its open and paused deadlines (optionally of one rule) lapse.

    A source that moved (a meeting rescheduled) moves its schedule: deadline_schedules.move_schedule.
    """
    with transaction.atomic():
        deadlines = Deadline.objects.filter(state__in=PENDING_STATES, **_source_fields(source))
        if rule is not None:
            deadlines = deadlines.filter(rule=rule)
        deadlines = list(deadlines.select_for_update())
        for deadline in deadlines:
            deadline.state = DeadlineState.WITHDRAWN
            deadline.paused_on = None
            deadline.save(update_fields=["state", "paused_on"])
            audit(
                actor=actor,
                action="dossier.deadline.withdrawn",
                obj=deadline,
                student=deadline.student_id,
                data={"rule": deadline.rule},
            )
    return len(deadlines)


def complete_deadline(*, deadline: Deadline, actor=None) -> Deadline:
    """Done. Completing a done deadline again changes nothing (a double click, a retried task)."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.state == DeadlineState.DONE:
            return deadline
        if deadline.state == DeadlineState.WITHDRAWN:
            raise ValidationError(_("Deze termijn is vervallen."))
        staff = staff_member(actor, deadline.school_id)
        deadline.state = DeadlineState.DONE
        deadline.completed_at = timezone.now()
        deadline.completed_by = staff
        deadline.save(update_fields=["state", "completed_at", "completed_by"])
        audit(
            actor=getattr(staff, "user", None) or actor,
            action="dossier.deadline.completed",
            obj=deadline,
            student=deadline.student_id,
            data={"rule": deadline.rule, "late": deadline.due_on < timezone.localdate()},
        )
    return deadline


def complete_deadlines_for(source, *, actor=None, rule: str | None = None) -> int:
    """The step a deadline asked for happened (the protocol service knows): close its deadlines."""
    deadlines = open_deadlines_for(source)
    if rule is not None:
        deadlines = deadlines.filter(rule=rule)
    deadlines = list(deadlines)
    for deadline in deadlines:
        complete_deadline(deadline=deadline, actor=actor)
    return len(deadlines)


def _reminder_text(deadline: Deadline, *, today: datetime.date) -> tuple[str, str]:
    due = deadline.due_on.strftime("%d-%m-%Y")
    if deadline.due_on == today:
        subject = _("Vandaag uiterlijk: %(title)s") % {"title": deadline.title}
    else:
        subject = _("Herinnering: %(title)s uiterlijk %(due)s") % {"title": deadline.title, "due": due}
    lines = [
        _("Beste %(name)s,") % {"name": deadline.owner.full_name},
        "",
        _("Deze actie staat op jouw naam en moet uiterlijk %(due)s gebeuren:") % {"due": due},
        f"  {deadline.title}" + (f" ({deadline.rule})" if deadline.rule else ""),
        "",
        _("Zie 'Mijn acties' in Leerlingzorg."),
    ]
    # No student name in the mail: it may be read outside the school's systems.
    return subject, "\n".join(lines)


def remind_school(school: School, *, today: datetime.date) -> dict:
    """Queue the due reminders of one school in the outbox. Safe to run twice: each reminder is
    claimed on its row and queued with a key of (deadline, kind, due date), so it is queued once."""
    sent_before = sent_due = 0
    horizon = calendar.add_school_days(school, today, reminder_school_days(school))
    candidates = (
        Deadline.objects.filter(
            school=school, state=DeadlineState.OPEN, due_on__gte=today, due_on__lte=horizon
        )
        .filter(owner__active=True)
        .select_related("owner", "student")
    )
    for deadline in candidates:
        if deadline.due_on == today:
            field, value = "reminded_due_on", deadline.reminded_due_on
        else:
            field, value = "reminded_before_on", deadline.reminded_before_on
        if value is not None:
            continue
        # Claim the reminder before sending, so a concurrent run cannot send it too.
        with transaction.atomic():
            claimed = Deadline.objects.filter(pk=deadline.pk, **{f"{field}__isnull": True}).update(
                **{field: today}
            )
            if not claimed:
                continue
            subject, body = _reminder_text(deadline, today=today)
            # The outbox sends it after commit and retries it like every other message.
            _message, queued = outbox.queue_staff_message(
                school=school,
                staff=deadline.owner,
                student=deadline.student,
                subject=subject,
                body=body,
                idempotency_key=f"deadline-reminder-{deadline.pk}-{field}-{deadline.due_on:%Y%m%d}",
            )
        if not queued:  # queued before for this due date, or an owner without an address
            continue
        if field == "reminded_due_on":
            sent_due += 1
        else:
            sent_before += 1
    return {"before": sent_before, "due": sent_due}


@periodic_job("deadlines.remind")
def remind_owners() -> dict:
    today = timezone.localdate()
    totals = {"before": 0, "due": 0}
    with scopes_disabled():
        schools = list(
            School.objects.filter(pk__in=Deadline.objects.filter(state=DeadlineState.OPEN).values("school"))
        )
    for school in schools:
        with scope(school=[school.pk]):
            result = remind_school(school, today=today)
        for key in totals:
            totals[key] += result[key]
    return totals
