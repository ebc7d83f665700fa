"""`manage.py demo`: two schools of plausible data, a log-in per role, safe to run twice."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client

from schools.demo.build import PASSWORD, demo_logins
from schools.models import (
    Group,
    Guardian,
    GuardianRelation,
    School,
    StaffMember,
    Student,
    TeachingAssignment,
    User,
)
from tests.persona_fixtures import _media_root, _module_media  # noqa: F401

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = (School, Group, Student, Guardian, GuardianRelation, StaffMember, TeachingAssignment, User)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def _demo_output(django_db_setup, django_db_blocker, _media_root):  # noqa: F811
    """The demo is built ONCE per module (about 8 s), inside a transaction rolled back at the end;
    each test runs in its own savepoint on top of it (CI time, issue #13 §4)."""
    from django.conf import settings

    with django_db_blocker.unblock():
        old, settings.MEDIA_ROOT = settings.MEDIA_ROOT, _media_root
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.MEDIA_ROOT = old


@pytest.fixture
def demo(db, _demo_output):
    return _demo_output


def test_demo_has_a_vo_and_a_po_school_of_about_600_students(demo):
    beekdal = School.objects.get(name="Beekdal Lyceum")
    klimop = School.objects.get(name="Basisschool De Klimop")
    assert 550 <= Student.objects.count() <= 650
    assert 18 <= Group.objects.filter(school=beekdal).count() <= 22
    assert set(Group.objects.filter(school=klimop).values_list("year_level", flat=True)) == set(range(1, 9))
    assert set(beekdal.departments.values_list("name", flat=True)) == {
        "onderbouw",
        "havo bovenbouw",
        "vwo bovenbouw",
    }
    assert Group.objects.get(school=beekdal, name="6V1").year_level == 6
    per_class = (
        TeachingAssignment.objects.filter(group__school=beekdal).values("group").annotate(n=Count("pk"))
    )
    assert all(8 <= row["n"] <= 12 for row in per_class)
    assert not Group.objects.filter(mentors=None).exists()


def test_demo_families_are_plausible(demo):
    assert GuardianRelation.objects.filter(has_parental_authority=False).exists()
    assert Guardian.objects.annotate(n=Count("relations")).filter(n__gt=1).exists()
    assert not Student.objects.annotate(n=Count("guardian_relations")).filter(n__in=[0, 3, 4]).exists()
    brugklas = Student.objects.filter(memberships__group__name="1A")
    examenklas = Student.objects.filter(memberships__group__name="6V1")
    assert max(s.date_of_birth for s in examenklas) < min(s.date_of_birth for s in brugklas)
    assert Student.objects.filter(search_text__contains="van").exists()


def test_every_demo_role_can_log_in_and_sees_its_home_page(demo):
    for login in demo_logins():
        client = Client()
        response = client.post("/inloggen/", {"username": login.email, "password": PASSWORD}, follow=True)
        assert response.status_code == 200, login
        body = response.content.decode()
        assert "Mijn acties" in body, login
        if login.email.startswith("bestuur@"):
            assert "alleen totalen" in body
        else:
            assert "Welkom" in body and login.school in body, login


def test_demo_command_prints_every_log_in(demo):
    for login in demo_logins():
        assert login.email in demo
    assert PASSWORD in demo


def test_running_demo_twice_does_not_duplicate(demo):
    before = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == before


def test_reset_rebuilds_the_same_demo(demo):
    before = counts()
    names = sorted(Student.objects.values_list("student_number", "first_name", "last_name"))
    call_command("demo", reset=True, stdout=io.StringIO())
    assert counts() == before
    assert sorted(Student.objects.values_list("student_number", "first_name", "last_name")) == names


def test_demo_mentor_own_class_is_a_living_school(demo):
    """Issue 8 §5: the mentor's own class had empty files. Each mentor persona's class now has notes
    by the mentor, a signal by the teacher, a letter and a document waiting for the mentor's signature."""
    from django_scopes import scopes_disabled

    from dossier.models import DossierEntry, EntryKind
    from messaging.models import Letter
    from signatures.models import RequestState, SignatureRequest

    with scopes_disabled():
        mentors = StaffMember.objects.filter(
            user__email__in=["mentor@beekdal.demo", "groepsleerkracht@klimop.demo"]
        )
        assert mentors.count() == 2, [s.email for s in StaffMember.objects.filter(user__isnull=False)]
        for mentor in mentors:
            students = Student.objects.filter(memberships__group__mentors=mentor).distinct()
            entries = DossierEntry.objects.filter(student__in=students)
            assert entries.filter(kind=EntryKind.LOG_ENTRY, author=mentor).count() >= 5
            assert Letter.objects.filter(student__in=students).exists()
            assert SignatureRequest.objects.filter(staff=mentor, state=RequestState.OPEN).exists()
            home = Client()
            home.force_login(mentor.user)
            assert "Te ondertekenen" in home.get("/").content.decode()


def test_demo_shows_the_protocol_apps_with_living_data(demo):
    """Each demo school has incidents (one with a victim and a bystander), students on the ladder
    and one student in step 2 with a plan; the vo mentor's class has a review meeting planned."""
    from django_scopes import scopes_disabled

    from behaviour.models import BehaviourCase, Incident, LadderMeasure, Step
    from behaviour.models_incidents import Involvement, Part
    from behaviour.models_plans import BehaviourPlan

    with scopes_disabled():
        for school in School.objects.all():
            assert Incident.objects.filter(school=school).values("category").distinct().count() >= 3
            involvements = Involvement.objects.filter(incident__school=school)
            assert involvements.filter(part=Part.VICTIM).exists()
            assert involvements.filter(part=Part.BYSTANDER).exists()
            assert LadderMeasure.objects.filter(case__school=school, code__startswith="warning_").exists()
            assert LadderMeasure.objects.filter(case__school=school, code__startswith="stage_").exists()
            step2 = BehaviourCase.objects.filter(school=school, step=Step.PERIODIC)
            assert BehaviourPlan.objects.filter(case__in=step2).exists()
    import datetime

    from django.utils import timezone

    from reviews.models import ReviewMeeting
    from reviews.models_cycle import SignalResponse

    with scopes_disabled():
        mentor = StaffMember.objects.get(user__email="mentor@beekdal.demo")
        own = ReviewMeeting.objects.get(group__mentors=mentor)
        assert own.starts_at > timezone.now() + datetime.timedelta(days=14)  # a few weeks ahead
        other = ReviewMeeting.objects.exclude(pk=own.pk).get(school=own.school)
        answered = SignalResponse.objects.filter(round__meeting=other)
        assert 0 < answered.filter(answered__gt=0).count() < answered.count()
    from measures.models import TimeOut

    with scopes_disabled():
        assert TimeOut.objects.filter(school__name="Basisschool De Klimop").count() == 1
