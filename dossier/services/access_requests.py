"""Inzageverzoeken (AVG-1, AVG art. 15): request, review, build the complete file, hand over.

The one-month deadline (AVG-1) goes through the shared deadline service.

Who builds the export (AVG-1 against AVG-4). The requester gets the whole file, every level; but no
staff member may read through an export what their role cannot read on the page. So an export holds
what its builder may read (`readable_levels`, the health mark included):
- the care coordinator builds it: it holds the team and care-team levels, not the director-only
  part. The request is then "ready" but not complete, and the director gets a deadline
  ("Inzageverzoek: deel voor de directie toevoegen", rule AVG-4);
- the director adds the director-only part by building the export again (the director reads every
  level). The same step confirms there is none when there is none: the coordinator cannot know,
  since she does not see that level. The request is complete (`export_complete`);
- the hand-over is recorded only for a complete export (AVG-1), by the coordinator or the director;
- each file may be downloaded only by someone who may read its level (`export_level`): the
  complete export by the director only, who hands it to the requester.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import Deadline
from deadlines.services.deadlines import complete_deadlines_for, create_deadline, open_deadlines_for
from dossier.entry_kinds import entry_kind_choices
from dossier.models import AccessRequest, AccessRequestState, DossierEntry, EntryKind, Visibility
from dossier.pdf import html_to_pdf
from dossier.redaction import redactor_for
from dossier.selectors import readable_levels
from dossier.services.record import record
from portal.queries import AGE_OF_OWN_RIGHTS, active_authority_q, age_on
from protocols.exceptions import ProtocolViolation
from schools.access import get_access
from schools.actors import staff_member, user_of
from schools.models import Guardian, Role, StaffMember, Student, User
from signatures.models import SignableDocument


def one_month_after(day: datetime.date) -> datetime.date:
    """Same day next month; the month's last day when that day does not exist (31 Jan → 28/29 Feb)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _care_owner(school, fallback: StaffMember | None) -> StaffMember:
    for role in (Role.CARE_COORDINATOR, Role.DIRECTOR):
        staff = (
            StaffMember.objects.filter(school=school, active=True, role_assignments__role=role)
            .order_by("pk")
            .first()
        )
        if staff:
            return staff
    if fallback is None:
        raise ValidationError(
            _("Deze school heeft geen intern begeleider of directeur om het verzoek te behandelen.")
        )
    return fallback


def _track_deadline(*, request: AccessRequest, owner: StaffMember) -> Deadline:
    """AVG-1: answer within one month. No student name in the title: reminders and the
    calendar feed leave the school's systems; the deadline links to the student instead."""
    return create_deadline(
        school=request.school,
        owner=owner,
        student=request.student,
        title="Inzageverzoek beantwoorden",
        rule="AVG-1",
        due_on=request.due_on,
        source=request,
        url=reverse("access_request_detail", args=[request.pk]),
    )


def _close_deadline(*, request: AccessRequest, actor=None) -> None:
    complete_deadlines_for(request, actor=actor, rule="AVG-1")


def request_access(
    *,
    requester: Guardian | Student | User,
    student: Student,
    actor=None,
    received_at: datetime.datetime | None = None,
    address: str = "",
) -> AccessRequest:
    """Register an access request. AVG-1: a guardian with authority for a child under 16; from 16
    only the student themself. `actor` is who types it in (a staff member, or the requester's user)."""
    received_at = received_at or timezone.now()
    age = age_on(student, timezone.localdate(received_at))
    if isinstance(requester, User):
        if getattr(student, "user_id", None) != requester.pk:
            raise ProtocolViolation(rule="AVG-1", message=_("Alleen de leerling zelf kan dit verzoek doen."))
        requester = student
    if isinstance(requester, Guardian):
        if not requester.relations.filter(active_authority_q(), student=student).exists():
            raise ProtocolViolation(  # AVG-1
                rule="AVG-1",
                message=_(
                    "Alleen een ouder of verzorger met ouderlijk gezag kan inzage vragen in dit dossier."
                ),
            )
        if age is not None and age >= AGE_OF_OWN_RIGHTS:
            raise ProtocolViolation(  # AVG-1
                rule="AVG-1",
                message=_(
                    "%(name)s is 16 jaar of ouder en vraagt zelf inzage aan; "
                    "een ouder kan dat niet meer namens de leerling doen."
                )
                % {"name": student.first_name},
            )
        label, by_guardian, by_student = requester.full_name, requester, False
    elif isinstance(requester, Student):
        if requester.pk != student.pk:
            raise ProtocolViolation(
                rule="AVG-1", message=_("Een leerling kan alleen inzage in het eigen dossier vragen.")
            )
        if age is None or age < AGE_OF_OWN_RIGHTS:
            raise ProtocolViolation(  # AVG-1
                rule="AVG-1",
                message=_(
                    "Onder de 16 jaar vraagt een ouder met ouderlijk gezag inzage aan, niet de leerling zelf."
                ),
            )
        label, by_guardian, by_student = student.full_name, None, True
    else:
        raise ValidationError(_("Onbekende aanvrager."))
    owner = _care_owner(student.school, staff_member(actor, student.school))
    with transaction.atomic():
        request = AccessRequest.objects.create(
            school=student.school,
            student=student,
            requested_by_guardian=by_guardian,
            requested_by_student=by_student,
            requester_label=label,
            received_at=received_at,
            due_on=one_month_after(timezone.localdate(received_at)),
        )
        _track_deadline(request=request, owner=owner)
        record(
            student=student,
            kind=EntryKind.ACCESS_REQUEST,
            title=f"Inzageverzoek ontvangen van {label}",
            actor=actor,
            occurred_at=received_at,
            parent_visible=True,
            source=request,
            address=address,
        )
        audit(
            actor=user_of(actor),
            action="dossier.access_request.received",
            obj=request,
            student=student,
            data={"requester": label, "due_on": request.due_on.isoformat()},
            address=address,
        )
    return request


