"""Each supported format imports into the school: EDEXML, semicolon CSV (two encodings), XLSX, OneRoster."""

import datetime
import shutil

import pytest

from audit.models import AuditEvent
from schools.importing.oneroster import parse_oneroster
from schools.importing.records import ImportProblems
from schools.models import (
    Group,
    GroupMembership,
    Guardian,
    ImportMapping,
    ImportStatus,
    StaffMember,
    Student,
    TeachingAssignment,
)
from tests import factories as f

from .import_helpers import FILES, apply, preview, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def po_school():
    school = f.SchoolFactory(name="Basisschool De Regenboog", kind="po", brin="12AB", location_code="00")
    admin = f.StaffFactory(school=school, email="beheer@deregenboog.test")
    return school, admin.user


def test_edexml_file_is_validated_and_imports_groups_students_and_group_teachers(po_school):
    school, actor = po_school
    run = apply(school, actor, "EDEX_po_2026.xml")
    assert run.status == ImportStatus.APPLIED
    lotte = Student.objects.get(school=school, student_number="4101")
    assert (lotte.first_name, lotte.name_prefix, lotte.last_name) == ("Lotte", "de", "Vries")
    assert lotte.date_of_birth == datetime.date(2019, 4, 12)
    group = Group.objects.get(school=school, name="Groep 3a")
    assert group.year_level == 3 and group.school_year.start == datetime.date(2026, 8, 1)
    assert set(
        GroupMembership.objects.filter(group=group).values_list("student__student_number", flat=True)
    ) == {
        "4101",
        "4102",
    }
    assert Group.objects.get(school=school, name="Groep 5/6").year_level is None  # combinatiegroep
    smit = StaffMember.objects.get(school=school, email="a.smit@deregenboog.test")
    assert TeachingAssignment.objects.filter(staff=smit, group=group).exists()
    assert StaffMember.objects.filter(school=school, email="j.vandijk@deregenboog.test").exists()
    event = AuditEvent.objects.get(action="schools.import.applied")
    assert event.data["counts"]["students_create"] == 4 and event.actor_id == actor.pk


def test_edexml_that_breaks_the_xsd_is_rejected_with_line_and_element(po_school):
    school, actor = po_school
    data = (FILES / "EDEX_po_2026.xml").read_bytes().replace(b"2019-09-30", b"30-09-2019")
    before = snapshot()
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.status == ImportStatus.INVALID
    [problem] = run.problems
    assert problem["line"] == 42 and problem["column"] == "geboortedatum"
    assert "EDEXML-schema" in problem["message"] and "30-09-2019" in problem["message"]
    assert snapshot() == before


def test_edexml_that_is_not_xml_at_all_is_rejected_clearly(po_school):
    school, actor = po_school
    run = preview(school, actor, "EDEX.XML", data=b"<?xml version='1.0'?><EDEX><school>")
    assert run.status == ImportStatus.INVALID
    assert "geen geldige XML" in run.problems[0]["message"]


def test_edexml_with_two_groups_of_one_name_is_rejected_with_line_and_nothing_written(po_school):
    school, actor = po_school
    data = (
        (FILES / "EDEX_po_2026.xml").read_bytes().replace(b"<naam>Groep 5/6</naam>", b"<naam>Groep 3a</naam>")
    )
    before = snapshot()
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.status == ImportStatus.INVALID
    [problem] = run.problems
    assert problem["line"] == 18 and problem["column"] == "naam"
    assert "de groep 'Groep 3a' staat twee keer in het bestand" in problem["message"]
    assert snapshot() == before


def test_edexml_of_another_school_is_refused(po_school):
    school, actor = po_school
    data = (FILES / "EDEX_po_2026.xml").read_bytes().replace(b"12AB", b"34CD")
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.status == ImportStatus.INVALID and "BRIN 34CD" in run.problems[0]["message"]


CP1252_COLUMNS = {
    "student_number": "Leerlingnr.",  # not a header we recognise: the user picks it
    "first_name": "Roepnaam",
    "name_prefix": "Tussenv.",
    "last_name": "Achternaam",
    "date_of_birth": "Geb.datum",
    "group": "Klas",
    "year_level": "Leerjaar",
    "guardian1_email": "E-mailadres ouder/verzorger 1",
    "guardian2_email": "E-mailadres ouder/verzorger 2",
}


