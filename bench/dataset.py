"""A board-sized data set, made with bulk_create: 20 schools, 12,000 students, 1,000 staff.

Each school: 24 groups this school year and 24 last year (students keep last year's membership,
ended), 50 staff (4 in school-wide roles, 46 teachers with ~5 groups each), 1–2 guardians per student.

`SCALE=N` (issue #13 §4, `make bench SCALE=5`): N × 20,000 students (N × 800 groups of 25) in more
schools of the same shape, so every page sees the same per-school size at any N; the groups that do
not fill a school of 24 go to one smaller po school (8 or 16 groups) at the end. SCALE=1: 34 schools,
SCALE=5: 167 schools and 100,000 students. The file history (bench/history.py) is N × 1,000,000
entries. Without SCALE the set is today's 20 schools (earlier figures stay comparable). The first 20
schools are the same at every scale (same seed, built in the same order): the benchmarks measure
those (`measured(schools)`).
"""

from __future__ import annotations

import os
import random
import sys
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from schools.demo.names import SUBJECTS_VO
from schools.demo.people import adult_name, birth_date, child_first_name, pick_family
from schools.models import (
    Board,
    Group,
    GroupMembership,
    Guardian,
    GuardianRelation,
    Role,
    RoleAssignment,
    School,
    SchoolKind,
    SchoolYear,
    StaffMember,
    Student,
    TeachingAssignment,
    User,
)

BOARD_NUMBER = "BENCH"
SCHOOLS = 20
STAFF_PER_SCHOOL = 50
GROUPS_PER_SCHOOL = 24
STUDENTS_PER_GROUP = 25
SUBJECTS_PER_GROUP = 10
ROLES = [Role.CARE_COORDINATOR, Role.DIRECTOR, Role.BEHAVIOUR_SPECIALIST, Role.FUNCTIONAL_ADMIN]
SCALE = int(os.environ.get("SCALE") or 0)  # 0: today's board set; N >= 1: N x 20,000 students
STUDENTS_PER_SCALE = 20_000


def school_shapes(scale: int = SCALE) -> list[tuple[str, int]]:
    """(kind, groups this year) per school: 20 x 24 groups without SCALE, N x 800 groups with it."""
    if scale <= 0:
        return [(_kind(n), GROUPS_PER_SCHOOL) for n in range(SCHOOLS)]
    groups = scale * STUDENTS_PER_SCALE // STUDENTS_PER_GROUP
    full, rest = divmod(groups, GROUPS_PER_SCHOOL)
    shapes = [(_kind(n), GROUPS_PER_SCHOOL) for n in range(full)]
    if rest:
        shapes.append((SchoolKind.PO, rest))  # a smaller po school: 8 levels x rest/8 groups
    return shapes


def _kind(n: int) -> str:
    return SchoolKind.VO if n % 2 == 0 else SchoolKind.PO


def measured(schools: list) -> list:
    """The schools the benchmarks time: the first SCHOOLS, the same at every SCALE."""
    return schools[:SCHOOLS]


@dataclass(frozen=True)
class BenchSchool:
    school_id: int
    teacher_user_id: int
    care_coordinator_user_id: int
    group_id: int
    group_name: str
    common_last_name: str
    full_name: str
    student_number: str


