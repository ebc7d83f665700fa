"""Issue 7, Access (AVG-4) finding 4: roles that open care content (director, care coordinator,
behaviour specialist, department head) are granted only by a director of that school or by the
board; nobody grants a role to themselves; every grant and revocation is audited and shown to the
director ("Rollen toegekend" on the director's home page)."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from dossier.models import Visibility
from dossier.services.logbook import write_log_entry
from schools.models import BoardMember, Role, RoleAssignment
from schools.services.people import add_staff_member, set_staff_roles
from tests import factories as f

pytestmark = pytest.mark.django_db


def _roles(staff) -> set[str]:
    return set(RoleAssignment.objects.filter(staff=staff).values_list("role", flat=True))


def test_avg_4_functional_admin_cannot_grant_herself_the_director_role(world):
    note = write_log_entry(
        actor=world.dirk.user, student=world.sanne, title="Alleen directie", body="Geheim",
        visibility=Visibility.DIRECTOR,
    )  # fmt: skip
    client = world.client_for(world.fiona)
    response = client.post(
        f"/medewerkers/{world.fiona.pk}/rollen/", {"roles": ["functional_admin", "director"]}
    )
    assert response.status_code == 200
    assert _roles(world.fiona) == {Role.FUNCTIONAL_ADMIN}
    fresh = world.client_for(world.fiona)
    assert fresh.get(f"/dossier/logboek/{note.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action="schools.staff.role_granted").exists()


@pytest.mark.parametrize("role", ["director", "care_coordinator", "behaviour_specialist", "department_head"])
def test_avg_4_functional_admin_cannot_grant_a_care_content_role(world, role):
    with pytest.raises(ValidationError):
        set_staff_roles(actor=world.fiona.user, staff=world.teacher, roles=[role], department=world.onderbouw)
    assert _roles(world.teacher) == set()
    with pytest.raises(ValidationError):
        add_staff_member(
            actor=world.fiona.user, school=world.school, first_name="Ilse", last_name="Nieuw",
            email="ilse@beekdal.test", roles=[role], department=world.onderbouw,
        )  # fmt: skip


def test_avg_4_functional_admin_cannot_revoke_a_care_content_role(world):
    with pytest.raises(ValidationError):
        set_staff_roles(actor=world.fiona.user, staff=world.carla, roles=[])
    assert _roles(world.carla) == {Role.CARE_COORDINATOR}


def test_avg_4_functional_admin_still_manages_other_roles_of_a_director(world):
    """Leaving a care role as it is, is no grant: the admin may add the admin role to Dirk."""
    set_staff_roles(actor=world.fiona.user, staff=world.dirk, roles=["director", "functional_admin"])
    assert _roles(world.dirk) == {Role.DIRECTOR, Role.FUNCTIONAL_ADMIN}


@pytest.mark.parametrize("persona", ["dirk", "fiona"])
def test_avg_4_nobody_grants_a_role_to_themselves(world, persona):
    staff = getattr(world, persona)
    before = _roles(staff)
    extra = "functional_admin" if persona == "dirk" else "care_coordinator"
    with pytest.raises(ValidationError):
        set_staff_roles(actor=staff.user, staff=staff, roles=[*before, extra])
    assert _roles(staff) == before


def test_avg_4_director_grants_a_care_role_audited_and_shown_on_the_directors_home(world):
    client = world.client_for(world.dirk)
    assert client.get(f"/medewerkers/{world.teacher.pk}/rollen/").status_code == 200
    response = client.post(f"/medewerkers/{world.teacher.pk}/rollen/", {"roles": ["behaviour_specialist"]})
    assert response.status_code == 302
    assert _roles(world.teacher) == {Role.BEHAVIOUR_SPECIALIST}
    granted = AuditEvent.objects.get(action="schools.staff.role_granted")
    assert granted.actor_id == world.dirk.user_id
    assert granted.data["role"] == "behaviour_specialist" and granted.data["staff"] == "Tom Leraar"
    client.post(f"/medewerkers/{world.teacher.pk}/rollen/", {"roles": []})
    assert AuditEvent.objects.filter(action="schools.staff.role_revoked").count() == 1
    home = world.client_for(world.dirk).get("/").content.decode()
    assert "Rollen toegekend" in home
    assert "Tom Leraar" in home and "gedragsspecialist" in home
    # The list is the director's: others do not see it.
    assert "Rollen toegekend" not in world.client_for(world.fiona).get("/").content.decode()
    assert "Rollen toegekend" not in world.client_for(world.carla).get("/").content.decode()


def test_avg_4_board_member_grants_the_director_role_but_not_for_another_boards_school(world):
    set_staff_roles(actor=world.bert, staff=world.carla, roles=["care_coordinator", "director"])
    assert _roles(world.carla) == {Role.CARE_COORDINATOR, Role.DIRECTOR}
    other_board_member = f.UserFactory(email="bestuur@elders.test")
    BoardMember.objects.create(board=f.BoardFactory(name="Elders"), user=other_board_member)
    with pytest.raises(ValidationError):
        set_staff_roles(actor=other_board_member, staff=world.teacher, roles=["director"])


def test_avg_4_director_of_another_school_cannot_grant_a_role_here(world):
    with pytest.raises(ValidationError):
        set_staff_roles(actor=world.zeno.user, staff=world.teacher, roles=["director"])
    assert _roles(world.teacher) == set()
