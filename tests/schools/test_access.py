"""Need-to-know: every role's view of a student and a group, and school isolation."""

import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona, sees_sanne, sees_mila",
    [
        ("teacher", True, False),  # teaches 2B only
        ("mentor", True, False),  # mentor of 2B
        ("anouk", True, False),  # afdelingsleider onderbouw (2B), not bovenbouw (3C)
        ("carla", True, True),  # care coordinator: whole school
        ("bea", True, True),  # behaviour specialist: whole school
        ("dirk", True, True),  # director: whole school
        ("zeno", False, False),  # director of another school
    ],
)
def test_each_role_sees_exactly_the_students_it_needs(world, persona, sees_sanne, sees_mila):
    client = world.client_for(getattr(world, persona))
    for student, expected in ((world.sanne, sees_sanne), (world.mila, sees_mila)):
        response = client.get(f"/leerlingen/{student.pk}/")
        assert response.status_code == (200 if expected else 404), (persona, student)
        if expected:
            assert student.full_name in response.content.decode()


def test_board_member_sees_no_student_only_aggregates(world):
    client = world.client_for(world.bert)
    assert client.get(f"/leerlingen/{world.sanne.pk}/").status_code == 404
    assert client.get("/leerlingen/?q=Sanne").status_code == 404
    home = client.get("/")
    assert home.status_code == 200
    assert "alleen totalen" in home.content.decode()


def test_director_of_school_a_gets_404_for_every_page_of_school_b(world):
    client = world.client_for(world.dirk)
    other_group = world.otto.memberships.get().group
    for url in (f"/leerlingen/{world.otto.pk}/", f"/groepen/{other_group.pk}/"):
        assert client.get(url).status_code == 404
    search = client.get("/leerlingen/?q=Otto")
    assert "Visser, Otto" not in search.content.decode()
    assert "Geen leerlingen gevonden" in search.content.decode()


def test_denied_student_view_is_recorded_as_failed_attempt(world):
    client = world.client_for(world.teacher)
    assert client.get(f"/leerlingen/{world.mila.pk}/").status_code == 404
    event = AuditEvent.objects.filter(action="schools.student.view_denied").get()
    assert event.success is False
    assert event.actor_id == world.teacher.user_id
    assert event.student_id == world.mila.pk


def test_last_years_teacher_no_longer_sees_the_student(world):
    import datetime

    from tests import factories as f

    start, _ = f.current_school_year_bounds()
    old_year = f.SchoolYearFactory(school=world.school, start=datetime.date(start.year - 1, 8, 1))
    old_group = f.GroupFactory(school=world.school, school_year=old_year, name="1B", year_level=1)
    f.place(world.mila, old_group, start=old_year.start, end=old_year.end)
    old_teacher = f.StaffFactory(school=world.school)
    f.teach(old_teacher, old_group)
    client = world.client_for(old_teacher)
    assert client.get(f"/leerlingen/{world.mila.pk}/").status_code == 404
    # …while the care coordinator sees both last year's and this year's class on the page.
    page = world.client_for(world.carla).get(f"/leerlingen/{world.mila.pk}/").content.decode()
    assert "1B" in page and "3C" in page


def test_functional_admin_sees_people_of_own_school(world):
    client = world.client_for(world.fiona)
    assert client.get(f"/leerlingen/{world.mila.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{world.otto.pk}/").status_code == 404


def test_board_member_sees_counts_per_school_of_own_board_only(world):
    body = world.client_for(world.bert).get("/").content.decode()
    assert "Beekdal Lyceum" in body
    assert "Andere School" not in body  # another board's school
    assert "Sanne" not in body


def test_staff_of_two_schools_switches_school_and_sees_only_the_active_one(world):
    from tests import factories as f

    both = f.StaffFactory(school=world.school, user=f.UserFactory(email="twee@scholen.test"))
    f.give_role(both, "care_coordinator")
    f.give_role(
        f.StaffFactory(school=world.other_school, user=both.user, email=both.user.email), "care_coordinator"
    )
    client = world.client_for(both)
    client.post("/school-kiezen/", {"school": world.school.pk})
    assert client.get(f"/leerlingen/{world.sanne.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{world.otto.pk}/").status_code == 404
    client.post("/school-kiezen/", {"school": world.other_school.pk})
    assert client.get(f"/leerlingen/{world.otto.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{world.sanne.pk}/").status_code == 404


def test_switching_to_a_school_you_do_not_work_at_is_refused(world):
    client = world.client_for(world.dirk)
    response = client.post("/school-kiezen/", {"school": world.other_school.pk}, follow=True)
    assert "Je werkt niet op die school." in response.content.decode()
    assert client.get(f"/leerlingen/{world.otto.pk}/").status_code == 404
