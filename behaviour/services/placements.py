"""Step 4 of het gedragsprotocol (GP-20 – GP-22): one week in another group.

`propose_host_group(student, case)` follows the school's mapping (po: onderbouw → middenbouw →
bovenbouw → onderbouw; vo: the setting says which class). `plan_placement(...)` refuses the own
group (GP-21) and makes the written step plan a document signed by school, parents and student;
`start_placement(...)` refuses until all three signed (GP-21). The own teacher keeps the work, the
host teacher keeps the logbook (`record_host_log`); the end-of-week talk with the ib-er's feedback
and the return after the week (GP-22) are `end_placement(...)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import TermUnit
from deadlines.services.deadline_schedules import Step, create_schedule, schedules_for
from deadlines.services.deadlines import complete_deadline
from dossier.models import EntryKind
from dossier.services.record import record
from messaging.services.messages import compose_letter, send_letter
from protocols.exceptions import ProtocolViolation
from schools import calendar
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Group, GroupMembership, Role, SchoolKind, StaffMember, Student
from schools.selectors import current_membership_q
from signatures.models import DocumentKind
from signatures.services.signatures import default_signers, require_signatures, signable_letter

from ..models import BehaviourCase
from ..models import Step as LadderStep
from ..models_plans import ACTIVE_PLACEMENT_STATES, Placement, PlacementState
from ..plan_settings import HOST_OTHER_DEPARTMENT, HOST_YEAR_ABOVE, HOST_YEAR_BELOW, parse_phase_mapping
from .plans import _next_open, inform_staff, require_open_at, staff_with_role

PLACEMENT_KIND = "gp_placement"
INVITATION_LETTER = "behaviour.step4.invitation"
PLAN_LETTER = "behaviour.step4.plan"


def own_group(student: Student) -> Group | None:
    membership = (
        GroupMembership.objects.filter(current_membership_q(), student=student)
        .select_related("group__school")
        .order_by("-start", "pk")
        .first()
    )
    return membership.group if membership else None


def host_candidates(student: Student, group: Group | None):
    """Groups of the same school year, never the own group (GP-21)."""
    if group is None:
        return Group.objects.none()
    return Group.objects.filter(school_id=student.school_id, school_year_id=group.school_year_id).exclude(
        pk=group.pk
    )


def propose_host_group(case: BehaviourCase) -> Group | None:
    """GP-21: po by the phase mapping of the case's version; vo by its host rule."""
    group = own_group(case.student)
    if group is None:
        return None
    candidates = list(
        host_candidates(case.student, group).select_related("school").order_by("year_level", "name")
    )
    school = group.school
    if school.kind == SchoolKind.PO:
        target = parse_phase_mapping(case.setting("step4_phase_mapping")).get(group.phase or "")
        matching = [g for g in candidates if target and g.phase == target]
        return matching[0] if matching else None
    rule = case.setting("step4_vo_host_rule")
    year = group.year_level
    if rule == HOST_YEAR_BELOW:
        matching = [g for g in candidates if year and g.year_level == year - 1]
    elif rule == HOST_YEAR_ABOVE:
        matching = [g for g in candidates if year and g.year_level == year + 1]
    elif rule == HOST_OTHER_DEPARTMENT:
        matching = [g for g in candidates if g.year_level == year and g.department_id != group.department_id]
    else:
        matching = [g for g in candidates if g.year_level == year]
    return matching[0] if matching else None


def teacher_of(group: Group) -> StaffMember | None:
    return (
        StaffMember.objects.filter(active=True, teaching_assignments__group=group).order_by("pk").first()
        or group.mentors.filter(active=True).order_by("pk").first()
    )


def school_signer(case: BehaviourCase, actor) -> StaffMember:
    """The school signs through its director (or the staff member who plans it when there is none)."""
    directors = staff_with_role(case.school, Role.DIRECTOR)
    return directors[0] if directors else staff_member(actor, case.school)


def invite_step4_parents(*, actor, case: BehaviourCase):
    """GP-20: the directie invites the parents (teacher, behaviour specialist, director meet them)."""
    require_open_at(case, LadderStep.OTHER_GROUP, "GP-20")
    with transaction.atomic():
        letter = send_letter(actor=actor, student=case.student, template_code=INVITATION_LETTER, source=case)
        audit(actor=user_of(actor), action="behaviour.step4.invited", obj=case, student=case.student,
              data={"letter": letter.pk, "rule": "GP-20"})  # fmt: skip
    return letter


