"""`manage.py verify_audit`: check every audit chain, its head and the signed checkpoints (AVG-4)."""

import sys

from django.core.management.base import BaseCommand

from audit.chain import verify
from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Controleer de hashketens van het auditlog en de controlepunten; meldt elke breuk (exitcode 1)."

    def handle(self, *args, **options) -> None:
        problems = verify()
        if not problems:
            self.stdout.write(f"Auditlog intact ({AuditEvent.objects.count()} regels)")
            return
        first = problems[0]
        where = f"regel seq={first.seq}" if first.seq is not None else "een controlepunt"
        self.stdout.write(f"Eerste breuk bij {where} ({first})")
        for problem in problems[1:]:
            self.stdout.write(f"Ook: {problem}")
        self.stdout.flush()
        sys.exit(1)
