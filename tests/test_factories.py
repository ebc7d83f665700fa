"""The factories' generated names never carry a name of the shared world, so a test that asserts a child's
name is NOT on a page can not fail because a random user or student happened to share it."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_generated_people_never_carry_a_world_name():
    school = f.SchoolFactory()
    names = [f.UserFactory.build().full_name for _ in range(400)]
    for factory_class in (f.StudentFactory, f.GuardianFactory):
        names += [str(person) for person in factory_class.build_batch(200, school=school)]
    names += [
        f"{s.first_name} {s.last_name}" for s in f.StaffFactory.build_batch(200, school=school, user=None)
    ]
    found = {name for name in names for world in f.WORLD_NAMES if world in name}
    assert found == set()
    assert len(set(names)) > 500  # still varied Dutch names, not one fixed name
