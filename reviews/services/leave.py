"""Leave from a review (LB-2, LB-12): a teacher who cannot attend asks the department head (po: the
director), hands in written input per student beforehand and confirms reading the agreements after."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from messaging.services import outbox
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Student

from ..models import MeetingState, ReviewMeeting
from ..models_cycle import AgreementsRead, LeaveRequest, LeaveState, WrittenInput
from ..selectors import group_students, is_expected, leave_approvers

TEXT_MAX = 5000


def _before_meeting(meeting: ReviewMeeting, message: str) -> None:
    if meeting.state != MeetingState.PLANNED or meeting.starts_at <= timezone.now():
        raise ProtocolViolation(rule="LB-2", message=message)


def request_leave(*, actor, meeting: ReviewMeeting, reason: str) -> LeaveRequest:
    """LB-2: asked before the meeting, by a teacher who is expected there."""
    user = user_of(actor)
    if user is None or not user.has_perm("reviews.request_leave", meeting):
        raise ProtocolViolation(rule="LB-2", message=_("Je wordt niet bij deze bespreking verwacht."))
    _before_meeting(meeting, _("De bespreking is al begonnen of voorbij; verlof vraag je vooraf aan."))
    reason = clean_text(reason or "").strip()[:TEXT_MAX]
    if not reason:
        raise ProtocolViolation(rule="LB-2", message=_("Geef een reden voor je verlofaanvraag."))
    teacher = staff_member(actor, meeting.school_id)
    try:
        with transaction.atomic():
            leave = LeaveRequest.objects.create(
                school=meeting.school, meeting=meeting, teacher=teacher, reason=reason
            )
            url = reverse("reviews_leave_detail", args=[leave.pk])
            for approver in leave_approvers(meeting):
                outbox.queue_staff_message(
                    school=meeting.school, staff=approver,
                    subject=_("Verlofaanvraag leerlingbespreking %(group)s") % {"group": meeting.group.name},
                    body=_("%(who)s vraagt verlof voor de leerlingbespreking van %(group)s: %(url)s")
                    % {"who": teacher.full_name, "group": meeting.group.name, "url": url},
                    idempotency_key=f"reviews-leave-{leave.pk}-{approver.pk}",
                )  # fmt: skip
            audit(actor=user, action="reviews.leave.requested", obj=leave, data={"meeting": meeting.pk})
    except IntegrityError:
        raise ProtocolViolation(
            rule="LB-2", message=_("Je hebt al verlof aangevraagd voor deze bespreking.")
        ) from None
    return leave


def decide_leave(*, actor, leave: LeaveRequest, approve: bool, reason: str = "") -> LeaveRequest:
    """LB-2: the department head (po: the director) approves or denies, a denial with a reason."""
    user = user_of(actor)
    if user is None or not user.has_perm("reviews.decide_leave", leave):
        raise ProtocolViolation(
            rule="LB-2", message=_("Alleen de afdelingsleider (po: de directeur) beslist over verlof.")
        )
    reason = clean_text(reason or "").strip()[:TEXT_MAX]
    if not approve and not reason:
        raise ProtocolViolation(rule="LB-2", message=_("Geef een reden bij een afwijzing."))
    with transaction.atomic():
        leave = (
            LeaveRequest.objects.select_for_update()
            .select_related("meeting__group", "teacher")
            .get(pk=leave.pk)
        )
        if leave.state != LeaveState.REQUESTED:
            raise ProtocolViolation(rule="LB-2", message=_("Over deze aanvraag is al beslist."))
        _before_meeting(leave.meeting, _("De bespreking is al begonnen of voorbij."))
        leave.state = LeaveState.APPROVED if approve else LeaveState.DENIED
        leave.decided_by = staff_member(actor, leave.school_id)
        leave.decided_at = timezone.now()
        leave.decision_reason = reason
        leave.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
        group = leave.meeting.group.name
        if approve:
            body = _(
                "Je verlof voor de leerlingbespreking van %(group)s is toegekend. Lever vooraf je schriftelijke inbreng in: %(url)s"
            )
        else:
            body = _("Je verlof voor de leerlingbespreking van %(group)s is afgewezen: %(reason)s (%(url)s)")
        outbox.queue_staff_message(
            school=leave.meeting.school, staff=leave.teacher,
            subject=_("Besluit over je verlof (leerlingbespreking %(group)s)") % {"group": group},
            body=body % {"group": group, "reason": reason, "url": reverse("reviews_leave_detail", args=[leave.pk])},
            idempotency_key=f"reviews-leave-decided-{leave.pk}",
        )  # fmt: skip
        audit(actor=user, action="reviews.leave.approved" if approve else "reviews.leave.denied", obj=leave,
              data={"meeting": leave.meeting_id})  # fmt: skip
    return leave


def approved_leave(meeting: ReviewMeeting, teacher) -> LeaveRequest | None:
    return LeaveRequest.objects.filter(meeting=meeting, teacher=teacher, state=LeaveState.APPROVED).first()


def save_written_input(*, actor, meeting: ReviewMeeting, student: Student, text: str) -> WrittenInput:
    """LB-2: a teacher with leave hands in their input per student, in writing, before the meeting."""
    teacher = staff_member(actor, meeting.school_id)
    if teacher is None or approved_leave(meeting, teacher) is None:
        raise ProtocolViolation(
            rule="LB-2", message=_("Schriftelijke inbreng lever je in als je verlof hebt voor de bespreking.")
        )
    _before_meeting(meeting, _("De bespreking is al begonnen of voorbij; je inbreng is niet opgeslagen."))
    if not group_students(meeting.group).filter(pk=student.pk).exists():
        raise ProtocolViolation(
            rule="LB-2", message=_("Deze leerling hoort niet bij de groep van de bespreking.")
        )
    text = clean_text(text or "").strip()
    if not text or len(text) > TEXT_MAX:
        raise ProtocolViolation(
            rule="LB-2", message=_("Schrijf je inbreng (ten hoogste %(n)s tekens).") % {"n": TEXT_MAX}
        )
    with transaction.atomic():
        written, created = WrittenInput.objects.update_or_create(
            meeting=meeting, teacher=teacher, student=student,
            defaults={"school": meeting.school, "text": text, "updated_at": timezone.now()},
        )  # fmt: skip
        audit(actor=user_of(actor), action="reviews.written_input.saved", obj=written, student=student,
              data={"meeting": meeting.pk, "created": created})  # fmt: skip
    return written


def confirm_agreements_read(*, actor, meeting: ReviewMeeting) -> AgreementsRead:
    """LB-2, LB-12: after the meeting an (absent) teacher confirms reading the agreements. Twice: the first."""
    teacher = staff_member(actor, meeting.school_id)
    if not is_expected(meeting, teacher):
        raise ProtocolViolation(rule="LB-12", message=_("Je wordt niet bij deze bespreking verwacht."))
    if meeting.starts_at > timezone.now() or meeting.state == MeetingState.CANCELLED:
        raise ProtocolViolation(rule="LB-12", message=_("De afspraken lees je na de bespreking."))
    with transaction.atomic():
        read, created = AgreementsRead.objects.get_or_create(
            meeting=meeting, teacher=teacher, defaults={"school": meeting.school}
        )
        if created:
            audit(
                actor=user_of(actor), action="reviews.agreements.read", obj=read, data={"meeting": meeting.pk}
            )
    return read
