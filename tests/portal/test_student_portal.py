"""The portal for students of 16 and older (AVG-1) and the guardians' loss of access on that day."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deadlines.models import Deadline
from dossier.models import AccessRequest, DossierEntry, EntryKind, Visibility
from dossier.services.access_requests import one_month_after
from portal.models import PortalLoginToken
from signatures.models import SignerType
from signatures.services.signatures import create_signable_document
from tests.portal.test_portal import portal_client
from tests.queued import run_queued_tasks

pytestmark = pytest.mark.django_db


def _years_ago(years: int, day: datetime.date | None = None) -> datetime.date:
    day = day or timezone.localdate()
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _sixteen_today(student) -> None:
    student.date_of_birth = _years_ago(16)
    student.email = "sanne@leerling.test"
    student.save()


def _request_link(email, capture) -> str | None:
    client = Client()
    with capture(execute=True):
        response = client.post("/ouders/inloggen/", {"email": email})
    assert response.status_code == 302 and response.url == "/ouders/inloggen/verstuurd/"
    run_queued_tasks()
    if not mail.outbox:
        return None
    return re.search(r"http://testserver(/ouders/link/\S+/)", mail.outbox[-1].body).group(1)


def _student_client(student) -> Client:
    from tests import factories as f

    student.user = student.user or f.UserFactory(email=student.email or "leerling@leerling.test")
    student.save()
    client = Client()
    client.force_login(student.user)
    return client


def test_avg_1_student_of_sixteen_signs_in_by_link_and_sees_own_items_only(
    world, entries, django_capture_on_commit_callbacks
):
    _sixteen_today(world.sanne)
    link = _request_link("Sanne@Leerling.test", django_capture_on_commit_callbacks)
    assert link and "het portaal" in mail.outbox[-1].subject
    client = Client()
    assert client.get(link).status_code == 200  # a mail scanner does not use the link up
    response = client.post(link)
    assert response.status_code == 302 and response.url == "/ouders/"
    world.sanne.refresh_from_db()
    assert world.sanne.user.email == "sanne@leerling.test"
    home = client.get("/ouders/").content.decode()
    assert "Mijn dossier" in home and "Sanne de Vries" in home
    page = client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()
    assert "Ruzie op het plein met [andere leerling]" in page
    assert "Sanne en [andere leerling] kregen ruzie." in page
    assert "Daan" not in page and "Jansen" not in page  # never another child's name
    assert "Interne notitie" not in page and "zorgteam" not in page  # same filter as for parents
    assert "Dit is uw eigen dossier" in page
    # Another child's file (same school, another school) does not exist for her.
    assert client.get(f"/ouders/kinderen/{world.daan.pk}/").status_code == 404
    assert client.get(f"/ouders/kinderen/{world.otto.pk}/").status_code == 404


def test_avg_1_student_under_sixteen_gets_the_same_answer_and_no_link(
    world, django_capture_on_commit_callbacks
):
    world.sanne.email = "sanne@leerling.test"
    world.sanne.date_of_birth = _years_ago(16, timezone.localdate() + datetime.timedelta(days=1))
    world.sanne.save()  # turns 16 tomorrow
    assert _request_link("sanne@leerling.test", django_capture_on_commit_callbacks) is None
    assert PortalLoginToken.objects.count() == 0
    # No date of birth: treated as under 16.
    world.sanne.date_of_birth = None
    world.sanne.save()
    assert _request_link("sanne@leerling.test", django_capture_on_commit_callbacks) is None


def test_avg_1_family_address_shared_with_a_guardian_signs_in_only_the_guardian(
    world, django_capture_on_commit_callbacks
):
    """A link to an address the parent also uses would let the parent into the 16+ student's file."""
    _sixteen_today(world.sanne)
    world.sanne.email = world.parent_sanne.email
    world.sanne.save()
    link = _request_link(world.parent_sanne.email, django_capture_on_commit_callbacks)
    client = Client()
    client.post(link)
    world.sanne.refresh_from_db()
    assert world.sanne.user is None
    assert client.get(f"/ouders/kinderen/{world.sanne.pk}/").status_code == 404


@pytest.mark.parametrize("turns_16", ["today", "tomorrow"])
def test_avg_1_guardian_loses_access_on_the_sixteenth_birthday(world, entries, turns_16):
    day = timezone.localdate() + datetime.timedelta(days=0 if turns_16 == "today" else 1)
    world.sanne.date_of_birth = _years_ago(16, day)
    world.sanne.save()
    client = portal_client(world, world.parent_sanne)
    child_url = f"/ouders/kinderen/{world.sanne.pk}/"
    home = client.get("/ouders/").content.decode()
    page = client.get(child_url)
    access = client.post(f"{child_url}inzage/")
    if turns_16 == "tomorrow":  # still 15: nothing changes yet
        assert page.status_code == 200 and "Ruzie op het plein" in page.content.decode()
        assert child_url in home and "zelf de inzage" not in home
        assert access.status_code == 302 and AccessRequest.objects.count() == 1
        return
    assert page.status_code == 404 and access.status_code == 404
    assert child_url not in home  # no link to the file any more
    assert "Vanaf 16 jaar regelt Sanne zelf de inzage in het dossier" in home
    assert AccessRequest.objects.count() == 0
    assert client.get(f"{child_url}regels/{entries['incident'].pk}/zienswijze/").status_code == 404


