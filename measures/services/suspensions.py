"""SV-2, GP-23, LAW-1: suspension at most the declared number of school days, with its letters and notices."""

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
from messaging.services.messages import send_letter
from protocols.exceptions import ProtocolViolation
from schools import calendar
from schools.actors import user_of
from schools.cleaning import clean_text
from schools.models import StaffMember, Student

from ..models import NationalTestDecision, Suspension, SuspensionMode
from .common import (
    add_deadlines,
    bump,
    complete_step,
    is_adult,
    move_to_measures_step,
    require_director,
    version_for,
)

BOARD, INSPECTORATE, ATTENDANCE, TEST = (
    "sv2.inform_board",
    "law1.inspectorate",
    "sv2.attendance_officer",
    "sv2.test",
)


def national_tests_between(version, start: datetime.date, end: datetime.date) -> list[str]:
    """The national tests (a setting: "JJJJ-MM-DD naam" per line) that fall in the period."""
    found = []
    for line in version.value("national_test_dates"):
        head, _sep, name = line.partition(" ")
        try:
            day = datetime.date.fromisoformat(head)
        except ValueError:
            continue
        if start <= day <= end:
            found.append(f"{name.strip() or _('landelijke toets')} ({day.strftime('%d-%m-%Y')})")
    return found


def suspend(
    *,
    actor,
    student: Student,
    grounds: list[str],
    reasons: str,
    start_on: datetime.date,
    school_days: int,
    mode: str,
    catch_up_work: str,
    contact_person: StaffMember | None,
    meeting_at: datetime.datetime | None = None,
) -> Suspension:
    """The director suspends on the board's behalf (LAW-1): proposes it to the board, or acts at once
    when safety requires and informs the board afterwards (SV-2). The decision letter goes out at once."""
    school = student.school
    staff = require_director(actor, school, rule="LAW-1")
    version = version_for(school)
    reasons = clean_text(reasons).strip()
    catch_up_work = clean_text(catch_up_work).strip()
    allowed = {g.casefold(): g for g in version.value("suspension_grounds")}
    chosen = [allowed[g.casefold()] for g in grounds if g and g.casefold() in allowed]
    if not chosen or len(chosen) != len([g for g in grounds if g]):  # GP-23
        raise ProtocolViolation(
            rule="GP-23", message=_("Kies ten minste één grond voor schorsing uit het protocol (GP-23).")
        )
    if not reasons:
        raise ValidationError(
            _("Schrijf de redenen van de schorsing op; ze staan in de brief aan de ouders (LAW-1).")
        )
    if mode not in SuspensionMode.values:
        raise ValidationError(_("Kies: voorstel aan het bestuur of direct handelen om de veiligheid."))
    maximum = version.value("suspension_max_school_days")
    if not 1 <= school_days <= maximum:  # LAW-1, SV-2
        raise ProtocolViolation(
            rule="SV-2",
            message=_("Een schorsing duurt ten hoogste %(max)s schooldagen (SV-2, LAW-1).")
            % {"max": maximum},
        )
    if not catch_up_work or contact_person is None:  # SV-2: the student must not fall behind
        raise ProtocolViolation(
            rule="SV-2",
            message=_("Leg vast welk schoolwerk de leerling krijgt en wie de contactpersoon is (SV-2)."),
        )
    if contact_person.school_id != school.pk:
        raise ValidationError(_("De contactpersoon werkt op een andere school."))
    first = calendar.add_school_days(school, start_on, 0)
    last = calendar.add_school_days(school, first, school_days - 1)  # counted on the school calendar
    tests = national_tests_between(version, first, last)
    with transaction.atomic():
        suspension = Suspension.objects.create(
            school=school, student=student, protocol_version=version, behaviour_case=move_to_measures_step(student, actor=actor, rule="SV-2"),
            grounds=chosen, reasons=reasons, mode=mode, start_on=first, school_days=school_days, end_on=last,
            meeting_at=meeting_at, catch_up_work=catch_up_work, contact_person=contact_person,
            national_test="; ".join(tests), created_by=staff,
            board_informed_at=timezone.now() if mode == SuspensionMode.PROPOSED else None,
        )  # fmt: skip
        record(student=student, kind=EntryKind.MEASURE,
               title=_("Schorsing %(first)s t/m %(last)s (%(days)s schooldagen)") % {
                   "first": first.strftime("%d-%m-%Y"), "last": last.strftime("%d-%m-%Y"), "days": school_days},
               body=reasons, actor=actor, source=suspension, parent_visible=True)  # fmt: skip
        record(student=student, kind=EntryKind.ATTENDANCE, title=_("Geoorloofd afwezig: schorsing (geen verzuim)"),
               actor=actor, source=suspension, parent_visible=True, visibility=Visibility.TEAM)  # fmt: skip
        record(student=student, kind=EntryKind.MEASURE,
               title=(_("Schorsing voorgesteld aan het bestuur") if mode == SuspensionMode.PROPOSED
                      else _("Direct geschorst om de veiligheid; bestuur wordt achteraf geïnformeerd")),
               actor=actor, source=suspension, visibility=Visibility.DIRECTOR)  # fmt: skip
        rule = {
            "to": ["guardians_with_authority", *(["student"] if is_adult(student) else [])],
            "cc": ["director"],
        }
        letter = send_letter(
            actor=actor, student=student, template_code="sv.suspension.decision", source=suspension,
            recipients=rule, context={"start": first, "end": last, "days": school_days,
                                      "reason": "; ".join(chosen) + ". " + reasons, "meeting_at": meeting_at},
        )  # fmt: skip
        suspension.decision_letter = letter
        if suspension.needs_notices:
            suspension.inspectorate_text = inspectorate_text(suspension)
        suspension.save(update_fields=["decision_letter", "inspectorate_text"])
        steps = []
        url = f"/maatregelen/schorsing/{suspension.pk}/"
        if mode == SuspensionMode.URGENT:
            steps.append(Step(BOARD, 0, TermUnit.SCHOOL_DAYS, _("Bestuur achteraf informeren over de schorsing"),
                              staff, rule="SV-2", url=url))  # fmt: skip
        if suspension.needs_notices:  # SV-2, LAW-1: longer than one school day
            steps.append(
                Step(
                    INSPECTORATE,
                    0,
                    TermUnit.SCHOOL_DAYS,
                    _("Schorsing melden bij de inspectie (Internet Schooldossier)"),
                    staff,
                    rule="LAW-1",
                    url=url,
                )
            )
            steps.append(Step(ATTENDANCE, 0, TermUnit.SCHOOL_DAYS, _("Schorsing melden bij de leerplichtambtenaar"),
                              staff, rule="SV-2", url=url))  # fmt: skip
        if tests:
            steps.append(Step(TEST, 0, TermUnit.SCHOOL_DAYS, _("Besluiten: toelaten tot de landelijke toets of materiaal"),
                              staff, rule="SV-2", url=url))  # fmt: skip
        if steps:
            add_deadlines(anchor=suspension, student=student, actor=actor, code="sv2", steps=steps)
        audit(actor=user_of(actor), action="measures.suspension.decided", obj=suspension, student=student,
              data={"days": school_days, "start": str(first), "end": str(last), "mode": mode,
                    "grounds": chosen, "tests": tests, "letter": letter.pk})  # fmt: skip
    return suspension


