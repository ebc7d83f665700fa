"""Sign-in: password, TOTP second step, mandatory TOTP, lock-out, password reset, idle expiry, audit."""

import base64
import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from schools import otp
from schools.middleware import SESSION_SEEN_KEY
from schools.views.auth import PENDING_KEY
from tests.queued import run_queued_tasks

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord"
MIRJAM = "mirjam@beekdal.test"


@pytest.fixture(autouse=True)
def _no_otp_back_off(settings):
    """django-otp waits 1, 2, 4 … s after a wrong code; tests that need the wait switch it on."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def with_totp(staff) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff.user, name="app", confirmed=True)


def password_step(client: Client, email: str = MIRJAM, password: str = PASSWORD, **extra):
    return client.post("/inloggen/", {"username": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def actions(action: str):
    return AuditEvent.objects.filter(action=action).order_by("seq")


# --- step 1: e-mail and password -------------------------------------------------------------


def test_password_only_user_lands_on_home_and_login_is_audited(world, client):
    response = password_step(client, "Mirjam@Beekdal.test", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response.url == "/"
    assert "Mijn acties" in client.get("/").content.decode()
    row = actions("auth.login").get()
    assert row.actor_id == world.mentor.user.pk and row.address == "10.1.2.3" and row.success


def test_wrong_password_is_refused_in_dutch_and_audited_with_address(world, client):
    response = password_step(client, password="fout-wachtwoord", REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.content.decode()
    assert not signed_in(client)
    row = actions("auth.login_failed").get()
    assert row.success is False and row.address == "10.9.8.7" and row.data["username"] == MIRJAM


def test_logout_is_audited(world, client):
    password_step(client)
    response = client.post("/uitloggen/")
    assert response.status_code == 302 and not signed_in(client)
    assert actions("auth.logout").get().actor_id == world.mentor.user.pk


def test_next_is_kept_but_only_on_this_site(world, client):
    response = client.post("/inloggen/?next=/groepen/", {"username": MIRJAM, "password": PASSWORD})
    assert response.url == "/groepen/"
    client.post("/uitloggen/")
    response = client.post(
        "/inloggen/", {"username": MIRJAM, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_admin_login_goes_through_our_two_step_login(client):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response.url == "/inloggen/?next=/beheer/"


# --- step 2: the TOTP code ------------------------------------------------------------------


def test_totp_user_is_not_signed_in_until_the_code_is_given(world, client):
    device = with_totp(world.mentor)
    response = password_step(client)
    assert response.url == "/inloggen/code/"
    assert not signed_in(client)
    assert not actions("auth.login").exists()
    response = client.post("/inloggen/code/", {"code": code_for(device)})
    assert response.url == "/"
    assert signed_in(client)
    assert actions("auth.login").count() == 1
    assert client.session["otp_device_id"] == device.persistent_id  # verified per session


def test_wrong_code_is_refused_in_dutch_and_audited(world, client):
    device = with_totp(world.mentor)
    password_step(client)
    response = client.post("/inloggen/code/", {"code": wrong_code(device)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Deze code klopt niet." in body
    # The message is announced and tied to the field (aria-describedby → the error list's id).
    assert 'aria-describedby="id_code_error"' in body and 'id="id_code_error"' in body
    assert not signed_in(client)
    assert actions("auth.login_failed").get().data["username"] == MIRJAM


def test_a_code_cannot_be_used_twice(world, client):
    device = with_totp(world.mentor)
    code = code_for(device)
    password_step(client)
    client.post("/inloggen/code/", {"code": code})
    other = Client()
    password_step(other)
    response = other.post("/inloggen/code/", {"code": code})
    assert "Deze code klopt niet." in response.content.decode()


def test_backup_code_works_instead_of_the_app_once(world, client):
    with_totp(world.mentor)
    codes = otp.replace_backup_codes(user=world.mentor.user)
    assert len(codes) == 10 and len(set(codes)) == 10
    password_step(client)
    response = client.post("/inloggen/code/", {"code": codes[0].upper()}, follow=True)
    assert "Je hebt een back-upcode gebruikt. Je hebt er nog 9 over." in response.content.decode()
    assert StaticToken.objects.filter(token=codes[0]).count() == 0
    client.post("/uitloggen/")
    password_step(client)
    assert "Deze code klopt niet." in client.post("/inloggen/code/", {"code": codes[0]}).content.decode()


def test_code_page_without_password_step_sends_back_to_login(world, client):
    with_totp(world.mentor)
    assert client.get("/inloggen/code/").url == "/inloggen/"


def test_password_step_expires_after_five_minutes(world, client):
    device = with_totp(world.mentor)
    password_step(client)
    assert PENDING_KEY in client.session
    with later(301):  # the clock moves on (time-machine); the TOTP code is a fresh one then
        response = client.post("/inloggen/code/", {"code": code_for(device)})
    assert response.url == "/inloggen/" and not signed_in(client)


def test_django_otp_back_off_is_explained(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1000  # seconds: the second try certainly falls inside it
    device = with_totp(world.mentor)
    password_step(client)
    client.post("/inloggen/code/", {"code": wrong_code(device)})
    response = client.post("/inloggen/code/", {"code": code_for(device)})
    assert "Je probeert het te snel opnieuw." in response.content.decode()
    assert not signed_in(client)


# --- lock-out (django-axes) ------------------------------------------------------------------


def test_lockout_after_five_wrong_passwords_even_with_the_right_one(world, client):
    for attempt in range(5):
        response = password_step(client, password=f"fout-{attempt}")
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    response = password_step(client)
    assert response.status_code == 429 and not signed_in(client)
    assert actions("auth.login_failed").count() == 6


def test_lockout_counts_e_mail_spellings_together(world, client):
    for attempt in range(5):
        response = password_step(
            client, email=f"{'MIRJAM' if attempt % 2 else 'mirjam'}@beekdal.test", password="x"
        )
    assert response.status_code == 429


def test_success_from_elsewhere_does_not_unlock_but_axes_reset_does(world, client):
    for _ in range(5):
        password_step(client, password="fout", REMOTE_ADDR="10.0.0.1")
    elsewhere = Client()
    assert password_step(elsewhere, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert password_step(client, REMOTE_ADDR="10.0.0.1").status_code == 429
    call_command("axes_reset")  # what the administrator runs (see README of the deploy)
    assert password_step(client, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_wrong_codes_count_towards_the_same_lockout(world, client):
    device = with_totp(world.mentor)
    password_step(client)
    for _ in range(4):
        assert client.post("/inloggen/code/", {"code": wrong_code(device)}).status_code == 200
    response = client.post("/inloggen/code/", {"code": wrong_code(device)})
    assert response.status_code == 429
    assert "verkeerde code" in response.content.decode()
    # The half-finished sign-in is gone, and the password alone is refused as well now.
    assert client.get("/inloggen/code/").url == "/inloggen/"
    assert password_step(client).status_code == 429
    assert not signed_in(client)


def test_locked_out_meanwhile_even_a_good_code_is_refused(world, client):
    device = with_totp(world.mentor)
    password_step(client)
    for _ in range(5):
        password_step(Client(), password="fout")  # someone else, same address
    response = client.post("/inloggen/code/", {"code": code_for(device)})
    assert response.status_code == 429 and not signed_in(client)


# --- idle sessions ---------------------------------------------------------------------------


def later(seconds: int):
    """Travel `seconds` forward, the clock standing still there (ARCHITECTURE: time)."""
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


def _last_seen(client: Client, seconds_ago: int):
    """One request now (the session is seen), then the clock moves on `seconds_ago` seconds."""
    client.get("/")
    assert SESSION_SEEN_KEY in client.session
    return later(seconds_ago)


def test_idle_session_expires_and_says_so(world, client, settings):
    password_step(client)
    with _last_seen(client, settings.SESSION_IDLE_TIMEOUT + 5):
        response = client.get("/leerlingen/")
    assert response.status_code == 302 and response.url == "/inloggen/?verlopen=1"
    body = client.get(response.url).content.decode()
    assert "Je sessie is verlopen" in body
    assert not signed_in(client)
    assert actions("auth.logout").count() == 1


def test_active_session_stays(world, client, settings):
    password_step(client)
    with _last_seen(client, settings.SESSION_IDLE_TIMEOUT - 60):
        assert client.get("/leerlingen/").status_code == 200


def test_shorter_idle_timeout_from_settings(world, client, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    password_step(client)
    with _last_seen(client, 61):
        assert client.get("/").url == "/inloggen/?verlopen=1"


# --- password reset by e-mail ----------------------------------------------------------------


def test_password_reset_mail_and_link_set_a_new_password(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wachtwoord/vergeten/", {"email": "Mirjam@beekdal.test"}, follow=True)
    assert "Als dit e-mailadres bij ons bekend is" in response.content.decode()
    assert mailoutbox == []  # the worker sends it (issue 7)
    run_queued_tasks()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [MIRJAM] and mail.subject == "Nieuw wachtwoord voor Leerlingzorg"
    assert "Stel een nieuw wachtwoord in via deze link" in mail.body
    link = re.search(r"http://testserver(/wachtwoord/nieuw/\S+/)", mail.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session value
    new = "nieuw-lang-wachtwoord-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new}, follow=True)
    assert "Je nieuwe wachtwoord is opgeslagen" in response.content.decode()
    assert password_step(Client(), password=PASSWORD).status_code == 200  # old one refused
    assert password_step(Client(), password=new).status_code == 302
    # The link works once.
    assert "Deze link werkt niet meer" in Client().get(link, follow=True).content.decode()


def test_password_reset_does_not_reveal_unknown_addresses(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/wachtwoord/vergeten/", {"email": MIRJAM}, follow=True)
        unknown = client.post("/wachtwoord/vergeten/", {"email": "niemand@beekdal.test"}, follow=True)
    run_queued_tasks()
    assert known.redirect_chain == unknown.redirect_chain
    strip = re.compile(r'value="[^"]+"|"X-CSRFToken": "[^"]+"|nonce="[^"]+"')
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    assert len(mailoutbox) == 1


# --- mandatory TOTP and set-up ---------------------------------------------------------------


@pytest.fixture
def totp_school(world):
    world.school.require_totp = True
    world.school.save()
    return world


def test_mandatory_totp_sends_to_setup_and_blocks_everything_else(totp_school, client):
    response = password_step(client)
    assert client.get(response.url).url == "/account/tweestapsverificatie/"
    for url in ("/", "/leerlingen/", f"/leerlingen/{totp_school.sanne.pk}/", "/account/", "/groepen/"):
        assert client.get(url).url == "/account/tweestapsverificatie/", url
    htmx = client.get("/leerlingen/", {"q": "sanne"}, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == "/account/tweestapsverificatie/"
    body = client.get("/account/tweestapsverificatie/").content.decode()
    assert "Je school verplicht tweestapsverificatie" in body
    assert client.get("/static/css/app.css").status_code == 200
    assert client.post("/uitloggen/").status_code == 302


def test_other_schools_staff_are_not_affected(totp_school, client):
    password_step(client, "zeno@andere.test")
    assert client.get("/").status_code == 200


def test_setup_shows_qr_and_secret_and_confirms_with_a_code(totp_school, client):
    password_step(client)
    response = client.get("/account/tweestapsverificatie/")
    body = response.content.decode()
    device = TOTPDevice.objects.get(user=totp_school.mentor.user)
    assert not device.confirmed
    svg = re.search(r"<svg[^>]*>.*?</svg>", body, re.S).group(0)
    assert 'role="img"' in svg and "<title>" in svg
    assert "style" not in svg.lower() and "<script" not in svg.lower()  # CSP: style-src 'self', no inline
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    # Reloading keeps the same secret (the app may already have it).
    client.get("/account/tweestapsverificatie/")
    assert TOTPDevice.objects.filter(user=totp_school.mentor.user).count() == 1

    wrong = client.post("/account/tweestapsverificatie/", {"code": wrong_code(device)})
    assert "Deze code klopt niet." in wrong.content.decode()
    response = client.post("/account/tweestapsverificatie/", {"code": code_for(device)})
    assert response.url == "/account/back-upcodes/"
    page = client.get(response.url).content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(shown) == 10
    assert sorted(shown) == sorted(StaticToken.objects.values_list("token", flat=True))
    assert client.get("/account/back-upcodes/").url == "/account/"  # shown once
    assert client.get("/").status_code == 200  # verified in this session: free to go
    assert actions("auth.totp.enabled").get().actor_id == totp_school.mentor.user.pk


def test_required_totp_cannot_be_switched_off(totp_school, client):
    device = with_totp(totp_school.mentor)
    password_step(client)
    client.post("/inloggen/code/", {"code": code_for(device)})
    response = client.post("/account/tweestapsverificatie/uitzetten/", {"password": PASSWORD}, follow=True)
    assert "Je school verplicht tweestapsverificatie. Uitzetten kan daarom niet." in response.content.decode()
    assert TOTPDevice.objects.filter(user=totp_school.mentor.user, confirmed=True).exists()


def test_switching_off_needs_the_password(world, client):
    device = with_totp(world.mentor)
    otp.replace_backup_codes(user=world.mentor.user)
    password_step(client)
    client.post("/inloggen/code/", {"code": code_for(device)})
    wrong = client.post("/account/tweestapsverificatie/uitzetten/", {"password": "fout"})
    assert "Het wachtwoord klopt niet." in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=world.mentor.user).exists()
    response = client.post("/account/tweestapsverificatie/uitzetten/", {"password": PASSWORD}, follow=True)
    assert "Tweestapsverificatie staat uit." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.mentor.user).exists()
    assert not StaticToken.objects.filter(device__user=world.mentor.user).exists()
    assert actions("auth.totp.disabled").count() == 1
    client.post("/uitloggen/")
    assert password_step(client).url == "/"  # password alone again


def test_signed_in_without_code_at_a_strict_school_must_sign_in_properly(totp_school):
    """A session that skipped the code (e.g. force_login) is sent back to the log-in."""
    with_totp(totp_school.mentor)
    client = totp_school.client_for(totp_school.mentor)
    assert client.get("/").url == "/inloggen/"
    assert not signed_in(client)


def _queries_for_home(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_two_factor_check_adds_no_query(world, settings):
    """The middleware reads the schools SchoolScopeMiddleware already loaded."""
    client = world.client_for(world.mentor)
    client.get("/")
    with_check = _queries_for_home(client)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorRequiredMiddleware")]
    assert _queries_for_home(client) == with_check
