from django.core.management.base import BaseCommand
from django_scopes import scope, scopes_disabled

from schools.models import School
from schools.services.calendar import attribution, load_default_holidays


class Command(BaseCommand):
    help = (
        "Laad de feestdagen en schoolvakanties (open data) voor het huidige en volgende schooljaar. "
        "Idempotent: wat een school verwijderde of aanpaste blijft zo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", type=int, nargs="*", help="alleen deze scholen (id)")
        parser.add_argument("--year", type=int, nargs="*", help="schooljaren, op beginjaar (bv. 2026)")

    def handle(self, *args, school=None, year=None, **options):
        with scopes_disabled():
            schools = School.objects.order_by("pk")
            if school:
                schools = schools.filter(pk__in=school)
            schools = list(schools)
        source = attribution()
        self.stdout.write(f"Bron: {source['name']} ({source['url']}), {source['licence']}")
        for item in schools:
            with scope(school=[item.pk]):
                result = load_default_holidays(school=item, school_years=year)
            line = f"{item.name}: {result.created} nieuw"
            if result.missing_regional:
                years = ", ".join(f"{y}-{y + 1}" for y in result.missing_regional)
                line += f"; geen schoolvakanties bekend voor {years}: vul ze zelf in"
            self.stdout.write(line)