def inspectorate_text(suspension: Suspension) -> str:
    """LAW-1: the notice with reasons, prepared for the Internet Schooldossier."""
    return _(
        "Schorsing van %(student)s (leerlingnummer %(number)s) van %(start)s tot en met %(end)s "
        "(%(days)s schooldagen).\nGronden: %(grounds)s\nRedenen: %(reasons)s\n"
        "Maatregelen tegen achterstand: %(work)s"
    ) % {
        "student": suspension.student.full_name, "number": suspension.student.student_number,
        "start": suspension.start_on.strftime("%d-%m-%Y"), "end": suspension.end_on.strftime("%d-%m-%Y"),
        "days": suspension.school_days, "grounds": "; ".join(suspension.grounds), "reasons": suspension.reasons,
        "work": suspension.catch_up_work,
    }  # fmt: skip


def record_board_informed(*, actor, suspension: Suspension) -> Suspension:
    """SV-2: after acting at once for safety, the director informs the board (recorded)."""
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if suspension.board_informed_at is None:
            suspension.board_informed_at = timezone.now()
            bump(suspension, ["board_informed_at"])
            complete_step(suspension, BOARD, actor)
            audit(actor=user_of(actor), action="measures.suspension.board_informed", obj=suspension,
                  student=suspension.student)  # fmt: skip
    return suspension


