"""Shared look-ups of the meeting views: every object through get_permitted (404 + audit when denied)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from protocols.exceptions import ProtocolViolation
from schools.cleaning import parse_id
from schools.models import StaffMember, Student
from schools.views.common import get_permitted

from ..models import ReviewMeeting
from ..models_meeting import Agreement, Evaluation, FollowUp, Referral

MEETING_DENIED = "reviews.meeting_mode.view_denied"


def meeting_for(request, pk: int, perm: str = "reviews.meeting_view") -> ReviewMeeting:
    return get_permitted(
        request,
        # group__school: the permission reads the group's school; minutes: the meeting screen (issue 13).
        ReviewMeeting.objects.select_related(
            "school", "group__school", "protocol_version", "leader", "chair", "minute_taker", "minutes"
        ),
        pk,
        perm,
        action=MEETING_DENIED,
    )


def agreement_for(request, pk: int, perm: str) -> Agreement:
    return get_permitted(
        request,
        Agreement.objects.select_related("school", "meeting__school", "meeting__group", "student", "owner"),
        pk,
        perm,
        action="reviews.agreement.view_denied",
        student_field="student_id",
    )


def evaluation_for(request, pk: int, perm: str = "reviews.agreement_evaluate") -> Evaluation:
    """LB-13: whoever may evaluate the agreement may report its evaluation back; else a 404 (recorded)."""
    evaluation = Evaluation.objects.filter(pk=pk).first() if parse_id(pk) is not None else None
    agreement_for(request, evaluation.agreement_id if evaluation else 0, perm)
    return evaluation


def referral_for(request, pk: int, perm: str = "reviews.referral_view") -> Referral:
    return get_permitted(
        request,
        Referral.objects.select_related("school", "student", "meeting__group", "created_by"),
        pk,
        perm,
        action="reviews.referral.view_denied",
        student_field="student_id",
    )


def follow_up_for(request, pk: int) -> FollowUp:
    return get_permitted(
        request,
        FollowUp.objects.select_related("school", "student", "meeting__school", "meeting__group"),
        pk,
        "reviews.follow_up_record",
        action="reviews.follow_up.view_denied",
        student_field="student_id",
    )


def student_on_list(meeting: ReviewMeeting, pk: int) -> Student:
    """A student of this meeting's discussion list, or 404."""
    from ..models_meeting import DiscussionItem

    item = (
        DiscussionItem.objects.filter(discussion_list__meeting=meeting, student_id=pk)
        .select_related("student")
        .first()
    )
    if item is None:
        raise Http404
    return item.student


def meeting_staff(meeting: ReviewMeeting):
    """Who may own or carry out an agreement: the school's active staff."""
    return StaffMember.objects.filter(school_id=meeting.school_id, active=True).order_by(
        "last_name", "first_name"
    )


def error_text(error) -> str:
    if isinstance(error, ProtocolViolation):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
