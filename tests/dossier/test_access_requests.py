"""Access requests (AVG-1): who may ask, the one-month deadline, the complete redacted export, hand-over."""

import datetime
import json
import subprocess
import time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from deadlines.models import Deadline, DeadlineState
from dossier.models import AccessRequestState, DossierEntry, EntryKind, Visibility
from dossier.services.access_requests import (
    build_access_export,
    hand_over_access_request,
    one_month_after,
    request_access,
    start_review,
)
from dossier.services.record import record
from protocols.exceptions import ProtocolViolation
from tests import factories as f

pytestmark = pytest.mark.django_db


def _sixteen(student):
    today = timezone.localdate()
    student.date_of_birth = today.replace(year=today.year - 16) - datetime.timedelta(days=1)
    student.save()


@pytest.fixture
def file_of_sanne(world):
    record(
        student=world.sanne,
        kind=EntryKind.INCIDENT,
        title="Ruzie met Daan",
        body="Daan Jansen en Sanne kregen ruzie; Mila keek toe.",
        actor=world.mentor,
        parent_visible=True,
        involved=[world.daan],
    )
    record(student=world.sanne, kind=EntryKind.LOG_ENTRY, title="Notitie mentor huiswerk", actor=world.mentor)
    record(
        student=world.sanne,
        kind=EntryKind.TALK,
        title="Zorgteam bespreekt ondersteuning",
        actor=world.carla,
        visibility=Visibility.CARE_TEAM,
        is_health=True,
    )
    record(
        student=world.sanne,
        kind=EntryKind.MEASURE,
        title="Directie besluit over maatregel",
        actor=world.dirk,
        visibility=Visibility.DIRECTOR,
    )
    record(student=world.daan, kind=EntryKind.LOG_ENTRY, title="Daans eigen regel", actor=world.mentor)


def test_avg_1_deadline_is_one_month_after_receipt(world):
    received = timezone.make_aware(datetime.datetime(2025, 1, 31, 10, 0))
    request = request_access(requester=world.parent_sanne, student=world.sanne, received_at=received)
    assert request.due_on == datetime.date(2025, 2, 28)
    deadline = Deadline.objects.get()
    assert (deadline.rule, deadline.due_on, deadline.owner, deadline.source) == (
        "AVG-1",
        datetime.date(2025, 2, 28),
        world.carla,
        request,
    )
    assert one_month_after(datetime.date(2025, 3, 15)) == datetime.date(2025, 4, 15)
    assert one_month_after(datetime.date(2025, 12, 20)) == datetime.date(2026, 1, 20)
    assert DossierEntry.objects.get(kind=EntryKind.ACCESS_REQUEST).parent_visible


def test_avg_1_guardian_for_a_sixteen_year_old_is_refused_the_student_accepted(world):
    _sixteen(world.sanne)
    with pytest.raises(ProtocolViolation) as exc:
        request_access(requester=world.parent_sanne, student=world.sanne)
    assert exc.value.rule == "AVG-1" and "16 jaar" in exc.value.message
    assert Deadline.objects.count() == 0
    request = request_access(requester=world.sanne, student=world.sanne, actor=world.carla.user)
    assert request.requested_by_student and request.requester_label == "Sanne de Vries"


def test_avg_1_student_under_sixteen_and_guardian_without_authority_refused(world):
    with pytest.raises(ProtocolViolation, match="Onder de 16"):
        request_access(requester=world.sanne, student=world.sanne)
    stepfather = f.GuardianFactory(school=world.school)
    f.link_guardian(world.sanne, stepfather, authority=False)
    with pytest.raises(ProtocolViolation, match="ouderlijk gezag"):
        request_access(requester=stepfather, student=world.sanne)


