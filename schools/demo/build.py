"""Build (or remove) the demo board: a vo and a po school, ~600 students, one log-in per role.

Everything is generated from random.Random(seed), so two runs give the same people.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from ..models import (
    Board,
    BoardMember,
    Department,
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
from .fillers import remove_demo_content
from .names import SUBJECTS_VO
from .people import adult_name, birth_date, child_first_name, pick_family

DEMO_BOARD_NUMBER = "DEMO1"
BOARD_NAME = "Stichting Beekdal Onderwijs (demo)"
PASSWORD = "demo-wachtwoord-2026"
CORE_SUBJECTS = ["Nederlands", "Engels", "Wiskunde", "Lichamelijke opvoeding"]

# Beekdal Lyceum (review protocol seed 000): three departments, brugklas 1 to examenklas 5 havo / 6 vwo.
VO_CLASSES = [
    *((f"1{c}", 1, "onderbouw") for c in "ABCD"),
    *((f"2{c}", 2, "onderbouw") for c in "ABCD"),
    *((name, 3, "onderbouw") for name in ("3H1", "3H2", "3V1", "3V2")),
    *((name, level, "havo bovenbouw") for name, level in (("4H1", 4), ("4H2", 4), ("5H1", 5), ("5H2", 5))),
    *((name, level, "vwo bovenbouw") for name, level in (("4V1", 4), ("4V2", 4), ("5V1", 5), ("6V1", 6))),
]
PO_GROUPS = [(f"groep {n}", n, None) for n in range(1, 9)]

# (role label for the table, e-mail local part, Role or pseudo-role)
VO_PERSONAS = [
    ("docent", "docent", "teacher"),
    ("mentor", "mentor", "mentor"),
    ("leerlingbegeleider", "ib", Role.CARE_COORDINATOR),
    ("gedragsspecialist", "gedrag", Role.BEHAVIOUR_SPECIALIST),
    ("afdelingsleider onderbouw", "afdelingsleider", Role.DEPARTMENT_HEAD),
    ("directeur", "directeur", Role.DIRECTOR),
    ("functioneel beheerder", "beheer", Role.FUNCTIONAL_ADMIN),
]
PO_PERSONAS = [
    ("leerkracht (vakleerkracht gym)", "leerkracht", "teacher"),
    ("groepsleerkracht (mentor)", "groepsleerkracht", "mentor"),
    ("intern begeleider", "ib", Role.CARE_COORDINATOR),
    ("gedragsspecialist", "gedrag", Role.BEHAVIOUR_SPECIALIST),
    ("directeur", "directeur", Role.DIRECTOR),
    ("functioneel beheerder", "beheer", Role.FUNCTIONAL_ADMIN),
]


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    kind: str
    brin: str
    domain: str
    groups: list
    group_size: int
    personas: list
    first_student_number: int
    age_offset: int  # age on 1 October in year level 1


VO = SchoolSpec(
    "Beekdal Lyceum", SchoolKind.VO, "99BK", "beekdal.demo", VO_CLASSES, 22, VO_PERSONAS, 240001, 12
)
PO = SchoolSpec(
    "Basisschool De Klimop", SchoolKind.PO, "99KL", "klimop.demo", PO_GROUPS, 20, PO_PERSONAS, 130001, 4
)


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    school: str


def demo_logins() -> list[Login]:
    logins = [
        Login(label, f"{local}@{spec.domain}", spec.name)
        for spec in (VO, PO)
        for label, local, _ in spec.personas
    ]
    return [*logins, Login("bestuurslid", "bestuur@beekdal.demo", BOARD_NAME)]


def demo_board() -> Board | None:
    return Board.objects.filter(bestuur_number=DEMO_BOARD_NUMBER).first()


def remove_demo() -> None:
    """Delete the demo board, its schools (and everything in them) and the demo users."""
    with scopes_disabled(), transaction.atomic():
        for board in Board.objects.filter(bestuur_number=DEMO_BOARD_NUMBER):
            remove_demo_content(board.schools.all())
            for school in board.schools.all():
                Group.objects.filter(school=school).delete()
                school.delete()
            board.delete()
        User.objects.filter(email__in=[login.email for login in demo_logins()]).delete()


def build_demo(seed: int = 2026) -> list[Login]:
    rng = random.Random(seed)
    password = make_password(PASSWORD)  # hashed once: the same password for every demo user
    with scopes_disabled(), transaction.atomic():
        board = Board.objects.create(name=BOARD_NAME, bestuur_number=DEMO_BOARD_NUMBER)
        for spec in (VO, PO):
            _build_school(rng, board, spec, password)
        bert = User.objects.create(
            email="bestuur@beekdal.demo", full_name="Bernadette Bestuur", password=password
        )
        BoardMember.objects.create(board=board, user=bert)
    return demo_logins()


def _build_school(rng: random.Random, board: Board, spec: SchoolSpec, password: str) -> School:
    school = School.objects.create(
        board=board,
        name=spec.name,
        kind=spec.kind,
        brin=spec.brin,
        region="zuid",
        address=f"Beekweg {rng.randint(1, 90)}, Beekdal",
    )
    start, end = SchoolYear.bounds_for(timezone.localdate())
    year = SchoolYear.objects.create(school=school, start=start, end=end)
    departments = {
        name: Department.objects.create(school=school, name=name)
        for name in dict.fromkeys(dept for _, _, dept in spec.groups if dept)
    }
    groups = Group.objects.bulk_create(
        Group(school=school, school_year=year, name=name, year_level=level, department=departments.get(dept))
        for name, level, dept in spec.groups
    )
    personas = _personas(rng, school, spec, password)
    pool = _staff_pool(rng, school, spec, 45 if spec.kind == SchoolKind.VO else 12)
    _teaching(rng, spec, groups, pool, personas, departments)
    _students(rng, school, spec, groups, year)
    return school


def _staff(school: School, n: int, first: str, prefix: str, last: str, email: str, user=None) -> StaffMember:
    initials = (first[:1] + (prefix[:1] if prefix else "") + last[:2]).upper()
    return StaffMember(
        school=school,
        user=user,
        first_name=first,
        name_prefix=prefix,
        last_name=last,
        email=email,
        staff_number=f"M{n:04d}",
        initials=initials,
    )


def _personas(rng: random.Random, school: School, spec: SchoolSpec, password: str) -> dict[str, StaffMember]:
    names = [adult_name(rng) for _ in spec.personas]
    users = User.objects.bulk_create(
        User(email=f"{local}@{spec.domain}", full_name=" ".join(p for p in name if p), password=password)
        for (_, local, _), name in zip(spec.personas, names, strict=True)
    )
    staff = StaffMember.objects.bulk_create(
        _staff(school, n, *name, user.email, user)
        for n, (name, user) in enumerate(zip(names, users, strict=True), start=1)
    )
    return {str(role): member for (_, _, role), member in zip(spec.personas, staff, strict=True)}


def _staff_pool(rng: random.Random, school: School, spec: SchoolSpec, size: int) -> list[StaffMember]:
    return StaffMember.objects.bulk_create(
        _staff(school, 100 + n, *adult_name(rng), f"medewerker{n:03d}@{spec.domain}") for n in range(size)
    )


def _teaching(rng, spec: SchoolSpec, groups: list[Group], pool, personas, departments) -> None:
    assignments: list[TeachingAssignment] = []
    mentors: list[tuple[Group, StaffMember]] = []
    roles = [
        RoleAssignment(staff=personas[str(role)], role=role, department=departments.get("onderbouw"))
        if role == Role.DEPARTMENT_HEAD
        else RoleAssignment(staff=personas[str(role)], role=role)
        for _, _, role in spec.personas
        if role not in ("teacher", "mentor")
    ]
    if spec.kind == SchoolKind.VO:
        # Subject teachers: three per subject; the demo teacher teaches Wiskunde, the mentor Nederlands.
        by_subject = {s: [pool[(i * 3 + j) % len(pool)] for j in range(3)] for i, s in enumerate(SUBJECTS_VO)}
        by_subject["Wiskunde"][0] = personas["teacher"]
        by_subject["Nederlands"][0] = personas["mentor"]
        for index, group in enumerate(groups):
            extras = [s for s in SUBJECTS_VO if s not in CORE_SUBJECTS]
            if group.year_level < 4:
                extras.remove("Latijn")
            subjects = CORE_SUBJECTS + rng.sample(extras, rng.randint(4, 8))
            teachers = {s: by_subject[s][index % 3] for s in subjects}
            assignments += [TeachingAssignment(staff=t, group=group, subject=s) for s, t in teachers.items()]
            mentor = personas["mentor"] if group.name == "2B" else teachers[rng.choice(subjects[1:])]
            if group.name == "2B":
                assignments = [a for a in assignments if not (a.group is group and a.subject == "Nederlands")]
                assignments.append(TeachingAssignment(staff=mentor, group=group, subject="Nederlands"))
            elif mentor is personas["mentor"] or mentor is personas["teacher"]:
                mentor = pool[index]
            mentors.append((group, mentor))
    else:
        # Each groep has its groepsleerkracht (mentor); the vakleerkracht gives gym in groep 3 to 8.
        for index, group in enumerate(groups):
            mentor = personas["mentor"] if group.year_level == 6 else pool[index]
            mentors.append((group, mentor))
            assignments.append(TeachingAssignment(staff=mentor, group=group, subject="groepsleerkracht"))
            if group.year_level >= 3:
                assignments.append(
                    TeachingAssignment(staff=personas["teacher"], group=group, subject="Bewegingsonderwijs")
                )
    TeachingAssignment.objects.bulk_create(assignments)
    Group.mentors.through.objects.bulk_create(
        Group.mentors.through(group_id=group.pk, staffmember_id=staff.pk) for group, staff in mentors
    )
    RoleAssignment.objects.bulk_create(roles)


def _students(rng: random.Random, school: School, spec: SchoolSpec, groups: list[Group], year) -> None:
    students: list[Student] = []
    placements: list[tuple[int, Group]] = []
    families = []
    links = []  # (student index, family)
    number = spec.first_student_number
    for group in groups:
        for _ in range(spec.group_size + rng.randint(-3, 3)):
            family, _new = pick_family(rng, families)
            first = child_first_name(rng)
            student = Student(
                school=school,
                student_number=str(number),
                first_name=first,
                name_prefix=family.prefix,
                last_name=family.last_name,
                date_of_birth=birth_date(rng, year.start, spec.age_offset + group.year_level - 1),
                enrolled_on=datetime.date(year.start.year - group.year_level + 1, 8, 1),
            )
            # bulk_create skips save(), which fills the search text.
            student.search_text = f"{student.full_name} {student.last_name} {student.student_number}".lower()
            students.append(student)
            placements.append((len(students) - 1, group))
            links.append((len(students) - 1, family))
            number += 1
    students = Student.objects.bulk_create(students)
    GroupMembership.objects.bulk_create(
        GroupMembership(student=students[i], group=group, start=year.start) for i, group in placements
    )
    guardians: list[Guardian] = []
    for n, family in enumerate(families):
        for first, prefix, last, _relation, _authority in family.guardians:
            guardians.append(
                Guardian(
                    school=school,
                    first_name=first,
                    name_prefix=prefix,
                    last_name=last,
                    email=f"ouder{len(guardians) + 1:04d}@{spec.domain.replace('.demo', '-thuis.demo')}",
                    phone=f"06-{rng.randrange(10**7, 10**8)}",
                    address=f"Beekdalstraat {n + 1}, Beekdal",
                )
            )
            family.guardian_pks.append(len(guardians) - 1)
    guardians = Guardian.objects.bulk_create(guardians)
    GuardianRelation.objects.bulk_create(
        GuardianRelation(
            student=students[i], guardian=guardians[g], relation=relation, has_parental_authority=authority
        )
        for i, family in links
        for g, (_, _, _, relation, authority) in zip(family.guardian_pks, family.guardians, strict=True)
    )
