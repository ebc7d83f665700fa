"""Import a school's students, guardians, groups and staff from an EDEXML, CSV/XLSX or OneRoster file.

    manage.py import_students --school 12AB --file EDEX.XML            # preview only
    manage.py import_students --school 12AB --file export.csv --apply  # preview, then apply

CSV/XLSX use the school's saved column mapping (or recognised headers); or name one:

    manage.py import_students --school 12AB --file export.csv --mapping somtoday
    manage.py import_students --school 12AB --file export.csv --mapping-file koppeling.json

A mapping file is JSON: {"student_number": "Stamnr", "last_name": "Achternaam", …} (field → header).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from schools.importing.mapping import FIELD_BY_NAME
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
        parser.add_argument("--mapping", default="", help="naam van een bewaarde kolomkoppeling (CSV/XLSX)")
        parser.add_argument(
            "--mapping-file", default="", help="JSON-bestand met de kolomkoppeling (CSV/XLSX)"
        )

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
                columns, save = _columns(run, school, options)
                run = service.confirm_columns(actor=actor, run=run, columns=columns, save_mapping=save)
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


def _columns(run, school, options) -> tuple[dict[str, str], bool]:
    """The mapping to use, and whether to keep it as the school's standard (only the first time)."""
    if options["mapping_file"]:
        return _read_mapping_file(Path(options["mapping_file"])), False
    name = options["mapping"]
    if name and not ImportMapping.objects.filter(school=school, name=name).exists():
        names = ", ".join(ImportMapping.objects.filter(school=school).values_list("name", flat=True))
        raise CommandError(f"Geen bewaarde koppeling '{name}' voor deze school (wel: {names or 'geen'}).")
    saved = ImportMapping.objects.filter(school=school, name="standaard").exists()
    _, columns = service.read_columns(run, name or "standaard")
    return columns, not name and not saved


def _read_mapping_file(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise CommandError(f"Koppelingsbestand {path} is niet te lezen als JSON ({error}).") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CommandError('Een koppelingsbestand is een JSON-object: {"veld": "kolomkop", …}.')
    for key in data:
        if key not in FIELD_BY_NAME:
            raise CommandError(
                f"Koppelingsbestand: onbekend veld '{key}'; bekend zijn {', '.join(FIELD_BY_NAME)}."
            )
    return data


def _zip_folder(folder: Path) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*.csv"):
            archive.write(path, path.relative_to(folder))
    return buffer.getvalue()
