"""Issue 7, "Hostile input and abuse", last bullet (AVG-4): pages, exports, PDFs and API responses
with care content carry `Cache-Control: no-store`; downloads with a child's data are attachments
with a neutral file name (no child's name or number, no subject line)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dossier.models import Document
from dossier.services.access_requests import build_access_export, request_access
from dossier.services.logbook import write_log_entry
from messaging.services.messages import compose_letter
from schools.services.api_keys import create_api_key
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def _attachment_name(response) -> str:
    disposition = response.get("Content-Disposition", "")
    assert disposition.startswith("attachment"), disposition
    return disposition


def _neutral(disposition: str, world) -> None:
    for word in ("Sanne", "Vries", world.sanne.student_number, "schorsing", "waarschuwing"):
        assert word.lower() not in disposition.lower(), disposition


def test_avg_4_care_pages_and_api_responses_are_not_stored(world):
    note = write_log_entry(actor=world.carla.user, student=world.sanne, title="Gesprek", body="Tekst")
    staff = world.client_for(world.carla)
    for url in (
        f"/dossier/leerling/{world.sanne.pk}/",
        f"/dossier/logboek/{note.pk}/",
        f"/leerlingen/{world.sanne.pk}/",
        "/dossier/inzage/",
        "/",
    ):
        response = staff.get(url)
        assert response.status_code == 200 and _no_store(response), url
    _key, token = create_api_key(actor=None, school=world.school, name="Koppeling", scopes=["students:read"])
    api = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/students")
    assert api.status_code == 200 and _no_store(api)


def test_avg_4_letter_pdf_is_a_non_stored_attachment_with_a_neutral_name(world):
    letter = compose_letter(actor=world.carla, student=world.sanne, template_code="sv.expulsion.warning")
    response = world.client_for(world.mentor).get(f"/dossier/brief/{letter.pk}.pdf")
    assert response.status_code == 200 and _no_store(response)
    _neutral(_attachment_name(response), world)


def test_avg_4_document_download_is_a_non_stored_attachment_with_a_neutral_name(world):
    world.client_for(world.carla).post(
        f"/dossier/leerling/{world.sanne.pk}/documenten/nieuw/",
        {
            "title": "Verslag",
            "visibility": "team",
            "file": SimpleUploadedFile("Sanne de Vries 1001.pdf", PDF),
        },
    )
    document = Document.objects.get()
    response = world.client_for(world.mentor).get(f"/dossier/document/{document.pk}/")
    assert response.status_code == 200 and _no_store(response)
    disposition = _attachment_name(response)
    _neutral(disposition, world)
    assert ".pdf" in disposition


def test_avg_4_access_export_is_a_non_stored_attachment_with_a_neutral_name(world):
    request = request_access(requester=world.parent_sanne, student=world.sanne)
    build_access_export(actor=world.carla.user, request=request)
    for kind in ("pdf", "json"):
        response = world.client_for(world.carla).get(f"/dossier/inzage/{request.pk}/{kind}/")
        assert response.status_code == 200 and _no_store(response)
        _neutral(_attachment_name(response), world)


def test_avg_4_portal_pages_are_not_stored(world):
    user = world.parent_sanne.user or f.UserFactory(email=world.parent_sanne.email)
    world.parent_sanne.user = user
    world.parent_sanne.save()
    client = Client()
    client.force_login(user)
    for url in ("/ouders/", f"/ouders/kinderen/{world.sanne.pk}/"):
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url
