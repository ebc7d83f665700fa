"""Writing a computed diff to the database, in bulk, reporting progress as it goes.

Runs inside the caller's transaction (schools.services.imports.apply_import); it never commits.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models import (
    Group,
    GroupMembership,
    Guardian,
    GuardianRelation,
    Mentorship,
    SchoolYear,
    StaffMember,
    Student,
    TeachingAssignment,
)
from ..models.people import display_name
from .changes import Changes
from .records import staff_number_key

BATCH = 500


def _search_text(student: Student) -> str:
    # Same as Student.save(); bulk writes bypass save().
    full_name = display_name(student.first_name, student.name_prefix, student.last_name)
    return f"{full_name} {student.last_name} {student.student_number}".lower()


def _update_each(items: list, model, progress) -> None:
    """items: (obj, {field: value}); one bulk_update per set of changed fields."""
    by_fields: dict[tuple, list] = {}
    for obj, update in items:
        for name, value in update.items():
            setattr(obj, name, value)
        fields = tuple(sorted(update))
        if model is Student:
            obj.search_text = _search_text(obj)
            fields += ("search_text",)
        by_fields.setdefault(fields, []).append(obj)
    for fields, objs in by_fields.items():
        for i in range(0, len(objs), BATCH):
            model.objects.bulk_update(objs[i : i + BATCH], fields)
            progress(len(objs[i : i + BATCH]))


def apply_changes(school, changes: Changes, progress: Callable[[int], None] = lambda n: None) -> None:
    """Apply in dependency order: groups, students, memberships, guardians, staff, assignments."""
    year_start, year_end = changes.school_year
    school_year, _ = SchoolYear.objects.get_or_create(
        school=school, start=year_start, defaults={"end": year_end}
    )

    Group.objects.bulk_create(
        [
            Group(
                school=school,
                school_year=school_year,
                name=g.name,
                year_level=g.year_level,
                external_id=g.external_id,
            )
            for g in changes.groups_create
        ]
    )
    progress(len(changes.groups_create))
    _update_each(changes.groups_update, Group, progress)
    groups = {g.name: g for g in Group.objects.filter(school=school, school_year=school_year)}

    new_students = [
        Student(
            school=school,
            student_number=r.student_number,
            first_name=r.first_name,
            name_prefix=r.name_prefix,
            last_name=r.last_name,
            date_of_birth=r.date_of_birth,
            email=r.email,
            enrolled_on=changes.today,
            left_on=changes.left_on.get(r.student_number),
        )
        for r in changes.students_create
    ]
    for student in new_students:
        student.search_text = _search_text(student)
    for i in range(0, len(new_students), BATCH):
        Student.objects.bulk_create(new_students[i : i + BATCH])
        progress(len(new_students[i : i + BATCH]))
    _update_each(changes.students_update, Student, progress)
    _update_each([(s, {"left_on": changes.today}) for s in changes.students_end], Student, progress)
    student_ids = dict(Student.objects.filter(school=school).values_list("student_number", "pk"))

    _update_each([(m, {"end": end}) for m, end in changes.memberships_end], GroupMembership, progress)
    memberships = [
        GroupMembership(student_id=student_ids[number], group=groups[name], start=start, end=end)
        for number, name, start, end in changes.memberships_create
    ]
    for i in range(0, len(memberships), BATCH):
        GroupMembership.objects.bulk_create(memberships[i : i + BATCH])
        progress(len(memberships[i : i + BATCH]))

    Guardian.objects.bulk_create(
        [
            Guardian(
                school=school,
                email=r.email,
                external_id=r.external_id,
                first_name=r.first_name,
                name_prefix=r.name_prefix,
                last_name=r.last_name,
                phone=r.phone,
            )
            for r in changes.guardians_create
        ],
        batch_size=BATCH,
    )
    progress(len(changes.guardians_create))
    _update_each(changes.guardians_update, Guardian, progress)
    guardian_ids = {}
    for pk, email, external_id in Guardian.objects.filter(school=school).values_list(
        "pk", "email", "external_id"
    ):
        if email:
            guardian_ids.setdefault(email.lower(), pk)
        if external_id:
            guardian_ids[f"ext:{external_id}"] = pk
    _update_each([(r, {"end": end}) for r, end in changes.relations_update], GuardianRelation, progress)
    GuardianRelation.objects.bulk_create(
        [
            GuardianRelation(student_id=student_ids[number], guardian_id=guardian_ids[key])
            for number, key in changes.relations_create
        ],
        batch_size=BATCH,
    )
    progress(len(changes.relations_create))

    StaffMember.objects.bulk_create(
        [
            StaffMember(
                school=school,
                email=r.email,
                first_name=r.first_name,
                name_prefix=r.name_prefix,
                last_name=r.last_name,
                staff_number=r.staff_number,
            )
            for r in changes.staff_create
        ]
    )
    progress(len(changes.staff_create))
    _update_each(changes.staff_update, StaffMember, progress)
    staff_ids = {}
    for pk, email, number in StaffMember.objects.filter(school=school).values_list(
        "pk", "email", "staff_number"
    ):
        if number:
            staff_ids.setdefault(staff_number_key(number), pk)
        staff_ids[email.lower() if email else staff_number_key(number)] = pk
    # Removed, not ended: an assignment or mentorship has no history of its own (the audit row
    # of the import run and the file's entries keep who was involved when).
    TeachingAssignment.objects.filter(pk__in=[a.pk for a in changes.assignments_remove]).delete()
    Mentorship.objects.filter(pk__in=[m.pk for m in changes.mentors_remove]).delete()
    TeachingAssignment.objects.bulk_create(
        [
            TeachingAssignment(
                staff_id=staff_ids[email], group=groups[name], subject=subject, from_import=True
            )
            for email, name, subject in changes.assignments_create
        ]
    )
    Mentorship.objects.bulk_create(
        [
            Mentorship(group_id=groups[name].pk, staffmember_id=staff_ids[email], from_import=True)
            for email, name in changes.mentors_add
        ]
    )
    progress(
        len(changes.assignments_remove)
        + len(changes.mentors_remove)
        + len(changes.assignments_create)
        + len(changes.mentors_add)
    )
