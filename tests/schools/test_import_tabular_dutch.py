"""Issue 8 §4: CSV and XLSX as Dutch administrations export them.

Common Dutch headers are recognised without a saved mapping (the user confirms them), a rejected
file never saves its mapping, `import_students` takes a saved mapping or a mapping file, and field
lengths are checked in the preview with line and column.
"""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from schools.importing.mapping import suggest_columns
from schools.importing.tabular import read_table
from schools.models import Guardian, GuardianRelation, ImportMapping, ImportStatus, Student
from schools.services import imports as service

from .import_helpers import preview, snapshot

pytestmark = pytest.mark.django_db

HEADERS = [
    "Leerlingnummer",
    "Roepnaam",
    "Voornamen",
    "Tussenvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Geslacht",
    "Klasnaam",
    "E-mailadres ouder/verzorger 1",
    "Telefoon",
    "E-mailadres ouder/verzorger 2",
]


def _rows(count: int = 200) -> list[list[str]]:
    return [
        [
            f"{3000 + n}",
            f"Kind{n}",
            f"Kind{n} Johanna",
            "van der" if n % 5 == 0 else "",
            f"Achternaam{n}",
            f"{1 + n % 28:02d}-0{1 + n % 9}-2013",
            "M" if n % 2 else "V",
            f"{1 + n % 4}B",
            f"ouder{n}@voorbeeld.nl",
            f"06-1234{n:04d}",
            f"tweede{n}@voorbeeld.nl" if n % 3 == 0 else "",
        ]
        for n in range(count)
    ]


def _csv(headers=HEADERS, rows=None) -> bytes:
    rows = rows if rows is not None else _rows()
    return "\n".join(";".join(r) for r in [headers, *rows]).encode("cp1252")


def _xlsx(headers=HEADERS, rows=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [headers, *(rows if rows is not None else _rows())]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("variant", ["Klas", "Klasnaam", "Groep", "Stamgroep"])
def test_issue8_dutch_group_headers_are_recognised_without_a_mapping(variant):
    columns = suggest_columns(["Leerlingnummer", "Roepnaam", "Achternaam", variant])
    assert columns["group"] == variant


def test_issue8_dutch_headers_are_recognised_without_a_mapping():
    columns = suggest_columns(HEADERS)
    assert columns == {
        "student_number": "Leerlingnummer",
        "first_name": "Roepnaam",
        "given_names": "Voornamen",
        "name_prefix": "Tussenvoegsel",
        "last_name": "Achternaam",
        "date_of_birth": "Geboortedatum",
        "group": "Klasnaam",
        "guardian1_email": "E-mailadres ouder/verzorger 1",
        "guardian1_phone": "Telefoon",
        "guardian2_email": "E-mailadres ouder/verzorger 2",
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_issue8_dutch_export_imports_after_the_user_confirms_the_recognised_columns(world, kind):
    data = _csv() if kind == "csv" else _xlsx()
    run = service.start_import(
        actor=world.fiona.user, school=world.school, data=data, filename=f"export.{kind}"
    )
    assert run.status == ImportStatus.UPLOADED  # waits for the user to confirm
    client = world.client_for(world.fiona)
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert 'value="Klasnaam" selected' in page and 'value="Telefoon" selected' in page
    assert "Geslacht" in page and "niet geïmporteerd" in page  # recognised, deliberately not imported
    _, columns = service.read_columns(run)
    run = service.confirm_columns(actor=world.fiona.user, run=run, columns=columns)
    assert run.status == ImportStatus.PREVIEWED, run.problems[:3]
    service.apply_import(actor=world.fiona.user, run=run)
    assert Student.objects.filter(school=world.school, student_number__startswith="3").count() == 200
    first = Student.objects.get(school=world.school, student_number="3000")
    assert (first.first_name, first.name_prefix, first.last_name) == ("Kind0", "van der", "Achternaam0")
    parent = Guardian.objects.get(school=world.school, email="ouder1@voorbeeld.nl")
    assert parent.phone == "06-12340001"
    assert GuardianRelation.objects.filter(student__student_number="3000").count() == 2


def test_issue8_voornamen_alone_gives_the_first_name(world):
    headers = ["Leerlingnummer", "Voornamen", "Achternaam", "Klas"]
    run = preview(world.school, world.fiona.user, data=_csv(headers, [["4001", "Jan Pieter", "Smit", "1A"]]))
    assert run.status == ImportStatus.PREVIEWED, run.problems
    assert run.records["students"][0]["first_name"] == "Jan"


def test_issue8_rejected_file_never_saves_its_mapping(world):
    rows = _rows(5)
    rows[2][5] = "31-02-2013"  # no such date
    run = preview(world.school, world.fiona.user, data=_csv(rows=rows), save_mapping=True)
    assert run.status == ImportStatus.INVALID
    assert not ImportMapping.objects.filter(school=world.school).exists()
    good = preview(world.school, world.fiona.user, data=_csv(rows=_rows(5)), save_mapping=True)
    assert good.status == ImportStatus.PREVIEWED
    assert ImportMapping.objects.get(school=world.school).columns["group"] == "Klasnaam"


def test_issue8_rejected_file_through_the_command_saves_no_mapping(world, tmp_path):
    rows = _rows(5)
    rows[1][0] = ""
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(rows=rows))
    with pytest.raises(CommandError):
        call_command("import_students", school="99XX", file=str(path))
    assert not ImportMapping.objects.filter(school=world.school).exists()


ODD_HEADERS = ["Stamnr", "Kindnaam", "Familienaam", "Lokaalgroep"]
ODD_MAPPING = {
    "student_number": "Stamnr",
    "first_name": "Kindnaam",
    "last_name": "Familienaam",
    "group": "Lokaalgroep",
}


def test_issue8_import_students_command_takes_a_mapping_file(world, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(ODD_HEADERS, [["5001", "Ilse", "Kok", "2B"]]))
    mapping = tmp_path / "koppeling.json"
    mapping.write_text(json.dumps(ODD_MAPPING))
    call_command("import_students", school="99XX", file=str(path), mapping_file=str(mapping), apply=True)
    assert Student.objects.get(school=world.school, student_number="5001").first_name == "Ilse"


def test_issue8_import_students_command_takes_a_saved_mapping_by_name(world, tmp_path):
    ImportMapping.objects.create(school=world.school, name="somtoday", columns=ODD_MAPPING)
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(ODD_HEADERS, [["5002", "Bas", "Kok", "2B"]]))
    call_command("import_students", school="99XX", file=str(path), mapping="somtoday", apply=True)
    assert Student.objects.filter(school=world.school, student_number="5002").exists()
    with pytest.raises(CommandError, match="Geen bewaarde koppeling 'bestaat-niet'"):
        call_command("import_students", school="99XX", file=str(path), mapping="bestaat-niet")


