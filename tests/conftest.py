"""Fixed personas, as the healthchecks tests have them.

School A ("Beekdal Lyceum"): class 2B in department "onderbouw" with students Sanne and Daan,
class 3C (department "bovenbouw") with student Mila.
- teacher    Tom: teaches 2B
- mentor     Mirjam: mentor of 2B
- carla      care coordinator; bea behaviour specialist; dirk director
- anouk      afdelingsleider of "onderbouw"
- fiona      functional administrator
- bert       board member
- olga       teaches 3C (not Sanne's teacher); henk afdelingsleider of "bovenbouw" (another department)
- parent_sanne (Petra) has parental authority over Sanne; stef is Sanne's guardian without it;
  parent_daan (Dora) is Daan's guardian only (these two only with add_more_guardians(world),
  as most tests count Sanne's guardians). Mila is 17 and signs in herself (AVG-1).
School B: director "zeno", student "Otto". Nobody of A sees anything of B.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from schools.models import BoardMember, Role

from . import factories as f
from .smtp_sink import smtp  # noqa: F401  (the real SMTP sink, a fixture for every test)


@pytest.fixture(autouse=True)
def _no_scope_in_test_code():
    """Test set-up may touch any school; views still run in their own scope (middleware)."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "media" / "audit-checkpoints"


@dataclass
class World:
    board: object
    school: object
    other_school: object
    onderbouw: object
    bovenbouw: object
    group_2b: object
    group_3c: object
    sanne: object
    daan: object
    mila: object
    otto: object
    teacher: object
    mentor: object
    carla: object
    bea: object
    dirk: object
    anouk: object
    fiona: object
    bert: object
    zeno: object
    parent_sanne: object
    parent_otto: object
    olga: object
    henk: object
    stef: object = None
    parent_daan: object = None

    def client_for(self, staff_or_user) -> Client:
        client = Client()
        user = getattr(staff_or_user, "user", staff_or_user)
        client.force_login(user)
        return client


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The fixed personas; also called once per module by tests that share one world."""
    board = f.BoardFactory(name="Stichting Beekdal")
    school = f.SchoolFactory(board=board, name="Beekdal Lyceum", kind="vo", brin="99XX")
    other = f.SchoolFactory(name="Andere School", kind="po", brin="88YY")
    onderbouw = f.DepartmentFactory(school=school, name="onderbouw")
    bovenbouw = f.DepartmentFactory(school=school, name="bovenbouw")
    g2b = f.GroupFactory(school=school, name="2B", year_level=2, department=onderbouw)
    g3c = f.GroupFactory(school=school, name="3C", year_level=3, department=bovenbouw)
    sanne = f.StudentFactory(
        school=school, first_name="Sanne", name_prefix="de", last_name="Vries", student_number="1001"
    )
    daan = f.StudentFactory(school=school, first_name="Daan", last_name="Jansen", student_number="1002")
    mila = f.StudentFactory(
        school=school,
        first_name="Mila",
        last_name="Bakker",
        student_number="1003",
        date_of_birth=datetime.date(2009, 3, 14),  # 16 or older: she exercises her own rights (AVG-1)
        email="mila@leerling.test",
        user=f.UserFactory(email="mila@leerling.test", full_name="Mila Bakker"),
    )
    for student in (sanne, daan):
        f.place(student, g2b)
    f.place(mila, g3c)
    other_group = f.GroupFactory(school=other, name="groep 5", year_level=5)
    otto = f.StudentFactory(school=other, first_name="Otto", last_name="Visser", student_number="2001")
    f.place(otto, other_group)

    def staff(email, first, last, school=school):
        return f.StaffFactory(
            school=school, user=f.UserFactory(email=email), first_name=first, last_name=last
        )

    teacher = staff("tom@beekdal.test", "Tom", "Leraar")
    f.teach(teacher, g2b, "Wiskunde")
    mentor = staff("mirjam@beekdal.test", "Mirjam", "Mentor")
    g2b.mentors.add(mentor)
    carla = staff("carla@beekdal.test", "Carla", "Zorg")
    f.give_role(carla, Role.CARE_COORDINATOR)
    bea = staff("bea@beekdal.test", "Bea", "Gedrag")
    f.give_role(bea, Role.BEHAVIOUR_SPECIALIST)
    dirk = staff("dirk@beekdal.test", "Dirk", "Directeur")
    f.give_role(dirk, Role.DIRECTOR)
    anouk = staff("anouk@beekdal.test", "Anouk", "Afdeling")
    f.give_role(anouk, Role.DEPARTMENT_HEAD, department=onderbouw)
    fiona = staff("fiona@beekdal.test", "Fiona", "Beheer")
    f.give_role(fiona, Role.FUNCTIONAL_ADMIN)
    bert = f.UserFactory(email="bert@bestuur.test", full_name="Bert Bestuur")
    BoardMember.objects.create(board=board, user=bert)
    olga = staff("olga@beekdal.test", "Olga", "Bovenbouw")
    f.teach(olga, g3c, "Engels")
    henk = staff("henk@beekdal.test", "Henk", "Hoofd")
    f.give_role(henk, Role.DEPARTMENT_HEAD, department=bovenbouw)
    zeno = staff("zeno@andere.test", "Zeno", "Anders", school=other)
    f.give_role(zeno, Role.DIRECTOR)
    parent_sanne = f.GuardianFactory(school=school, first_name="Petra", last_name="de Vries")
    f.link_guardian(sanne, parent_sanne)
    parent_otto = f.GuardianFactory(school=other, first_name="Olaf", last_name="Visser")
    f.link_guardian(otto, parent_otto)
    return World(
        board=board,
        school=school,
        other_school=other,
        onderbouw=onderbouw,
        bovenbouw=bovenbouw,
        group_2b=g2b,
        group_3c=g3c,
        sanne=sanne,
        daan=daan,
        mila=mila,
        otto=otto,
        teacher=teacher,
        mentor=mentor,
        carla=carla,
        bea=bea,
        dirk=dirk,
        anouk=anouk,
        fiona=fiona,
        bert=bert,
        zeno=zeno,
        parent_sanne=parent_sanne,
        parent_otto=parent_otto,
        olga=olga,
        henk=henk,
    )


def add_more_guardians(world: World) -> World:
    """Sanne's guardian without parental authority (stef) and Daan's guardian (parent_daan)."""
    world.stef = f.GuardianFactory(
        school=world.school, first_name="Stef", last_name="Stiefvader", email="stef@thuis.test"
    )
    f.link_guardian(world.sanne, world.stef, authority=False)
    world.parent_daan = f.GuardianFactory(
        school=world.school, first_name="Dora", last_name="Jansen", email="dora@thuis.test"
    )
    f.link_guardian(world.daan, world.parent_daan)
    return world
