"""Issue #13 §5: backup and restore of the database and the uploaded files, encrypted; the purges recorded
outside the backup are replayed after a restore (AVG-3)."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django_scopes import scope

from dossier.models import DossierEntry, EntryKind
from dossier.services.record import record
from dossier.services.retention import purge_school
from ops import journal
from ops.backup import make_backup, media_files, restore_backup
from ops.crypto import BackupCorrupt
from schools.models import Student
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# Rows that are not the school's data: sessions (a restore signs everybody out) and the migration log.
NOT_RESTORED = {"django_session", "django_migrations"}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _backup_env(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    settings.PURGE_JOURNAL = tmp_path / "journal" / "purges.jsonl"


# Made by migrate (not restored) and compared by natural key: their ids may differ after a flush.
BY_NATURAL_KEY = {
    "django_content_type": "SELECT app_label, model FROM django_content_type",
    "auth_permission": "SELECT c.app_label, c.model, p.codename, p.name FROM auth_permission p"
    " JOIN django_content_type c ON c.id = p.content_type_id",
}


def _content_type_columns() -> dict[str, set[str]]:
    """table -> its columns that hold a content type id (compared as app_label.model)."""
    columns: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is ContentType:
                columns.setdefault(model._meta.db_table, set()).add(field.column)
    return columns


def table_dump() -> dict[str, list[tuple]]:
    """Every table's rows, sorted: the comparison of the whole database."""
    dump = {}
    by_ct = _content_type_columns()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        natural = {pk: f"{app}.{model}" for pk, app, model in cursor.fetchall()}
        for table in sorted(connection.introspection.table_names()):
            if table in NOT_RESTORED:
                continue
            cursor.execute(BY_NATURAL_KEY.get(table, f"SELECT * FROM {connection.ops.quote_name(table)}"))
            names = [c[0] for c in cursor.description]
            rows = [
                tuple(
                    natural.get(value, value) if name in by_ct.get(table, ()) else value
                    for name, value in zip(names, row, strict=True)
                )
                for row in cursor.fetchall()
            ]
            dump[table] = sorted((tuple(map(repr, row)) for row in rows), key=repr)
    return dump


def file_checksums(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in media_files(root)}


def school_with_files(world) -> None:
    client = world.client_for(world.carla)
    for n in range(3):
        response = client.post(
            f"/dossier/leerling/{world.sanne.pk}/documenten/nieuw/",
            {
                "title": f"Verslag {n}",
                "visibility": "team",
                "file": SimpleUploadedFile(f"v{n}.pdf", PDF + bytes([n])),
            },
        )
        assert response.status_code == 302, response.content
    record(student=world.daan, kind=EntryKind.TALK, title="Gesprek met ouders", actor=world.mentor)
    client.get(f"/leerlingen/{world.sanne.pk}/")  # an audit row of a read


def empty_everything(settings) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in media_files(Path(settings.MEDIA_ROOT)):
        path.unlink()


def test_backup_restore_round_trip_gives_every_table_and_file_back(world, settings, tmp_path):
    school_with_files(world)
    before_tables, before_files = table_dump(), file_checksums(Path(settings.MEDIA_ROOT))
    assert len(before_files) >= 3 and before_tables["dossier_document"]

    out = tmp_path / "backups" / "b.llzb"
    call_command("backup", output=str(out), verbosity=0)
    assert PDF not in out.read_bytes()  # encrypted
    empty_everything(settings)
    # A new server's content types get other ids (migrate makes them again in restore): rows follow
    # them by natural key.
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    assert file_checksums(Path(settings.MEDIA_ROOT)) == {} and not Student.objects.exists()

    call_command("restore", str(out), verbosity=0)

    assert file_checksums(Path(settings.MEDIA_ROOT)) == before_files
    after_tables = table_dump()
    assert after_tables.keys() == before_tables.keys()
    for table in before_tables:
        assert after_tables[table] == before_tables[table], table
    # AVG-4: the restored audit chain still verifies (exact times, same hashes).
    from audit.chain import verify

    assert verify() == []


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    out = tmp_path / "b.llzb"
    make_backup(out)
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("restore", str(out), verbosity=0)


def test_restore_refuses_another_key_and_a_changed_file(world, settings, tmp_path, monkeypatch):
    out = tmp_path / "b.llzb"
    make_backup(out)
    empty_everything(settings)
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 1
    changed = tmp_path / "changed.llzb"
    changed.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="Verkeerde sleutel of gewijzigde"):
        call_command("restore", str(changed), verbosity=0)
    truncated = tmp_path / "truncated.llzb"
    truncated.write_bytes(out.read_bytes()[:-10])
    with pytest.raises(BackupCorrupt):
        restore_backup(truncated)
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    with pytest.raises(CommandError, match="Verkeerde sleutel"):
        call_command("restore", str(out), verbosity=0)


