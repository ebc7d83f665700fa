"""`manage.py restore FILE`: into an empty database and media folder; then the purges are replayed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import RestoreRefused, restore_backup
from ops.crypto import BackupCorrupt


class Command(BaseCommand):
    help = "Zet een back-up terug in een lege database en bestandenmap; daarna worden opschoningen herhaald."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="het back-upbestand (.llzb)")

    def handle(self, *args, backup, **options):
        try:
            summary = restore_backup(Path(backup))
        except (RestoreRefused, BackupCorrupt) as exc:
            raise CommandError(str(exc)) from exc
        purges = sum(1 for r in summary["replayed"] if r["event"] == "purge")
        holds = len(summary["replayed"]) - purges
        self.stdout.write(
            f"Teruggezet: stand van {summary['taken_at']}, {summary['files']} bestanden; "
            f"{holds} bewaarstop(s) en {purges} opschoning(en) opnieuw uitgevoerd (AVG-3)."
        )
