"""Issue 7, Access (AVG-4) finding 5 in the browser: a teacher who is also a parent signs in on the
portal's password form, sees their own child as a parent, and gets the staff sign-in (not the
staff pages) when they open the student's page; the staff sign-in then asks the TOTP code."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord"


def test_avg_4_portal_sign_in_of_a_teacher_parent_gives_portal_rights_only(world, page):
    user = world.teacher.user
    user.set_password(PASSWORD)
    user.save()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    guardian = f.GuardianFactory(school=world.school, first_name="Tom", last_name="Leraar", user=user)
    f.link_guardian(world.daan, guardian)

    page.goto("/ouders/inloggen/wachtwoord/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # The portal asks the device's code too (the portal's own second step), then shows the child.
    page.wait_for_url("**/ouders/tweede-factor/")
    device.refresh_from_db()
    page.locator("input[name=token]").fill(
        f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("link", name="Daan Jansen").wait_for()
    assert "Sanne" not in page.content()

    # A staff page sends the portal session to the staff sign-in.
    page.goto(f"/leerlingen/{world.sanne.pk}/")
    page.wait_for_url("**/inloggen/?next=*")
    assert page.get_by_label("Wachtwoord").is_visible()
    assert "Sanne" not in page.content()
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/")
