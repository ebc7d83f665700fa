"""The student's file as staff see it: need to know per role (AVG-4), filters, pages, redaction."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from dossier.models import EntryKind, Visibility
from dossier.selectors import visible_entries
from dossier.services.record import record
from schools.access import get_access
from tests import factories as f

pytestmark = pytest.mark.django_db

TEAM, CARE, DIRECTOR, HEALTH = "Teamregel", "Zorgregel", "Directieregel", "Gezondheidsregel"

# Sanne is in 2B (department onderbouw). Who reads which level (AVG-4); None = the file is refused.
EXPECTED = {
    "teacher": {TEAM},
    "mentor": {TEAM},
    "anouk": {TEAM},
    "carla": {TEAM, CARE, HEALTH},
    "bea": {TEAM, CARE, HEALTH},
    "dirk": {TEAM, CARE, DIRECTOR, HEALTH},
    "fiona": None,
    "zeno": None,
}


@pytest.fixture
def levels(world):
    def add(title, **kwargs):
        return record(
            student=world.sanne, kind=EntryKind.LOG_ENTRY, title=title, actor=world.carla.user, **kwargs
        )

    add(TEAM)
    add(CARE, visibility=Visibility.CARE_TEAM)
    add(DIRECTOR, visibility=Visibility.DIRECTOR)
    add(HEALTH, is_health=True)


def url(student) -> str:
    return f"/dossier/leerling/{student.pk}/"


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_avg_4_each_role_sees_only_its_levels(world, levels, persona):
    staff = getattr(world, persona)
    response = world.client_for(staff).get(url(world.sanne))
    expected = EXPECTED[persona]
    if expected is None:
        assert response.status_code == 404
        return
    body = response.content.decode()
    shown = {title for title in (TEAM, CARE, DIRECTOR, HEALTH) if title in body}
    assert shown == expected
    selected = visible_entries(get_access(staff.user, world.school), world.sanne)
    assert {e.title for e in selected} == expected


@pytest.mark.parametrize("persona", ["teacher", "mentor", "anouk"])
def test_avg_4_health_entries_only_for_care_team_even_at_team_level(world, persona):
    record(
        student=world.sanne,
        kind=EntryKind.TALK,
        title="Medicatie ADHD",
        actor=world.carla.user,
        is_health=True,
    )
    body = world.client_for(getattr(world, persona)).get(url(world.sanne)).content.decode()
    assert "Medicatie ADHD" not in body
    assert "Medicatie ADHD" in world.client_for(world.bea).get(url(world.sanne)).content.decode()


def test_teacher_of_another_group_gets_404_and_a_failed_access_row(world, levels):
    outsider = f.StaffFactory(school=world.school)
    f.teach(outsider, world.group_3c)
    response = world.client_for(outsider).get(url(world.sanne))
    assert response.status_code == 404
    row = AuditEvent.objects.get(action="dossier.view_denied", actor_id=outsider.user.pk)
    assert row.success is False and row.student_id == world.sanne.pk


def test_another_schools_director_is_refused_and_recorded(world, levels):
    assert world.client_for(world.zeno).get(url(world.sanne)).status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=world.zeno.user.pk, success=False, student_id=world.sanne.pk
    ).exists()


def test_every_view_is_audited_with_its_filters(world, levels):
    world.client_for(world.mentor).get(url(world.sanne), {"soort": "incident", "van": "2024-09-01"})
    row = AuditEvent.objects.filter(action="dossier.viewed").latest("seq")
    assert row.actor_id == world.mentor.user.pk and row.student_id == world.sanne.pk and row.success
    assert row.data["filters"]["kinds"] == ["incident"] and row.data["filters"]["from"] == "2024-09-01"
    assert row.address == "127.0.0.1"


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def test_filter_by_kind_period_and_author(world):
    s = world.sanne
    record(
        student=s,
        kind=EntryKind.INCIDENT,
        title="Ruzie op het plein",
        actor=world.mentor.user,
        occurred_at=_at(40),
    )
    record(
        student=s,
        kind=EntryKind.TALK,
        title="Gesprek met moeder",
        actor=world.carla.user,
        occurred_at=_at(10),
    )
    record(
        student=s,
        kind=EntryKind.LOG_ENTRY,
        title="Huiswerk vergeten",
        actor=world.teacher.user,
        occurred_at=_at(2),
    )
    client = world.client_for(world.carla)

    def titles(**params):
        body = client.get(url(s), params).content.decode()
        return {t for t in ("Ruzie op het plein", "Gesprek met moeder", "Huiswerk vergeten") if t in body}

    assert titles(soort=["incident", "talk"]) == {"Ruzie op het plein", "Gesprek met moeder"}
    assert titles(van=_at(15).date().isoformat()) == {"Gesprek met moeder", "Huiswerk vergeten"}
    assert titles(van=_at(45).date().isoformat(), tot=_at(5).date().isoformat()) == {
        "Ruzie op het plein",
        "Gesprek met moeder",
    }
    assert titles(auteur=world.teacher.pk) == {"Huiswerk vergeten"}
    assert "Geen regels gevonden" in client.get(url(s), {"soort": "letter"}).content.decode()


def test_htmx_filter_answers_with_only_the_list(world, levels):
    response = world.client_for(world.carla).get(
        url(world.sanne), {"soort": "log_entry"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert TEAM in body and "<html" not in body


def test_pages_of_25_newest_first(world):
    for n in range(1, 31):
        record(
            student=world.sanne,
            kind=EntryKind.LOG_ENTRY,
            title=f"Regel {n:02d}",
            actor=world.mentor.user,
            occurred_at=_at(31 - n),
        )
    client = world.client_for(world.mentor)
    first = client.get(url(world.sanne)).content.decode()
    second = client.get(url(world.sanne), {"page": 2}).content.decode()
    assert first.count('class="card"') == 25 and second.count('class="card"') == 5
    assert first.index("Regel 30") < first.index("Regel 29")
    assert "Regel 01" in second and "Regel 01" not in first
    assert "Pagina 1 van 2" in first


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _add_entries(world, n):
    for i in range(n):
        author = f.StaffFactory(school=world.school)
        f.give_role(author, "care_coordinator") if i % 7 == 0 else f.teach(author, world.group_2b)
        entry = record(student=world.sanne, kind=EntryKind.INCIDENT, title=f"Incident {i}", actor=author.user)
        entry.involved.set([world.daan, world.mila])


@pytest.mark.parametrize("persona", ["teacher", "carla"])
def test_timeline_query_count_is_constant_in_the_number_of_entries(world, persona):
    client = world.client_for(getattr(world, persona))
    _add_entries(world, 5)
    _queries(client, url(world.sanne))  # warm the content-type cache
    few = _queries(client, url(world.sanne))
    _add_entries(world, 55)
    assert _queries(client, url(world.sanne)) == few


def test_involved_child_is_named_only_to_staff_who_may_see_them(world):
    entry = record(
        student=world.sanne,
        kind=EntryKind.INCIDENT,
        title="Duwen in de gang",
        body="Mila Bakker duwde Sanne tegen de kluisjes.",
        actor=world.carla.user,
        involved=[world.mila, world.daan],
    )
    teacher_view = world.client_for(world.teacher).get(url(world.sanne)).content.decode()
    assert "Mila" not in teacher_view and "Bakker" not in teacher_view
    assert "[andere leerling] duwde Sanne" in teacher_view
    assert "Daan Jansen" in teacher_view  # Tom teaches Daan too
    carla_view = world.client_for(world.carla).get(url(world.sanne)).content.decode()
    assert "Mila Bakker duwde Sanne" in carla_view
    entry.refresh_from_db()
    assert entry.body == "Mila Bakker duwde Sanne tegen de kluisjes."  # redaction never reaches the database


def test_student_page_links_to_the_file(world):
    body = world.client_for(world.mentor).get(f"/leerlingen/{world.sanne.pk}/").content.decode()
    assert url(world.sanne) in body
    body = world.client_for(world.fiona).get(f"/leerlingen/{world.sanne.pk}/").content.decode()
    assert url(world.sanne) not in body


def test_empty_file_says_so(world):
    assert "nog geen regels" in world.client_for(world.mentor).get(url(world.sanne)).content.decode()


def test_timeline_links_a_document_to_sign_and_a_letter_to_their_pages(world):
    from messaging.services.messages import compose_letter
    from signatures.services.signatures import create_signable_document

    document = create_signable_document(
        actor=world.carla, student=world.sanne, title="Afspraken", content="Tekst"
    )
    letter = compose_letter(actor=world.carla, student=world.sanne, template_code="gp.out_of_class.hour")
    client = world.client_for(world.mentor)
    body = client.get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    for url in (f"/dossier/documenten/{document.pk}/", f"/dossier/brief/{letter.pk}.pdf"):
        assert f'href="{url}"' in body
        assert client.get(url).status_code == 200
