"""The outbox: messages go out after commit through a real SMTP server (aiosmtpd), once, with retries."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind
from messaging.models import Message, MessageStatus
from messaging.services import outbox
from messaging.services.messages import compose_letter, resolve_recipients, send_message
from messaging.services.outbox import deliver_message
from tests import factories as f

GP_4_STAGE_3 = {
    "to": ["guardians_with_authority"],
    "cc": ["teachers", "director", "care_coordinator"],
    "named": ["director"],
}


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


# The real worker closes "old" connections between tasks, which on PostgreSQL ends a test that
# runs inside a transaction; tests that run the worker therefore commit for real.
worker_test = pytest.mark.django_db(transaction=True)


def queue(world, captured, **kwargs) -> Message:
    with captured(execute=True):
        return send_message(actor=world.carla, student=world.sanne, **kwargs)


@worker_test
def test_outbox_delivers_over_smtp_with_to_cc_named_and_pdf(world, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = compose_letter(
            actor=world.carla, student=world.sanne, template_code="gp.out_of_class.day", rule=GP_4_STAGE_3
        )
        message = send_message(
            actor=world.carla,
            student=world.sanne,
            template_code="gp.out_of_class.day",
            context={"on_date": datetime.date(2025, 3, 4)},
            recipients=GP_4_STAGE_3,
            letter=letter,
        )
    assert message.status == MessageStatus.QUEUED and not smtp.handler.received
    run_worker()

    assert len(smtp.handler.received) == 1
    received = smtp.handler.received[0]
    assert received["To"] == f"{world.parent_sanne.email}"
    assert set(received["Cc"].split(", ")) == {"tom@beekdal.test", "dirk@beekdal.test", "carla@beekdal.test"}
    assert set(smtp.handler.envelopes[0].rcpt_tos) == {
        world.parent_sanne.email, "tom@beekdal.test", "dirk@beekdal.test", "carla@beekdal.test"
    }  # fmt: skip
    assert received["Subject"] == "Sanne werkt een dag in een andere klas"
    body = received.get_body(("plain",)).get_content()
    assert "4 maart 2025" in body
    assert "De directeur, Dirk Directeur, is hiervan op de hoogte" in body  # GP-4: named in the message
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at and message.attempts == 1


@worker_test
def test_delivery_run_twice_sends_once(world, smtp, django_capture_on_commit_callbacks):
    message = queue(
        world, django_capture_on_commit_callbacks, subject="Uitnodiging", body="Graag tot dinsdag."
    )
    assert deliver_message.call(message.pk) == "sent"
    assert deliver_message.call(message.pk) == "already handled"
    # A duplicate enqueue (e.g. a retry racing the first task) is harmless too.
    deliver_message.enqueue(message.pk)
    run_worker()
    assert len(smtp.handler.received) == 1


@worker_test
def test_smtp_failure_then_periodic_retry_sends_once(world, smtp, django_capture_on_commit_callbacks):
    smtp.stop()
    message = queue(world, django_capture_on_commit_callbacks, subject="Verslag", body="Het verslag.")
    run_worker()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1 and message.last_error
    assert message.next_attempt_at > timezone.now()  # back-off: not retried at once

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", only=["outbox.retry"], verbosity=0)
    run_worker()
    assert not smtp.handler.received and Message.objects.get(pk=message.pk).attempts == 1

    smtp.start()
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", only=["outbox.retry"], verbosity=0)
        call_command("run_periodic", only=["outbox.retry"], verbosity=0)  # run twice: enqueues once
    assert DBTaskResult.objects.count() == before + 1
    run_worker()
    run_worker()
    assert len(smtp.handler.received) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.last_error == ""


@worker_test
def test_lost_enqueue_is_picked_up_by_the_periodic_retry(world, django_capture_on_commit_callbacks):
    # No on_commit run: the enqueue was lost (say, the process died right after commit).
    message = send_message(actor=world.carla, student=world.sanne, subject="Bericht", body="Tekst")
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", only=["outbox.retry"], verbosity=0)
    run_worker()
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT
    assert len(mail.outbox) == 1


@worker_test
def test_avg_1_guardian_without_parental_authority_gets_only_important_messages(
    world, django_capture_on_commit_callbacks
):
    father = f.GuardianFactory(
        school=world.school, first_name="Frank", last_name="Vries", email="frank@thuis.test"
    )
    f.link_guardian(world.sanne, father, authority=False)

    normal = queue(world, django_capture_on_commit_callbacks, subject="Rapport", body="Het rapport.")
    important = queue(
        world,
        django_capture_on_commit_callbacks,
        subject="Schorsing",
        body="Belangrijk bericht.",
        important_for_non_custodial=True,
    )
    run_worker()
    assert [m.to for m in mail.outbox if m.subject == "Rapport"] == [[world.parent_sanne.email]]
    assert normal.recipients["withheld"] == ["Frank Vries"]
    # Each guardian gets their own e-mail: neither sees the other's address.
    assert sorted(m.to for m in mail.outbox if m.subject == "Schorsing") == [
        ["frank@thuis.test"],
        [world.parent_sanne.email],
    ]
    assert important.recipients["withheld"] == []
    # A rule that addresses only the guardians with authority never reaches him, marked or not.
    assert "frank@thuis.test" not in str(
        resolve_recipients(world.sanne, {"to": ["guardians_with_authority"]})
    )


def test_copy_of_the_message_is_in_the_file_when_queued(world):
    message = send_message(actor=world.carla, student=world.sanne, subject="Gesprek", body="Tot dinsdag.")
    entry = DossierEntry.objects.get(student=world.sanne, kind=EntryKind.MESSAGE)
    assert message.status == MessageStatus.QUEUED
    assert entry.source == message and entry.parent_visible and entry.title == "Gesprek"
    assert entry.body == "Tot dinsdag."


def test_message_is_not_sent_inside_the_request_but_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = send_message(actor=world.carla, student=world.sanne, subject="Gesprek", body="Tot dinsdag.")
        assert DBTaskResult.objects.count() == 0 and not mail.outbox
    assert len(callbacks) == 1 and DBTaskResult.objects.count() == 0
    callbacks[0]()  # the commit
    assert DBTaskResult.objects.count() == 1 and not mail.outbox  # queued for the worker, not sent
    assert deliver_message.call(message.pk) == "sent"
    assert [m.subject for m in mail.outbox] == ["Gesprek"]
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT


@worker_test
def test_a_request_only_queues_the_message_and_the_worker_sends_it(world):
    with transaction.atomic():  # the request's transaction
        message = send_message(actor=world.carla, student=world.sanne, subject="Gesprek", body="Tot dinsdag.")
        assert DBTaskResult.objects.count() == 0
    assert DBTaskResult.objects.count() == 1 and not mail.outbox
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Gesprek"]
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT


@worker_test
def test_idempotency_key_makes_a_repeated_step_send_once(world, django_capture_on_commit_callbacks):
    for _ in range(2):
        queue(
            world,
            django_capture_on_commit_callbacks,
            subject="Uur eruit",
            body="x",
            idempotency_key="gp4:1:1",
        )
    run_worker()
    assert Message.objects.count() == 1 and len(mail.outbox) == 1


@worker_test
def test_outbox_page_and_retry_button(world, django_capture_on_commit_callbacks):
    message = send_message(actor=world.carla, student=world.sanne, subject="Mislukt bericht", body="x")
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=5, last_error="SMTP weg"
    )

    assert world.client_for(world.teacher).get(reverse("outbox")).status_code == 404
    assert world.client_for(world.teacher).post(reverse("outbox_retry", args=[message.pk])).status_code == 404
    assert world.client_for(world.zeno).post(reverse("outbox_retry", args=[message.pk])).status_code == 404
    client = world.client_for(world.carla)
    page = client.get(reverse("outbox"), {"status": "failed"})
    assert "Mislukt bericht" in page.text and "Opnieuw proberen" in page.text and "SMTP weg" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox_retry", args=[message.pk]))
    assert response.status_code == 302
    assert (
        Message.objects.get(pk=message.pk).status == MessageStatus.QUEUED and not mail.outbox
    )  # not in the request
    run_worker()
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT and len(mail.outbox) == 1
    assert "Er zijn geen berichten." in client.get(reverse("outbox"), {"status": "failed"}).text


def test_retry_button_with_htmx_swaps_the_row(world):
    message = send_message(actor=world.carla, student=world.sanne, subject="Mislukt", body="x")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, attempts=1, last_error="weg")
    response = world.client_for(world.dirk).post(
        reverse("outbox_retry", args=[message.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'id="message-{message.pk}"' in response.text and "in de wachtrij" in response.text
    assert "Opnieuw proberen" not in response.text


@worker_test
def test_two_guardians_each_get_their_own_email_and_cc_staff_one_copy(
    world, smtp, django_capture_on_commit_callbacks
):
    mother = f.GuardianFactory(
        school=world.school, first_name="Mira", last_name="Vries", email="mira@thuis.test"
    )
    f.link_guardian(world.sanne, mother)
    queue(
        world,
        django_capture_on_commit_callbacks,
        subject="Uit de klas",
        body="Sanne werkte een uur in een andere klas.",
        recipients={"to": ["guardians_with_authority"], "cc": ["director"]},
    )
    run_worker()
    envelopes = [set(e.rcpt_tos) for e in smtp.handler.envelopes]
    assert len(envelopes) == 2
    assert sum("dirk@beekdal.test" in e for e in envelopes) == 1  # the director gets one copy
    assert {a for e in envelopes for a in e} == {
        world.parent_sanne.email,
        "mira@thuis.test",
        "dirk@beekdal.test",
    }
    for received in smtp.handler.received:
        assert received["Cc"] == "dirk@beekdal.test"  # both see who is informed (GP-4)
        others = {world.parent_sanne.email, "mira@thuis.test"} - {received["To"]}
        assert not any(address in received.as_string() for address in others)


def _claimed(world, minutes: int) -> Message:
    """A message a worker claimed `minutes` ago and then died on (it never finished)."""
    message = send_message(actor=world.carla, student=world.sanne, subject="Onderbroken", body="x")
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING,
        attempts=1,
        sending_since=timezone.now() - datetime.timedelta(minutes=minutes),
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    return message


def test_message_stuck_in_sending_is_flagged_once_for_a_person_and_not_sent(
    world, django_capture_on_commit_callbacks
):
    stuck = _claimed(world, minutes=16)
    busy = _claimed(world, minutes=5)
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", only=["outbox.retry"], verbosity=0)
        call_command("run_periodic", only=["outbox.retry"], verbosity=0)  # run twice: flagged once
    assert DBTaskResult.objects.count() == before  # nothing re-enqueued
    assert deliver_message.call(stuck.pk) == "already handled"  # a late duplicate task sends nothing
    assert not mail.outbox

    stuck.refresh_from_db()
    assert stuck.status == MessageStatus.UNCERTAIN
    assert stuck.last_error == "Onbekend of verzonden: controleer"
    assert AuditEvent.objects.filter(action="dossier.message.uncertain", object_id=str(stuck.pk)).count() == 1
    assert Message.objects.get(pk=busy.pk).status == MessageStatus.SENDING  # 5 minutes: still working

    # The care team sees it at the top, explained, and must confirm before it is sent again.
    client = world.client_for(world.carla)
    send_message(actor=world.carla, student=world.sanne, subject="Nieuwer bericht", body="x")
    page = client.get(reverse("outbox")).text
    assert "1 bericht om te controleren" in page and "misschien niet" in page
    assert page.index("Onderbroken") < page.index("Nieuwer bericht")
    assert 'name="confirm"' in page

    refused = client.post(reverse("outbox_retry", args=[stuck.pk]), headers={"HX-Request": "true"})
    assert "Controleer eerst of dit bericht is aangekomen" in refused.text
    assert Message.objects.get(pk=stuck.pk).status == MessageStatus.UNCERTAIN
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox_retry", args=[stuck.pk]), {"confirm": "1"})
    assert Message.objects.get(pk=stuck.pk).status == MessageStatus.QUEUED
    assert deliver_message.call(stuck.pk) == "sent" and len(mail.outbox) == 1


@worker_test
def test_manual_retry_after_the_attempt_limit_survives_a_lost_enqueue(
    world, django_capture_on_commit_callbacks
):
    message = send_message(actor=world.carla, student=world.sanne, subject="Gaf het op", body="x")
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=outbox.MAX_ATTEMPTS, last_error="SMTP weg"
    )
    # The button is pressed, but the enqueue after commit is lost (no on_commit run).
    world.client_for(world.carla).post(reverse("outbox_retry", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 0
    retried = AuditEvent.objects.get(action="dossier.message.retried", object_id=str(message.pk))
    assert retried.data["previous_attempts"] == outbox.MAX_ATTEMPTS

    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", only=["outbox.retry"], verbosity=0)
    run_worker()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Gaf het op"]
