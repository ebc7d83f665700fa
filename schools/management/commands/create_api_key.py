"""`manage.py create_api_key --school 99XX --name Rooster --scope students:read`: shows the token once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django_scopes import scope, scopes_disabled

from schools.models import School
from schools.models.staff import ApiScope
from schools.services.api_keys import create_api_key


class Command(BaseCommand):
    help = "Maak een API-sleutel voor een school en toon het geheim eenmalig."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="id of BRIN van de school")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", action="append", dest="scopes", choices=ApiScope.values, required=True)

    def handle(self, *args, school, name, scopes, **options):
        with scopes_disabled():
            match = Q(brin__iexact=school) | (Q(pk=int(school)) if school.isdigit() else Q())
            found = list(School.objects.filter(match)[:2])
        if len(found) != 1:
            raise CommandError(f"School '{school}' niet (eenduidig) gevonden.")
        with scope(school=[found[0].pk]):
            try:
                key, token = create_api_key(actor=None, school=found[0], name=name, scopes=scopes)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Sleutel {key} voor {found[0].name} ({', '.join(key.scopes)})")
        self.stdout.write("Bewaar dit geheim nu; het wordt niet opnieuw getoond:")
        self.stdout.write(token)
