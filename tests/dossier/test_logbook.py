"""Logboek: notes, templates, the 24-hour edit window, corrections (AVG-2) and stale edits."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind, LogEntry, LogTemplate
from dossier.services.logbook import edit_log_entry, write_log_entry

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "title": "Telefoongesprek met moeder",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "body": "Moeder belde over het huiswerk.",
        "visibility": "team",
    }
    return {**data, **overrides}


@pytest.fixture
def note(world):
    return write_log_entry(
        actor=world.mentor.user, student=world.sanne, title="Eerste notitie", body="Sanne was te laat."
    )


def _age(log: LogEntry, hours: int) -> None:
    LogEntry.objects.filter(pk=log.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours))


def test_mentor_writes_a_note_that_appears_in_the_file(world):
    client = world.client_for(world.mentor)
    response = client.post(f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/", _form())
    log = LogEntry.objects.get()
    assert response.status_code == 302 and response.url == f"/dossier/logboek/{log.pk}/"
    assert log.author == world.mentor and log.entry.kind == EntryKind.LOG_ENTRY and log.entry.source == log
    assert AuditEvent.objects.filter(action="dossier.log_entry.written", object_id=str(log.pk)).exists()
    assert "Telefoongesprek met moeder" in client.get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()


def test_template_fills_in_the_skeleton(world):
    template = LogTemplate.objects.create(
        school=world.school, name="Oudergesprek", body="Aanwezig:\nAfspraken:"
    )
    client = world.client_for(world.mentor)
    body = client.get(
        f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/", {"sjabloon": template.pk}
    ).content.decode()
    assert "Aanwezig:" in body and "Afspraken:" in body
    client.post(
        f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/?sjabloon={template.pk}",
        _form(template=template.pk),
    )
    assert LogEntry.objects.get().template == template


def test_teacher_cannot_file_at_care_team_level_and_keeps_the_text(world):
    client = world.client_for(world.teacher)
    response = client.post(
        f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/",
        _form(visibility="care_team", body="Mijn lange tekst"),
    )
    assert response.status_code == 200 and not LogEntry.objects.exists()
    assert "Mijn lange tekst" in response.content.decode()


def test_author_edits_within_24_hours(world, note):
    client = world.client_for(world.mentor)
    response = client.post(
        f"/dossier/logboek/{note.pk}/bewerken/",
        _form(title="Eerste notitie", body="Sanne was 10 minuten te laat.", version=1),
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Sanne was 10 minuten te laat." and note.version == 2
    assert DossierEntry.objects.get(pk=note.entry_id).body == "Sanne was 10 minuten te laat."
    edit = AuditEvent.objects.get(action="dossier.log_entry.edited")
    assert edit.data["from"]["version"] == 1


def test_avg_2_after_24_hours_the_author_corrects_with_a_new_entry(world, note):
    _age(note, 25)
    client = world.client_for(world.mentor)
    response = client.post(f"/dossier/logboek/{note.pk}/bewerken/", _form(body="stil gewijzigd", version=1))
    assert response.status_code == 302 and response.url == f"/dossier/logboek/{note.pk}/corrigeren/"
    note.refresh_from_db()
    assert note.body == "Sanne was te laat."
    response = client.post(
        f"/dossier/logboek/{note.pk}/corrigeren/",
        _form(title="Correctie", body="Sanne was op tijd; de bus was te laat."),
    )
    correction = LogEntry.objects.get(corrects=note)
    assert response.url == f"/dossier/logboek/{correction.pk}/"
    assert correction.entry.corrects_id == note.entry_id
    note.refresh_from_db()
    assert note.body == "Sanne was te laat."  # the old entry is never changed
    timeline = client.get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    assert "Eerste notitie" in timeline and "Correctie" in timeline and "gecorrigeerd" in timeline
    assert AuditEvent.objects.filter(action="dossier.log_entry.corrected").exists()


def test_avg_2_service_refuses_a_late_edit_naming_the_rule(world, note):
    from protocols.exceptions import ProtocolViolation

    _age(note, 25)
    with pytest.raises(ProtocolViolation) as error:
        edit_log_entry(
            actor=world.mentor.user,
            log_entry=note,
            expected_version=1,
            title="x",
            body="y",
            occurred_at=note.occurred_at,
            visibility="team",
        )
    assert error.value.rule == "AVG-2"


def test_another_user_cannot_edit(world, note):
    client = world.client_for(world.teacher)
    assert client.get(f"/dossier/logboek/{note.pk}/").status_code == 200  # Tom may read it
    response = client.post(f"/dossier/logboek/{note.pk}/bewerken/", _form(body="Overschreven", version=1))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.body == "Sanne was te laat."
    assert AuditEvent.objects.filter(
        action="dossier.view_denied", actor_id=world.teacher.user.pk, success=False
    ).exists()
    assert "Wijzigen" not in client.get(f"/dossier/logboek/{note.pk}/").content.decode()


def test_stale_edit_is_refused_and_the_text_kept(world, note):
    # Two tabs: the first saves, the second still carries version 1.
    edit_log_entry(
        actor=world.mentor.user,
        log_entry=note,
        expected_version=1,
        title="Eerste notitie",
        body="Versie uit tabblad een",
        occurred_at=note.occurred_at,
        visibility="team",
    )
    client = world.client_for(world.mentor)
    response = client.post(
        f"/dossier/logboek/{note.pk}/bewerken/", _form(body="Versie uit tabblad twee", version=1)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "intussen elders gewijzigd" in body and 'role="alert"' in body
    assert "Versie uit tabblad twee" in body
    note.refresh_from_db()
    assert note.body == "Versie uit tabblad een" and note.version == 2


def test_care_coordinator_may_correct_anyones_note(world, note):
    client = world.client_for(world.carla)
    client.post(f"/dossier/logboek/{note.pk}/corrigeren/", _form(body="Aanvulling door de zorg."))
    assert LogEntry.objects.get(corrects=note).author == world.carla


def test_reading_a_note_is_audited(world, note):
    world.client_for(world.carla).get(f"/dossier/logboek/{note.pk}/")
    assert AuditEvent.objects.filter(action="dossier.log_entry.viewed", actor_id=world.carla.user.pk).exists()


def test_detail_offers_edit_within_24_hours_and_correct_after(world, note):
    client = world.client_for(world.mentor)
    detail = client.get(f"/dossier/logboek/{note.pk}/").content.decode()
    assert "Wijzigen" in detail and "Corrigeer" not in detail
    assert (
        "daarna leg je een correctie vast"
        in client.get(f"/dossier/logboek/{note.pk}/bewerken/").content.decode()
    )
    _age(note, 25)
    detail = client.get(f"/dossier/logboek/{note.pk}/").content.decode()
    assert "Corrigeer" in detail and "Wijzigen" not in detail
    form = client.get(f"/dossier/logboek/{note.pk}/corrigeren/").content.decode()
    assert "Een correctie is een nieuwe notitie" in form and "Sanne was te laat." in form