def test_issue8_mapping_file_with_unknown_field_is_refused_in_dutch(world, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(ODD_HEADERS, [["5003", "Bas", "Kok", "2B"]]))
    mapping = tmp_path / "koppeling.json"
    mapping.write_text(json.dumps({**ODD_MAPPING, "schoenmaat": "Maat"}))
    with pytest.raises(CommandError, match="onbekend veld 'schoenmaat'"):
        call_command("import_students", school="99XX", file=str(path), mapping_file=str(mapping))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_issue8_too_long_student_number_is_rejected_in_preview_with_line_and_column(world, kind):
    rows = _rows(5)
    rows[3][0] = "1234567890123456789012"  # 22 characters; the field holds 20
    data = _csv(rows=rows) if kind == "csv" else _xlsx(rows=rows)
    before = snapshot()
    run = preview(world.school, world.fiona.user, data=data, name=f"export.{kind}")
    assert run.status == ImportStatus.INVALID
    [problem] = run.problems
    assert (problem["line"], problem["column"]) == (5, "Leerlingnummer")
    assert "22 tekens" in problem["message"] and "20" in problem["message"]
    assert snapshot() == before


def test_issue8_too_long_names_are_rejected_with_line_and_column(world):
    rows = _rows(3)
    rows[0][3] = "van der van den van de"  # 22 characters; a prefix holds 20
    rows[1][4] = "X" * 101
    run = preview(world.school, world.fiona.user, data=_csv(rows=rows))
    assert [(p["line"], p["column"]) for p in run.problems] == [(2, "Tussenvoegsel"), (3, "Achternaam")]


def test_issue8_read_table_keeps_dutch_headers_as_written():
    headers, _ = read_table(_csv(rows=_rows(1)), "x.csv")
    assert headers == HEADERS
