"""A document to sign notifies its signers: guardians by e-mail through the outbox, staff on "Mijn acties"."""

import pytest

from messaging.models import Message
from signatures.models import Decision, SignMethod
from signatures.services.signatures import create_signable_document, revise_document, sign_document
from tests import factories as f
from tests.messaging.test_outbox import run_worker, worker_test

pytestmark = pytest.mark.django_db


def _document(world, captured, **kwargs):
    with captured(execute=True):
        return create_signable_document(
            actor=world.carla,
            student=world.sanne,
            title="Afspraken gedrag",
            content="Sanne meldt zich elke maandag bij de mentor.",
            kind="agreement",
            **kwargs,
        )


@worker_test
def test_document_to_sign_emails_the_guardian_signers_through_the_outbox(
    world,
    smtp,
    django_capture_on_commit_callbacks,  # noqa: F811 (the fixture imported above)
):
    _document(world, django_capture_on_commit_callbacks)
    message = Message.objects.get(student=world.sanne)
    assert message.addresses("to") == [world.parent_sanne.email]
    run_worker()
    (received,) = smtp.handler.received
    assert received["To"] == world.parent_sanne.email
    assert "Afspraken gedrag" in received["Subject"]
    body = received.get_body(("plain",)).get_content()
    assert "ouderportaal" in body and "Afspraken gedrag" in body


def test_a_new_version_asks_the_guardians_again(world, django_capture_on_commit_callbacks):
    document = _document(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        revise_document(actor=world.carla, document=document, content="Sanne meldt zich elke dinsdag.")
    assert Message.objects.filter(student=world.sanne).count() == 2


def test_guardian_without_email_still_gets_the_document_no_message(world, django_capture_on_commit_callbacks):
    world.parent_sanne.email = ""
    world.parent_sanne.save()
    document = _document(world, django_capture_on_commit_callbacks)
    assert document.current_version.requests.count() == 1
    assert not Message.objects.filter(student=world.sanne).exists()


def test_staff_signer_finds_the_document_on_mijn_acties(world, django_capture_on_commit_callbacks):
    document = _document(world, django_capture_on_commit_callbacks, signers=[world.mentor])
    assert not Message.objects.exists()  # staff are not e-mailed: their home page lists it
    client = world.client_for(world.mentor)
    html = client.get("/").content.decode()
    assert "Te ondertekenen" in html and "Afspraken gedrag" in html
    assert f"/dossier/documenten/{document.pk}/" in html
    assert "Afspraken gedrag" not in world.client_for(world.teacher).get("/").content.decode()
    sign_document(
        version=document.current_version,
        signer=world.mentor,
        decision=Decision.AGREED,
        method=SignMethod.STAFF_SCREEN,
        actor=world.mentor.user,
    )
    assert "Afspraken gedrag" not in client.get("/").content.decode()


def test_mijn_acties_query_count_does_not_grow_with_documents(world, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.mentor)
    _document(world, django_capture_on_commit_callbacks, signers=[world.mentor])
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in range(5):
        student = f.StudentFactory(school=world.school)
        f.place(student, world.group_2b)
        with django_capture_on_commit_callbacks(execute=False):
            create_signable_document(actor=world.carla, student=student, title=f"Plan {n}", content="x",
                                     signers=[world.mentor])  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(one)
