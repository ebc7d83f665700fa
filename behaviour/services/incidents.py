"""Registering an incident (GP-0, GP-1, GP-2, GP-5), the victim's aftercare and the bullying flag.

`register_incident(...)` is the one write: any staff member of the school (GP-2) registers what
happened with the students involved and their part. Each student gets the incident in their own
file (the others linked as `involved`, so their names never reach this student's parents); an
actor's incident hangs on their ladder case (opened on the first one). The students are locked in
a fixed order first, so two staff registering for the same student at once both land, in order.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from messaging.services.outbox import queue_staff_message
from protocols.exceptions import ProtocolViolation
from protocols.models import ProtocolVersion
from protocols.registry import BEHAVIOUR
from protocols.services import current_version, protocol_value
from protocols.text_checks import KINDS, check_text, school_names
from schools import sql_shapes
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Role, StaffMember, Student

from ..models_incidents import BullyingFlag, Incident, Involvement, Part
from .ladder import case_for

FUTURE_GRACE = datetime.timedelta(minutes=5)
MAX_STUDENTS = 12


def _refuse(message: str, rule: str = "GP-2"):
    raise ProtocolViolation(rule=rule, message=message)


def _checked(
    actor,
    students: Sequence[tuple[Student, str]],
    category: str,
    facts: str,
    happened_at: datetime.datetime,
    protocol: ProtocolVersion | None = None,
):
    """Everything refused before a row is written (bad input: a clear Dutch message, nothing stored).

    Returns the school, the actor's staff row and the behaviour version in force (`protocol` when the
    caller already read this school's: the form's categories, issue #13)."""
    if actor is None:
        _refuse(_("Een incident wordt altijd door een medewerker vastgelegd (GP-2)."))
    if not students:
        _refuse(_("Kies de leerling(en) die bij het incident betrokken waren."))
    if len(students) > MAX_STUDENTS:
        _refuse(_("Een incident heeft ten hoogste %(n)s leerlingen.") % {"n": MAX_STUDENTS})
    staff = None
    for student, _part in students:  # the actor's school: where they are staff
        staff = staff_member(actor, student.school)
        if staff is not None:
            break
    if staff is None or not staff.active:
        _refuse(_("Alleen een medewerker van deze school legt hier een incident vast (GP-2)."))
    school = staff.school
    seen = set()
    for student, part in students:
        if student.school_id != staff.school_id:
            _refuse(_("Deze leerling hoort niet bij jouw school."))
        if student.pk in seen:
            _refuse(_("%(name)s staat twee keer bij dit incident.") % {"name": student.full_name})
        seen.add(student.pk)
        if part not in Part.values:
            _refuse(_("Kies voor elke leerling: veroorzaker, slachtoffer of omstander."))
    if not any(part == Part.ACTOR for _s, part in students):
        _refuse(_("Kies wie het gedrag vertoonde (veroorzaker)."), "GP-3")
    if protocol is None or protocol.school_id != school.pk or protocol.protocol != BEHAVIOUR:
        protocol = current_version(school, BEHAVIOUR)
    if category not in protocol.value("incident_categories"):
        _refuse(_("Kies een categorie uit het protocol van de school."), "GP-1")
    if not (facts or "").strip():
        _refuse(_("Schrijf kort op wat er gebeurde (feiten)."), "GP-0")
    if happened_at is None or happened_at > timezone.now() + FUTURE_GRACE:
        _refuse(_("Een incident is al gebeurd; kies geen moment in de toekomst."), "GP-0")
    return school, staff, protocol


def _found_warnings(school_id: int, texts: Iterable[str]) -> set[str]:
    """The kinds the text check finds (names of children, labels LB-8), also when the form ran offline."""
    names = school_names(school_id)
    return {finding.kind for text in texts for finding in check_text(text, names=names)}


def _body(incident: Incident, part: str) -> str:
    lines = [
        _("Rol: %(part)s") % {"part": Part(part).label},
        _("Categorie: %(category)s") % {"category": incident.category},
        _("Wat er gebeurde: %(facts)s") % {"facts": incident.facts},
    ]
    if incident.where:
        lines.append(_("Waar: %(where)s") % {"where": incident.where})
    if incident.action_taken:
        lines.append(_("Wat er is gedaan: %(action)s") % {"action": incident.action_taken})
    # GP-5: the incident is always discussed with the student.
    lines.append(
        _("Besproken met de leerling: ja")
        if incident.discussed_with_student
        else _("Besproken met de leerling: nog niet")
    )
    return "\n".join(lines)


def _by_client_key(p):
    """The incident a form with this client key already registered (unique per school)."""
    return Incident.objects.filter(school_id=p.school, client_key=p.key).order_by("-happened_at", "-pk")[:1]


