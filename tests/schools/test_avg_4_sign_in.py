"""Issue 7, Access (AVG-4) finding 5: a portal sign-in gives portal rights only; staff rights come
only through the staff sign-in, which asks the TOTP code whenever the staff member has a device."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord"


@pytest.fixture(autouse=True)
def _no_otp_back_off(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _with_password(staff):
    staff.user.set_password(PASSWORD)
    staff.user.save()
    return staff


def _portal_sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/ouders/inloggen/wachtwoord/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, "the portal accepts the password"
    return client


def _staff_pages(world) -> list[str]:
    return [
        "/",
        f"/leerlingen/{world.sanne.pk}/",
        f"/dossier/leerling/{world.sanne.pk}/",
        "/api/v1/students",
    ]


def _has_no_staff_rights(client, world) -> None:
    for url in _staff_pages(world):
        response = client.get(url)
        assert response.status_code in (302, 401, 403, 404), url
        assert "Sanne" not in response.content.decode(), url


def test_avg_4_portal_password_sign_in_gives_no_staff_rights(world):
    _with_password(world.carla)
    client = _portal_sign_in(world.carla.user.email)
    _has_no_staff_rights(client, world)
    # The staff sign-in is where staff rights come from: it shows its form, not a redirect home.
    response = client.get("/inloggen/")
    assert response.status_code == 200 and 'name="password"' in response.content.decode()


def test_avg_4_portal_sign_in_never_skips_the_staff_members_totp(world):
    _with_password(world.carla)
    device = TOTPDevice.objects.create(user=world.carla.user, name="app", confirmed=True)
    client = _portal_sign_in(world.carla.user.email)
    _has_no_staff_rights(client, world)
    # Upgrading to staff rights goes through the staff sign-in, code included.
    response = client.post("/inloggen/", {"username": world.carla.user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/inloggen/code/"
    _has_no_staff_rights(client, world)
    device.refresh_from_db()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post("/inloggen/code/", {"code": code}).status_code == 302
    assert client.get(f"/leerlingen/{world.sanne.pk}/").status_code == 200


def test_avg_4_teacher_who_is_a_parent_sees_own_child_in_the_portal_only_as_a_parent(world):
    _with_password(world.teacher)
    guardian = f.GuardianFactory(
        school=world.school, first_name="Tom", last_name="Leraar", user=world.teacher.user
    )
    f.link_guardian(world.daan, guardian)
    client = _portal_sign_in(world.teacher.user.email)
    home = client.get("/ouders/").content.decode()
    assert "Daan" in home and "Sanne" not in home
    assert client.get(f"/ouders/kinderen/{world.daan.pk}/").status_code == 200
    _has_no_staff_rights(client, world)
    assert client.get(f"/leerlingen/{world.daan.pk}/").status_code in (302, 404)


def test_avg_4_staff_session_without_the_code_of_a_device_holder_has_no_staff_rights(world):
    """Not only at a school that requires TOTP: whoever has a device gives its code for staff rights."""
    assert not world.school.require_totp
    TOTPDevice.objects.create(user=world.carla.user, name="app", confirmed=True)
    client = world.client_for(world.carla)  # a session that skipped the code
    response = client.get(f"/leerlingen/{world.sanne.pk}/")
    assert response.status_code == 302 and response.url.startswith("/inloggen/")
    _has_no_staff_rights(client, world)
