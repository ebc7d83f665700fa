"""Abuse: password-reset mails and portal links are counted per address and per client and sent by
the worker after the request, with the same answer for a known and an unknown address; failed API
keys are slowed down (issue 7, "Hostile input and abuse"). Counters live in the database, shared by
every worker. No timing assertions: the proof is that no mail is sent inside the request."""

import json

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from schools import throttle
from schools.models import RateCounter
from schools.services.api_keys import create_api_key
from tests.queued import run_queued_tasks

pytestmark = pytest.mark.django_db

MIRJAM = "mirjam@beekdal.test"  # the mentor's staff address (tests/conftest.py)


def _reset(email: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post("/wachtwoord/vergeten/", {"email": email})


def _link(email: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post("/ouders/inloggen/", {"email": email})


def _comparable(response) -> tuple:
    return response.status_code, response.get("Location"), response.content


def _no_secrets_or_addresses_in_task_table():
    for row in DBTaskResult.objects.all():
        stored = json.dumps(row.args_kwargs)
        assert "@" not in stored and "/link/" not in stored and "wachtwoord/nieuw" not in stored


# --- password reset -----------------------------------------------------------------------------


def test_avg_4_password_reset_rate_limited_per_address(world, django_capture_on_commit_callbacks):
    assert world.mentor.user.email == MIRJAM
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_reset(MIRJAM, ip=f"10.0.{i // 200}.{i % 200}") for i in range(50)]
    assert {r.status_code for r in responses} == {302}
    assert len({_comparable(r) for r in responses}) == 1  # the 4th answer is the same as the 1st
    run_queued_tasks()
    assert len(mail.outbox) == throttle.PASSWORD_RESET_PER_ADDRESS.limit == 3


def test_avg_4_password_reset_rate_limited_per_client(world, django_capture_on_commit_callbacks):
    limit = throttle.PASSWORD_RESET_PER_CLIENT.limit
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_reset(f"iemand{i}@beekdal.test") for i in range(limit)]
        refused = _reset(MIRJAM)
    assert {r.status_code for r in answers} == {302}
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "te veel aanvragen" in refused.content.decode()
    run_queued_tasks()
    assert mail.outbox == []  # Mirjam's mail was refused with the client, not sent anyway
    # Another client is not held back by this one.
    with django_capture_on_commit_callbacks(execute=True):
        assert _reset(MIRJAM, ip="10.9.9.9").status_code == 302
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[MIRJAM]]


def test_avg_4_password_reset_same_answer_for_known_and_unknown_and_no_mail_inside_the_request(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _reset(MIRJAM)
        unknown = _reset("niemand@beekdal.test")
    assert _comparable(known) == _comparable(unknown)
    assert mail.outbox == []  # nothing sent while the client waits
    assert DBTaskResult.objects.count() == 2  # the same work for both: one task each
    _no_secrets_or_addresses_in_task_table()
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == [MIRJAM] and "/wachtwoord/nieuw/" in message.body


# --- portal log-in links ------------------------------------------------------------------------


def test_avg_4_portal_link_rate_limited_per_address(world, django_capture_on_commit_callbacks):
    parent = world.parent_sanne.email
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_link(parent, ip=f"10.1.{i // 200}.{i % 200}") for i in range(50)]
    assert len({_comparable(r) for r in responses}) == 1
    run_queued_tasks()
    assert len(mail.outbox) == throttle.PORTAL_LINK_PER_ADDRESS.limit == 5


def test_avg_4_portal_link_requests_for_many_addresses_rate_limited_per_client(
    world, django_capture_on_commit_callbacks
):
    limit = throttle.PORTAL_LINK_PER_CLIENT.limit
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_link(f"onbekend{i}@nergens.test") for i in range(limit)]
        refused = _link(world.parent_sanne.email)
    assert {r.status_code for r in answers} == {302}
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "te veel inloglinks aangevraagd" in refused.content.decode()
    run_queued_tasks()
    assert mail.outbox == []


def test_avg_4_portal_link_same_answer_for_known_and_unknown_and_no_mail_inside_the_request(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _link(world.parent_sanne.email)
        unknown = _link("niemand@thuis.test")
    assert _comparable(known) == _comparable(unknown)
    assert mail.outbox == [] and DBTaskResult.objects.count() == 2
    _no_secrets_or_addresses_in_task_table()
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == [world.parent_sanne.email] and "/ouders/link/" in message.body


def test_avg_4_rate_counters_are_shared_rows_without_plain_addresses(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _reset(MIRJAM, ip="10.2.3.4")
        _link(world.parent_sanne.email, ip="10.2.3.4")
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 4
    assert not any("@" in k or "10.2.3.4" in k for k in keys)


# --- API keys -----------------------------------------------------------------------------------


def test_avg_4_failed_api_keys_are_slowed_down_with_429_and_retry_after(world):
    _key, token = create_api_key(
        actor=None, school=world.school, name="Koppeling", scopes=["organisation:read"]
    )
    guesser = Client(REMOTE_ADDR="10.3.3.3", raise_request_exception=False)
    limit = throttle.API_KEY_FAILURES_PER_CLIENT.limit
    for i in range(limit):
        wrong = guesser.get("/api/v1/school", headers={"Authorization": f"Bearer lz_gok{i}_geheim"})
        assert wrong.status_code == 401
    blocked = guesser.get("/api/v1/school", headers={"Authorization": "Bearer lz_gok_nogmaals"})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert "Te veel mislukte pogingen" in blocked.json()["detail"]
    # Even the right key waits at this client; another client with the right key is served.
    assert guesser.get("/api/v1/school", headers={"Authorization": f"Bearer {token}"}).status_code == 429
    other = Client(REMOTE_ADDR="10.4.4.4", headers={"Authorization": f"Bearer {token}"})
    assert other.get("/api/v1/school").status_code == 200


def test_avg_4_successful_api_calls_are_not_counted_as_failures(world):
    _key, token = create_api_key(
        actor=None, school=world.school, name="Koppeling", scopes=["organisation:read"]
    )
    client = Client(REMOTE_ADDR="10.5.5.5", headers={"Authorization": f"Bearer {token}"})
    for _ in range(throttle.API_KEY_FAILURES_PER_CLIENT.limit + 5):
        assert client.get("/api/v1/school").status_code == 200
