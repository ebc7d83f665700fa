"""Documents: checked by content and size before anything is written; downloads only when permitted."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from dossier.models import Document, DossierEntry, EntryKind
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def _files_on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(world, staff, name, content, **extra):
    return world.client_for(staff).post(
        f"/dossier/leerling/{world.sanne.pk}/documenten/nieuw/",
        {"title": "Verslag", "visibility": "team", "file": SimpleUploadedFile(name, content), **extra},
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("verslag.pdf", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("foto.JPEG", JPEG, "image/jpeg"),
        (
            "brief.docx",
            _zip("[Content_Types].xml", "word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_upload_is_stored_under_a_random_name_with_its_sha256(
    world, settings, name, content, content_type
):
    response = _upload(world, world.mentor, name, content)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.content_type == content_type and document.original_name == name
    (stored,) = _files_on_disk(settings)
    assert stored.read_bytes() == content and name not in stored.name
    assert document.entry.kind == EntryKind.DOCUMENT and document.entry.source == document
    assert AuditEvent.objects.filter(
        action="dossier.document.uploaded", data__sha256=document.sha256
    ).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("verslag.pdf", EXE, "Dit bestand is geen PDF"),
        ("foto.png", PDF, "Dit bestand is geen PNG"),
        ("brief.docx", _zip("iets.txt"), "Dit bestand is geen Word-document"),
        ("virus.exe", EXE, "Dit soort bestand is niet toegestaan"),
        ("notities.txt", b"gewoon tekst", "Dit soort bestand is niet toegestaan"),
    ],
)
def test_disguised_or_unknown_upload_is_refused_with_nothing_written(world, settings, name, content, message):
    response = _upload(world, world.mentor, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists() and not DossierEntry.objects.exists()
    assert _files_on_disk(settings) == []


def test_oversized_upload_is_refused_with_nothing_written(world, settings):
    world.school.max_upload_mb = 1
    world.school.save()
    response = _upload(world, world.mentor, "groot.pdf", PDF + b"0" * (1024 * 1024))
    assert "groter dan 1 MB" in response.content.decode()
    assert not Document.objects.exists() and _files_on_disk(settings) == []


def _stored(world, **extra) -> Document:
    assert _upload(world, world.carla, "verslag.pdf", PDF, **extra).status_code == 302
    return Document.objects.latest("pk")


def test_download_is_an_audited_attachment(world):
    document = _stored(world)
    response = world.client_for(world.mentor).get(f"/dossier/document/{document.pk}/")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment")
        and f"document-{document.pk}.pdf" in response["Content-Disposition"]  # AVG-4: a neutral name
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        action="dossier.document.downloaded", actor_id=world.mentor.user.pk, student_id=world.sanne.pk
    ).exists()


def test_unrelated_teacher_cannot_download(world):
    document = _stored(world)
    outsider = f.StaffFactory(school=world.school)
    f.teach(outsider, world.group_3c)
    assert world.client_for(outsider).get(f"/dossier/document/{document.pk}/").status_code == 404
    refused = AuditEvent.objects.get(action="dossier.view_denied", actor_id=outsider.user.pk, success=False)
    # The refused attempt names the document's student: the care coordinator sees it.
    assert refused.student_id == world.sanne.pk
    log = world.client_for(world.carla).get(f"/dossier/leerling/{world.sanne.pk}/bekeken/").text
    assert outsider.user.email in log and "geweigerde poging tot inzien" in log


def test_document_of_another_school_refused_names_its_student_and_nothing_more(world):
    document = _stored(world)
    response = world.client_for(world.zeno).get(f"/dossier/document/{document.pk}/")
    assert response.status_code == 404 and "Sanne" not in response.text
    refused = AuditEvent.objects.get(action="dossier.view_denied", actor_id=world.zeno.user.pk)
    assert refused.student_id == world.sanne.pk and not refused.success
    assert (
        "zeno@andere.test"
        in world.client_for(world.carla).get(f"/dossier/leerling/{world.sanne.pk}/bekeken/").text
    )


def test_unknown_document_is_refused_without_a_student(world):
    assert world.client_for(world.teacher).get("/dossier/document/999999/").status_code == 404
    assert (
        AuditEvent.objects.get(action="dossier.view_denied", actor_id=world.teacher.user.pk).student_id
        is None
    )


def test_care_team_document_is_not_for_the_mentor(world):
    document = _stored(world, visibility="care_team")
    assert world.client_for(world.mentor).get(f"/dossier/document/{document.pk}/").status_code == 404
    assert world.client_for(world.bea).get(f"/dossier/document/{document.pk}/").status_code == 200
    assert world.client_for(world.zeno).get(f"/dossier/document/{document.pk}/").status_code == 404


def test_document_shows_in_the_timeline_with_its_download_link(world):
    document = _stored(world)
    body = world.client_for(world.teacher).get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    assert f"/dossier/document/{document.pk}/" in body
