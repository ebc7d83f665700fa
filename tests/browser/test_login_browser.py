"""Two-step sign-in and TOTP set-up in a real browser (Chromium), codes computed like a phone app does."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(key: bytes) -> str:
    return f"{totp(key):06d}"


@pytest.fixture
def csp_errors(page):
    """Console errors the browser reports for Content-Security-Policy violations."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return errors


def test_log_in_with_password_then_totp_code(world, page, csp_errors):
    device = TOTPDevice.objects.create(user=world.mentor.user, name="app", confirmed=True)
    log_in(page, "mirjam@beekdal.test")
    page.get_by_role("heading", name="Code invullen").wait_for()
    page.get_by_label("Code uit je app of back-upcode").fill(code_from_key(device.bin_key))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Mijn acties").wait_for()
    assert page.url.endswith("/")
    assert page.get_by_text("Welkom, Mirjam Mentor.").is_visible()
    assert csp_errors == []


def test_wrong_code_is_refused_with_a_dutch_message(world, page):
    device = TOTPDevice.objects.create(user=world.mentor.user, name="app", confirmed=True)
    wrong = f"{(int(code_from_key(device.bin_key)) + 1) % 1_000_000:06d}"
    log_in(page, "mirjam@beekdal.test")
    page.get_by_label("Code uit je app of back-upcode").fill(wrong)
    page.get_by_role("button", name="Bevestigen").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Deze code klopt niet." in alert.inner_text()
    assert page.get_by_role("heading", name="Code invullen").is_visible()
    # The field is marked invalid and points at the message for screen readers.
    field = page.get_by_label("Code uit je app of back-upcode")
    assert field.get_attribute("aria-invalid") == "true"


def test_mandatory_totp_is_set_up_from_the_secret_on_the_page(world, page, csp_errors):
    world.school.require_totp = True
    world.school.save()
    log_in(page, "mirjam@beekdal.test")
    page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    assert page.url.endswith("/account/tweestapsverificatie/")
    qr = page.get_by_role("img", name="QR-code voor je authenticator-app")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150
    # Anything else leads back here until it is done.
    page.goto("/leerlingen/")
    assert page.url.endswith("/account/tweestapsverificatie/")

    # Type the secret into "the app", like someone who cannot scan.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Vul de code van zes cijfers uit de app in").fill(code_from_key(key))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Je back-upcodes").wait_for()
    assert page.locator("ul.backup-codes li").count() == 10
    page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
    page.get_by_role("heading", name="Mijn acties").wait_for()
    page.goto("/leerlingen/")
    assert page.get_by_role("heading", name="Leerlingen zoeken").is_visible()
    assert csp_errors == []


def test_lockout_page_in_the_browser(world, page):
    for attempt in range(5):
        log_in(page, "mirjam@beekdal.test", password=f"fout-{attempt}")
    expect(page.get_by_role("heading", name="Tijdelijk geblokkeerd")).to_be_visible()
    log_in(page, "mirjam@beekdal.test")
    expect(page.get_by_role("heading", name="Tijdelijk geblokkeerd")).to_be_visible()
    assert page.get_by_role("button", name="Uitloggen").count() == 0
