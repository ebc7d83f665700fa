"""factory_boy factories for the organisation and its people."""

import datetime

import factory
from django.utils import timezone
from faker import Faker

from schools.models import (
    Board,
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

# The names the shared world (tests/conftest.py) gives its people. A generated name never contains one,
# so a page test's `"Sanne" not in page` is about the child Sanne, not about a signed-in user whose random
# name happened to be "Sanne van Schevinghuizen" (seen failing on PostgreSQL once in ~70 runs).
WORLD_NAMES = frozenset(
    "Sanne Daan Mila Otto Petra Olaf Stef Dora Tom Mirjam Carla Bea Dirk Anouk Fiona Bert Olga Henk Zeno "
    "Vries Jansen Bakker Visser Stiefvader Leraar Mentor Zorg Gedrag Directeur Afdeling Beheer Bestuur "
    "Bovenbouw Hoofd Anders".split()
)
_FAKER = Faker("nl_NL")


def _generated(kind: str) -> factory.LazyFunction:
    """A Dutch name from Faker (`kind`: "name", "first_name", "last_name") with none of WORLD_NAMES in it."""

    def make() -> str:
        while True:
            value = getattr(_FAKER, kind)()
            if not any(name in value for name in WORLD_NAMES):
                return value

    return factory.LazyFunction(make)


def current_school_year_bounds() -> tuple[datetime.date, datetime.date]:
    return SchoolYear.bounds_for(timezone.localdate())


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Stichting Onderwijs {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    kind = SchoolKind.VO
    brin = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}")
    location_code = "00"
    region = "midden"


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("school", "start")

    school = factory.SubFactory(SchoolFactory)
    start = factory.LazyFunction(lambda: current_school_year_bounds()[0])
    end = factory.LazyAttribute(lambda o: datetime.date(o.start.year + 1, 7, 31))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyAttribute(lambda o: SchoolYearFactory(school=o.school))
    name = factory.Sequence(lambda n: f"{1 + n % 6}{chr(65 + n % 5)}{n}")
    year_level = 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@school.test")
    full_name = _generated("name")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)
    first_name = _generated("first_name")
    last_name = _generated("last_name")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else f"{o.last_name.lower()}@school.test")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    student_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = _generated("first_name")
    last_name = _generated("last_name")
    date_of_birth = datetime.date(2012, 5, 17)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    school = factory.SubFactory(SchoolFactory)
    first_name = _generated("first_name")
    last_name = _generated("last_name")
    email = factory.Sequence(lambda n: f"ouder{n}@thuis.test")


def place(student: Student, group: Group, start: datetime.date | None = None, end=None) -> GroupMembership:
    return GroupMembership.objects.create(
        student=student, group=group, start=start or group.school_year.start, end=end
    )


def link_guardian(student: Student, guardian: Guardian, authority: bool = True) -> GuardianRelation:
    return GuardianRelation.objects.create(
        student=student, guardian=guardian, has_parental_authority=authority
    )


def give_role(staff: StaffMember, role: Role, department: Department | None = None) -> RoleAssignment:
    return RoleAssignment.objects.create(staff=staff, role=role, department=department)


def teach(staff: StaffMember, group: Group, subject: str = "Nederlands") -> TeachingAssignment:
    return TeachingAssignment.objects.create(staff=staff, group=group, subject=subject)
