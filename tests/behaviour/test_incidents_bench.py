"""The behaviour benchmark (`make bench`) runs on a small school with five years of incidents: the query
count of every page and of registering an incident is the same for a student with a long history and
for one with a single incident (constant in the history)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from bench.dataset import BenchSchool
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_behaviour_benchmark_builds_five_years_and_its_queries_are_constant_in_the_history(world):
    from behaviour import bench
    from behaviour.models import BehaviourCase
    from behaviour.models_incidents import Incident, Involvement
    from schools.benchmarks import registered_benchmarks

    assert "behaviour.bench" in registered_benchmarks()
    for n in range(4):
        f.place(f.StudentFactory(school=world.school, first_name=f"Bench{n}"), world.group_2b)
    school = BenchSchool(
        school_id=world.school.pk,
        teacher_user_id=world.teacher.user_id,
        care_coordinator_user_id=world.carla.user_id,
        group_id=world.group_2b.pk,
        group_name="2B",
        common_last_name="Vries",
        full_name="Sanne de Vries",
        student_number="1001",
    )
    with scope():  # as in bench/run.py: no school scope is active
        counts = bench.build([school], per_year=12, long_history=4)
    assert counts == {"behaviour_incidents": 5 * (12 + 4) + 1}
    long_id, short_id = bench._students(world.group_2b.pk)
    assert Involvement.objects.filter(student_id=long_id, part="actor").count() == 20
    assert BehaviourCase.objects.filter(student_id=long_id).count() == 5  # one per school year, one open
    assert BehaviourCase.objects.filter(student_id=long_id, closed_at__isnull=True).count() == 1
    oldest = Incident.objects.order_by("happened_at").first().happened_at
    assert oldest < timezone.now() - datetime.timedelta(days=4 * 365)  # five school years back

    with scope():
        results = {r.name: r for r in bench.run([school], requests=3)}
    for result in results.values():
        print(result.summary())  # the figures, with -s
        assert len(set(result.queries)) == 1, (result.name, result.queries)  # the same every request
    for kind in (
        "gedragspagina leerling, {} (zorgcoördinator)",
        "incident vastleggen (service, ladder, dossier), {}",
    ):
        long, short = (results[kind.format(label)] for label in ("5 jaar geschiedenis", "1 incident"))
        assert long.queries == short.queries, kind  # constant in the history
