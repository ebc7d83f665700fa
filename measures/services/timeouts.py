"""SV-1 time-out: impose, contact the parents, the talk, the signed report, one extension at most."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import TermUnit
from deadlines.services.deadline_schedules import Step
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from messaging.services.messages import compose_letter
from protocols.exceptions import ProtocolViolation
from schools.access import get_access
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Student
from signatures.models import DocumentKind, SignableDocument
from signatures.services.signatures import require_signatures, signable_letter

from ..models import DayPart, TimeOut
from .common import (
    add_deadlines,
    bump,
    complete_step,
    director_of,
    move_to_measures_step,
    version_for,
)

CONTACT, TALK = "sv1.contact_parents", "sv1.talk"


def impose_time_out(
    *,
    actor,
    student: Student,
    incident: str,
    on_date: datetime.date | None = None,
    part: str = DayPart.DAY,
    home_part_by_director: bool = False,
) -> TimeOut:
    """SV-1: after a serious incident, with immediate effect, the student is denied the group (not the
    school) for a day or part of it. Prompts the contact with the parents (today) and plans the talk
    with parents, class teacher and director (the same day if possible)."""
    incident = clean_text(incident).strip()
    if not incident:
        raise ValidationError(_("Beschrijf het ernstige incident dat tot de time-out leidt (SV-1)."))
    if part not in DayPart.values:
        raise ValidationError(_("Kies de hele dag of een deel van de dag."))
    school = student.school
    staff = staff_member(actor, school)
    if staff is None:
        raise ValidationError(_("Alleen een medewerker van de school legt een time-out op."))
    if home_part_by_director:
        # SV-1: home for part of the day only by the director's decision.
        if not get_access(user_of(actor), school).is_director:
            raise ProtocolViolation(
                rule="SV-1",
                message=_("Alleen de directeur kan besluiten dat de leerling een deel van de dag thuis is."),
            )
        if part != DayPart.PART:
            raise ValidationError(
                _("Thuis kan alleen voor een deel van de dag; de time-out weigert de groep, niet de school.")
            )
    today = timezone.localdate()
    with transaction.atomic():
        time_out = TimeOut.objects.create(
            school=school, student=student, protocol_version=version_for(school),
            behaviour_case=move_to_measures_step(student, actor=actor, rule="SV-1"), incident=incident, on_date=on_date or today,
            part=part, home_part_by_director=home_part_by_director, created_by=staff,
        )  # fmt: skip
        record(student=student, kind=EntryKind.INCIDENT, title=_("Ernstig incident"), body=incident,
               actor=actor, source=time_out, visibility=Visibility.TEAM)  # fmt: skip
        record(student=student, kind=EntryKind.MEASURE, title=_("Time-out (%(part)s)") % {"part": time_out.get_part_display()},
               body=_("Met onmiddellijke ingang: niet in de groep, wel op school (SV-1)."), actor=actor,
               source=time_out, parent_visible=True)  # fmt: skip
        director = director_of(school, fallback=staff)
        add_deadlines(anchor=time_out, student=student, actor=actor, code="sv1", steps=[
            Step(CONTACT, 0, TermUnit.SCHOOL_DAYS, _("Ouders informeren over de time-out"), staff, rule="SV-1",
                 url=f"/maatregelen/time-out/{time_out.pk}/"),
            Step(TALK, 0, TermUnit.SCHOOL_DAYS, _("Gesprek ouders, groepsleerkracht en directeur (time-out)"),
                 director, rule="SV-1", url=f"/maatregelen/time-out/{time_out.pk}/"),
        ])  # fmt: skip
        audit(actor=user_of(actor), action="measures.time_out.imposed", obj=time_out, student=student,
              data={"part": part, "home_part": home_part_by_director})  # fmt: skip
    return time_out


def record_parents_contacted(
    *, actor, time_out: TimeOut, talk_at: datetime.datetime | None = None
) -> TimeOut:
    """SV-1: the parents were told as soon as possible; the talk is planned (the same day if possible)."""
    with transaction.atomic():
        time_out = TimeOut.objects.select_for_update().get(pk=time_out.pk)
        time_out.parents_contacted_at = timezone.now()
        time_out.talk_at = talk_at
        bump(time_out, ["parents_contacted_at", "talk_at"])
        complete_step(time_out, CONTACT, actor)
        record(student=time_out.student, kind=EntryKind.TALK, title=_("Ouders geïnformeerd over de time-out"),
               actor=actor, source=time_out, parent_visible=True)  # fmt: skip
        audit(actor=user_of(actor), action="measures.time_out.parents_contacted", obj=time_out,
              student=time_out.student, data={"talk_at": str(talk_at or "")})  # fmt: skip
    return time_out


def record_time_out_talk(*, actor, time_out: TimeOut, notes: str) -> SignableDocument:
    """SV-1: the incident and the talk in writing, a PDF the parents sign, filed with the time-out."""
    notes = clean_text(notes).strip()
    if not notes:
        raise ValidationError(_("Schrijf op wat er in het gesprek is besproken."))
    with transaction.atomic():
        time_out = TimeOut.objects.select_for_update().get(pk=time_out.pk)
        if time_out.report_id:
            raise ValidationError(
                _("Het verslag van deze time-out is al gemaakt; wijzig het als nieuwe versie.")
            )
        letter = compose_letter(
            actor=actor, student=time_out.student, template_code="sv.time_out.report", source=time_out,
            context={"on_date": time_out.on_date, "incident": time_out.incident, "talk": notes},
        )  # fmt: skip
        document = signable_letter(actor=actor, letter=letter, kind=DocumentKind.LETTER, source=time_out)
        time_out.talk_notes = notes
        time_out.report = document
        bump(time_out, ["talk_notes", "report"])
        complete_step(time_out, TALK, actor)
        audit(actor=user_of(actor), action="measures.time_out.report_made", obj=time_out,
              student=time_out.student, data={"document": document.pk, "letter": letter.pk})  # fmt: skip
    return document


def require_report_signed(time_out: TimeOut) -> None:
    """SV-1: the written record is signed by the parents before the time-out is complete."""
    if time_out.report is None:
        raise ProtocolViolation(rule="SV-1", message=_("Het verslag van incident en gesprek ontbreekt nog."))
    require_signatures(time_out.report.current_version, rule="SV-1")


def extend_time_out(*, actor, time_out: TimeOut, days: int = 1, reason: str = "") -> TimeOut:
    """SV-1: one extension by at most the declared number of days (1); after that only suspension remains."""
    reason = clean_text(reason).strip()
    with transaction.atomic():
        time_out = TimeOut.objects.select_for_update().get(pk=time_out.pk)
        maximum = time_out.setting("timeout_extension_max_days")
        if time_out.extended_days or days < 1 or days > maximum:
            raise ProtocolViolation(  # SV-1
                rule="SV-1",
                message=_(
                    "Een time-out mag één keer met ten hoogste %(max)s dag worden verlengd. "
                    "Daarna blijft alleen schorsing over."
                )
                % {"max": maximum},
            )
        time_out.extended_days = days
        bump(time_out, ["extended_days"])
        record(student=time_out.student, kind=EntryKind.MEASURE, title=_("Time-out verlengd met één dag"),
               body=reason, actor=actor, source=time_out, parent_visible=True)  # fmt: skip
        audit(actor=user_of(actor), action="measures.time_out.extended", obj=time_out,
              student=time_out.student, data={"days": days})  # fmt: skip
    return time_out
