"""After the meeting (LB-12, LB-13): the mentor's talk and the feedback to the parents, each a deadline;
the agreements in each student's file with an evaluation deadline; a recap per teacher ("voor Sem: …");
the minutes as PDF in each discussed student's file, their part only; overdue evaluations reminded.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from audit.audit import audit
from deadlines.services.deadlines import (
    complete_deadline,
    complete_deadlines_for,
    create_deadline,
    open_deadlines_for,
)
from dossier.models import EntryKind
from dossier.pdf import html_to_pdf
from dossier.services.documents import upload_document
from dossier.services.record import record
from messaging.services.outbox import queue_staff_message
from protocols.exceptions import ProtocolViolation
from schools import calendar
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import School, StaffMember

from ..models import MeetingState, ReviewMeeting
from ..models_meeting import Agreement, AgreementState, FollowUp, FollowUpKind, StudentDiscussion
from .meeting import warned

RECORDED = "reviews.follow_up.recorded"
MINUTES_FILED = "reviews.minutes.filed"


def _fmt(day) -> str:
    return day.strftime("%d-%m-%Y")


def after_meeting(*, actor, meeting: ReviewMeeting) -> None:
    """Everything the closing of a meeting starts; called inside close_meeting's transaction."""
    from ..selectors_meeting import group_teachers

    meeting_day = timezone.localtime(meeting.starts_at).date()
    # The meeting was held: what its schedule still had open (the lists' due date, attending) is done.
    for deadline in open_deadlines_for(meeting).filter(schedule__isnull=False):
        complete_deadline(deadline=deadline, actor=actor)
    discussions = list(StudentDiscussion.objects.filter(meeting=meeting).select_related("student"))
    agreements = list(
        Agreement.objects.filter(meeting=meeting)
        .select_related("student", "owner")
        .prefetch_related(Prefetch("carried_out_by", queryset=StaffMember.objects.order_by("last_name")))
    )
    days = {
        FollowUpKind.STUDENT_TALK: meeting.setting("followup_talk_school_days"),
        FollowUpKind.PARENT_FEEDBACK: meeting.setting("followup_parents_school_days"),
    }
    for discussion in discussions:
        student = discussion.student
        for kind, school_days in days.items():  # LB-12: the week after
            due_on = calendar.add_school_days(meeting.school, meeting_day, school_days)
            follow_up = FollowUp.objects.create(
                school=meeting.school, meeting=meeting, student=student, kind=kind, due_on=due_on
            )
            create_deadline(
                school=meeting.school, owner=meeting.leader, title=str(FollowUpKind(kind).label).capitalize(),
                rule="LB-12", due_on=due_on, source=follow_up, student=student, actor=actor,
            )  # fmt: skip
        _file_minutes(actor=actor, meeting=meeting, discussion=discussion,
                      agreements=[a for a in agreements if a.student_id == student.pk])  # fmt: skip
    for agreement in agreements:
        record(
            student=agreement.student, kind=EntryKind.AGREEMENT, actor=actor, source=agreement,
            title=_("Afspraak uit de leerlingbespreking"),
            body=_recap_line(agreement, with_student=False), text_warnings=agreement.text_warnings,
        )  # fmt: skip
        create_deadline(  # LB-13: evaluated on its date; the mentor sees to it
            school=meeting.school, owner=meeting.leader, title=_("Afspraak evalueren"), rule="LB-13",
            due_on=agreement.evaluate_on, source=agreement, student=agreement.student, actor=actor,
        )  # fmt: skip
    for teacher in group_teachers(meeting):
        mine = [a for a in agreements if any(s.pk == teacher.pk for s in a.carried_out_by.all())]
        send_recap(meeting=meeting, teacher=teacher, agreements=mine)


def _recap_line(agreement: Agreement, *, with_student: bool = True) -> str:
    text = _("%(goal)s — vanaf %(start)s, evaluatie %(eval)s") % {
        "goal": agreement.goal,
        "start": _fmt(agreement.starts_on),
        "eval": _fmt(agreement.evaluate_on),
    }
    if with_student:
        return _("Voor %(name)s: %(text)s") % {"name": agreement.student.first_name, "text": text}
    return text


