"""`manage.py demo [--reset]`: fill the demo board and print every log-in."""

import time

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from schools.demo.build import PASSWORD, build_demo, demo_board, demo_logins, remove_demo
from schools.demo.fillers import fill_demo


class Command(BaseCommand):
    help = "Vul de database met demodata (twee scholen, ~600 fictieve leerlingen) en toon de log-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="verwijder bestaande demodata en bouw opnieuw"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, reset: bool, seed: int, **options):
        with scopes_disabled():
            exists = demo_board() is not None
        if exists and not reset:
            self.stdout.write("Demodata staat er al (gebruik --reset om opnieuw te beginnen).")
            self._print_logins(demo_logins())
            return
        if exists:
            remove_demo()
            self.stdout.write("Bestaande demodata verwijderd.")
        started = time.monotonic()
        logins = build_demo(seed=seed)
        with scopes_disabled():
            schools = list(demo_board().schools.all())
        counts = fill_demo(schools, seed=seed)
        self.stdout.write(f"Dossiers gevuld: {counts}")
        self.stdout.write(self.style.SUCCESS(f"Demodata gemaakt in {time.monotonic() - started:.1f} s."))
        self._print_logins(logins)

    def _print_logins(self, logins) -> None:
        rows = [
            ("rol", "e-mail", "wachtwoord", "school"),
            *((x.role, x.email, PASSWORD, x.school) for x in logins),
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