def group_names(kind: str, groups: int = GROUPS_PER_SCHOOL) -> list[tuple[str, int]]:
    if kind == SchoolKind.VO:
        return [(f"{level}{letter}", level) for level in range(1, 7) for letter in "ABCD"[: groups // 6]]
    return [(f"groep {level}{letter}", level) for level in range(1, 9) for letter in "abc"[: groups // 8]]


def build(seed: int = 4, scale: int = SCALE) -> list[BenchSchool]:
    rng = random.Random(seed)
    password = make_password("bench-wachtwoord-2026")
    shapes = school_shapes(scale)
    started = time.monotonic()
    schools = []
    with scopes_disabled(), transaction.atomic():
        board = Board.objects.create(name="Stichting Benchmark", bestuur_number=BOARD_NUMBER)
        for n, (kind, groups) in enumerate(shapes):
            schools.append(_school(rng, board, n, password, kind, groups))
            if (n + 1) % 10 == 0 or n + 1 == len(shapes):
                print(
                    f"  scholen {n + 1}/{len(shapes)} ({time.monotonic() - started:.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
    return schools


def _school(
    rng: random.Random, board: Board, n: int, password: str, kind: str, group_count: int
) -> BenchSchool:
    school = School.objects.create(
        board=board,
        name=f"Benchschool {n + 1}",
        kind=kind,
        brin=f"{n:02d}BN" if n < 100 else f"{n:03d}S",  # BRIN: 4 characters
        region="midden",
    )
    start, end = SchoolYear.bounds_for(timezone.localdate())
    this_year = SchoolYear.objects.create(school=school, start=start, end=end)
    last_year = SchoolYear.objects.create(
        school=school, start=start.replace(year=start.year - 1), end=end.replace(year=end.year - 1)
    )
    names = group_names(kind, group_count)
    groups = Group.objects.bulk_create(
        Group(school=school, school_year=year, name=name, year_level=level)
        for year in (this_year, last_year)
        for name, level in names
    )
    current, previous = groups[: len(names)], groups[len(names) :]

    people = [adult_name(rng) for _ in range(STAFF_PER_SCHOOL)]
    users = User.objects.bulk_create(
        User(email=f"m{i}@school{n}.bench", full_name=" ".join(p for p in name if p), password=password)
        for i, name in enumerate(people)
    )
    staff = StaffMember.objects.bulk_create(
        StaffMember(
            school=school, user=user, first_name=first, name_prefix=prefix, last_name=last, email=user.email
        )
        for user, (first, prefix, last) in zip(users, people, strict=True)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(staff=s, role=r) for s, r in zip(staff, ROLES, strict=False)
    )
    teachers = staff[len(ROLES) :]
    assignments, mentors = [], []
    for index, group in enumerate(current + previous):
        subjects = rng.sample(SUBJECTS_VO, SUBJECTS_PER_GROUP)
        chosen = [teachers[(index * 7 + k) % len(teachers)] for k in range(SUBJECTS_PER_GROUP)]
        assignments += [
            TeachingAssignment(staff=t, group=group, subject=s) for t, s in zip(chosen, subjects, strict=True)
        ]
        mentors.append(Group.mentors.through(group_id=group.pk, staffmember_id=chosen[0].pk))
    TeachingAssignment.objects.bulk_create(assignments)
    Group.mentors.through.objects.bulk_create(mentors)

    per_level = sum(1 for _, level in names if level == 1)
    students, placements, links, families = [], [], [], []
    for index, group in enumerate(current):
        for _ in range(STUDENTS_PER_GROUP):
            family, _new = pick_family(rng, families)
            student = Student(
                school=school,
                student_number=f"{n + 1:02d}{len(students):05d}",
                first_name=child_first_name(rng),
                name_prefix=family.prefix,
                last_name=family.last_name,
                date_of_birth=birth_date(
                    rng, start, (12 if kind == SchoolKind.VO else 4) + group.year_level - 1
                ),
            )
            student.search_text = f"{student.full_name} {student.last_name} {student.student_number}".lower()
            students.append(student)
            placements.append((group, previous[index - per_level] if group.year_level > 1 else None))
            links.append(family)
    students = Student.objects.bulk_create(students)
    memberships = []
    for student, (group, before) in zip(students, placements, strict=True):
        memberships.append(GroupMembership(student=student, group=group, start=start))
        if before is not None:
            memberships.append(
                GroupMembership(student=student, group=before, start=last_year.start, end=last_year.end)
            )
    GroupMembership.objects.bulk_create(memberships, batch_size=2000)
    guardians = []
    for family in families:
        for first, prefix, last, _relation, _authority in family.guardians:
            guardians.append(Guardian(school=school, first_name=first, name_prefix=prefix, last_name=last))
            family.guardian_pks.append(len(guardians) - 1)
    guardians = Guardian.objects.bulk_create(guardians, batch_size=2000)
    GuardianRelation.objects.bulk_create(
        (
            GuardianRelation(student=s, guardian=guardians[g], relation=rel, has_parental_authority=auth)
            for s, family in zip(students, links, strict=True)
            for g, (_, _, _, rel, auth) in zip(family.guardian_pks, family.guardians, strict=True)
        ),
        batch_size=2000,
    )
    # The benchmark's personas and queries: a teacher of the first group, the care coordinator.
    group = current[len(names) // 2]
    teacher = teachers[(len(names) // 2 * 7 + 1) % len(teachers)]  # teaches `group`, not its mentor
    sample = students[len(students) // 3]
    return BenchSchool(
        school_id=school.pk,
        teacher_user_id=teacher.user_id,
        care_coordinator_user_id=staff[0].user_id,
        group_id=group.pk,
        group_name=group.name,
        common_last_name=max(
            {s.last_name for s in students}, key=lambda name: sum(s.last_name == name for s in students)
        ),
        full_name=sample.full_name,
        student_number=sample.student_number,
    )


def counts() -> dict[str, int]:
    with scopes_disabled():
        models = (School, Group, Student, StaffMember, GroupMembership, TeachingAssignment, Guardian)
        return {model.__name__: model.objects.count() for model in models}
