from django.core.management.base import BaseCommand

from schools.periodic import registered_jobs, run_all


class Command(BaseCommand):
    help = (
        "Run the periodic jobs every app registered (reminders, deadlines, outbox retries, retention). "
        "Idempotent; call from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="run only these jobs")
        parser.add_argument("--list", action="store_true", help="list the registered jobs; run nothing")

    def handle(self, *args, only=None, list=False, **options):
        if list:
            for job in registered_jobs():
                self.stdout.write(f"{job.name}: every {job.every}")
            return
        for name, result in run_all(only).items():
            self.stdout.write(f"{name}: {result}")
