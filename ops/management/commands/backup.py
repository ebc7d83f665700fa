"""`manage.py backup [--output FILE]`: database and uploaded files, consistent, encrypted (BACKUP_KEY)."""

from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.backup import make_backup


class Command(BaseCommand):
    help = "Maak een versleutelde back-up van de database en de bestanden (sleutel: BACKUP_KEY)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="bestand (standaard BACKUP_DIR/leerlingzorg-<tijd>.llzb)")
        parser.add_argument("--new-key", action="store_true", help="druk een nieuwe sleutel af en stop")

    def handle(self, *args, output=None, new_key=False, **options):
        if new_key:
            self.stdout.write(Fernet.generate_key().decode())
            return
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = Path(output) if output else Path(settings.BACKUP_DIR) / f"leerlingzorg-{stamp}.llzb"
        manifest = make_backup(path)
        self.stdout.write(
            f"Back-up geschreven: {path} ({path.stat().st_size / 2**20:.1f} MB, "
            f"{len(manifest['files'])} bestanden, stand van {manifest['taken_at']})"
        )
