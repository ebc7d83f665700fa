"""The search's group condition is the searched school's (issue #13: it grew with the board)."""

import pytest
from django_scopes import scope

from schools.access import compute_access
from schools.selectors import search_students
from tests import factories as f

pytestmark = pytest.mark.django_db


def _sister_school(world):
    """A school of the same board with groups named like the searched school's."""
    sister = f.SchoolFactory(board=world.school.board, name="Beekdal College", kind="vo", brin="77ZZ")
    sister_2b = f.GroupFactory(school=sister, name="2B", year_level=2)
    fenna = f.StudentFactory(school=sister, first_name="Fenna", last_name="Kok", student_number="3001")
    f.place(fenna, sister_2b)
    return sister


def _search(world, staff, query):
    with scope(school=world.school):
        return [s.full_name for s in search_students(compute_access(staff.user, world.school), query)]


def test_search_by_group_name_lists_only_the_schools_own_group_members(world):
    _sister_school(world)
    assert _search(world, world.carla, "2b") == ["Daan Jansen", "Sanne de Vries"]
    assert _search(world, world.carla, "klas 2b") == ["Daan Jansen", "Sanne de Vries"]
    assert _search(world, world.carla, "2b sanne") == ["Sanne de Vries"]
    assert _search(world, world.mentor, "2b") == ["Daan Jansen", "Sanne de Vries"]


def test_search_a_group_of_another_school_of_the_board_never_makes_a_student_match(world):
    """A membership that points at another school's group (data that must not occur, e.g. a bad import)
    does not make the student match that group's name: the group condition is the searched school's."""
    sister = _sister_school(world)
    sister_7 = f.GroupFactory(school=sister, name="groep 7", year_level=7)
    f.place(world.daan, sister_7)
    assert _search(world, world.carla, "groep 7") == []
    assert _search(world, world.carla, "7") == []
    assert _search(world, world.carla, "daan") == ["Daan Jansen"]
