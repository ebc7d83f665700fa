"""The functional administrator manages staff and roles; nobody else can."""

import pytest

from audit.models import AuditEvent
from schools.models import RoleAssignment, StaffMember

pytestmark = pytest.mark.django_db


def test_functional_admin_adds_a_staff_member_the_director_makes_care_coordinator(world):
    client = world.client_for(world.fiona)
    response = client.post(
        "/medewerkers/nieuw/",
        {"first_name": "Ilse", "last_name": "Begeleider", "email": "Ilse@Beekdal.test"},
    )
    assert response.status_code == 302
    ilse = StaffMember.objects.get(email="ilse@beekdal.test")
    assert ilse.school == world.school
    assert AuditEvent.objects.filter(action="schools.staff.added", actor_id=world.fiona.user_id).exists()
    assert world.client_for(ilse).get(f"/leerlingen/{world.mila.pk}/").status_code == 404
    # AVG-4: a care-content role comes from the director (or the board), not the functional admin.
    response = world.client_for(world.dirk).post(
        f"/medewerkers/{ilse.pk}/rollen/", {"roles": ["care_coordinator"]}
    )
    assert response.status_code == 302
    assert world.client_for(ilse).get(f"/leerlingen/{world.mila.pk}/").status_code == 200


def test_duplicate_email_is_refused_with_dutch_message_and_input_kept(world):
    client = world.client_for(world.fiona)
    response = client.post(
        "/medewerkers/nieuw/", {"first_name": "Tom", "last_name": "Dubbel", "email": "tom@beekdal.test"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Er is al een medewerker met dit e-mailadres" in body
    assert 'value="Dubbel"' in body
    assert StaffMember.objects.filter(email="tom@beekdal.test").count() == 1


def test_department_head_without_department_is_refused(world):
    client = world.client_for(world.dirk)
    response = client.post(f"/medewerkers/{world.teacher.pk}/rollen/", {"roles": ["department_head"]})
    assert "Een afdelingsleider hoort bij een afdeling." in response.content.decode()
    assert not RoleAssignment.objects.filter(staff=world.teacher).exists()


def test_roles_change_takes_effect_and_is_audited(world):
    client = world.client_for(world.dirk)
    client.post(
        f"/medewerkers/{world.teacher.pk}/rollen/",
        {"roles": ["department_head"], "department": world.bovenbouw.pk},
    )
    assert world.client_for(world.teacher).get(f"/leerlingen/{world.mila.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="schools.staff.roles_changed")
    assert event.data == {"before": [], "after": ["department_head"]}


def test_ended_staff_member_no_longer_sees_students(world):
    client = world.client_for(world.fiona)
    client.post(f"/medewerkers/{world.teacher.pk}/uit-dienst/")
    assert world.client_for(world.teacher).get(f"/leerlingen/{world.sanne.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "carla", "dirk", "zeno"])
def test_only_the_functional_admin_manages_people(world, persona):
    client = world.client_for(getattr(world, persona))
    listing = client.get("/medewerkers/")
    if persona in ("dirk", "zeno"):  # a director sees the list to set roles (AVG-4), nothing more
        assert listing.status_code == 200 and "Medewerker toevoegen" not in listing.content.decode()
    else:
        assert listing.status_code == 404
    assert (
        client.post(
            "/medewerkers/nieuw/", {"first_name": "X", "last_name": "Y", "email": "x@y.test"}
        ).status_code
        == 404
    )
    assert client.post(f"/medewerkers/{world.mentor.pk}/uit-dienst/").status_code == 404
    assert StaffMember.objects.get(pk=world.mentor.pk).active


def test_admin_of_school_a_cannot_touch_staff_of_school_b(world):
    client = world.client_for(world.fiona)
    assert client.get(f"/medewerkers/{world.zeno.pk}/rollen/").status_code == 404