def register_incident(
    *,
    actor,
    students: Sequence[tuple[Student, str]],
    category: str,
    facts: str,
    where: str = "",
    happened_at: datetime.datetime | None = None,
    action_taken: str = "",
    discussed_with_student: bool = False,
    serious: bool = False,
    text_warnings: Sequence[str] = (),
    client_key: str = "",
    protocol: ProtocolVersion | None = None,
) -> Incident:
    """Register one incident for `students` [(student, "actor"|"victim"|"bystander")] (GP-0 – GP-5).

    Refuses (ProtocolViolation, nothing written): no staff actor of the school, a student of another
    school, no actor student, a category outside the school's protocol, no facts, a moment in the
    future. The same `client_key` (a form resent after being offline) returns the first incident.
    `protocol`: the school's behaviour version in force as the caller (the form) read it, not read again.
    """
    happened_at = happened_at or timezone.now()
    facts, where, action_taken = (clean_text(v or "").strip() for v in (facts, where, action_taken))
    school, staff, protocol = _checked(actor, students, category, facts, happened_at, protocol)
    client_key = (client_key or "")[:64]
    if client_key:
        known = sql_shapes.queryset(("behaviour.incident_by_client_key",), {"school": school.pk, "key": client_key},
                                    _by_client_key)  # fmt: skip
        existing = next(iter(known), None)
        if existing is not None:
            return existing
    warnings = set(text_warnings) | _found_warnings(school.pk, (facts, action_taken))
    ordered = sorted(students, key=lambda pair: pair[0].pk)
    with transaction.atomic():
        # One student at a time: a second registration for the same student waits here and lands after.
        list(Student.objects.select_for_update().filter(pk__in=[s.pk for s, _p in ordered]).order_by("pk"))
        incident = Incident.objects.create(
            school=school,
            category=category,
            facts=facts,
            where=where[:120],
            happened_at=happened_at,
            action_taken=action_taken,
            discussed_with_student=discussed_with_student,
            serious=serious,
            reported_by=staff,
            text_warnings=sorted(k for k in warnings if k in KINDS),
            client_key=client_key,
        )
        all_students = [s for s, _p in students]
        involvements = []
        for student, part in students:
            case = number = None
            if part == Part.ACTOR:
                case = case_for(student=student, actor=staff, at=happened_at, protocol=protocol)
                number = case.actor_involvements + 1  # read with the case (issue #13)
            entry = record(
                student=student,
                kind=EntryKind.INCIDENT,
                title=_("Incident: %(category)s (%(part)s)")
                % {"category": category, "part": Part(part).label},
                body=_body(incident, part),
                actor=staff,
                occurred_at=happened_at,
                visibility=Visibility.TEAM,
                involved=all_students,  # AVG-4: the others are linked, never named to this student's parents
                source=incident,
                text_warnings=incident.text_warnings,
            )
            involvements.append(
                Involvement.objects.create(
                    incident=incident, student=student, part=part, case=case, number=number or 0, entry=entry
                )
            )
        audit(actor=user_of(actor), action="behaviour.incident.registered", obj=incident, school=school,
              data={"students": len(students), "category": category})  # fmt: skip
        flag_possible_bullying(incident=incident, protocol=protocol, involvements=involvements)
    return incident


# --------------------------------------------------------------------------------- victims, bullying


def record_aftercare(*, actor, involvement: Involvement, item: str, note: str = "") -> Involvement:
    """Mark one aftercare item of the school's list done for a victim (issue 10 §3), in their file."""
    student = involvement.student
    staff = staff_member(actor, student.school)
    if staff is None or staff.school_id != student.school_id:
        _refuse(_("Alleen een medewerker van deze school legt nazorg vast."))
    if involvement.part != Part.VICTIM:
        _refuse(_("Nazorg hoort bij een slachtoffer."), "GP-1")
    items = protocol_value(student.school, BEHAVIOUR, "victim_aftercare")
    if item not in items:
        _refuse(_("Kies een vorm van nazorg uit het protocol van de school."), "GP-1")
    with transaction.atomic():
        involvement = (
            Involvement.objects.select_for_update().select_related("student__school").get(pk=involvement.pk)
        )
        if item in involvement.aftercare_done:
            return involvement
        involvement.aftercare_done = {**involvement.aftercare_done, item: timezone.localdate().isoformat()}
        involvement.save(update_fields=["aftercare_done"])
        record(student=student, kind=EntryKind.TALK, title=_("Nazorg na incident: %(item)s") % {"item": item},
               body=clean_text(note or "").strip(), actor=staff, source=involvement.incident)  # fmt: skip
        audit(actor=user_of(actor), action="behaviour.aftercare.recorded", obj=involvement.incident,
              school=student.school, student=student, data={"item": item})  # fmt: skip
    return involvement


def anti_bullying_coordinators(school) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(
            school=school, active=True, role_assignments__role=Role.ANTI_BULLYING_COORDINATOR
        )
        .distinct()
        .order_by("last_name", "pk")
    )