def test_avg_3_purge_after_the_backup_is_replayed_after_the_restore(world, settings, tmp_path):
    leaver = f.StudentFactory(
        school=world.school, first_name="Vertrokken", left_on=datetime.date(2019, 7, 31)
    )
    record(student=leaver, kind=EntryKind.LOG_ENTRY, title="Oude notitie", actor=world.mentor)
    kept = record(student=world.sanne, kind=EntryKind.LOG_ENTRY, title="Blijft", actor=world.mentor)
    out = tmp_path / "b.llzb"
    make_backup(out)

    with scope(school=[world.school.pk]):
        run = purge_school(world.school, today=datetime.date(2026, 11, 23))
    assert run.deleted and not Student.objects.filter(pk=leaver.pk).exists()
    assert [e["ran_for"] for e in journal.entries()] == ["2026-11-23"]  # recorded outside the database

    empty_everything(settings)
    summary = restore_backup(out)

    assert [r["ran_for"] for r in summary["replayed"]] == ["2026-11-23"]
    assert not Student.objects.filter(pk=leaver.pk).exists()  # the restore did not bring the leaver back
    assert not DossierEntry.objects.filter(student_id=leaver.pk).exists()
    assert DossierEntry.objects.filter(pk=kept.pk).exists()
    assert len(journal.entries()) == 1  # the replay is not journalled again


def test_avg_3_purge_before_the_backup_is_not_replayed(world, settings, tmp_path):
    with scope(school=[world.school.pk]):
        purge_school(world.school, today=datetime.date(2026, 11, 23))
    out = tmp_path / "b.llzb"
    make_backup(out)
    empty_everything(settings)
    assert restore_backup(out)["replayed"] == []


def _leaver_with_a_note(world):
    leaver = f.StudentFactory(school=world.school, first_name="Betwist", left_on=datetime.date(2019, 7, 31))
    record(student=leaver, kind=EntryKind.LOG_ENTRY, title="Oude notitie", actor=world.mentor)
    return leaver


def test_avg_3_legal_hold_placed_after_the_backup_survives_the_restore_and_stops_the_replayed_purge(
    world, settings, tmp_path
):
    """The finding: a hold placed after the backup was lost on restore, so the replayed purge deleted
    the file the hold protected. The journal records holds too; the restore replays them in order."""
    from dossier.models import LegalHold
    from dossier.services.retention import place_legal_hold

    leaver = _leaver_with_a_note(world)
    out = tmp_path / "b.llzb"
    make_backup(out)
    with scope(school=[world.school.pk]):
        place_legal_hold(actor=world.carla, student=leaver, reason="Bezwaar van de ouders loopt")
        purge_school(world.school, today=datetime.date(2026, 11, 23))
    assert Student.objects.filter(pk=leaver.pk).exists()  # the hold stopped the purge
    assert [e.get("event", "purge") for e in journal.entries()] == ["hold_placed", "purge"]
    assert "Bezwaar" not in journal.journal_path().read_text()  # AVG-3: ids and times, never the reason

    empty_everything(settings)
    summary = restore_backup(out)

    assert [r["event"] for r in summary["replayed"]] == ["hold_placed", "purge"]
    assert Student.objects.filter(pk=leaver.pk).exists()
    assert DossierEntry.objects.filter(student_id=leaver.pk).exists()
    with scope(school=[world.school.pk]):
        hold = LegalHold.objects.get(student=leaver, lifted_at__isnull=True)
    assert hold.placed_by.pk == world.carla.pk
    assert len(journal.entries()) == 2  # the replay is not journalled again


def test_avg_3_legal_hold_lifted_after_the_backup_is_lifted_again_before_the_replayed_purge(
    world, settings, tmp_path
):
    from dossier.models import LegalHold
    from dossier.services.retention import lift_legal_hold, place_legal_hold

    leaver = _leaver_with_a_note(world)
    with scope(school=[world.school.pk]):
        hold = place_legal_hold(actor=world.carla, student=leaver, reason="Geschil")
    out = tmp_path / "b.llzb"
    make_backup(out)  # the backup holds the active hold
    with scope(school=[world.school.pk]):
        lift_legal_hold(actor=world.carla, hold=hold, reason="Geschil opgelost")
        purge_school(world.school, today=datetime.date(2026, 11, 23))
    assert not Student.objects.filter(pk=leaver.pk).exists()

    empty_everything(settings)
    summary = restore_backup(out)

    assert [r["event"] for r in summary["replayed"]] == ["hold_lifted", "purge"]
    assert not Student.objects.filter(pk=leaver.pk).exists()  # lifted, then purged: gone again
    with scope(school=[world.school.pk]):
        assert not LegalHold.objects.filter(lifted_at__isnull=True).exists()


def test_avg_3_purge_before_a_hold_is_replayed_before_it(world, settings, tmp_path):
    """Journal order, not "all holds first": a purge that ran before the hold was placed deleted what
    it deleted; the replay must not let a later hold bring that back."""
    from dossier.services.retention import place_legal_hold

    gone = _leaver_with_a_note(world)
    out = tmp_path / "b.llzb"
    make_backup(out)
    with scope(school=[world.school.pk]):
        purge_school(world.school, today=datetime.date(2026, 11, 23))
        place_legal_hold(actor=world.carla, student=world.sanne, reason="Geschil")
    empty_everything(settings)
    summary = restore_backup(out)
    assert [r["event"] for r in summary["replayed"]] == ["purge", "hold_placed"]
    assert not Student.objects.filter(pk=gone.pk).exists()