def _locked(request: AccessRequest, allowed: tuple[str, ...]) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state not in allowed:
        raise ValidationError(
            _("Dit verzoek heeft status '%(state)s'; die stap kan nu niet.")
            % {"state": locked.get_state_display()}
        )
    return locked


def start_review(*, actor, request: AccessRequest, note: str = "") -> AccessRequest:
    with transaction.atomic():
        request = _locked(request, (AccessRequestState.RECEIVED,))
        request.state = AccessRequestState.IN_REVIEW
        request.reviewer = staff_member(actor, request.school)
        request.review_note = note.strip()
        request.save(update_fields=["state", "reviewer", "review_note", "updated_at"])
        audit(
            actor=user_of(actor),
            action="dossier.access_request.review_started",
            obj=request,
            student=request.student,
        )
    return request


def refuse_access_request(*, actor, request: AccessRequest, reason: str) -> AccessRequest:
    if not reason.strip():
        raise ValidationError(_("Schrijf de reden van de afwijzing op; de aanvrager krijgt die te horen."))
    with transaction.atomic():
        request = _locked(request, (AccessRequestState.RECEIVED, AccessRequestState.IN_REVIEW))
        request.state = AccessRequestState.REFUSED
        request.refusal_reason = reason.strip()
        request.reviewer = request.reviewer or staff_member(actor, request.school)
        request.save(update_fields=["state", "refusal_reason", "reviewer", "updated_at"])
        record(
            student=request.student,
            kind=EntryKind.ACCESS_REQUEST,
            title="Inzageverzoek afgewezen",
            body=request.refusal_reason,
            actor=actor,
            parent_visible=True,
            source=request,
        )
        audit(
            actor=user_of(actor),
            action="dossier.access_request.refused",
            obj=request,
            student=request.student,
        )
        _close_deadline(request=request, actor=actor)
    return request


def export_data(student: Student, *, levels: list[str] | None = None, health: bool = True) -> dict:
    """The file of `student`, other children redacted: every entry at every level (AVG-1), or only
    those at `levels` (and without health-marked ones unless `health`) — what the builder may read
    (AVG-4)."""
    redact = redactor_for(student)
    # Labels translated once per export, not once per entry.
    kind_labels = {value: str(label) for value, label in entry_kind_choices()}
    visibility_labels = {value: str(label) for value, label in Visibility.choices}
    entries = DossierEntry.objects.filter(student=student).order_by("occurred_at", "pk")
    if levels is not None:
        entries = entries.filter(visibility__in=levels)
    if not health:
        entries = entries.filter(is_health=False)
    documents = (
        SignableDocument.objects.filter(student=student)
        .prefetch_related("versions__signatures")
        .order_by("created_at", "pk")
    )
    return {
        "student": {
            "name": student.full_name,
            "student_number": student.student_number,
            "date_of_birth": student.date_of_birth,
            "school": student.school.name,
        },
        "entries": [
            {
                "id": e.pk,
                "kind": e.kind,
                "kind_label": kind_labels.get(e.kind, e.kind),
                "title": redact(e.title),
                "body": redact(e.body),
                "occurred_at": e.occurred_at,
                "recorded_at": e.recorded_at,
                "author": e.author_label,
                "visibility": visibility_labels[e.visibility],
                "parent_visible": e.parent_visible,
                "is_health": e.is_health,
                "corrects": e.corrects_id,
            }
            for e in entries.iterator(chunk_size=500)
        ],
        "documents": [
            {
                "title": redact(d.title),
                "versions": [
                    {
                        "number": v.number,
                        "created_at": v.created_at,
                        "sha256": v.sha256,
                        "content": redact(v.content),
                        "signatures": [
                            {
                                "signer": s.signer_label,
                                "decision": s.get_decision_display(),
                                "method": s.get_method_display(),
                                "signed_at": s.signed_at,
                                "remark": redact(s.remark),
                                "sha256": s.sha256,
                            }
                            for s in v.signatures.all()
                        ],
                    }
                    for v in sorted(d.versions.all(), key=lambda v: v.number)
                ],
            }
            for d in documents
        ],
    }


