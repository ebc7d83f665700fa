"""SV-3, LAW-2, LAW-3: an expulsion case with a checklist the board's decision waits for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import TermUnit
from deadlines.services.deadline_schedules import Step
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from messaging.services.messages import send_letter, send_message
from protocols.exceptions import ProtocolViolation
from schools.actors import user_of
from schools.cleaning import clean_text
from schools.models import SchoolKind, Student
from signatures.models import DocumentKind, SignableDocument
from signatures.services.signature_checks import missing_signers, version_intact
from signatures.services.signatures import create_signable_document

from ..models import ExpulsionCase, ExpulsionState, SchoolContact, Suspension, TimeOut
from .common import (
    acts_for_board,
    add_deadlines,
    bump,
    director_of,
    move_to_measures_step,
    require_director,
    version_for,
)

SEARCH_WEEKS = 8  # LAW-3 (vo): eight weeks of searching without success
OBJECTION_WINDOW = "law4.objection_window"
HEARINGS = ("teachers", "parents", "student")


def _case_locked(case: ExpulsionCase) -> ExpulsionCase:
    return (
        ExpulsionCase.objects.select_for_update(of=("self",))
        .select_related("school", "student")
        .get(pk=case.pk)
    )


def open_expulsion(*, actor, student: Student, ground: str, rules_exist: bool = True) -> ExpulsionCase:
    """SV-3: only when nothing else works. The director opens the case; the board decides."""
    school = student.school
    staff = require_director(actor, school, rule="SV-3")
    ground = clean_text(ground).strip()
    if not ground:
        raise ValidationError(_("Schrijf de grond voor verwijdering op (SV-3)."))
    with transaction.atomic():
        case = ExpulsionCase.objects.create(
            school=school, student=student, protocol_version=version_for(school), ground=ground,
            behaviour_case=move_to_measures_step(student, actor=actor, rule="SV-3"), rules_exist=rules_exist, created_by=staff,
        )  # fmt: skip
        record(student=student, kind=EntryKind.MEASURE, title=_("Verwijderingszaak geopend"), body=ground,
               actor=actor, source=case, visibility=Visibility.DIRECTOR)  # fmt: skip
        audit(actor=user_of(actor), action="measures.expulsion.opened", obj=case, student=student)
    return case


@dataclass(frozen=True)
class Earlier:
    time_outs: list
    suspensions: list
    agreements: list

    def __bool__(self) -> bool:
        return bool(self.time_outs or self.suspensions or self.agreements)


def earlier_measures(case: ExpulsionCase) -> Earlier:
    """SV-3: the earlier measures on file (time-out, suspension, behaviour agreements), linked."""
    from dossier.models import DossierEntry

    return Earlier(
        time_outs=list(TimeOut.objects.filter(student_id=case.student_id).order_by("on_date", "pk")),
        suspensions=list(Suspension.objects.filter(student_id=case.student_id).order_by("start_on", "pk")),
        agreements=list(DossierEntry.objects.filter(student_id=case.student_id, kind=EntryKind.AGREEMENT)
                        .order_by("occurred_at", "pk")),
    )  # fmt: skip


def send_expulsion_warning(*, actor, case: ExpulsionCase):
    """SV-3: the written warning that a next repetition leads to expulsion; a copy is in the file."""
    require_director(actor, case.school, rule="SV-3")
    earlier = earlier_measures(case)
    listed = [str(t) for t in earlier.time_outs] + [str(s) for s in earlier.suspensions]
    with transaction.atomic():
        case = _case_locked(case)
        letter = send_letter(actor=actor, student=case.student, template_code="sv.expulsion.warning", source=case,
                             context={"measures": "; ".join(listed)})  # fmt: skip
        case.warning_letter = letter
        bump(case, ["warning_letter"])
        audit(actor=user_of(actor), action="measures.expulsion.step", obj=case, student=case.student,
              data={"step": "warning", "letter": letter.pk})  # fmt: skip
    return letter


def record_warning_omitted(*, actor, case: ExpulsionCase, reason: str) -> ExpulsionCase:
    """SV-3: no copy in the file only when a warning would defeat its purpose (the reason recorded)."""
    reason = clean_text(reason).strip()
    if not reason:
        raise ValidationError(_("Schrijf op waarom er geen schriftelijke waarschuwing is gestuurd."))
    with transaction.atomic():
        case = _case_locked(case)
        case.warning_omitted_reason = reason
        bump(case, ["warning_omitted_reason"])
        audit(actor=user_of(actor), action="measures.expulsion.step", obj=case, student=case.student,
              data={"step": "warning_omitted"})  # fmt: skip
    return case


def record_hearing(*, actor, case: ExpulsionCase, who: str, report: str) -> SignableDocument:
    """LAW-2: the teacher(s) and the parents are heard (vo: the student too); the parents sign the report
    (at least "voor gezien")."""
    if who not in HEARINGS:
        raise ValidationError(_("Onbekend gesprek."))
    report = clean_text(report).strip()
    if not report:
        raise ValidationError(_("Schrijf het verslag van het gesprek."))
    titles = {"teachers": _("Verslag horen leraar/leraren (verwijdering)"),
              "parents": _("Verslag horen ouders (verwijdering)"),
              "student": _("Verslag horen leerling (verwijdering)")}  # fmt: skip
    with transaction.atomic():
        case = _case_locked(case)
        document = create_signable_document(actor=actor, student=case.student, title=str(titles[who]), content=report,
                                            kind=DocumentKind.OTHER, source=case)  # fmt: skip
        setattr(case, f"{who}_heard", document)
        bump(case, [f"{who}_heard"])
        audit(actor=user_of(actor), action="measures.expulsion.step", obj=case, student=case.student,
              data={"step": f"heard_{who}", "document": document.pk})  # fmt: skip
    return document


def _hearings_needed(case: ExpulsionCase) -> tuple[str, ...]:
    return HEARINGS if case.school.kind == SchoolKind.VO else ("teachers", "parents")


def _signed(document: SignableDocument | None, guardian_signed: bool | None = None) -> bool:
    """SV-3: the report's current version is intact and a guardian signed it. `guardian_signed`: the
    caller already read whether a guardian signed that version (the director's file, issue #13)."""
    if document is None:
        return False
    version = document.current_version
    if version is None or not version_intact(version):
        return False
    if guardian_signed is not None:
        return guardian_signed
    return not missing_signers(version, ["guardian"])


def send_hearing_reports(*, actor, case: ExpulsionCase):
    """SV-3: the signed reports go to the leerplichtambtenaar and the inspectorate."""
    require_director(actor, case.school, rule="SV-3")
    unsigned = [w for w in _hearings_needed(case) if not _signed(getattr(case, f"{w}_heard"))]
    if unsigned:
        raise ProtocolViolation(
            rule="SV-3", message=_("De verslagen zijn nog niet (voor gezien) ondertekend door de ouders.")
        )
    lines = [getattr(case, f"{w}_heard").title + ":\n" + getattr(case, f"{w}_heard").current_version.content
             for w in _hearings_needed(case)]  # fmt: skip
    with transaction.atomic():
        case = _case_locked(case)
        message = send_message(
            actor=actor, student=case.student, subject=_("Verslagen gesprekken verwijdering"),
            body="\n\n".join(lines), recipients={"to": ["inspectorate", "attendance_officer"]}, source=case,
        )  # fmt: skip
        case.reports_sent_at = timezone.now()
        bump(case, ["reports_sent_at"])
        audit(actor=user_of(actor), action="measures.expulsion.step", obj=case, student=case.student,
              data={"step": "reports_sent", "message": message.pk})  # fmt: skip
    return message


def record_inspectorate_consulted(*, actor, case: ExpulsionCase, notes: str) -> ExpulsionCase:
    notes = clean_text(notes).strip()
    with transaction.atomic():
        case = _case_locked(case)
        case.inspectorate_consulted = notes
        bump(case, ["inspectorate_consulted"])
        audit(actor=user_of(actor), action="measures.expulsion.step", obj=case, student=case.student,
              data={"step": "inspectorate_consulted"})  # fmt: skip
    return case


def add_school_contact(
    *,
    actor,
    case: ExpulsionCase,
    school_name: str,
    contacted_on: datetime.date,
    answer: str = "",
    agreed: bool = False,
) -> SchoolContact:
    """LAW-3: each school contacted; one that agrees becomes the new school."""
    school_name = clean_text(school_name, multiline=False).strip()
    if not school_name:
        raise ValidationError(_("Vul de naam van de benaderde school in."))
    with transaction.atomic():
        case = _case_locked(case)
        contact = SchoolContact.objects.create(case=case, school_name=school_name, contacted_on=contacted_on,
                                               answer=clean_text(answer, multiline=False)[:200], agreed=agreed)  # fmt: skip
        fields = []
        if case.search_started_on is None or contacted_on < case.search_started_on:
            case.search_started_on = contacted_on
            fields.append("search_started_on")
        if agreed:
            case.new_school, case.new_school_agreed_on = school_name, contacted_on
            fields += ["new_school", "new_school_agreed_on"]
        bump(case, fields)
        audit(actor=user_of(actor), action="measures.expulsion.step", obj=case, student=case.student,
              data={"step": "school_contacted", "agreed": agreed})  # fmt: skip
    return contact


def search_failed(
    case: ExpulsionCase, today: datetime.date | None = None, *, contacted: bool | None = None
) -> bool:
    """LAW-3 (vo): the board searched for eight weeks without success (each contacted school recorded).
    `contacted`: the caller already read whether a school was contacted."""
    today = today or timezone.localdate()
    return (
        case.search_started_on is not None
        and case.search_started_on + datetime.timedelta(weeks=SEARCH_WEEKS) <= today
        and (case.contacts.exists() if contacted is None else contacted)
    )


def new_school_settled(case: ExpulsionCase, *, contacted: bool | None = None) -> bool:
    """LAW-3: po: another school agreed; vo: agreed, or eight weeks searched without success."""
    if case.new_school and case.new_school_agreed_on:
        return True
    return case.school.kind == SchoolKind.VO and search_failed(case, contacted=contacted)


def checklist(
    case: ExpulsionCase,
    *,
    earlier_on_file: bool = False,
    guardian_signed: dict[str, bool] | None = None,
    contacted: bool | None = None,
) -> list[tuple[str, str, bool]]:
    """SV-3, LAW-2, LAW-3: what must be on file before the board may decide (key, Dutch label, done).

    What the caller already read (the director's file, issue #13) is not read again: `earlier_on_file`
    (an earlier measure of the case's student), `guardian_signed` (per hearing: "teachers", "parents",
    "student", whether a guardian signed its report's current version), `contacted` (a school was
    contacted); otherwise they are looked up here."""
    earlier = earlier_on_file or bool(earlier_measures(case))
    signed = guardian_signed or {}
    items = [
        ("rules", _("De school heeft gedragsregels"), case.rules_exist),
        ("earlier", _("Eerdere maatregelen staan in het dossier"), earlier),
        ("warning", _("Schriftelijke waarschuwing verstuurd (of reden vastgelegd)"),
         bool(case.warning_letter_id or case.warning_omitted_reason)),
        ("teachers", _("Leraar/leraren gehoord, verslag door ouders ondertekend"), _signed(case.teachers_heard, signed.get("teachers"))),
        ("parents", _("Ouders gehoord, verslag door ouders ondertekend"), _signed(case.parents_heard, signed.get("parents"))),
    ]  # fmt: skip
    if case.school.kind == SchoolKind.VO:
        items.append(
            (
                "student",
                _("Leerling gehoord, verslag ondertekend"),
                _signed(case.student_heard, signed.get("student")),
            )
        )
    items.append(
        (
            "reports_sent",
            _("Verslagen naar leerplichtambtenaar en inspectie"),
            case.reports_sent_at is not None,
        )
    )
    if case.school.kind == SchoolKind.PO:
        items.append(
            (
                "new_school",
                _("Een andere school heeft toegezegd de leerling toe te laten"),
                new_school_settled(case, contacted=contacted),
            )
        )
    else:
        items.append(("new_school", _("Een andere school heeft toegezegd, of acht weken zonder succes gezocht"),
                      new_school_settled(case, contacted=contacted)))  # fmt: skip
    return items


def board_decide(
    *, actor, case: ExpulsionCase, effective_on: datetime.date, reasons: str = ""
) -> ExpulsionCase:
    """SV-3, LAW-2: the board's act. Refused until the checklist is complete; the decision letter states
    the ground, the date, the new school and the right to object; the objection window opens."""
    if not acts_for_board(user_of(actor), case.school):
        raise ProtocolViolation(rule="LAW-2", message=_("Alleen het bestuur besluit over een verwijdering."))
    with transaction.atomic():
        case = _case_locked(case)
        if case.state != ExpulsionState.PREPARING:
            raise ValidationError(_("Over deze verwijdering is al besloten."))
        missing = [label for _key, label, done in checklist(case) if not done]
        if missing:
            rule = "LAW-3" if not new_school_settled(case) and len(missing) == 1 else "SV-3"
            raise ProtocolViolation(rule=rule, message=_("Het bestuur kan nog niet besluiten. Nog niet gedaan: %(items)s.")
                                    % {"items": "; ".join(str(m) for m in missing)})  # fmt: skip
        new_school = (
            case.new_school
            if case.new_school_agreed_on
            else _("nog geen school gevonden; het bestuur heeft acht weken zonder succes gezocht")
        )
        letter = send_letter(
            actor=director_of(case.school), student=case.student, template_code="sv.expulsion.decision", source=case,
            context={"effective_on": effective_on, "reason": case.ground + (" " + clean_text(reasons) if reasons else ""),
                     "new_school": new_school},
        )  # fmt: skip
        case.state = ExpulsionState.DECIDED
        case.decided_at, case.decided_by, case.effective_on, case.decision_letter = (
            timezone.now(),
            user_of(actor),
            effective_on,
            letter,
        )
        bump(case, ["state", "decided_at", "decided_by", "effective_on", "decision_letter"])
        weeks = case.setting("objection_period_weeks")
        add_deadlines(anchor=case, student=case.student, actor=actor, code="law4", steps=[
            Step(OBJECTION_WINDOW, weeks, TermUnit.WEEKS, _("Bezwaartermijn ouders verloopt (verwijdering)"),
                 director_of(case.school), rule="LAW-4", url=f"/maatregelen/verwijdering/{case.pk}/")])  # fmt: skip
        record(student=case.student, kind=EntryKind.MEASURE, title=_("Bestuur besluit tot verwijdering"),
               body=case.ground, actor=actor, source=case, parent_visible=True)  # fmt: skip
        audit(actor=user_of(actor), action="measures.expulsion.decided", obj=case, student=case.student,
              data={"effective_on": str(effective_on), "letter": letter.pk, "new_school": case.new_school})  # fmt: skip
    return case


def make_final(*, actor, case: ExpulsionCase) -> ExpulsionCase:
    """LAW-3: final only when another school agreed (vo: or the search failed) and no objection is open."""
    from deadlines.services.deadlines import complete_deadline

    from .common import pending_deadline

    with transaction.atomic():
        case = _case_locked(case)
        if case.state != ExpulsionState.DECIDED:
            raise ValidationError(_("Alleen een besloten verwijdering kan definitief worden."))
        if not new_school_settled(case):  # LAW-3
            raise ProtocolViolation(
                rule="LAW-3",
                message=_(
                    "De verwijdering wordt pas definitief als een andere school heeft toegezegd de leerling toe te laten."
                ),
            )
        if case.objections.filter(decided_at__isnull=True, late=False).exists():  # LAW-4
            raise ProtocolViolation(
                rule="LAW-4", message=_("Er loopt nog een bezwaar; het bestuur beslist eerst.")
            )
        window = pending_deadline(case, OBJECTION_WINDOW)
        if window is not None:
            if window.due_on > timezone.localdate() and not case.objections.exists():
                raise ProtocolViolation(rule="LAW-4", message=_("De bezwaartermijn van de ouders loopt nog."))
            complete_deadline(deadline=window, actor=actor)
        case.state, case.final_at = ExpulsionState.FINAL, timezone.now()
        bump(case, ["state", "final_at"])
        record(student=case.student, kind=EntryKind.MEASURE, title=_("Verwijdering definitief"),
               body=case.new_school, actor=actor, source=case, parent_visible=True)  # fmt: skip
        audit(actor=user_of(actor), action="measures.expulsion.final", obj=case, student=case.student)
    return case
