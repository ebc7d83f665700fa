"""Preparing the meeting (LB-3, LB-5): the mentor, with the care coordinator, puts students on the
discussion list with their hulpvraag, leerdoel and questions for the subject teachers, and sends the
list to every teacher of the class; the list prints as PDF.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.services.deadlines import complete_deadline, open_deadlines_for
from dossier.pdf import html_to_pdf
from messaging.services.outbox import queue_staff_message
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text

from ..models import ReviewMeeting
from ..models_meeting import DiscussionItem, DiscussionList
from .meeting import check_version, locked_meeting, require_writable, stale_message, warned
from .planning import STEP_DISCUSSION_LIST

ITEM_SAVED = "reviews.discussion_item.saved"
ITEM_REMOVED = "reviews.discussion_item.removed"
LIST_SENT = "reviews.discussion_list.sent"
ITEM_FIELDS = ("reason", "hulpvraag", "leerdoel", "questions")


def _in_group(meeting: ReviewMeeting, student) -> bool:
    from ..selectors_meeting import group_students

    return any(s.pk == student.pk for s in group_students(meeting))


def save_discussion_item(
    *,
    actor,
    meeting: ReviewMeeting,
    student,
    values: dict,
    expected_version: int | None = None,
    text_warnings=(),
) -> DiscussionItem:
    """Put a student on the list or change their hulpvraag, leerdoel and questions (LB-3, LB-5)."""
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        require_writable(meeting)
        if student.school_id != meeting.school_id or not _in_group(meeting, student):
            raise ProtocolViolation(rule="LB-1", message=_("Deze leerling zit niet in deze klas."))
        dlist, _created = DiscussionList.objects.get_or_create(
            meeting=meeting, defaults={"school": meeting.school}
        )
        item = (
            DiscussionItem.objects.select_for_update().filter(discussion_list=dlist, student=student).first()
        )
        if item is None:
            if expected_version not in (None, 0):
                raise ValidationError(stale_message(), code="stale")
            position = (dlist.items.aggregate(m=Max("position"))["m"] or 0) + 1
            item = DiscussionItem(
                school=meeting.school, discussion_list=dlist, student=student, position=position
            )
        elif expected_version is None:  # a change to an existing record names the version it started from
            raise ValidationError(stale_message(), code="stale")
        else:
            check_version(item, expected_version)
        for name in ITEM_FIELDS:
            if name in values:
                setattr(item, name, clean_text(values[name] or "").strip())
        item.text_warnings = warned([*item.text_warnings, *text_warnings])
        item.row_version += 1
        item.save()
        audit(actor=user_of(actor), action=ITEM_SAVED, obj=item, school=meeting.school, student=student,
              data={"text_warnings": warned(text_warnings)})  # fmt: skip
    return item


def remove_discussion_item(*, actor, item: DiscussionItem) -> None:
    with transaction.atomic():
        meeting = locked_meeting(item.discussion_list.meeting)
        require_writable(meeting)
        if meeting.state != "planned":
            raise ProtocolViolation(rule="LB-6", message=_("De bespreking is begonnen; de agenda ligt vast."))
        audit(
            actor=user_of(actor), action=ITEM_REMOVED, obj=item, school=meeting.school, student=item.student
        )
        item.delete()


def send_discussion_list(*, actor, meeting: ReviewMeeting) -> DiscussionList:
    """LB-5: the list goes to every teacher who teaches the class (staff messages, once per version)."""
    from ..selectors_meeting import group_teachers

    with transaction.atomic():
        meeting = locked_meeting(meeting)
        require_writable(meeting)
        dlist = DiscussionList.objects.select_for_update().filter(meeting=meeting).first()
        items = list(dlist.items.select_related("student")) if dlist else []
        if not items:
            raise ProtocolViolation(
                rule="LB-5", message=_("Zet eerst leerlingen op de bespreeklijst (LB-5).")
            )
        missing = [i.student.first_name for i in items if not i.hulpvraag or not i.questions]
        if missing:
            raise ProtocolViolation(
                rule="LB-5",
                message=_("Schrijf per leerling een hulpvraag en de vragen aan de vakdocenten (LB-3, LB-5). "
                          "Nog niet: %(names)s.") % {"names": ", ".join(missing)},
            )  # fmt: skip
        dlist.sent_at, dlist.sent_by = timezone.now(), staff_member(actor, meeting.school_id)
        dlist.row_version += 1
        dlist.save()
        teachers = group_teachers(meeting)
        for teacher in teachers:
            _queue_list(meeting=meeting, dlist=dlist, items=items, teacher=teacher)
        for deadline in open_deadlines_for(meeting).filter(
            step_code=STEP_DISCUSSION_LIST
        ):  # LB-5: the step is done
            complete_deadline(deadline=deadline, actor=actor)
        audit(actor=user_of(actor), action=LIST_SENT, obj=meeting, school=meeting.school,
              data={"students": len(items), "teachers": len(teachers)})  # fmt: skip
    return dlist


def _list_key(dlist: DiscussionList, teacher) -> str:
    return f"reviews.discussion_list.{dlist.pk}.{dlist.row_version}.{teacher.pk}"


def _queue_list(
    *, meeting: ReviewMeeting, dlist: DiscussionList, items: list[DiscussionItem], teacher
) -> bool:
    """The discussion list to one teacher, once per sent version (the outbox's idempotency key)."""
    when = timezone.localtime(meeting.starts_at)
    lines = "\n\n".join(
        _("%(name)s\nHulpvraag: %(hulpvraag)s\nLeerdoel: %(leerdoel)s\nVragen aan jou: %(questions)s") % {
            "name": i.student.full_name, "hulpvraag": i.hulpvraag, "leerdoel": i.leerdoel or "—",
            "questions": i.questions}
        for i in items
    )  # fmt: skip
    _message, created = queue_staff_message(
        school=meeting.school, staff=teacher,
        subject=_("Bespreeklijst %(group)s voor %(date)s") % {"group": meeting.group.name,
                                                              "date": when.strftime("%d-%m-%Y")},
        body=_("Beste %(name)s,\n\nDe leerlingen die we op %(date)s bespreken, met de vragen aan de "
               "vakdocenten:\n\n%(lines)s\n") % {"name": teacher.first_name or teacher.full_name,
                                                  "date": when.strftime("%d-%m-%Y %H:%M"), "lines": lines},
        idempotency_key=_list_key(dlist, teacher),
    )  # fmt: skip
    return created


def send_list_to_new_teachers(*, meeting: ReviewMeeting) -> int:
    """LB-5: a teacher who got a teaching assignment in the group after the list was sent gets it too
    (the periodic job). One query for the ones who have it; nothing when the list is not sent."""
    from messaging.models import Message

    from ..selectors_meeting import group_teachers

    dlist = DiscussionList.objects.filter(meeting=meeting, sent_at__isnull=False).first()
    if dlist is None:
        return 0
    teachers = group_teachers(meeting)
    keys = {_list_key(dlist, t): t for t in teachers}
    have = set(
        Message.objects.filter(idempotency_key__in=list(keys)).values_list("idempotency_key", flat=True)
    )
    missing = [t for key, t in keys.items() if key not in have]
    if not missing:
        return 0
    items = list(dlist.items.select_related("student"))
    with transaction.atomic():
        return sum(_queue_list(meeting=meeting, dlist=dlist, items=items, teacher=t) for t in missing)


def discussion_list_pdf(*, meeting: ReviewMeeting) -> bytes:
    from ..selectors_meeting import agenda

    html = render_to_string(
        "reviews/meeting/discussion_list_pdf.html", {"meeting": meeting, "items": agenda(meeting)}
    )
    return html_to_pdf(html)
