"""Issue #13 §1: the signing pages read the student's current groups with the document (one query)
and hand them to the rules; what the rules then decide (AVG-4 need to know) must be what their
own read gives."""

import datetime

from django_scopes import scopes_disabled

from schools.models import Student
from schools.selectors import current_group_facts, remember_group_facts, with_student_group_facts
from tests import factories as f


def _remembered(student: Student) -> list:
    row = with_student_group_facts(Student.objects.filter(pk=student.pk), student_field="pk").get()
    fresh = Student.objects.get(pk=student.pk)
    remember_group_facts(row, fresh)
    return sorted(fresh.__dict__["_current_group_facts"], key=str)


def _read_by_the_rules(student: Student) -> list:
    return sorted(current_group_facts(Student.objects.get(pk=student.pk)), key=str)


def test_avg_4_group_facts_read_with_the_document_equal_the_rules_own_read(world):
    no_department = f.GroupFactory(school=world.school, name="4D", year_level=4, department=None)
    f.place(world.sanne, no_department)  # a current group without a department
    ended = f.GroupFactory(school=world.school, name="1A", year_level=1, department=None)
    f.place(world.daan, ended, start=datetime.date(2000, 8, 1), end=datetime.date(2001, 7, 31))
    nowhere = f.StudentFactory(school=world.school, first_name="Nina", last_name="Nergens")
    with scopes_disabled():
        for student in (world.sanne, world.daan, world.mila, nowhere):
            assert _remembered(student) == _read_by_the_rules(student), student
        assert len(_remembered(world.sanne)) == 2
        assert _remembered(nowhere) == []
