"""Backup and restore of the database and the uploaded files, consistent and encrypted (issue #13 §5).

Why Django's dumpdata/loaddata and not pg_dump: one format for SQLite (development, the tests) and
PostgreSQL, restorable into a newer PostgreSQL or another server without matching client binaries,
through the models (so a restore runs `migrate` first and loads into today's schema). The dump runs in
one transaction (REPEATABLE READ on PostgreSQL: every table from the same snapshot). The uploaded files
are copied after it: a file the snapshot names is there unless a purge deleted it meanwhile (the replay
deletes its row again); a file uploaded after the snapshot is carried along unnamed (harmless). For a
database beyond some tens of GB, `pg_dump --snapshot` would be the faster path (docs/scaling.md).

The archive: a tar stream (manifest.json, database.exactjson, media/...) encrypted with ops.crypto; the
manifest holds the SHA-256 of the dump and of every file, checked before anything is restored.
Not in the backup: sessions (a restore signs everybody out) and the purge journal (ops.journal: purges
and legal holds), which lives outside it so that a restore never brings back what a purge deleted nor
loses a hold placed after the backup.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from . import crypto

FORMAT = 1
DUMP = "database.exactjson"  # ops.serializer: Django's JSON with exact times
# Sessions are not restored: a restore signs everybody out. Content types and permissions are made by
# migrate; rows refer to them by natural key.
EXCLUDED = ["sessions", "contenttypes", "auth.permission"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@contextmanager
def _snapshot():
    """One consistent view of every table for the length of the dump (inside an outer transaction,
    as in the tests, that transaction's own view)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def make_backup(out_path: Path) -> dict:
    """Write an encrypted backup to out_path; returns its manifest."""
    fernet = crypto.backup_key()
    media_root = Path(settings.MEDIA_ROOT)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMP
        with _snapshot():
            taken_at = timezone.now()
            with scopes_disabled():
                call_command(
                    "dumpdata",
                    format="exactjson",
                    exclude=EXCLUDED,
                    natural_foreign=True,
                    use_base_manager=True,
                    output=str(dump),
                    verbosity=0,
                )
        files = {str(p.relative_to(media_root)): _sha256(p) for p in media_files(media_root)}
        manifest = {
            "format": FORMAT,
            "taken_at": taken_at.isoformat(),
            "database": {"vendor": connection.vendor, "sha256": _sha256(dump)},
            "migrations": _applied_migrations(),
            "files": files,
        }
        partial = out_path.with_suffix(out_path.suffix + ".part")
        with partial.open("wb") as raw:
            writer = crypto.EncryptingWriter(raw, fernet)
            with tarfile.open(fileobj=writer, mode="w|") as tar:
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
                tar.add(dump, arcname=DUMP)
                for name in files:
                    tar.add(media_root / name, arcname=f"media/{name}")
            writer.close()
        partial.replace(out_path)  # never a half-written backup under the real name
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


class RestoreRefused(Exception):
    pass


def database_is_empty() -> bool:
    from schools.models import School, User

    with scopes_disabled():
        return not School.objects.exists() and not User.objects.exists()


def restore_backup(path: Path, *, replay: bool = True) -> dict:
    """Restore into an empty database and an empty media folder; then replay, in order, the legal holds
    and purges the journal recorded after the backup was taken (AVG-3). Returns a summary."""
    from . import journal

    fernet = crypto.backup_key()
    media_root = Path(settings.MEDIA_ROOT)
    call_command("migrate", verbosity=0, interactive=False)
    if not database_is_empty():
        raise RestoreRefused("De database is niet leeg: herstel alleen in een lege database.")
    if media_files(media_root):
        raise RestoreRefused(f"De map met bestanden ({media_root}) is niet leeg.")
    with tempfile.TemporaryDirectory() as tmp:
        unpacked = Path(tmp)
        with (
            path.open("rb") as raw,
            tarfile.open(fileobj=crypto.DecryptingReader(raw, fernet), mode="r|") as tar,
        ):
            tar.extractall(unpacked, filter="data")
        manifest = json.loads((unpacked / "manifest.json").read_text())
        _verify(unpacked, manifest)
        with transaction.atomic(), scopes_disabled():
            call_command("loaddata", str(unpacked / DUMP), verbosity=0)
        for name in manifest["files"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(unpacked / "media" / name, target)
    replayed = journal.replay_after(manifest["taken_at"]) if replay else []
    return {"taken_at": manifest["taken_at"], "files": len(manifest["files"]), "replayed": replayed}


def _verify(unpacked: Path, manifest: dict) -> None:
    if manifest.get("format") != FORMAT:
        raise crypto.BackupCorrupt(f"Onbekend back-upformaat {manifest.get('format')}.")
    if _sha256(unpacked / DUMP) != manifest["database"]["sha256"]:
        raise crypto.BackupCorrupt("De database-dump klopt niet met het manifest.")
    for name, digest in manifest["files"].items():
        path = unpacked / "media" / name
        if not path.is_file() or _sha256(path) != digest:
            raise crypto.BackupCorrupt(f"Bestand {name} klopt niet met het manifest.")
