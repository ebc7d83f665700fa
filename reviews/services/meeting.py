"""The meeting itself (LB-6 … LB-10): tasks divided at the start, the student record, closing.

Every change compares `row_version` (two people in one screen never overwrite each other) and is
refused once the meeting is closed. Closing (LB-9) needs an agreement or a referral for every
discussed student; it files the minutes per student and starts the follow-up (LB-12, LB-13).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text

from ..models import MeetingState, ReviewMeeting
from ..models_meeting import DiscussionItem, MeetingMinutes, StudentDiscussion

STARTED = "reviews.meeting_mode.started"
DISCUSSION_SAVED = "reviews.discussion.saved"
CLOSED = "reviews.meeting_mode.closed"


def stale_message() -> str:
    return _(
        "Iemand anders heeft dit intussen gewijzigd. Je tekst staat nog in het formulier; kijk naar de "
        "nieuwe versie en sla opnieuw op."
    )


def check_version(obj, expected: int | None) -> None:
    """Optimistic lock: refuse a change made from an older version (nothing is overwritten)."""
    if expected is not None and obj.row_version != expected:
        raise ValidationError(stale_message(), code="stale")


def require_writable(meeting: ReviewMeeting) -> None:
    """A closed or cancelled meeting's record is final (LB-10: entered during the review itself)."""
    if meeting.state == MeetingState.CLOSED:
        raise ProtocolViolation(
            rule="LB-10", message=_("De bespreking is afgesloten; de notulen en afspraken liggen vast.")
        )
    if meeting.state == MeetingState.CANCELLED:
        raise ProtocolViolation(rule="LB-10", message=_("Deze bespreking is geannuleerd."))


def require_in_progress(meeting: ReviewMeeting) -> None:
    require_writable(meeting)
    if meeting.state != MeetingState.IN_PROGRESS:
        raise ProtocolViolation(
            rule="LB-6", message=_("Start eerst de bespreking en verdeel de taken (LB-6).")
        )


def locked_meeting(meeting: ReviewMeeting) -> ReviewMeeting:
    return ReviewMeeting.objects.select_for_update().select_related("school", "group").get(pk=meeting.pk)


def warned(text_warnings) -> list[str]:
    return sorted(set(text_warnings or ()))


def start_meeting(
    *, actor, meeting: ReviewMeeting, tasks: str, expected_version: int | None = None
) -> MeetingMinutes:
    """Open the meeting screen: the tasks are divided at the start (LB-6)."""
    tasks = clean_text(tasks or "").strip()
    if not tasks:
        raise ProtocolViolation(
            rule="LB-6",
            message=_("Verdeel eerst de taken (LB-6): wie leidt, wie bewaakt de tijd, wie notuleert."),
        )
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        require_writable(meeting)
        check_version(meeting, expected_version)
        if not DiscussionItem.objects.filter(discussion_list__meeting=meeting).exists():
            raise ProtocolViolation(rule="LB-5", message=_("De bespreeklijst is nog leeg (LB-5)."))
        minutes, _created = MeetingMinutes.objects.get_or_create(
            meeting=meeting, defaults={"school": meeting.school}
        )
        minutes.tasks = tasks
        minutes.started_at = minutes.started_at or timezone.now()
        minutes.row_version += 1
        minutes.save()
        meeting.state = MeetingState.IN_PROGRESS
        meeting.row_version += 1
        meeting.save(update_fields=["state", "row_version"])
        audit(actor=user_of(actor), action=STARTED, obj=meeting, school=meeting.school)
    return minutes


def save_student_discussion(
    *, actor, meeting: ReviewMeeting, student, values: dict, expected_version: int | None, text_warnings=()
) -> StudentDiscussion:
    """Strengths, concerns, the three questions (LB-7) and the minute-taker's notes for one student.

    `text_warnings`: the label warnings (LB-8) shown while typing, recorded with the discussion."""
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        require_in_progress(meeting)
        if not DiscussionItem.objects.filter(discussion_list__meeting=meeting, student=student).exists():
            raise ProtocolViolation(rule="LB-5", message=_("Deze leerling staat niet op de bespreeklijst."))
        discussion = (
            StudentDiscussion.objects.select_for_update().filter(meeting=meeting, student=student).first()
        )
        if discussion is None:
            if expected_version not in (None, 0):
                raise ValidationError(stale_message(), code="stale")
            discussion = StudentDiscussion(school=meeting.school, meeting=meeting, student=student,
                                           started_at=timezone.now())  # fmt: skip
        elif expected_version is None:  # a change to an existing record names the version it started from
            raise ValidationError(stale_message(), code="stale")
        else:
            check_version(discussion, expected_version)
        for name in StudentDiscussion.TEXT_FIELDS:
            if name in values:
                setattr(discussion, name, clean_text(values[name] or ""))
        discussion.text_warnings = warned([*discussion.text_warnings, *text_warnings])
        discussion.row_version += 1
        discussion.save()
        audit(actor=user_of(actor), action=DISCUSSION_SAVED, obj=discussion, school=meeting.school,
              student=student, data={"text_warnings": warned(text_warnings)})  # fmt: skip
    return discussion


def close_meeting(*, actor, meeting: ReviewMeeting, expected_version: int | None = None) -> ReviewMeeting:
    """Close the meeting (LB-9): refused while a discussed student has neither an agreement nor a
    referral. Files the minutes per student, starts the follow-up and the evaluations (LB-12, LB-13)."""
    from ..selectors_meeting import students_without_outcome
    from . import follow_up

    with transaction.atomic():
        meeting = locked_meeting(meeting)
        require_in_progress(meeting)
        check_version(meeting, expected_version)
        missing = students_without_outcome(meeting)
        if missing:  # LB-9
            raise ProtocolViolation(
                rule="LB-9",
                message=_(
                    "Elke besproken leerling krijgt een afspraak of een verwijzing (LB-9). Nog niet: %(names)s."
                )
                % {"names": ", ".join(s.full_name for s in missing)},
            )
        meeting.state = MeetingState.CLOSED
        meeting.closed_at = timezone.now()
        meeting.row_version += 1
        meeting.save(update_fields=["state", "closed_at", "row_version"])
        audit(actor=user_of(actor), action=CLOSED, obj=meeting, school=meeting.school)
        follow_up.after_meeting(actor=staff_member(actor, meeting.school_id) or actor, meeting=meeting)
    return meeting