def test_avg_1_student_requests_access_from_the_portal(world):
    _sixteen_today(world.sanne)
    client = _student_client(world.sanne)
    page = client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()
    assert "Vanaf 16 jaar hebt u zelf het recht" in page
    response = client.post(f"/ouders/kinderen/{world.sanne.pk}/inzage/")
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.requested_by_student and request.requested_by_guardian is None
    assert request.requester_label == "Sanne de Vries"
    assert request.due_on == one_month_after(timezone.localdate())
    deadline = Deadline.objects.get()
    assert (deadline.rule, deadline.due_on, deadline.student) == ("AVG-1", request.due_on, world.sanne)
    assert "Verzoek van" in client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()


def test_avg_1_student_under_sixteen_signed_in_sees_no_file(world, entries):
    client = _student_client(world.sanne)  # 14 in the fixture
    assert "Vanaf uw 16e verjaardag" in client.get("/ouders/").content.decode()
    assert client.get(f"/ouders/kinderen/{world.sanne.pk}/").status_code == 404
    assert client.post(f"/ouders/kinderen/{world.sanne.pk}/inzage/").status_code == 404
    assert AccessRequest.objects.count() == 0


def test_avg_1_student_signs_a_document_addressed_to_them(world):
    _sixteen_today(world.sanne)
    addressed = create_signable_document(
        actor=world.carla,
        student=world.sanne,
        title="Afspraken stage",
        content="Sanne loopt stage bij de bakker.",
        signers=[world.sanne],
        parent_visible=False,  # kept from the parents, still shown to the student it is addressed to
    )
    for_parents = create_signable_document(
        actor=world.carla, student=world.sanne, title="Brief aan ouders", content="Informatie.", signers=[]
    )
    client = _student_client(world.sanne)
    child = client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()
    assert "Afspraken stage" in child and "Brief aan ouders" in child
    url = f"/ouders/kinderen/{world.sanne.pk}/documenten/{addressed.pk}/"
    assert "Sanne loopt stage bij de bakker." in client.get(url).content.decode()
    response = client.post(url, {"version": addressed.current_version.pk, "decision": "akkoord"})
    assert response.status_code == 302
    signature = addressed.current_version.signatures.get()
    assert signature.signer_type == SignerType.STUDENT and signature.student == world.sanne
    assert signature.operated_by == world.sanne.user
    assert addressed.current_version.requests.get().state == "signed"
    assert "U heeft deze versie" in client.get(url).content.decode()
    # A document not addressed to her: she reads it but cannot sign it.
    other_url = f"/ouders/kinderen/{world.sanne.pk}/documenten/{for_parents.pk}/"
    assert "niet aan u gericht" in client.get(other_url).content.decode()
    assert (
        client.post(other_url, {"version": for_parents.current_version.pk, "decision": "akkoord"}).status_code
        == 404
    )
    assert not for_parents.current_version.signatures.exists()


def test_avg_2_student_statement_never_changes_the_original_entry(world, entries):
    _sixteen_today(world.sanne)
    incident = entries["incident"]
    before = DossierEntry.objects.filter(pk=incident.pk).values().get()
    client = _student_client(world.sanne)
    url = f"/ouders/kinderen/{world.sanne.pk}/regels/{incident.pk}/zienswijze/"
    empty = client.post(url, {"text": " "})
    assert empty.status_code == 200 and "Schrijf uw zienswijze" in empty.content.decode()
    assert client.post(url, {"text": "Ik begon niet met de ruzie."}).status_code == 302
    statement = DossierEntry.objects.get(kind=EntryKind.STUDENT_STATEMENT)
    assert statement.source == incident and statement.body == "Ik begon niet met de ruzie."
    assert statement.title.startswith("Zienswijze van leerling bij") and "Daan" not in statement.title
    assert DossierEntry.objects.filter(pk=incident.pk).values().get() == before
    page = client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()
    assert "Ik begon niet met de ruzie." in page
    # A care-team entry cannot be answered through a guessed URL.
    care = f"/ouders/kinderen/{world.sanne.pk}/regels/{entries['care'].pk}/zienswijze/"
    assert client.get(care).status_code == 404


def _many_entries(world, n: int, prefix: str, days_ago: int) -> None:
    start = timezone.now() - datetime.timedelta(days=days_ago)
    DossierEntry.objects.bulk_create(
        DossierEntry(
            school=world.school,
            student=world.sanne,
            kind=EntryKind.LOG_ENTRY,
            title=f"{prefix} {i:03d}",
            author_label="Mirjam Mentor",
            occurred_at=start + datetime.timedelta(days=i),
            recorded_at=start,
            visibility=Visibility.TEAM,
            parent_visible=True,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("viewer", ["guardian", "student"])
def test_child_page_is_paginated_newest_first_with_constant_queries(world, viewer):
    if viewer == "student":
        _sixteen_today(world.sanne)
        client = _student_client(world.sanne)
    else:
        client = portal_client(world, world.parent_sanne)
    url = f"/ouders/kinderen/{world.sanne.pk}/"
    _many_entries(world, 3, "Eerder", days_ago=200)
    client.get(url)  # warm up (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_entries(world, 60, "Regel", days_ago=60)  # 63 in all: pages of 25, 25 and 13
    with CaptureQueriesContext(connection) as many:
        first = client.get(url).content.decode()
    assert len(many) == len(few), [q["sql"] for q in many]
    titles = re.findall(r"<h3>(Regel \d+)</h3>", first)
    assert len(titles) == 25 and titles[0] == "Regel 059" and titles[1] == "Regel 058"
    assert "Pagina 1 van 3" in first
    last = client.get(f"{url}?page=3").content.decode()
    assert len(re.findall(r"<h3>\w+ \d+</h3>", last)) == 13
    assert "Regel 000" in last and "Eerder 000" in last and "Regel 059" not in last
