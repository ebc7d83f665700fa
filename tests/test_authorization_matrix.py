"""The authorization matrix: every page and API object that takes an id, tried by staff of
another school. Each must answer 404 (not 403: another school's objects do not exist for them)
and change nothing. A new page with an id belongs in this list, or, for a protocol app, in the rows
it registers from its AppConfig.ready() (schools.matrix.register_matrix_rows), added below."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.module_loading import import_string

from audit.models import AuditEvent
from deadlines.services.deadlines import create_deadline
from dossier.models import DossierEntry
from dossier.services.access_requests import request_access
from dossier.services.documents import upload_document
from dossier.services.logbook import write_log_entry
from messaging.models import Message
from messaging.services.messages import compose_letter, send_message
from protocols.services import change_protocol
from schools.matrix import registered_matrix_rows
from schools.models import ImportRun, SchoolHoliday
from schools.services.api_keys import create_api_key
from signatures.services.signatures import create_signable_document
from tests import factories as f

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def school_b(world):
    """Objects of every kind in school B, made by its own director and parent."""
    otto, zeno = world.otto, world.zeno
    f.give_role(zeno, "functional_admin")
    log = write_log_entry(actor=zeno.user, student=otto, title="Gesprek", body="Otto vertelde over thuis.")
    document = upload_document(
        actor=zeno.user, student=otto, upload=SimpleUploadedFile("foto.png", PNG), title="Tekening"
    )
    letter = compose_letter(actor=zeno, student=otto, template_code="gp.out_of_class.hour")
    message = send_message(actor=zeno, student=otto, subject="Uitnodiging", body="Graag dinsdag.")
    deadline = create_deadline(
        school=world.other_school, owner=zeno, title="Evaluatie", rule="GP-10", due_on=timezone.localdate()
    )
    request = request_access(requester=world.parent_otto, student=otto)
    signable = create_signable_document(actor=zeno, student=otto, title="Afspraken", content="Otto doet mee.")
    holiday = SchoolHoliday.objects.create(
        school=world.other_school, name="Studiedag", kind="study_day",
        start=datetime.date(2027, 3, 3), end=datetime.date(2027, 3, 3),
    )  # fmt: skip
    key, _ = create_api_key(actor=zeno.user, school=world.other_school, name="LVS", scopes=["students:read"])
    run = ImportRun.objects.create(school=world.other_school, format="tabular", filename="x.csv")
    group = otto.memberships.get().group
    version = change_protocol(
        actor=zeno, school=world.other_school, protocol="measures", values={"decision_term_weeks": 3},
        reason="Eigen beleid", based_on=0,
    )  # fmt: skip
    ids = {
        "student": otto.pk, "group": group.pk, "staff": zeno.pk, "log": log.pk, "document": document.pk,
        "letter": letter.pk, "message": message.pk, "deadline": deadline.pk, "request": request.pk,
        "signable": signable.pk, "holiday": holiday.pk, "key": key.pk, "run": run.pk,
        "guardian": world.parent_otto.pk, "version": version.pk,
    }  # fmt: skip
    for rows in registered_matrix_rows():  # each app makes its own objects in school B
        if rows.objects is not None:
            make = import_string(rows.objects) if isinstance(rows.objects, str) else rows.objects
            ids.update(make(world))
    return ids


PAGES = [
    "/leerlingen/{student}/",
    "/groepen/{group}/",
    "/medewerkers/{staff}/rollen/",
    "/dossier/leerling/{student}/",
    "/dossier/leerling/{student}/bekeken/",
    "/dossier/leerling/{student}/logboek/nieuw/",
    "/dossier/logboek/{log}/",
    "/dossier/logboek/{log}/bewerken/",
    "/dossier/logboek/{log}/corrigeren/",
    "/dossier/leerling/{student}/documenten/nieuw/",
    "/dossier/document/{document}/",
    "/dossier/brief/{letter}.pdf",
    "/dossier/inzage/nieuw/{student}/",
    "/dossier/inzage/{request}/",
    "/dossier/inzage/{request}/pdf/",
    "/dossier/documenten/{signable}/",
    "/dossier/leerling/{student}/documenten-ondertekenen/",
    "/dossier/leerling/{student}/documenten-ondertekenen/nieuw/",
    "/dossier/ondertekenen/{signable}/",
    "/schoolkalender/{holiday}/wijzigen/",
    "/import/{run}/",
    "/import/{run}/voortgang/",
    "/protocollen/versies/{version}/",
]
POSTS = [
    "/medewerkers/{staff}/uit-dienst/",
    "/dossier/berichten/{message}/opnieuw/",
    "/dossier/termijnen/{deadline}/afronden/",
    "/schoolkalender/{holiday}/verwijderen/",
    "/api-sleutels/{key}/intrekken/",
    "/import/{run}/kolommen/",
    "/import/{run}/verwerken/",
    "/tekstcontrole/?velden=body&leerling={student}",
]
API = [
    "/api/v1/students/{student}",
    "/api/v1/groups/{group}",
    "/api/v1/staff/{staff}",
    "/api/v1/guardians/{guardian}",
]
# The rows the installed apps registered (schools.matrix).
for _rows in registered_matrix_rows():
    PAGES += _rows.pages
    POSTS += _rows.posts
    API += _rows.api


@pytest.mark.parametrize("persona", ["dirk", "carla", "fiona"])
def test_staff_of_school_a_get_404_for_every_page_and_api_object_of_school_b(world, school_b, persona):
    client = world.client_for(getattr(world, persona))
    entries, messages, audit_rows = (
        DossierEntry.objects.count(),
        Message.objects.count(),
        AuditEvent.objects.count(),
    )
    for url in PAGES:
        assert client.get(url.format(**school_b)).status_code == 404, url
    for url in POSTS:
        assert client.post(url.format(**school_b)).status_code == 404, url
    for url in API:
        assert client.get(url.format(**school_b)).status_code == 404, url
    assert (DossierEntry.objects.count(), Message.objects.count()) == (entries, messages)
    # Nothing was changed, but the refused attempts on the file were recorded (AVG-4).
    denied = AuditEvent.objects.filter(pk__gt=0, success=False).count()
    assert AuditEvent.objects.count() > audit_rows and denied >= 1


def test_api_key_of_school_a_gets_404_for_school_b_objects(world, school_b):
    from django.test import Client

    _, token = create_api_key(
        actor=world.fiona.user, school=world.school, name="A", scopes=["students:read", "organisation:read"]
    )
    client = Client(headers={"authorization": f"Bearer {token}"})
    for url in API:
        assert client.get(url.format(**school_b)).status_code == 404, url
