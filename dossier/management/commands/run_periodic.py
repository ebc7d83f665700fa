from django.core.management.base import BaseCommand

from dossier.periodic import run_all


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (reminders, deadlines, outbox retries, retention). Idempotent; call from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="run only these jobs")

    def handle(self, *args, only=None, **options):
        for name, result in run_all(only).items():
            self.stdout.write(f"{name}: {result}")
