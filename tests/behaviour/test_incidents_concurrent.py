"""Two staff members registering an incident for the same student at the same moment: both land,
in order, on one case (issue 10 §2). Real threads and transactions on PostgreSQL; SQLite serialises
writers anyway (the sequential case is in test_incidents.py)."""

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from behaviour.models import BehaviourCase
from behaviour.models_incidents import Incident, Involvement, Part
from tests.concurrency import at_once

from .helpers import incident

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"),
]


def test_two_staff_registering_for_the_same_student_at_once_both_land_in_order_on_one_case(world):
    def register(actor, victim):
        with scopes_disabled():
            return incident(world, actor=actor, others=[(victim, Part.VICTIM)])

    at_once([lambda: register(world.teacher, world.daan), lambda: register(world.mentor, world.mila)])
    assert Incident.objects.count() == 2
    assert BehaviourCase.objects.filter(student=world.sanne).count() == 1  # one open case, not two
    numbers = list(
        Involvement.objects.filter(student=world.sanne)
        .order_by("incident__recorded_at", "pk")
        .values_list("number", flat=True)
    )
    assert sorted(numbers) == [1, 2]
