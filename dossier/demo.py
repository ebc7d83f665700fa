"""Demo content for the student files: a school calendar, log entries, a deadline, a document to sign.

Called by `manage.py demo` after the people exist. Everything goes through the services, so the
demo shows exactly what real use produces (file entries, audit rows, deadlines, queued mail).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from django_scopes import scope

from deadlines.services.deadlines import create_deadline
from dossier.models import Visibility
from dossier.services.log_templates import ensure_default_log_templates
from dossier.services.logbook import write_log_entry
from messaging.services.messages import compose_letter
from schools.models import Group, Role, School, StaffMember, Student, TeachingAssignment
from schools.services.calendar import load_default_holidays
from signatures.services.signatures import create_signable_document, default_signers

NOTES = [
    (
        "Gesprek over huiswerk",
        "Besproken dat het huiswerk twee weken niet af was. Afgesproken: planner elke maandag laten zien.",
    ),
    (
        "Signaal van de vakdocent",
        "Valt de laatste weken stil in de les en maakt weinig contact met klasgenoten.",
    ),
    (
        "Telefonisch contact met ouders",
        "Moeder gebeld over het verzuim van vorige week; zij herkent het beeld en denkt mee.",
    ),
    ("Positieve ontwikkeling", "Werkt sinds de afspraken geconcentreerder en vraagt vaker om hulp."),
    (
        "Conflict op het plein",
        "Na de pauze onenigheid met een klasgenoot; samen uitgepraat, excuses gemaakt.",
    ),
]


def _staff_with_role(school: School, role: str) -> StaffMember | None:
    return StaffMember.objects.filter(school=school, role_assignments__role=role).first()


def fill_demo_files(schools: list[School], *, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    counts = {"holidays": 0, "log_entries": 0, "deadlines": 0, "documents": 0}
    for school in schools:
        with scope(school=[school.pk]):
            counts["holidays"] += load_default_holidays(school=school).created
            ensure_default_log_templates(school)
            coordinator = _staff_with_role(school, Role.CARE_COORDINATOR)
            if coordinator is None:
                continue
            students = list(Student.objects.filter(school=school).order_by("pk")[:40])
            for student in students:
                for _ in range(rng.randint(1, 4)):
                    title, body = rng.choice(NOTES)
                    write_log_entry(
                        actor=coordinator.user,
                        student=student,
                        title=title,
                        body=body,
                        occurred_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 90)),
                        visibility=rng.choice([Visibility.TEAM, Visibility.TEAM, Visibility.CARE_TEAM]),
                        parent_visible=rng.random() < 0.3,
                    )
                    counts["log_entries"] += 1
            first = students[0]
            create_deadline(
                school=school,
                owner=coordinator,
                title="Evaluatie van de afspraken met de mentor",
                rule="LB-13",
                start=timezone.localdate(),
                school_days=8,
                student=first,
            )
            counts["deadlines"] += 1
            create_signable_document(
                actor=coordinator.user,
                student=first,
                title="Verslag van het gesprek met ouders",
                content="Op 10 november spraken wij over de ontwikkeling van uw kind. Afgesproken is ...",
            )
            counts["documents"] += 1
            _living_classes(rng, school, coordinator, counts)
    return counts


def _living_classes(rng: random.Random, school: School, coordinator: StaffMember, counts: dict) -> None:
    """The demo mentor's own class is where a mentor looks first: notes by the mentor, a signal by the
    demo teacher, a letter, a deadline and a document waiting for the mentor's signature."""
    teacher_groups = set(
        TeachingAssignment.objects.filter(group__school=school, staff__user__isnull=False)
        .exclude(staff__mentor_of__isnull=False)
        .values_list("group_id", "staff_id")
    )
    for group in Group.objects.filter(school=school, mentors__user__isnull=False).distinct():
        mentor = group.mentors.filter(user__isnull=False).first()
        students = list(
            Student.objects.filter(memberships__group=group).distinct().order_by("last_name", "pk")[:8]
        )
        if not students:
            continue
        for student in students:
            for title, body in rng.sample(NOTES, 2):
                write_log_entry(
                    actor=mentor.user,
                    student=student,
                    title=title,
                    body=body,
                    occurred_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 60)),
                    visibility=Visibility.TEAM,
                    parent_visible=rng.random() < 0.3,
                )
                counts["log_entries"] += 1
        # A signal from a subject teacher who teaches this class (the demo teacher where there is one).
        teacher_id = next((staff for g, staff in teacher_groups if g == group.pk), None)
        teacher = StaffMember.objects.filter(pk=teacher_id).first() if teacher_id else coordinator
        write_log_entry(
            actor=teacher.user,
            student=students[1 % len(students)],
            title="Signaal van de vakdocent",
            body="Haalt de laatste drie toetsen onvoldoende en lijkt moe in de les. Graag even navragen.",
            occurred_at=timezone.now() - datetime.timedelta(days=2),
            visibility=Visibility.TEAM,
        )
        counts["log_entries"] += 1
        compose_letter(actor=coordinator, student=students[0], template_code="gp.out_of_class.hour",
                       context={"reason": "herhaaldelijk storen na twee waarschuwingen"})  # fmt: skip
        counts["letters"] = counts.get("letters", 0) + 1
        create_deadline(
            school=school,
            owner=mentor,
            title="Gesprek met ouders over de afspraken",
            rule="LB-13",
            start=timezone.localdate(),
            school_days=5,
            student=students[0],
        )
        counts["deadlines"] += 1
        student = students[2 % len(students)]
        create_signable_document(
            actor=coordinator.user,
            student=student,
            title="Afspraken over huiswerk en planning",
            content=f"{student.first_name} laat elke maandag de planner zien aan de mentor. "
            "De mentor kijkt mee en bespreekt het na vier weken met ouders.",
            signers=[*default_signers(student), mentor],
        )
        counts["documents"] += 1