def plan_placement(
    *,
    actor,
    case: BehaviourCase,
    host_group: Group,
    starts_on: datetime.date,
    agreements: str,
    work: str,
    host_teacher: StaffMember | None = None,
    text_warnings: Sequence[str] = (),
) -> Placement:
    """GP-21: the step plan for one week in another group, to be signed by school, parents and student."""
    require_open_at(case, LadderStep.OTHER_GROUP, "GP-21")
    student = case.student
    group = own_group(student)
    if group is None:
        raise ValidationError(_("De leerling zit nu in geen groep; plaats hem of haar eerst in een groep."))
    if host_group.pk == group.pk:  # GP-21
        raise ProtocolViolation(
            rule="GP-21",
            message=_("De leerling gaat een week naar een andere groep, niet naar de eigen groep (GP-21)."),
        )
    if not host_candidates(student, group).filter(pk=host_group.pk).exists():
        raise ValidationError(_("Kies een groep van deze school in hetzelfde schooljaar."))
    agreements, work = clean_text(agreements).strip(), clean_text(work).strip()
    if not agreements or not work:
        raise ValidationError(_("Schrijf de afspraken én het werk in het stappenplan (GP-21)."))
    if case.placements.filter(state__in=ACTIVE_PLACEMENT_STATES).exists():
        raise ValidationError(_("Er is al een plaatsing gepland of bezig."))
    own_teacher = teacher_of(group) or staff_member(actor, case.school)
    host_teacher = host_teacher or teacher_of(host_group)
    if host_teacher is None or host_teacher.school_id != case.school_id:
        raise ValidationError(_("Kies de leerkracht van de gastgroep."))
    days = case.setting("step4_placement_school_days")  # GP-21: one week, from the case's version
    starts_on = calendar.next_school_day(case.school, starts_on)
    ends_on = calendar.add_school_days(case.school, starts_on, days - 1)
    with transaction.atomic():
        placement = Placement.objects.create(
            school=case.school, case=case, student=student, own_group=group, host_group=host_group,
            own_teacher=own_teacher, host_teacher=host_teacher, starts_on=starts_on, ends_on=ends_on,
            agreements=agreements, work=work,
        )  # fmt: skip
        record(student=student, kind=PLACEMENT_KIND, actor=actor, source=placement, text_warnings=text_warnings,
               title=_("Stappenplan: een week in %(group)s") % {"group": host_group.name},
               body=placement_text(placement))  # fmt: skip
        letter = compose_letter(actor=actor, student=student, template_code=PLAN_LETTER, source=placement,
                                context=placement_context(placement))  # fmt: skip
        signers = [
            school_signer(case, actor),
            *default_signers(student),
            student,
        ]  # GP-21: school, parents, student
        placement.document = signable_letter(actor=actor, letter=letter, title=_("Stappenplan stap 4"),
                                             kind=DocumentKind.PLAN, signers=signers, source=placement)  # fmt: skip
        placement.save(update_fields=["document"])
        audit(actor=user_of(actor), action="behaviour.placement.planned", obj=placement, student=student,
              data={"host_group": host_group.pk, "days": days, "rule": "GP-21"})  # fmt: skip
    return placement


def placement_text(placement: Placement) -> str:
    return "\n".join(
        [
            _("Van %(start)s tot en met %(end)s in %(group)s, bij %(teacher)s.")
            % {
                "start": placement.starts_on,
                "end": placement.ends_on,
                "group": placement.host_group.name,
                "teacher": placement.host_teacher.full_name,
            },  # fmt: skip
            _("Afspraken: %(text)s") % {"text": placement.agreements},
            _("Werk (verantwoordelijkheid van %(teacher)s): %(text)s")
            % {"teacher": placement.own_teacher.full_name, "text": placement.work},
            _("Deze week is er geen contact met de eigen groep (GP-21)."),
        ]
    )


def placement_context(placement: Placement) -> dict:
    return {
        "placement": {
            "starts_on": placement.starts_on,
            "ends_on": placement.ends_on,
            "host_group": placement.host_group.name,
            "host_teacher": placement.host_teacher.full_name,
            "own_teacher": placement.own_teacher.full_name,
            "agreements": placement.agreements,
            "work": placement.work,
        }
    }


def required_signers(placement: Placement) -> list:
    """GP-21: the school, at least one parent with authority, and the student."""
    return [school_signer(placement.case, None), "guardian", placement.student]


