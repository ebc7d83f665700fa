"""The parent portal: log-in links, own children only (AVG-1), parent-visible items, redaction, AVG-2."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind, Visibility
from portal.models import PortalLoginToken
from schools.models import User
from signatures.services.signatures import create_signable_document
from tests import factories as f
from tests.queued import run_queued_tasks

pytestmark = pytest.mark.django_db


def _login_link(client, email, capture) -> str:
    with capture(execute=True):
        response = client.post("/ouders/inloggen/", {"email": email})
    assert response.status_code == 302
    assert mail.outbox == []  # sent by the worker, never inside the request (issue 7)
    run_queued_tasks()
    (message,) = mail.outbox
    return re.search(r"http://testserver(/ouders/link/\S+/)", message.body).group(1)


def portal_client(world, guardian) -> Client:
    user = guardian.user or f.UserFactory(email=guardian.email)
    guardian.user = user
    guardian.save()
    client = Client()
    client.force_login(user)
    return client


def test_link_log_in_creates_the_guardian_user_and_shows_own_children(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    link = _login_link(client, world.parent_sanne.email.upper(), django_capture_on_commit_callbacks)
    assert client.get(link).status_code == 200  # a scanner opening the link does not use it
    response = client.post(link)
    assert response.status_code == 302 and response.url == "/ouders/"
    world.parent_sanne.refresh_from_db()
    assert world.parent_sanne.user.email == world.parent_sanne.email
    page = client.get("/ouders/").content.decode()
    assert "Sanne de Vries" in page and "Otto" not in page
    assert "Mijn acties" not in page  # no staff navigation in the portal


def test_unknown_address_gets_the_same_answer_and_no_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/ouders/inloggen/", {"email": "niemand@thuis.test"})
    assert response.status_code == 302 and response.url == "/ouders/inloggen/verstuurd/"
    run_queued_tasks()
    assert mail.outbox == [] and PortalLoginToken.objects.count() == 0


@pytest.mark.parametrize("how", ["expired", "reused"])
def test_expired_and_reused_links_are_refused_and_nothing_written(
    world, how, django_capture_on_commit_callbacks
):
    client = Client()
    link = _login_link(client, world.parent_sanne.email, django_capture_on_commit_callbacks)
    if how == "expired":
        PortalLoginToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    else:
        client.post(link)
        client = Client()
    users, events, token = User.objects.count(), AuditEvent.objects.count(), PortalLoginToken.objects.get()
    response = client.post(link)
    assert response.status_code == 400
    assert "niet (meer) geldig" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)
    after = PortalLoginToken.objects.get()
    assert (after.used_at, after.user_id) == (token.used_at, token.user_id)


def test_avg_1_parent_sees_only_parent_visible_items_and_never_another_childs_name(world, entries):
    client = portal_client(world, world.parent_sanne)
    page = client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()
    assert "Ruzie op het plein met [andere leerling]" in page
    assert "Sanne en [andere leerling] kregen ruzie. [andere leerling] duwde eerst." in page
    assert "Daan" not in page and "Jansen" not in page
    assert "Interne notitie" not in page  # not parent-visible
    assert "zorgteam" not in page  # care-team level, even though marked parent-visible
    assert client.get(f"/ouders/kinderen/{world.daan.pk}/").status_code == 404


def test_avg_1_parent_of_otto_sees_nothing_of_sanne(world, entries):
    client = portal_client(world, world.parent_otto)
    assert client.get(f"/ouders/kinderen/{world.sanne.pk}/").status_code == 404
    assert "Sanne" not in client.get("/ouders/").content.decode()
    denied = AuditEvent.objects.filter(action="portal.student.view_denied", success=False)
    assert denied.count() == 1


def test_avg_1_guardian_without_parental_authority_gets_no_access(
    world, entries, django_capture_on_commit_callbacks
):
    stepfather = f.GuardianFactory(school=world.school, first_name="Stef", last_name="Stiefvader")
    f.link_guardian(world.sanne, stepfather, authority=False)
    client = portal_client(world, stepfather)
    assert client.get(f"/ouders/kinderen/{world.sanne.pk}/").status_code == 404
    assert "Sanne" not in client.get("/ouders/").content.decode()
    # And no log-in link is sent to an address without any authority.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/ouders/inloggen/", {"email": stepfather.email})
    run_queued_tasks()
    assert mail.outbox == []


def test_ended_relation_gives_no_access(world, entries):
    relation = world.sanne.guardian_relations.get()
    relation.end = timezone.localdate() - datetime.timedelta(days=1)
    relation.save()
    client = portal_client(world, world.parent_sanne)
    assert client.get(f"/ouders/kinderen/{world.sanne.pk}/").status_code == 404


def test_avg_2_parent_statement_is_added_and_never_changes_the_original(world, entries):
    incident = entries["incident"]
    before = DossierEntry.objects.filter(pk=incident.pk).values().get()
    client = portal_client(world, world.parent_sanne)
    url = f"/ouders/kinderen/{world.sanne.pk}/regels/{incident.pk}/zienswijze/"
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 200 and "Schrijf uw zienswijze" in empty.content.decode()
    response = client.post(url, {"text": "Volgens Sanne begon het anders."})
    assert response.status_code == 302
    statement = DossierEntry.objects.get(kind=EntryKind.PARENT_STATEMENT)
    assert (
        statement.source == incident and statement.parent_visible and statement.visibility == Visibility.TEAM
    )
    assert statement.body == "Volgens Sanne begon het anders."
    assert "Daan" not in statement.title
    assert DossierEntry.objects.filter(pk=incident.pk).values().get() == before
    # The statement shows in the portal too; a care-team entry cannot be answered through a guessed URL.
    assert (
        "Volgens Sanne begon het anders."
        in client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()
    )
    care_url = f"/ouders/kinderen/{world.sanne.pk}/regels/{entries['care'].pk}/zienswijze/"
    assert client.get(care_url).status_code == 404


def test_parent_reads_and_signs_a_document_in_the_portal(world):
    doc = create_signable_document(
        actor=world.carla,
        student=world.sanne,
        title="Handelingsplan",
        content="Extra begeleiding bij rekenen.",
    )
    client = portal_client(world, world.parent_sanne)
    url = f"/ouders/kinderen/{world.sanne.pk}/documenten/{doc.pk}/"
    assert "Extra begeleiding bij rekenen." in client.get(url).content.decode()
    response = client.post(url, {"version": doc.current_version.pk, "decision": "akkoord"})
    assert response.status_code == 302
    signature = doc.current_version.signatures.get()
    assert signature.guardian == world.parent_sanne and signature.get_method_display() == "ouderportaal"
    assert "U heeft deze versie" in client.get(url).content.decode()
    # The parent of Otto cannot open Sanne's document.
    assert portal_client(world, world.parent_otto).get(url).status_code == 404


def test_portal_sign_of_a_superseded_version_shows_the_dutch_message(world):
    from signatures.services.signatures import revise_document

    doc = create_signable_document(
        actor=world.carla, student=world.sanne, title="Brief", content="Versie een."
    )
    old = doc.current_version
    revise_document(actor=world.carla, document=doc, content="Versie twee.")
    client = portal_client(world, world.parent_sanne)
    response = client.post(
        f"/ouders/kinderen/{world.sanne.pk}/documenten/{doc.pk}/",
        {"version": old.pk, "decision": "voor_gezien"},
    )
    assert response.status_code == 200
    assert "is vervangen door een nieuwere versie" in response.content.decode()
    assert not old.signatures.exists()


def test_optional_password_then_password_log_in(world):
    client = portal_client(world, world.parent_sanne)
    response = client.post(
        "/ouders/account/wachtwoord/",
        {"new_password1": "Zonnebloem-1977", "new_password2": "Zonnebloem-1977"},
    )
    assert response.status_code == 302
    fresh = Client()
    response = fresh.post(
        "/ouders/inloggen/wachtwoord/", {"username": world.parent_sanne.email, "password": "Zonnebloem-1977"}
    )
    assert response.status_code == 302 and response.url == "/ouders/"
    assert "Sanne de Vries" in fresh.get("/ouders/").content.decode()


def test_optional_totp_is_asked_after_log_in(world):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = portal_client(world, world.parent_sanne)
    client.get("/ouders/account/tweede-factor/")
    device = TOTPDevice.objects.get(user=world.parent_sanne.user)
    assert client.post("/ouders/account/tweede-factor/", {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/ouders/account/tweede-factor/", {"token": code}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # A new session must give the code before the portal opens.
    fresh = portal_client(world, world.parent_sanne)
    response = fresh.get(f"/ouders/kinderen/{world.sanne.pk}/")
    assert response.status_code == 302 and response.url == "/ouders/tweede-factor/"


@pytest.mark.parametrize("url", ["/ouders/inloggen/wachtwoord/", "/inloggen/"])
def test_a_too_long_address_on_a_login_form_is_refused_not_a_500(client, url):
    """Found by the hostile fuzz on PostgreSQL: a 256-character username reached axes, whose record of
    the attempt holds 255 characters, and the login page answered 500."""
    response = client.post(url, {"username": "Lang " * 60, "password": "geheim"})
    assert response.status_code in (200, 400)
    assert "<form" in response.content.decode() and "_auth_user_id" not in client.session
