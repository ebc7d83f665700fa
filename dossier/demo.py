"""Demo content for the student files: a school calendar, log entries, a deadline, a document to sign.

Called by `manage.py demo` after the people exist. Everything goes through the services, so the
demo shows exactly what real use produces (file entries, audit rows, deadlines, queued mail).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from django_scopes import scope

from schools.models import Role, School, StaffMember, Student
from schools.services.calendar import load_default_holidays

from .models import Visibility
from .services.deadlines import create_deadline
from .services.log_templates import ensure_default_log_templates
from .services.logbook import write_log_entry
from .services.signatures import create_signable_document

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
    return counts
