"""School configuration: phase mapping, mandatory second factor, concurrent edits."""

import pytest

from schools.models import School
from schools.services.settings import settings_fingerprint
from tests import factories as f

pytestmark = pytest.mark.django_db


def _post(client, school, **overrides):
    data = {
        "fingerprint": settings_fingerprint(school),
        "max_upload_mb": 20,
        "dagdeel_minutes": 180,
        "letterhead": "",
        "address": "",
        "onderbouw": "1,2,3",
        "middenbouw": "4,5",
        "bovenbouw": "6,7,8",
    }
    data.update(overrides)
    return client.post("/instellingen/", data, follow=True)


@pytest.fixture
def po_admin(world):
    admin = f.StaffFactory(school=world.other_school)
    f.give_role(admin, "functional_admin")
    return world.client_for(admin)


def test_po_school_sets_its_own_phase_mapping(world, po_admin):
    body = _post(po_admin, world.other_school, onderbouw="1,2", middenbouw="3,4,5").content.decode()
    assert "De instellingen zijn opgeslagen." in body
    school = School.objects.get(pk=world.other_school.pk)
    assert school.phase_of(3) == "middenbouw"
    assert school.phase_of(2) == "onderbouw"


def test_phase_mapping_must_cover_each_group_once(world, po_admin):
    body = _post(po_admin, world.other_school, onderbouw="1,2,3,4").content.decode()
    assert "Elke groep 1 tot en met 8 hoort bij precies één bouw" in body
    assert School.objects.get(pk=world.other_school.pk).phase_of(4) == "middenbouw"


def test_concurrent_settings_edit_is_refused_not_overwritten(world):
    client = world.client_for(world.fiona)
    stale = settings_fingerprint(world.school)
    School.objects.filter(pk=world.school.pk).update(max_upload_mb=5)
    body = _post(client, world.school, fingerprint=stale, max_upload_mb=50).content.decode()
    assert "Iemand anders heeft de instellingen intussen gewijzigd" in body
    assert School.objects.get(pk=world.school.pk).max_upload_mb == 5


def test_school_can_make_second_factor_mandatory(world):
    client = world.client_for(world.fiona)
    _post(client, world.school, require_totp="on")
    assert School.objects.get(pk=world.school.pk).require_totp


@pytest.mark.parametrize("persona", ["teacher", "carla", "dirk"])
def test_only_functional_admin_changes_configuration(world, persona):
    assert world.client_for(getattr(world, persona)).get("/instellingen/").status_code == 404