def _flag(incident: Incident, student: Student, kind: str, count: int) -> BullyingFlag | None:
    if BullyingFlag.objects.filter(student=student, kind=kind, handled_at__isnull=True).exists():
        return None  # one open flag per student and kind: the coordinator already knows
    flag = BullyingFlag.objects.create(
        school=incident.school, student=student, kind=kind, incident=incident, count=count
    )
    audit(actor=None, action="behaviour.bullying.flagged", obj=flag, school=incident.school, student=student,
          data={"kind": kind, "count": count})  # fmt: skip
    url = reverse("behaviour_student", args=[student.pk])
    for coordinator in anti_bullying_coordinators(incident.school):
        # No names in the mail: the coordinator reads the flag in the application.
        queue_staff_message(
            school=incident.school,
            staff=coordinator,
            subject=_("Mogelijk pesten gemeld"),
            body=_(
                "Leerlingzorg ziet herhaalde incidenten die op pesten kunnen wijzen. Bekijk de melding onder "
                "Mijn acties (%(url)s)."
            )
            % {"url": url},  # fmt: skip
            idempotency_key=f"behaviour-bullying-{flag.pk}-{coordinator.pk}",
            student=student,
        )
    return flag


def _window(p):
    """The involvements of the school's incidents that happened in the bullying window."""
    return Involvement.objects.filter(
        incident__school_id=p.school, incident__happened_at__gte=p.since, incident__happened_at__lte=p.until
    )


def _victim_counts(p):
    """Per victim: in how many incidents of the window they were the victim."""
    return (
        _window(p)
        .filter(part=Part.VICTIM, student__in=p.victims)
        .order_by()
        .values_list("student")
        .annotate(n=Count("incident", distinct=True))
    )


def _actor_victims(p):
    """The other students who were the victim in the window's incidents where `p.actor` was an actor."""
    actor_incidents = _window(p).filter(part=Part.ACTOR, student_id=p.actor).values("incident")
    return (
        _window(p)
        .filter(part=Part.VICTIM, incident__in=actor_incidents)
        .exclude(student_id=p.actor)
        .order_by()  # DISTINCT over the student alone (the model's ordering would join the select list)
        .values_list("student")
        .distinct()
    )


def flag_possible_bullying(
    *,
    incident: Incident,
    protocol: ProtocolVersion | None = None,
    involvements: Sequence[Involvement] | None = None,
) -> list[BullyingFlag]:
    """Repeated incidents against one victim, or one actor against different victims, within the
    window (thresholds are the school's settings): flagged to the anti-pest coordinator.

    `protocol` (the school's behaviour version in force) and `involvements` (the incident's, in the
    order made, with their students) when the caller has them: not read again (issue #13)."""
    school = incident.school
    if protocol is None:
        protocol = current_version(school, BEHAVIOUR)
    since = incident.happened_at - datetime.timedelta(weeks=protocol.value("bullying_window_weeks"))
    window = {"school": school.pk, "since": since, "until": incident.happened_at}
    parts = (
        list(involvements)
        if involvements is not None
        else list(incident.involvements.select_related("student"))
    )
    flags = []
    victims = [i.student for i in parts if i.part == Part.VICTIM]
    actors = [i.student for i in parts if i.part == Part.ACTOR]
    if victims:
        limit = protocol.value("bullying_victim_incidents")
        values = {**window, "victims": [victim.pk for victim in victims]}
        counts = dict(sql_shapes.fetch(("behaviour.bullying_victim_counts",), values, _victim_counts))
        for victim in victims:
            if counts.get(victim.pk, 0) >= limit:
                flags.append(_flag(incident, victim, BullyingFlag.Kind.VICTIM, counts[victim.pk]))
    if actors:
        limit = protocol.value("bullying_actor_victims")
        for actor in actors:
            values = {**window, "actor": actor.pk}
            n = len(sql_shapes.fetch(("behaviour.bullying_actor_victims",), values, _actor_victims))
            if n >= limit:
                flags.append(_flag(incident, actor, BullyingFlag.Kind.ACTOR, n))
    return [f for f in flags if f is not None]


def handle_bullying_flag(*, actor, flag: BullyingFlag) -> BullyingFlag:
    """The coordinator has picked the flag up."""
    staff = staff_member(actor, flag.school)
    if staff is None or staff.school_id != flag.school_id:
        _refuse(_("Alleen een medewerker van deze school handelt een melding af."))
    with transaction.atomic():
        BullyingFlag.objects.filter(pk=flag.pk, handled_at__isnull=True).update(handled_at=timezone.now())
        audit(
            actor=user_of(actor),
            action="behaviour.bullying.handled",
            obj=flag,
            school=flag.school,
            student=flag.student,
        )
    flag.refresh_from_db()
    return flag
