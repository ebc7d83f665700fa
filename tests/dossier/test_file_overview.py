"""The student's file page opens with the student: groups, mentor, open deadlines, documents to sign;
the legal hold sits with the other retention actions further down (issue 8 §5)."""

import pytest
from django.utils import timezone

from deadlines.services.deadlines import create_deadline
from dossier.services.logbook import write_log_entry
from signatures.services.signatures import create_signable_document

pytestmark = pytest.mark.django_db


def test_file_page_opens_with_the_student_and_keeps_the_legal_hold_with_retention(
    world, django_capture_on_commit_callbacks
):
    write_log_entry(actor=world.mentor.user, student=world.sanne, title="Gesprek", body="Sanne vertelde.")
    create_deadline(
        school=world.school, owner=world.carla, student=world.sanne, title="Evaluatie plan",
        rule="GP-10", due_on=timezone.localdate(),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        create_signable_document(
            actor=world.carla, student=world.sanne, title="Afspraken gedrag", content="x"
        )
    html = world.client_for(world.carla).get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    order = [
        html.index(text) for text in ("2B", "Mirjam Mentor", "Evaluatie plan", "Afspraken gedrag", "Gesprek")
    ]
    assert order == sorted(order), "groups, mentor, deadlines, documents to sign, then the entries"
    hold = html.index('id="bewaarstop"')
    assert hold > html.index("Gesprek"), "the legal hold comes after the file, with retention"
    assert html.index('id="bewaren"') < hold


def test_file_overview_query_count_does_not_grow(world, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.carla)
    url = f"/dossier/leerling/{world.sanne.pk}/"

    def add(n):
        create_deadline(school=world.school, owner=world.carla, student=world.sanne, title=f"T{n}",
                        rule="GP-10", due_on=timezone.localdate())  # fmt: skip
        with django_capture_on_commit_callbacks(execute=False):
            create_signable_document(actor=world.carla, student=world.sanne, title=f"D{n}", content="x")

    add(0)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(1, 6):
        add(n)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
