"""Demo content for the behaviour protocol: incidents, students on the ladder, one student in step 2.

Registered from `BehaviourConfig.ready()` as a demo filler; `manage.py demo` calls it once after the
people exist. Everything goes through the services (file entries, audit rows, letters, deadlines),
deterministic from `random.Random(seed)`.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from django_scopes import scope

from schools.calendar import is_school_day
from schools.models import Group, Role, School, StaffMember, Student

from .models import Part
from .services.incidents import register_incident
from .services.ladder import confirm_measure, give_consent, propose_next_measure, request_escalation
from .services.plans import REQUIRED_STEP2, hold_step2_talk

FACTS = [
    ("niet luisteren", "Bleef na drie keer vragen doorpraten tijdens de instructie."),
    ("verbale of schriftelijke agressie (ook online)", "Schold een klasgenoot uit in de groepsapp."),
    ("vernieling en vandalisme", "Trapte tegen de deur van het lokaal; het slot is beschadigd."),
    ("fysieke agressie of geweld", "Duwde een klasgenoot hard tegen de kapstok bij het naar binnen gaan."),
]
PLACES = ["in de klas", "op het plein", "in de gang", "bij de fietsenstalling"]


def _persona(school: School, role: str) -> StaffMember | None:
    return StaffMember.objects.filter(school=school, user__isnull=False, role_assignments__role=role).first()


def _moment(rng: random.Random, school: School) -> datetime.datetime:
    """A lesson hour on a school day in the last few weeks."""
    day = timezone.localdate() - datetime.timedelta(days=rng.randint(3, 25))
    while not is_school_day(school, day):
        day -= datetime.timedelta(days=1)
    at = datetime.datetime.combine(day, datetime.time(rng.randint(9, 14), rng.choice([0, 15, 30, 45])))
    return timezone.make_aware(at)


def fill_demo_behaviour(schools: list[School], *, seed: int = 2026) -> dict:
    rng = random.Random(seed + 1)
    counts = {"incidents": 0, "ladder_measures": 0, "step2_plans": 0}
    for school in schools:
        with scope(school=[school.pk]):
            _fill_school(rng, school, counts)
    return counts


def _fill_school(rng: random.Random, school: School, counts: dict) -> None:
    director = _persona(school, Role.DIRECTOR)
    specialist = _persona(school, Role.BEHAVIOUR_SPECIALIST)
    group = Group.objects.filter(school=school, mentors__user__isnull=False).order_by("pk").first()
    if group is None or director is None or specialist is None:
        return
    mentor = group.mentors.filter(user__isnull=False).first()
    students = list(Student.objects.filter(memberships__group=group).distinct().order_by("last_name", "pk"))
    if len(students) < 8:
        return
    other_group = Group.objects.filter(school=school).exclude(pk=group.pk).order_by("pk").first()
    warned, out_of_class, step2, victim, bystander = students[3:8]

    def incident(actor_student, category, facts, *, serious=False, others=()):
        counts["incidents"] += 1
        return register_incident(
            actor=mentor.user,
            students=[(actor_student, Part.ACTOR), *others],
            category=category,
            facts=facts,
            where=rng.choice(PLACES),
            happened_at=_moment(rng, school),
            action_taken="Leerling apart genomen en het gewenste gedrag benoemd.",
            discussed_with_student=True,
            serious=serious,
        )

    def confirm(case, **extra):
        proposal = propose_next_measure(case)
        confirm_measure(actor=mentor.user, case=case, measure=proposal.code, **extra)
        counts["ladder_measures"] += 1

    # Two warnings for one student, an out-of-class stage for another.
    for category, facts in rng.sample(FACTS[:2], 2):
        case = incident(warned, category, facts).involvements.get(student=warned).case
        confirm(case)
    category, facts = FACTS[2]
    case = incident(out_of_class, category, facts, serious=True).involvements.get(student=out_of_class).case
    confirm(case, host_group=other_group, work_given="De opdrachten van paragraaf 3 uit het werkboek.")
    # A serious incident with a victim and a bystander: the actor goes to step 2 with consent (GP-6).
    category, facts = FACTS[3]
    serious = incident(
        step2, category, facts, serious=True, others=[(victim, Part.VICTIM), (bystander, Part.BYSTANDER)]
    )
    case = serious.involvements.get(student=step2).case
    request = request_escalation(
        actor=mentor.user, case=case, rule="GP-6", reason="Ernstig fysiek incident na eerdere waarschuwingen."
    )
    give_consent(actor=director.user, request=request)
    give_consent(actor=specialist.user, request=request)
    case.refresh_from_db()
    hold_step2_talk(
        actor=mentor.user,
        case=case,
        talk_on=timezone.localdate() - datetime.timedelta(days=1),
        participants=list(REQUIRED_STEP2),
        desired_behaviour="Loopt bij boosheid weg naar de afgesproken plek en haalt de mentor erbij.",
        reward="Elke goede week mag de leerling een activiteit kiezen.",
        sanction="Een gesprek met de mentor in de pauze.",
        consequences=list(case.setting("step2_consequences"))[:1],
        feedback_frequency="weekly",
        feedback_channel=case.setting("step2_feedback_channels")[0],
        teacher=mentor,
    )
    counts["step2_plans"] += 1


def remove_demo_behaviour(schools: list[School]) -> None:
    """Before `demo --reset` deletes the schools: the rows that PROTECT a staff member or a protocol version."""
    from django_scopes import scopes_disabled

    from .models import BehaviourCase
    from .models_incidents import Incident
    from .models_plans import BehaviourPlan, Placement

    with scopes_disabled():
        for model in (Placement, BehaviourPlan, BehaviourCase, Incident):
            model.objects.filter(school__in=schools).delete()
