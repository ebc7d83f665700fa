"""The behaviour benchmark (`make bench`) runs: registering an incident and the two pages, queries counted."""

import pytest

from bench.dataset import BenchSchool

pytestmark = pytest.mark.django_db


def test_the_behaviour_benchmark_runs_on_a_small_school_with_constant_queries(world):
    from behaviour import bench
    from schools.benchmarks import registered_benchmarks

    assert "behaviour.bench" in registered_benchmarks()
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
    results = bench.run([school], requests=3)
    names = [r.name for r in results]
    assert names[0].startswith("incident vastleggen") and len(results) == 3
    for result in results:
        print(result.summary())  # the figures, with -s
    for result in results[1:]:
        assert len(set(result.queries)) == 1, (result.name, result.queries)  # the same every request
