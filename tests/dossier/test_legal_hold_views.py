"""Legal hold screens (AVG-3): placed and lifted from the student's file page, listed school-wide."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind, LegalHold
from dossier.services.record import record
from dossier.services.retention import place_legal_hold, purge_school
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def leaver(world):
    """Left four years ago: her care file has expired (2 years) and goes at the next purge."""
    student = f.StudentFactory(
        school=world.school, first_name="Lotte", last_name="Weg", left_on=datetime.date(2022, 8, 1)
    )
    for kind in (EntryKind.LOG_ENTRY, EntryKind.INCIDENT):
        record(student=student, kind=kind, title=f"Verslag {kind}")
    return student


def place_url(student):
    return reverse("legal_hold_place", args=[student.pk])


@pytest.mark.parametrize("persona", ["carla", "dirk"])
def test_care_coordinator_and_director_see_the_hold_block(world, persona, leaver):
    body = world.client_for(getattr(world, persona)).get(f"/dossier/leerling/{leaver.pk}/").content.decode()
    assert "Bewaarstop plaatsen" in body and "Er is geen bewaarstop" in body


@pytest.mark.parametrize("persona", ["bea", "fiona"])
def test_others_do_not_see_the_block_nor_the_page(world, persona):
    client = world.client_for(getattr(world, persona))
    body = client.get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    assert "Bewaarstop" not in body
    assert client.get(place_url(world.sanne)).status_code == 404
    assert client.post(place_url(world.sanne), {"reason": "Bezwaar"}).status_code == 404
    assert not LegalHold.objects.exists()


def test_another_schools_director_gets_404_and_the_attempt_is_recorded(world):
    zeno = world.client_for(world.zeno)
    assert zeno.post(place_url(world.sanne), {"reason": "Bezwaar"}).status_code == 404
    assert not LegalHold.objects.exists()
    assert AuditEvent.objects.filter(student_id=world.sanne.pk, success=False).exists()
    hold = place_legal_hold(actor=world.carla.user, student=world.sanne, reason="Geschil")
    lift = reverse("legal_hold_lift", args=[hold.pk])
    assert zeno.post(lift, {"reason": "klaar", "confirm": "on"}).status_code == 404
    hold.refresh_from_db()
    assert hold.is_active
    assert "Geschil" not in zeno.get(reverse("legal_hold_list")).content.decode()


def test_reason_is_required_in_dutch(world):
    response = world.client_for(world.carla).post(place_url(world.sanne), {"reason": "   "})
    assert response.status_code == 422
    assert "Geef de reden voor de bewaarstop." in response.content.decode()
    assert not LegalHold.objects.exists()


def test_avg_3_hold_placed_via_the_page_keeps_expired_entries_and_lifting_lets_them_go(world, leaver):
    carla = world.client_for(world.carla)
    response = carla.post(place_url(leaver), {"reason": "Ouders maken bezwaar tegen het verslag"})
    assert response.status_code == 302
    hold = LegalHold.objects.get(student=leaver)
    assert hold.placed_by == world.carla and hold.is_active
    assert AuditEvent.objects.filter(action="dossier.retention.hold_placed", object_id=str(hold.pk)).exists()
    page = carla.get(f"/dossier/leerling/{leaver.pk}/").content.decode()
    assert "Ouders maken bezwaar tegen het verslag" in page and "Bewaarstop opheffen" in page

    run = purge_school(world.school, today=TODAY)
    assert run.deleted == {} and run.held_students == 1
    assert DossierEntry.objects.filter(student=leaver).count() == 2

    lift = reverse("legal_hold_lift", args=[hold.pk])
    assert "Ik begrijp dat" in world.client_for(world.dirk).get(lift).content.decode()
    unconfirmed = world.client_for(world.dirk).post(lift, {"reason": "Bezwaar ingetrokken"})
    assert unconfirmed.status_code == 422
    text = unconfirmed.content.decode()
    assert "Bevestig dat je de bewaarstop wilt opheffen." in text and "Bezwaar ingetrokken" in text
    no_reason = world.client_for(world.dirk).post(lift, {"reason": "", "confirm": "on"})
    assert "Geef de reden voor het opheffen van de bewaarstop." in no_reason.content.decode()
    hold.refresh_from_db()
    assert hold.is_active

    done = world.client_for(world.dirk).post(lift, {"reason": "Bezwaar ingetrokken", "confirm": "on"})
    assert done.status_code == 302
    hold.refresh_from_db()
    assert not hold.is_active and hold.lifted_by == world.dirk and hold.lift_reason == "Bezwaar ingetrokken"
    assert AuditEvent.objects.filter(action="dossier.retention.hold_lifted", object_id=str(hold.pk)).exists()

    purge_school(world.school, today=TODAY)
    assert not DossierEntry.objects.filter(student=leaver).exists()


def test_second_place_shows_the_active_hold_instead_of_a_form(world):
    place_legal_hold(actor=world.carla.user, student=world.sanne, reason="Geschil")
    client = world.client_for(world.dirk)
    body = client.get(place_url(world.sanne)).content.decode()
    assert "Er geldt al een bewaarstop" in body
    client.post(place_url(world.sanne), {"reason": "Nog een"})
    assert LegalHold.objects.count() == 1


def test_lifted_hold_cannot_be_lifted_again(world):
    hold = place_legal_hold(actor=world.carla.user, student=world.sanne, reason="Geschil")
    client = world.client_for(world.carla)
    client.post(reverse("legal_hold_lift", args=[hold.pk]), {"reason": "Opgelost", "confirm": "on"})
    again = client.post(reverse("legal_hold_lift", args=[hold.pk]), {"reason": "Nogmaals", "confirm": "on"})
    assert "Deze bewaarstop is al opgeheven." in again.content.decode()
    hold.refresh_from_db()
    assert hold.lift_reason == "Opgelost"
    assert AuditEvent.objects.filter(action="dossier.retention.hold_lifted").count() == 1


def test_school_list_of_active_holds_is_paginated_and_linked_from_retention_settings(world):
    assert (
        reverse("legal_hold_list")
        in world.client_for(world.fiona).get(reverse("retention_settings")).content.decode()
    )
    for n in range(27):
        # A fixed surname: a random one ("Otto", "Daan") would match the names asserted absent below.
        student = f.StudentFactory(school=world.school, first_name=f"Leerling{n:02d}", last_name="Bewaard")
        place_legal_hold(actor=world.carla.user, student=student, reason=f"Reden {n}")
    lifted = place_legal_hold(actor=world.carla.user, student=world.daan, reason="Oud geschil")
    lifted.lifted_at = lifted.placed_at
    lifted.save()
    place_legal_hold(actor=world.zeno.user, student=world.otto, reason="Andere school")

    carla = world.client_for(world.carla)
    first = carla.get(reverse("legal_hold_list")).content.decode()
    second = carla.get(reverse("legal_hold_list"), {"page": 2}).content.decode()
    assert "Pagina 1 van 2" in first and "Reden" in first
    both = first + second
    assert sum(f"Leerling{n:02d}" in both for n in range(27)) == 27
    assert "Daan" not in both and "Otto" not in both
    # The functional admin sees which files are held, not why.
    admin_view = world.client_for(world.fiona).get(reverse("legal_hold_list")).content.decode()
    assert "Leerling" in admin_view and "Reden 1" not in admin_view


def test_empty_list_and_denied_roles(world):
    assert (
        "Er zijn geen actieve bewaarstops."
        in world.client_for(world.dirk).get(reverse("legal_hold_list")).content.decode()
    )
    for persona in ("teacher", "mentor", "bea", "anouk"):
        assert world.client_for(getattr(world, persona)).get(reverse("legal_hold_list")).status_code == 404


def test_hold_list_queries_do_not_grow_with_the_number_of_holds(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.carla)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("legal_hold_list")).status_code == 200
        return len(captured)

    place_legal_hold(actor=world.carla.user, student=world.sanne, reason="Geschil")
    one = queries()
    for n in range(10):
        student = f.StudentFactory(school=world.school, first_name=f"L{n}")
        place_legal_hold(actor=world.carla.user, student=student, reason="Bezwaar")
    assert queries() == one