def test_avg_1_export_holds_every_entry_at_every_level_and_no_other_childs_name(world, file_of_sanne):
    request = request_access(requester=world.parent_sanne, student=world.sanne)
    start_review(actor=world.carla, request=request)
    build_access_export(actor=world.carla.user, request=request)
    # The director adds the director-only part (AVG-4: the coordinator's build holds what she may read).
    request = build_access_export(actor=world.dirk.user, request=request)
    assert request.state == AccessRequestState.READY and request.export_complete
    text = subprocess.run(
        ["pdftotext", "-layout", request.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    for title in (
        "Ruzie met [andere leerling]",
        "Notitie mentor huiswerk",
        "Zorgteam bespreekt ondersteuning",
        "Directie besluit over maatregel",
        "Inzageverzoek ontvangen van Petra de Vries",
    ):
        assert title in text
    assert "Sanne de Vries" in text
    for name in ("Daan", "Jansen", "Mila", "Bakker", "Daans eigen regel"):
        assert name not in text
    data = json.loads(request.json.read())
    titles = [e["title"] for e in data["entries"]]
    assert len(titles) == DossierEntry.objects.filter(student=world.sanne).count() == 5
    assert "Zorgteam bespreekt ondersteuning" in titles and "Directie besluit over maatregel" in titles
    raw = json.dumps(data, ensure_ascii=False)
    assert "Daan" not in raw and "Mila" not in raw
    assert "[andere leerling] en Sanne kregen ruzie; [andere leerling] keek toe." in raw


def test_hand_over_is_recorded_and_completes_the_deadline(world, file_of_sanne):
    request = request_access(requester=world.parent_sanne, student=world.sanne)
    build_access_export(actor=world.carla, request=request)
    build_access_export(actor=world.dirk, request=request)  # the director-only part (AVG-4)
    request = hand_over_access_request(actor=world.carla, request=request, note="In een gesprek overhandigd.")
    assert request.state == AccessRequestState.HANDED_OVER and request.handed_over_by == world.carla
    assert {d.state for d in Deadline.objects.all()} == {DeadlineState.DONE}  # answer + director's part
    assert DossierEntry.objects.filter(title="Inzage verstrekt aan Petra de Vries").exists()
    assert AuditEvent.objects.filter(action="dossier.access_request.handed_over").count() == 1


def test_staff_views_for_the_care_coordinator(world, file_of_sanne, django_capture_on_commit_callbacks):
    request = request_access(requester=world.parent_sanne, student=world.sanne)
    client = world.client_for(world.carla)
    listing = client.get("/dossier/inzage/").content.decode()
    assert "Sanne de Vries" in listing and request.due_on.strftime("%-d-%-m-%Y") in listing
    url = f"/dossier/inzage/{request.pk}/"
    assert client.post(url, {"action": "review", "note": "Identiteit gecontroleerd"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "build"}).status_code == 302
    # Run the queued task the way the worker does (db_worker itself closes the test's connection
    # on PostgreSQL); twice, to show it is idempotent.
    (queued,) = DBTaskResult.objects.all()
    for _ in range(2):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert AuditEvent.objects.filter(action="dossier.access_request.built").count() == 1
    pdf = client.get(f"{url}pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # AVG-1/AVG-4: the director adds the director-only part before the hand-over.
    assert client.post(url, {"action": "hand_over", "note": "Per post"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert world.client_for(world.dirk).post(url, {"action": "build"}).status_code == 302
    queued = DBTaskResult.objects.order_by("-enqueued_at").first()
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert client.post(url, {"action": "hand_over", "note": "Per post"}).status_code == 302
    request.refresh_from_db()
    assert request.state == AccessRequestState.HANDED_OVER
    # A teacher and another school's director cannot see the request.
    assert world.client_for(world.teacher).get(url).status_code == 404
    assert world.client_for(world.teacher).get("/dossier/inzage/").status_code == 404
    assert world.client_for(world.zeno).get(url).status_code == 404


def test_parent_requests_access_in_the_portal(world):
    from tests.portal.test_portal import portal_client

    client = portal_client(world, world.parent_sanne)
    response = client.post(f"/ouders/kinderen/{world.sanne.pk}/inzage/")
    assert response.status_code == 302
    request = world.sanne.access_requests.get()
    assert request.requested_by_guardian == world.parent_sanne
    assert "Verzoek van" in client.get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()


def test_build_time_for_a_500_entry_file(world, capsys):
    """Measured once for the report; no timing assert."""
    for i in range(500):
        DossierEntry.objects.create(
            school=world.school,
            student=world.sanne,
            kind=EntryKind.LOG_ENTRY,
            title=f"Logboek {i}: gesprek met Daan",
            body="Sanne werkte goed mee in de les. " * 8,
            visibility=Visibility.TEAM,
        )
    request = request_access(requester=world.parent_sanne, student=world.sanne)
    started = time.perf_counter()
    request = build_access_export(actor=world.carla, request=request)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n500-entry access export: {elapsed:.2f} s, PDF {request.pdf.size // 1024} KiB")
    assert request.pdf_sha256


def test_file_page_links_to_registering_an_access_request_for_the_care_coordinator_only(world):
    url = f"/dossier/inzage/nieuw/{world.sanne.pk}/"
    carla_page = world.client_for(world.carla).get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    assert f'href="{url}"' in carla_page
    mentor_page = world.client_for(world.mentor).get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    assert f'href="{url}"' not in mentor_page
