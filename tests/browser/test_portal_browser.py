"""A parent opens a log-in link, sees their child's item and signs a document "voor gezien"."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from dossier.services.record import record
from portal.services.portal import request_login_link
from signatures.models import Signature
from signatures.services.signatures import create_signable_document
from tests.queued import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_logs_in_with_link_sees_item_and_signs_voor_gezien(world, page):
    record(
        student=world.sanne,
        kind="talk",
        title="Gesprek over de overstap met Daan",
        body="Sanne vertelde over haar plannen.",
        actor=world.mentor,
        parent_visible=True,
        involved=[world.daan],
    )
    create_signable_document(
        actor=world.carla,
        student=world.sanne,
        title="Verslag gesprek",
        content="Wij spraken over de overstap.",
    )
    request_login_link(email=world.parent_sanne.email, base_url="http://testserver/")
    run_queued_tasks()
    link = re.search(r"http://testserver(/ouders/link/\S+/)", mail.outbox[-1].body).group(1)

    page.goto(link)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Sanne de Vries").click()
    expect(page.get_by_role("heading", name="Gesprek over de overstap met [andere leerling]")).to_be_visible()
    assert "Daan" not in page.content()

    page.get_by_role("link", name="Verslag gesprek", exact=True).click()
    page.get_by_label("voor gezien").check()
    page.get_by_role("button", name="Ondertekenen").click()
    page.get_by_text("U heeft deze versie").wait_for()
    signature = Signature.objects.get()
    assert (signature.decision, signature.method, signature.guardian) == (
        "voor_gezien",
        "portal",
        world.parent_sanne,
    )
