"""Home, search and group pages as a staff member uses them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/inloggen")


@pytest.mark.parametrize("query", ["sanne", "Vries", "1001", "2b", "sanne de vries"])
def test_search_finds_student_by_name_number_or_group(world, query):
    client = world.client_for(world.mentor)
    body = client.get("/leerlingen/", {"q": query}).content.decode()
    assert "Vries, Sanne de" in body


def test_search_answers_htmx_with_only_the_results(world):
    client = world.client_for(world.mentor)
    response = client.get("/leerlingen/", {"q": "daan"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Jansen, Daan" in body
    assert "<html" not in body


def test_search_says_so_when_nothing_matches(world):
    body = world.client_for(world.carla).get("/leerlingen/", {"q": "zzzz"}).content.decode()
    assert "Geen leerlingen gevonden" in body


def test_teacher_search_never_lists_students_outside_their_groups(world):
    body = world.client_for(world.teacher).get("/leerlingen/", {"q": "Mila"}).content.decode()
    assert "Bakker" not in body


def test_group_page_shows_students_mentor_and_teachers(world):
    body = world.client_for(world.carla).get(f"/groepen/{world.group_2b.pk}/").content.decode()
    for text in ("Sanne", "Daan", "Mirjam Mentor", "Tom Leraar", "Wiskunde"):
        assert text in body
    assert "Mila" not in body


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_group_page_query_count_does_not_grow_with_students(world):
    client = world.client_for(world.carla)
    url = f"/groepen/{world.group_2b.pk}/"
    before = _queries(client, url)
    for _ in range(25):
        f.place(f.StudentFactory(school=world.school), world.group_2b)
        f.teach(f.StaffFactory(school=world.school), world.group_2b, "Engels")
    assert _queries(client, url) == before


def test_search_query_count_does_not_grow_with_results(world):
    client = world.client_for(world.carla)
    before = _queries(client, "/leerlingen/", q="2b")
    for _ in range(15):
        f.place(f.StudentFactory(school=world.school), world.group_2b)
    assert _queries(client, "/leerlingen/", q="2b") == before


def test_language_switch_shows_english(world):
    client = world.client_for(world.carla)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


@pytest.mark.parametrize("persona", ["fiona", "carla", "dirk"])
def test_admin_overview_links_open_for_the_roles_that_have_them(world, persona):
    import re

    client = world.client_for(getattr(world, persona))
    body = client.get("/beheer-school/").content.decode()
    links = re.findall(r'<li><a href="([^"]+)"', body)
    assert links
    for url in links:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["teacher", "mentor", "anouk"])
def test_admin_overview_is_not_for_teachers(world, persona):
    assert world.client_for(getattr(world, persona)).get("/beheer-school/").status_code == 404


def test_dutch_is_the_default_whatever_the_browser_asks(world):
    client = world.client_for(world.carla)
    body = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="nl"' in body


def _po_world(world):
    group = f.GroupFactory(school=world.other_school, name="groep 6", year_level=6)
    pupil = f.StudentFactory(school=world.other_school, first_name="Pien", last_name="Smit")
    f.place(pupil, group)
    return group


def test_po_group_page_heading_does_not_repeat_groep(world):
    """A po group is named "groep 6": the heading reads "Groep 6", never "Groep groep 6"."""
    group = _po_world(world)
    body = world.client_for(world.zeno).get(f"/groepen/{group.pk}/").content.decode()
    assert "Groep groep" not in body
    assert "<h1>Groep 6</h1>" in body


def test_vo_group_page_heading_names_the_class(world):
    body = world.client_for(world.carla).get(f"/groepen/{world.group_2b.pk}/").content.decode()
    assert "<h1>Groep 2B</h1>" in body


@pytest.mark.parametrize("query", ["groep 6", "Groep 6", "groep 6 pien", "6"])
def test_po_search_by_group_name_with_the_word_groep(world, query):
    _po_world(world)
    body = world.client_for(world.zeno).get("/leerlingen/", {"q": query}).content.decode()
    assert "Smit, Pien" in body