def test_windows_1252_csv_imports_and_the_confirmed_mapping_is_reused_for_the_utf8_bom_export(world):
    actor = world.fiona.user
    apply(world.school, actor, "leerlingen_magister_cp1252.csv", columns=CP1252_COLUMNS)
    chloe = Student.objects.get(school=world.school, student_number="1004")
    assert chloe.first_name == "Chloë" and chloe.date_of_birth == datetime.date(2013, 1, 1)
    assert Student.objects.get(student_number="1005").name_prefix == "van der"
    daan = Student.objects.get(school=world.school, student_number="1002")
    assert set(daan.guardians.values_list("email", flat=True)) == {
        "m.jansen@thuis.test",
        "r.jansen-smit@thuis.test",
    }
    assert ImportMapping.objects.get(school=world.school).columns["student_number"] == "Leerlingnr."

    before = snapshot()
    second = preview(
        world.school, actor, "leerlingen_magister_utf8bom.csv"
    )  # no columns given: saved mapping
    assert second.columns["student_number"] == "Leerlingnr."
    assert second.status == ImportStatus.PREVIEWED and second.preview["total"] == 0
    assert snapshot() == before


def test_parents_as_separate_rows_link_both_parents_to_one_student(world):
    apply(world.school, world.fiona.user, "ouders_per_regel_somtoday.csv")
    daan = Student.objects.get(school=world.school, student_number="1002")
    parents = {g.full_name for g in daan.guardians.all()}
    assert parents == {"Marloes Jansen", "Rik Jansen-Smit"}
    assert Guardian.objects.get(email="m.jansen@thuis.test").phone == "06-23456789"


def test_xlsx_export_with_real_date_cells_imports(world):
    apply(world.school, world.fiona.user, "leerlingen_somtoday.xlsx")
    fleur = Student.objects.get(school=world.school, student_number="1009")
    assert fleur.date_of_birth == datetime.date(2012, 6, 12)
    sanne = Student.objects.get(pk=world.sanne.pk)
    assert sanne.date_of_birth == datetime.date(2012, 3, 7)
    assert GroupMembership.objects.filter(student=fleur, group=world.group_2b, end__isnull=True).exists()


def test_oneroster_11_folder_with_empty_status_fields_imports_guardians_and_teachers(world):
    data = parse_oneroster(FILES / "oneroster_11", "oneroster", brin="99XX")
    assert {s.student_number for s in data.students} == {"1001", "1002", "1003", "1004"}
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (FILES / "oneroster_11").iterdir():
            archive.write(path, f"export/{path.name}")  # exporters often zip a folder
    apply(world.school, world.fiona.user, "oneroster.zip", data=buffer.getvalue())
    mila = Student.objects.get(pk=world.mila.pk)
    assert mila.date_of_birth == datetime.date(2011, 5, 30)
    assert set(mila.guardians.values_list("external_id", flat=True)) == {"p-502", "p-503"}
    sem = Student.objects.get(school=world.school, student_number="1004")
    assert sem.name_prefix == "van 't"
    tom = world.teacher
    assert TeachingAssignment.objects.filter(staff=tom, group=world.group_2b, subject="Wiskunde").exists()
    assert world.group_2b.mentors.filter(pk=world.mentor.pk).exists()


def test_oneroster_12_zip_without_optional_files_uses_roles_csv(world):
    run = apply(world.school, world.fiona.user, "oneroster_12.zip")
    assert run.status == ImportStatus.APPLIED
    assert Student.objects.get(pk=world.daan.pk).left_on is None
    assert TeachingAssignment.objects.filter(staff=world.teacher, group=world.group_2b, subject="").exists()


def test_oneroster_enrollment_pointing_to_an_unknown_class_is_rejected(world, tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(FILES / "oneroster_11", bundle)
    enrollments = bundle / "enrollments.csv"
    enrollments.write_text(enrollments.read_text().replace("e3,,2026-09-01T07:00:00.000Z,k-3C", "e3,,x,k-9Z"))
    with pytest.raises(ImportProblems) as caught:
        parse_oneroster(bundle, "bundle", brin="99XX")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("enrollments.csv", 4, "classSourcedId")
    assert "k-9Z" in str(problem) and "niet in de bundel" in str(problem)


def test_oneroster_without_users_file_is_rejected(world, tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(FILES / "oneroster_11", bundle)
    (bundle / "users.csv").unlink()
    with pytest.raises(ImportProblems, match="users.csv"):
        parse_oneroster(bundle, "bundle", brin="99XX")
