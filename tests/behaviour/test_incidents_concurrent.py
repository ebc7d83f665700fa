"""Two staff members registering an incident for the same student at the same moment: both land,
in order, on one case (issue 10 §2). Real threads and transactions on PostgreSQL; SQLite serialises
writers anyway (the sequential case is in test_incidents.py)."""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from behaviour.models import BehaviourCase
from behaviour.models_incidents import Incident, Involvement, Part

from .helpers import incident

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"),
]


def test_two_staff_registering_for_the_same_student_at_once_both_land_in_order_on_one_case(world):
    barrier = threading.Barrier(2)
    errors = []

    def register(actor, victim):
        try:
            with scopes_disabled():
                barrier.wait()
                incident(world, actor=actor, others=[(victim, Part.VICTIM)])
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=(world.teacher, world.daan)),
        threading.Thread(target=register, args=(world.mentor, world.mila)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Incident.objects.count() == 2
    assert BehaviourCase.objects.filter(student=world.sanne).count() == 1  # one open case, not two
    numbers = list(
        Involvement.objects.filter(student=world.sanne).order_by("incident__recorded_at", "pk").values_list("number", flat=True)
    )
    assert sorted(numbers) == [1, 2]
