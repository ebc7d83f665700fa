"""What an import may and may not do: idempotent, ends instead of deletes, all-or-nothing on bad rows."""

import datetime

import pytest
from django.utils import timezone

from schools.models import GroupMembership, ImportStatus, Student
from schools.services import imports as service

from .import_helpers import FILES, apply, preview, snapshot

pytestmark = pytest.mark.django_db


def test_reimporting_the_same_file_previews_zero_changes_and_changes_nothing(world):
    apply(world.school, world.fiona.user, "ouders_per_regel_somtoday.csv")
    before = snapshot()
    run = preview(world.school, world.fiona.user, "ouders_per_regel_somtoday.csv")
    assert run.preview["total"] == 0 and all(v == 0 for v in run.preview["counts"].values())
    service.apply_import(actor=world.fiona.user, run=run)
    assert snapshot() == before


def test_reimporting_the_same_edexml_changes_nothing():
    from tests import factories as f

    school = f.SchoolFactory(kind="po", brin="12AB", location_code="00")
    actor = f.StaffFactory(school=school).user
    apply(school, actor, "EDEX_po_2026.xml")
    before = snapshot()
    assert preview(school, actor, "EDEX_po_2026.xml").preview["total"] == 0
    assert snapshot() == before


def test_avg_3_student_missing_from_the_new_file_is_ended_not_deleted(world):
    columns = {
        "student_number": "Leerlingnr.",
        "first_name": "Roepnaam",
        "name_prefix": "Tussenv.",
        "last_name": "Achternaam",
        "date_of_birth": "Geb.datum",
        "group": "Klas",
    }
    apply(world.school, world.fiona.user, "leerlingen_magister_utf8bom.csv", columns=columns)
    run = preview(world.school, world.fiona.user, "leerlingen_magister_volgende_week.csv", columns=columns)
    assert run.preview["counts"]["students_end"] == 1
    assert run.preview["examples"]["students_end"] == ["Daan Jansen (1002)"]
    service.apply_import(actor=world.fiona.user, run=run)

    daan = Student.objects.get(pk=world.daan.pk)  # still there: the file stays for its retention period
    today = timezone.localdate()
    assert daan.left_on == today
    assert not GroupMembership.objects.filter(student=daan, end__isnull=True).exists()
    assert GroupMembership.objects.get(student=daan, group=world.group_2b).end == today
    # Mila moved from 3C to 3D: the old membership ended, a new one started; history kept.
    mila = GroupMembership.objects.filter(student=world.mila).order_by("start", "pk")
    assert [m.group.name for m in mila] == ["3C", "3D"]
    assert mila[0].end == today - datetime.timedelta(days=1) and mila[1].end is None


def _rejected(world, name=None, **kwargs):
    before = snapshot()
    run = preview(world.school, world.fiona.user, name, **kwargs)
    assert run.status == ImportStatus.INVALID
    assert snapshot() == before  # nothing written
    return run.problems


def test_undecodable_file_is_rejected_naming_the_line(world):
    [problem] = _rejected(world, "kapotte_tekens.csv")
    assert problem["line"] == 3
    assert "0x81" in problem["message"] and "Windows-1252" in problem["message"]


def test_utf16_file_is_rejected_as_wrong_encoding(world):
    data = (FILES / "zonder_klas.csv").read_text().encode("utf-16")
    [problem] = _rejected(world, "export.csv", data=data)
    assert "UTF-16" in problem["message"]


def test_missing_required_column_is_rejected(world):
    [problem] = _rejected(world, "zonder_klas.csv")
    assert problem["line"] == 1 and problem["column"] == "Klas / groep"
    assert "verplichte kolom 'Klas / groep' ontbreekt" in problem["message"]


def test_duplicate_student_number_is_rejected_naming_both_lines(world):
    [problem] = _rejected(world, "dubbel_leerlingnummer.csv")
    assert problem["line"] == 4 and problem["column"] == "Leerlingnummer"
    assert problem["message"] == "Regel 4, kolom 'Leerlingnummer': leerlingnummer 1007 staat ook op regel 3."


def test_impossible_date_31_february_is_rejected(world):
    [problem] = _rejected(world, "onmogelijke_datum.csv")
    assert problem["message"] == "Regel 3, kolom 'Geboortedatum': '31-02-2012' is geen bestaande datum."


def test_ten_thousand_rows_with_one_bad_row_write_nothing(world):
    lines = ["Leerlingnummer;Roepnaam;Voorvoegsel;Achternaam;Geboortedatum;Klas"]
    for n in range(10_000):
        born = "31-02-2012" if n == 7_345 else f"{1 + n % 28:02d}-{1 + n % 12:02d}-2012"
        lines.append(f"{50000 + n};Kind{n};{'van' if n % 7 == 0 else ''};Achternaam{n};{born};2B")
    data = ("\n".join(lines) + "\n").encode("cp1252")
    [problem] = _rejected(world, "groot.csv", data=data)
    assert problem["line"] == 7_347 and problem["column"] == "Geboortedatum"
    assert "'31-02-2012' is geen bestaande datum" in problem["message"]
    assert Student.objects.filter(school=world.school).count() == 3