def send_recap(*, meeting: ReviewMeeting, teacher: StaffMember, agreements: list[Agreement]) -> None:
    """LB-12: every teacher of the class gets what is theirs, by e-mail (and on their home page)."""
    lines = [_recap_line(a) for a in agreements] or [_("Er zijn geen afspraken die jij uitvoert.")]
    body = _("Beste %(name)s,\n\nDe afspraken uit de leerlingbespreking van %(group)s die jij uitvoert:\n\n%(lines)s\n") % {
        "name": teacher.first_name or teacher.full_name, "group": meeting.group.name,
        "lines": "\n".join(f"- {line}" for line in lines),
    }  # fmt: skip
    queue_staff_message(
        school=meeting.school, staff=teacher,
        subject=_("Afspraken leerlingbespreking %(group)s") % {"group": meeting.group.name},
        body=body, idempotency_key=f"reviews.recap.{meeting.pk}.{teacher.pk}",
    )  # fmt: skip


def minutes_pdf(
    *, meeting: ReviewMeeting, discussion: StudentDiscussion, agreements: list[Agreement]
) -> bytes:
    """The minutes of one student only (their part; never another child's)."""
    html = render_to_string(
        "reviews/meeting/minutes_pdf.html",
        {
            "meeting": meeting,
            "discussion": discussion,
            "student": discussion.student,
            "agreements": agreements,
        },
    )
    return html_to_pdf(html)


def _file_minutes(*, actor, meeting, discussion, agreements) -> None:
    student = discussion.student
    pdf = minutes_pdf(meeting=meeting, discussion=discussion, agreements=agreements)
    document = upload_document(
        actor=user_of(actor), student=student,
        upload=SimpleUploadedFile(f"notulen-{meeting.pk}-{student.pk}.pdf", pdf, content_type="application/pdf"),
        title=_("Notulen leerlingbespreking %(date)s") % {"date": _fmt(timezone.localtime(meeting.starts_at))},
        text_warnings=discussion.text_warnings,
    )  # fmt: skip
    audit(actor=user_of(actor), action=MINUTES_FILED, obj=document, student=student, school=meeting.school)


def record_follow_up(*, actor, follow_up: FollowUp, summary: str, text_warnings=()) -> FollowUp:
    """LB-12: the mentor's talk with the student or the feedback to the parents, in the file."""
    summary = clean_text(summary or "").strip()
    if not summary:
        raise ValidationError(_("Schrijf kort op wat er besproken is."))
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update().select_related("meeting", "student").get(pk=follow_up.pk)
        )
        if current.meeting.state != MeetingState.CLOSED:
            raise ProtocolViolation(rule="LB-12", message=_("De nazorg begint na de bespreking."))
        if current.done_at is not None:
            raise ProtocolViolation(rule="LB-12", message=_("Dit is al vastgelegd."))
        current.summary, current.done_at = summary, timezone.now()
        current.done_by = staff_member(actor, current.school_id)
        current.text_warnings = warned(text_warnings)
        current.save()
        record(
            student=current.student, kind=EntryKind.TALK, actor=actor, source=current,
            title=str(current.get_kind_display()).capitalize(), body=summary, text_warnings=text_warnings,
        )  # fmt: skip
        complete_deadlines_for(current, actor=actor, rule="LB-12")
        audit(actor=user_of(actor), action=RECORDED, obj=current, school=current.school, student=current.student,
              data={"kind": current.kind})  # fmt: skip
    return current


def remind_overdue_evaluations() -> dict:
    """Periodic (LB-13): each overdue evaluation reminded to the mentor once per agreement and date."""
    today = timezone.localdate()
    queued = 0
    with scopes_disabled():
        schools = list(School.objects.filter(pk__in=Agreement.objects.filter(
            state=AgreementState.OPEN, evaluate_on__lt=today).values("school")))  # fmt: skip
    for school in schools:
        with scope(school=[school.pk]):
            from ..selectors_meeting import overdue_evaluations

            for agreement in overdue_evaluations(school, today=today):
                leader = agreement.meeting.leader
                _message, created = queue_staff_message(
                    school=school, staff=leader, student=agreement.student,
                    subject=_("Evaluatie van een afspraak is te laat"),
                    body=_("De afspraak voor %(name)s had op %(date)s geëvalueerd moeten zijn (LB-13).") % {
                        "name": agreement.student.first_name, "date": _fmt(agreement.evaluate_on)},
                    idempotency_key=f"reviews.evaluation.overdue.{agreement.pk}.{agreement.evaluate_on}",
                )  # fmt: skip
                queued += int(created)
    return {"queued": queued}
