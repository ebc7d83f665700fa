"""`manage.py verify_audit`: walk the audit log's hash chain and report the first broken link (AVG-4)."""

import sys

from django.core.management.base import BaseCommand

from dossier.audit import verify_chain
from dossier.models import AuditEvent


class Command(BaseCommand):
    help = "Controleer de hashketen van het auditlog; meldt de eerste breuk (exitcode 1)."

    def handle(self, *args, **options) -> None:
        broken = verify_chain()
        if broken is None:
            self.stdout.write(f"Auditlog intact ({AuditEvent.objects.count()} regels)")
            return
        self.stdout.write(
            f"Eerste breuk bij regel seq={broken.seq} ({broken.action}, {broken.at:%Y-%m-%d %H:%M:%S})"
        )
        self.stdout.flush()
        sys.exit(1)