def record_inspectorate_filed(*, actor, suspension: Suspension) -> Suspension:
    """LAW-1: the notice was filed in the Internet Schooldossier; the deadline closes."""
    if not suspension.needs_notices:
        raise ValidationError(_("Een schorsing van één dag wordt niet gemeld bij de inspectie."))
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if suspension.inspectorate_filed_at is None:
            suspension.inspectorate_filed_at = timezone.now()
            bump(suspension, ["inspectorate_filed_at"])
            complete_step(suspension, INSPECTORATE, actor)
            record(student=suspension.student, kind=EntryKind.MEASURE, title=_("Schorsing gemeld bij de inspectie"),
                   body=suspension.inspectorate_text, actor=actor, source=suspension, visibility=Visibility.DIRECTOR)  # fmt: skip
            audit(actor=user_of(actor), action="measures.suspension.inspectorate_filed", obj=suspension,
                  student=suspension.student)  # fmt: skip
    return suspension


def notify_attendance_officer(*, actor, suspension: Suspension) -> Suspension:
    """SV-2: the leerplichtambtenaar is told, with reasons (a letter through the outbox)."""
    if not suspension.needs_notices:
        raise ValidationError(_("Een schorsing van één dag wordt niet gemeld bij de leerplichtambtenaar."))
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if suspension.attendance_officer_notified_at is None:
            send_letter(
                actor=actor, student=suspension.student, template_code="sv.suspension.attendance_officer",
                source=suspension, context={"start": suspension.start_on, "end": suspension.end_on,
                                            "days": suspension.school_days, "reason": suspension.reasons},
            )  # fmt: skip
            suspension.attendance_officer_notified_at = timezone.now()
            bump(suspension, ["attendance_officer_notified_at"])
            complete_step(suspension, ATTENDANCE, actor)
            audit(actor=user_of(actor), action="measures.suspension.attendance_notified", obj=suspension,
                  student=suspension.student)  # fmt: skip
    return suspension


def record_parents_view(*, actor, suspension: Suspension, text: str) -> Suspension:
    """SV-2: the parents' view to the board, recorded."""
    text = clean_text(text).strip()
    if not text:
        raise ValidationError(_("Schrijf de zienswijze van de ouders op."))
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        suspension.parents_view = text
        suspension.parents_view_at = timezone.now()
        bump(suspension, ["parents_view", "parents_view_at"])
        record(student=suspension.student, kind=EntryKind.PARENT_STATEMENT, title=_("Zienswijze ouders over de schorsing"),
               body=text, actor=actor, source=suspension, parent_visible=True)  # fmt: skip
        audit(actor=user_of(actor), action="measures.suspension.parents_view", obj=suspension,
              student=suspension.student)  # fmt: skip
    return suspension


def decide_national_test(*, actor, suspension: Suspension, decision: str) -> Suspension:
    """SV-2: the student must not miss a national test: the director admits them or provides material."""
    require_director(actor, suspension.school, rule="SV-2")
    if decision not in (NationalTestDecision.ADMIT, NationalTestDecision.MATERIAL):
        raise ValidationError(_("Kies: toelaten tot de toets of materiaal verstrekken."))
    if not suspension.national_test:
        raise ValidationError(_("In deze schorsing valt geen landelijke toets."))
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        suspension.test_decision = decision
        bump(suspension, ["test_decision"])
        complete_step(suspension, TEST, actor)
        record(student=suspension.student, kind=EntryKind.MEASURE, title=_("Besluit over de landelijke toets"),
               body=f"{suspension.national_test}: {suspension.get_test_decision_display()}", actor=actor,
               source=suspension, visibility=Visibility.DIRECTOR)  # fmt: skip
        audit(actor=user_of(actor), action="measures.suspension.test_decided", obj=suspension,
              student=suspension.student, data={"decision": decision})  # fmt: skip
    return suspension