def render_pdf(html: str) -> bytes:
    return html_to_pdf(html)


def build_access_export(*, actor, request: AccessRequest) -> AccessRequest:
    """Build the complete file as one PDF and one JSON; the request becomes ready to hand over."""
    with transaction.atomic():
        request = _locked(
            request, (AccessRequestState.RECEIVED, AccessRequestState.IN_REVIEW, AccessRequestState.READY)
        )
        # AVG-4: the export holds what the builder may read; only a director's build is complete.
        access = get_access(user_of(actor), request.school) if user_of(actor) is not None else None
        levels = readable_levels(access) if access is not None else []
        complete = access is not None and access.is_director and access.is_care_team
        data = export_data(request.student, levels=levels, health=access is not None and access.is_care_team)
        generated_at = timezone.now()
        meta = {"request": request.pk, "received_at": request.received_at, "generated_at": generated_at}
        html = render_to_string(
            "dossier/access_requests_export.html",
            {"data": data, "request": request, "generated_at": generated_at},
        )
        pdf_bytes = render_pdf(html)
        json_bytes = json.dumps(
            {**meta, **data}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        ).encode()
        stamp = generated_at.strftime("%Y%m%d-%H%M%S")
        for field in ("pdf", "json"):
            old = getattr(request, field)
            if old:
                old.delete(save=False)
        request.pdf.save(f"inzage-{request.pk}-{stamp}.pdf", ContentFile(pdf_bytes), save=False)
        request.json.save(f"inzage-{request.pk}-{stamp}.json", ContentFile(json_bytes), save=False)
        request.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        request.json_sha256 = hashlib.sha256(json_bytes).hexdigest()
        request.built_at = generated_at
        request.state = AccessRequestState.READY
        request.export_level = levels[-1] if levels else ""
        request.export_complete = complete
        builder = staff_member(actor, request.school)
        request.director_part_by = builder if complete else None
        request.director_part_at = generated_at if complete else None
        if not complete:
            request.reviewer = request.reviewer or builder
        request.save()
        if complete:
            _close_director_deadline(request=request, actor=actor)
        else:
            _ask_director(request=request)
        audit(
            actor=user_of(actor),
            action="dossier.access_request.built",
            obj=request,
            student=request.student,
            data={
                "entries": len(data["entries"]),
                "pdf_sha256": request.pdf_sha256,
                "level": request.export_level,
                "complete": complete,
            },
        )
    return request


DIRECTOR_PART_RULE = "AVG-4"


def _ask_director(*, request: AccessRequest) -> None:
    """A deadline for the school's director: add the director-only part (or confirm there is none)."""
    if open_deadlines_for(request).filter(rule=DIRECTOR_PART_RULE).exists():
        return
    director = (
        StaffMember.objects.filter(school=request.school, active=True, role_assignments__role=Role.DIRECTOR)
        .order_by("pk")
        .first()
    )
    if director is None:
        return  # the detail page says so; the hand-over stays refused
    create_deadline(
        school=request.school,
        owner=director,
        student=request.student,
        title="Inzageverzoek: deel voor de directie toevoegen",
        rule=DIRECTOR_PART_RULE,
        due_on=request.due_on,
        source=request,
        url=reverse("access_request_detail", args=[request.pk]),
    )


def _close_director_deadline(*, request: AccessRequest, actor=None) -> None:
    complete_deadlines_for(request, actor=actor, rule=DIRECTOR_PART_RULE)


def may_download_export(access, request: AccessRequest) -> bool:
    """AVG-4: the built files are read only by someone who may read every level they hold."""
    if not request.export_level:
        return False
    levels = readable_levels(access)
    return request.export_level in levels and access.is_care_team


def hand_over_access_request(*, actor, request: AccessRequest, note: str = "") -> AccessRequest:
    """Record that the requester received the file: in the file, the audit log; the deadline is done."""
    with transaction.atomic():
        request = _locked(request, (AccessRequestState.READY,))
        if not request.export_complete:
            raise ProtocolViolation(  # AVG-1: the whole file, the director-only part included
                rule="AVG-1",
                message=_(
                    "Het dossier is nog niet compleet: de directeur voegt het deel toe dat alleen de "
                    "directie mag lezen (of bevestigt dat er geen is) door het dossier samen te stellen."
                ),
            )
        request.state = AccessRequestState.HANDED_OVER
        request.handed_over_at = timezone.now()
        request.handed_over_by = staff_member(actor, request.school)
        request.hand_over_note = note.strip()
        request.save()
        record(
            student=request.student,
            kind=EntryKind.ACCESS_REQUEST,
            title=f"Inzage verstrekt aan {request.requester_label}",
            body=request.hand_over_note,
            actor=actor,
            parent_visible=True,
            source=request,
        )
        audit(
            actor=user_of(actor),
            action="dossier.access_request.handed_over",
            obj=request,
            student=request.student,
            data={"pdf_sha256": request.pdf_sha256, "json_sha256": request.json_sha256},
        )
        _close_deadline(request=request, actor=actor)
    return request
