"""Import a school's students, guardians, groups and staff from an EDEXML, CSV/XLSX or OneRoster file.

    manage.py import_students --school 12AB --file EDEX.XML            # preview only
    manage.py import_students --school 12AB --file export.csv --apply  # preview, then apply

CSV/XLSX use the school's saved column mapping (or recognised headers).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from schools.models import ImportMapping, ImportStatus, School, User
from schools.services import imports as service


class Command(BaseCommand):
    help = "Importeer leerlingen, ouders, groepen en medewerkers (EDEXML, CSV/XLSX, OneRoster)."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="BRIN (eventueel met vestiging: 12AB01)")
        parser.add_argument("--file", required=True, help="bestand, zip of map (OneRoster)")
        parser.add_argument("--format", default="", choices=["", "edexml", "tabular", "oneroster"])
        parser.add_argument("--apply", action="store_true", help="na het voorbeeld ook verwerken")
        parser.add_argument("--actor", default="", help="e-mailadres van wie de import uitvoert (audit)")

    def handle(self, *args, **options):
        code = options["school"].upper()
        with scopes_disabled():
            school = School.objects.filter(brin=code[:4], location_code=code[4:] or "00").first()
        if school is None:
            raise CommandError(f"Geen school met BRIN {code}.")
        actor = User.objects.filter(email=options["actor"].lower()).first() if options["actor"] else None
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Bestand {path} bestaat niet.")
        with scope(school=[school.pk]):
            if path.is_dir():  # a OneRoster folder: zip it in memory so the upload is one file
                data, fmt = _zip_folder(path), "oneroster"
            else:
                data, fmt = path.read_bytes(), options["format"]
            run = service.start_import(actor=actor, school=school, data=data, filename=path.name, format=fmt)
            if run.status == ImportStatus.UPLOADED:
                saved = ImportMapping.objects.filter(school=school, name="standaard").first()
                _, columns = service.read_columns(run)
                run = service.confirm_columns(
                    actor=actor, run=run, columns=columns, save_mapping=saved is None
                )
            if run.status == ImportStatus.INVALID:
                for problem in run.problems:
                    self.stderr.write(problem["message"])
                raise CommandError("Het bestand is afgekeurd; er is niets geïmporteerd.")
            for name, count in run.preview["counts"].items():
                if count:
                    self.stdout.write(f"{name}: {count}")
            self.stdout.write(f"totaal wijzigingen: {run.preview['total']}")
            if options["apply"]:
                run = service.apply_now(run_id=run.pk, actor_id=getattr(actor, "pk", None))
                self.stdout.write(self.style.SUCCESS(f"Verwerkt: {run.result['total']} wijzigingen."))


def _zip_folder(folder: Path) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*.csv"):
            archive.write(path, path.relative_to(folder))
    return buffer.getvalue()
