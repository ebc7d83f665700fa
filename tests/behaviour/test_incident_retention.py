"""AVG-3: an incident is part of the behaviour file (2 years after leaving by default). It goes when
every student in it is past that boundary; before, it stays, and a shared incident stays for the
students still in it (only the leaver's part goes)."""

import datetime

import pytest

from behaviour.models_incidents import Incident, Involvement, Part
from dossier.services.retention import purge_school

from .helpers import incident

pytestmark = pytest.mark.django_db

D = datetime.date


def _leave(student, on):
    student.left_on = on
    student.save(update_fields=["left_on"])


def test_avg_3_an_incident_is_purged_two_years_after_the_last_student_in_it_left_not_before(world):
    alone = incident(world, world.sanne, facts="Gooide een stoel om.")
    shared = incident(world, world.sanne, others=[(world.daan, Part.VICTIM)], facts="Duwde een klasgenoot.")
    _leave(world.sanne, D(2024, 7, 31))

    run = purge_school(world.school, today=D(2026, 7, 31))  # exactly two years: kept today
    assert Incident.objects.filter(pk__in=[alone.pk, shared.pk]).count() == 2
    assert "behaviour_incident" not in run.deleted

    run = purge_school(world.school, today=D(2026, 8, 1))  # the day after: the own incident goes
    assert not Incident.objects.filter(pk=alone.pk).exists()
    assert run.deleted["behaviour_incident"] == 1
    # The shared one stays in Daan's file; only Sanne's part of it is gone.
    assert list(Involvement.objects.filter(incident=shared).values_list("student", flat=True)) == [
        world.daan.pk
    ]

    _leave(world.daan, D(2025, 7, 31))
    purge_school(world.school, today=D(2027, 7, 31))
    assert Incident.objects.filter(pk=shared.pk).exists()  # Daan left exactly two years ago: not yet
    purge_school(world.school, today=D(2027, 8, 1))
    assert not Incident.objects.filter(pk=shared.pk).exists()