def start_placement(*, actor, placement: Placement) -> Placement:
    """GP-21: only with the step plan signed by school, parents and student."""
    if placement.state != PlacementState.PLANNED:
        raise ValidationError(_("Deze plaatsing is al begonnen of voorbij."))
    require_open_at(placement.case, LadderStep.OTHER_GROUP, "GP-21")
    document = placement.document
    if document is None or document.current_version is None:
        raise ProtocolViolation(rule="GP-21", message=_("Er is geen stappenplan om te tekenen (GP-21)."))
    require_signatures(document.current_version, rule="GP-21", required=required_signers(placement))
    with transaction.atomic():
        placement.state, placement.started_at = PlacementState.RUNNING, timezone.now()
        placement.save(update_fields=["state", "started_at"])
        record(student=placement.student, kind=PLACEMENT_KIND, actor=actor, source=placement,
               title=_("Plaatsing in %(group)s begonnen") % {"group": placement.host_group.name},
               body=_("Het werk blijft de verantwoordelijkheid van %(teacher)s; %(host)s houdt het logboek bij (GP-21).")
               % {"teacher": placement.own_teacher.full_name, "host": placement.host_teacher.full_name})  # fmt: skip
        ib = staff_with_role(placement.school, Role.CARE_COORDINATOR)
        owner = ib[0] if ib else placement.own_teacher
        create_schedule(anchor_object=placement, anchor_date=placement.ends_on, actor=actor, student=placement.student,
                        code="behaviour.step4", steps=[
                            Step("week-review", 0, TermUnit.SCHOOL_DAYS, _("Gesprek na de week in een andere groep"),
                                 owner, rule="GP-22")])  # fmt: skip
        inform_staff(
            school=placement.school, staff=[placement.host_teacher, placement.own_teacher], student=placement.student,
            subject=_("Een leerling een week in een andere groep (stap 4)"),
            body=_("Een leerling is deze week in een andere groep geplaatst. De leerkracht van de gastgroep houdt het "
                   "logboek bij; de eigen leerkracht blijft verantwoordelijk voor het werk. Zie Leerlingzorg."),
            key=f"behaviour.placement:{placement.pk}",
        )  # fmt: skip
        audit(actor=user_of(actor), action="behaviour.placement.started", obj=placement, student=placement.student,
              data={"rule": "GP-21"})  # fmt: skip
    return placement


def record_host_log(*, actor, placement: Placement, text: str, text_warnings: Sequence[str] = ()) -> None:
    """GP-21: the host teacher keeps the logbook of the week in the student's file."""
    staff = staff_member(actor, placement.school_id)
    if staff is None or staff.pk != placement.host_teacher_id:
        raise ProtocolViolation(
            rule="GP-21",
            message=_("Het logboek van de week houdt de leerkracht van de gastgroep bij (GP-21)."),
        )
    if placement.state != PlacementState.RUNNING:
        raise ValidationError(_("Deze plaatsing loopt niet."))
    text = clean_text(text).strip()
    if not text:
        raise ValidationError(_("Schrijf een notitie."))
    record(student=placement.student, kind=PLACEMENT_KIND, actor=actor, source=placement, body=text,
           title=_("Logboek gastgroep %(group)s") % {"group": placement.host_group.name}, text_warnings=text_warnings)  # fmt: skip


def end_placement(
    *,
    actor,
    placement: Placement,
    kept_rules: bool,
    summary: str,
    feedback: str,
    text_warnings: Sequence[str] = (),
) -> Placement:
    """GP-22: at the end of the week teachers and ib-er talk; the ib-er feeds back to all parties;
    a student who kept to the rules returns to the own group."""
    if placement.state != PlacementState.RUNNING:
        raise ValidationError(_("Deze plaatsing loopt niet."))
    staff = staff_member(actor, placement.school_id)
    if staff is None or not staff.role_assignments.filter(role=Role.CARE_COORDINATOR).exists():
        raise ProtocolViolation(
            rule="GP-22",
            message=_("Het gesprek na de week en de terugkoppeling doet de intern begeleider (GP-22)."),
        )
    if timezone.localdate() < placement.ends_on:
        raise ProtocolViolation(rule="GP-22", message=_("De week in de andere groep loopt tot en met %(date)s (GP-22).")
                                % {"date": placement.ends_on})  # fmt: skip
    summary, feedback = clean_text(summary).strip(), clean_text(feedback).strip()
    if not summary or not feedback:
        raise ValidationError(_("Schrijf het gesprek en de terugkoppeling aan alle betrokkenen op (GP-22)."))
    with transaction.atomic():
        placement.state = PlacementState.RETURNED if kept_rules else PlacementState.NOT_KEPT
        placement.ended_at = timezone.now()
        placement.save(update_fields=["state", "ended_at"])
        record(student=placement.student, kind=EntryKind.TALK, actor=actor, source=placement,
               title=_("Gesprek na de week in %(group)s") % {"group": placement.host_group.name},
               body=_("%(summary)s\nTerugkoppeling: %(feedback)s") % {"summary": summary, "feedback": feedback},
               text_warnings=text_warnings)  # fmt: skip
        outcome = (_("Teruggeplaatst in %(group)s (GP-22).") if kept_rules
                   else _("Afspraken niet nagekomen: niet teruggeplaatst in %(group)s; bespreek de volgende stap.")) % {
            "group": placement.own_group.name}  # fmt: skip
        record(student=placement.student, kind=PLACEMENT_KIND, actor=actor, source=placement, title=outcome)
        deadline = _next_open(placement, "week-review")
        if deadline is not None:
            complete_deadline(deadline=deadline, actor=actor)
        audit(actor=user_of(actor), action="behaviour.placement.ended", obj=placement, student=placement.student,
              data={"kept_rules": kept_rules, "rule": "GP-22"})  # fmt: skip
    return placement


def current_placement(case: BehaviourCase) -> Placement | None:
    return (
        case.placements.filter(state__in=ACTIVE_PLACEMENT_STATES)
        .select_related("host_group", "own_group", "own_teacher", "host_teacher", "document")
        .first()
    )


__all__ = ["schedules_for"]
