"""Issue 7, Access (AVG-4) finding 3: the access-request export holds the whole file for the
requester (AVG-1), but no staff member reads through it what their role cannot read on the page.

Decision (dossier/services/access_requests.py, DEVELOPERS.md "Access requests"): an export holds
what its builder may read. When the care coordinator builds it, the director adds the
director-only part by building the complete export (or, by the same step, confirms there is none);
only then can the hand-over be recorded. The complete export is downloadable by the director only.
"""

import json
import subprocess

import pytest

from deadlines.models import Deadline
from dossier.models import AccessRequestState, EntryKind, Visibility
from dossier.services.access_requests import build_access_export, hand_over_access_request, request_access
from dossier.services.record import record
from protocols.exceptions import ProtocolViolation

pytestmark = pytest.mark.django_db

DIRECTOR_ONLY = "Directie: gesprek met de jeugdarts"
DIRECTOR_HEALTH = "Directie: diagnose gemeld door de huisarts"
CARE = "Zorgteam bespreekt ondersteuning"


@pytest.fixture
def request_for_sanne(world):
    record(student=world.sanne, kind=EntryKind.LOG_ENTRY, title="Notitie mentor huiswerk", actor=world.mentor)
    record(
        student=world.sanne, kind=EntryKind.TALK, title=CARE, actor=world.carla,
        visibility=Visibility.CARE_TEAM, is_health=True,
    )  # fmt: skip
    record(
        student=world.sanne, kind=EntryKind.TALK, title=DIRECTOR_ONLY, actor=world.dirk,
        visibility=Visibility.DIRECTOR,
    )  # fmt: skip
    record(
        student=world.sanne, kind=EntryKind.TALK, title=DIRECTOR_HEALTH, actor=world.dirk,
        visibility=Visibility.DIRECTOR, is_health=True,
    )  # fmt: skip
    return request_access(requester=world.parent_sanne, student=world.sanne)


def _pdf_text(request) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", request.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def _download(client, request, kind: str):
    response = client.get(f"/dossier/inzage/{request.pk}/{kind}/")
    body = b"".join(response.streaming_content) if response.status_code == 200 else response.content
    return response, body.decode("utf-8", "replace")


def test_avg_4_coordinator_export_holds_no_director_only_entries(world, request_for_sanne):
    request = build_access_export(actor=world.carla.user, request=request_for_sanne)
    text, data = _pdf_text(request), json.loads(request.json.read())
    titles = [entry["title"] for entry in data["entries"]]
    assert CARE in titles and CARE in text
    for secret in (DIRECTOR_ONLY, DIRECTOR_HEALTH):
        assert secret not in titles and secret not in text
    response, body = _download(world.client_for(world.carla), request, "json")
    assert response.status_code == 200 and DIRECTOR_ONLY not in body


def test_avg_1_hand_over_waits_for_the_directors_part(world, request_for_sanne):
    request = build_access_export(actor=world.carla.user, request=request_for_sanne)
    assert request.state == AccessRequestState.READY and not request.export_complete
    with pytest.raises(ProtocolViolation) as refused:
        hand_over_access_request(actor=world.carla, request=request)
    assert refused.value.rule == "AVG-1" and "directeur" in refused.value.message
    # The director is asked, in "Mijn termijnen" (no student name in the title).
    assert Deadline.objects.filter(owner=world.dirk, rule="AVG-4", state="open").exists()
    page = world.client_for(world.carla).get(f"/dossier/inzage/{request.pk}/").content.decode()
    assert "directeur" in page and 'value="hand_over"' not in page


def test_avg_1_director_adds_the_director_only_part_then_hand_over(world, request_for_sanne):
    build_access_export(actor=world.carla.user, request=request_for_sanne)
    director_page = (
        world.client_for(world.dirk).get(f"/dossier/inzage/{request_for_sanne.pk}/").content.decode()
    )
    assert "Deel voor de directie toevoegen" in director_page
    request = build_access_export(actor=world.dirk.user, request=request_for_sanne)
    assert request.export_complete and request.director_part_by == world.dirk
    titles = [entry["title"] for entry in json.loads(request.json.read())["entries"]]
    assert {CARE, DIRECTOR_ONLY, DIRECTOR_HEALTH} <= set(titles)
    assert DIRECTOR_HEALTH in _pdf_text(request)
    assert not Deadline.objects.filter(owner=world.dirk, rule="AVG-4", state="open").exists()
    request = hand_over_access_request(actor=world.carla, request=request, note="Per post")
    assert request.state == AccessRequestState.HANDED_OVER


def test_avg_4_coordinator_cannot_download_the_complete_export(world, request_for_sanne):
    request = build_access_export(actor=world.dirk.user, request=request_for_sanne)
    assert request.export_complete
    for kind in ("pdf", "json"):
        response, body = _download(world.client_for(world.carla), request, kind)
        assert response.status_code == 404 and DIRECTOR_ONLY not in body
        response, _ = _download(world.client_for(world.dirk), request, kind)
        assert response.status_code == 200


def test_avg_1_director_confirms_there_is_no_director_only_part_by_the_same_step(world):
    record(student=world.sanne, kind=EntryKind.LOG_ENTRY, title="Notitie mentor huiswerk", actor=world.mentor)
    request = request_access(requester=world.parent_sanne, student=world.sanne)
    request = build_access_export(actor=world.carla.user, request=request)
    assert not request.export_complete  # the coordinator cannot know: she does not see that level
    request = build_access_export(actor=world.dirk.user, request=request)
    assert request.export_complete
    assert (
        hand_over_access_request(actor=world.carla, request=request).state == AccessRequestState.HANDED_OVER
    )
