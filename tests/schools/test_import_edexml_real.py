"""Issue 8 §2: EDEXML as ParnasSys and ESIS write it, from files built by `edexml_builder`.

Roots with namespace declarations, versions 1.03 to 2.1, vendor `<toevoegingen>` blocks, several
hundred students, teachers without an e-mail address, students with an uitstroomdatum.
"""

import datetime

import pytest
from django.utils import timezone

from schools.models import (
    Group,
    GroupMembership,
    ImportStatus,
    Role,
    RoleAssignment,
    StaffMember,
    Student,
    TeachingAssignment,
)
from tests import factories as f

from .edexml_builder import EdexmlSpec, build, student_number
from .import_helpers import apply as apply_file
from .import_helpers import preview, snapshot

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year if timezone.localdate().month >= 8 else timezone.localdate().year - 1


@pytest.fixture
def po_school():
    school = f.SchoolFactory(name="Basisschool De Regenboog", kind="po", brin="12AB", location_code="00")
    admin = f.StaffFactory(school=school, email="beheer@deregenboog.test")
    return school, admin.user


def _file(**kwargs) -> bytes:
    return build(EdexmlSpec(school_year=YEAR, **kwargs))


@pytest.mark.parametrize("version", ["1.03", "2.0", "2.1"])
@pytest.mark.parametrize("root", ["xsi", "xmlns"])
def test_issue8_edexml_with_namespaces_and_vendor_blocks_validates_and_imports(po_school, version, root):
    school, actor = po_school
    run = apply_file(school, actor, "EDEX.XML", data=_file(version=version, root=root))
    assert run.status == ImportStatus.APPLIED, run.problems[:3]
    assert Student.objects.filter(school=school).count() == 300
    assert Group.objects.filter(school=school).count() == 8
    assert GroupMembership.objects.filter(group__school=school).count() == 300
    assert StaffMember.objects.filter(school=school).count() == 1 + 8  # the administrator + 8 teachers
    assert TeachingAssignment.objects.filter(group__school=school).count() == 8


def test_issue8_edexml_teachers_without_email_are_staff_without_login_shown_in_preview(po_school):
    school, actor = po_school
    data = _file(students=40)
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.status == ImportStatus.PREVIEWED, run.problems[:3]
    assert run.preview["staff_without_login"] == 2  # LK3 and LK6 of 8
    admin = f.StaffFactory(school=school, email="fb@deregenboog.test")
    RoleAssignment.objects.create(staff=admin, role=Role.FUNCTIONAL_ADMIN)
    page = f_client(admin).get(f"/import/{run.pk}/").content.decode()
    assert "Medewerkers zonder e-mailadres: geen inlog" in page
    assert "Noor Leerkracht3 – zonder inlog" in page

    apply_file(school, actor, "EDEX.XML", data=data)
    noor = StaffMember.objects.get(school=school, staff_number="LK3")
    assert noor.email == "" and noor.user is None
    assert TeachingAssignment.objects.filter(staff=noor, group__name="Groep 3a").exists()
    # The same file again changes nothing: the teacher is matched by the export's key.
    before = snapshot()
    again = preview(school, actor, "EDEX.XML", data=data)
    assert again.preview["total"] == 0, again.preview["counts"]
    assert snapshot() == before


def f_client(staff):
    from django.test import Client

    client = Client()
    client.force_login(staff.user)
    return client


def test_issue8_edexml_student_with_past_uitstroomdatum_has_membership_ended_that_day(po_school):
    school, actor = po_school
    today = timezone.localdate()
    left = today - datetime.timedelta(days=10)
    later = today + datetime.timedelta(days=30)
    apply_file(school, actor, "EDEX.XML", data=_file(students=30))
    # As if that import ran at the start of the school year.
    GroupMembership.objects.filter(group__school=school).update(start=datetime.date(YEAR, 8, 1))
    # The next export: student 3 left ten days ago, student 4 leaves next month.
    data = _file(students=30, left={3: left.isoformat(), 4: later.isoformat()})
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.preview["examples"]["students_left"] == [f"{student_number(3)}: {left.isoformat()}"]
    apply_file(school, actor, "EDEX.XML", data=data)
    gone = Student.objects.get(school=school, student_number=student_number(3))
    assert gone.left_on == left
    assert list(GroupMembership.objects.filter(student=gone).values_list("end", flat=True)) == [left]
    staying = Student.objects.get(school=school, student_number=student_number(4))
    assert staying.left_on is None
    assert GroupMembership.objects.get(student=staying).end is None


def test_issue8_edexml_new_student_who_already_left_is_imported_as_left(po_school):
    school, actor = po_school
    left = timezone.localdate() - datetime.timedelta(days=1)
    apply_file(school, actor, "EDEX.XML", data=_file(students=10, left={2: left.isoformat()}))
    gone = Student.objects.get(school=school, student_number=student_number(2))
    assert gone.left_on == left
    membership = GroupMembership.objects.get(student=gone)
    assert membership.end == left and membership.start <= left


def test_issue8_edexml_version_not_supported_is_named_with_what_to_do(po_school):
    school, actor = po_school
    data = _file(students=5).replace(b"<xsdversie>2.1</xsdversie>", b"<xsdversie>3.0</xsdversie>")
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.status == ImportStatus.INVALID
    [problem] = run.problems
    assert "3.0" in problem["message"] and "2.1" in problem["message"] and "Exporteer" in problem["message"]


def test_issue8_edexml_schema_problems_are_explained_in_dutch_with_line(po_school):
    school, actor = po_school
    data = (
        _file(students=5, root="xmlns")
        .replace(b"<geslacht>1</geslacht>", b"<geslacht>1</geslacht><schoenmaat>32</schoenmaat>", 1)
        .replace(b'<groep key="G1">', b"<groep>", 1)
    )
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.status == ImportStatus.INVALID
    messages = " ".join(p["message"] for p in run.problems)
    assert "element <schoenmaat> hoort hier niet" in messages
    assert "het verplichte attribuut 'key' ontbreekt" in messages
    for english in ("Unexpected", "not allowed", "missing", "attribute"):
        assert english not in messages
    assert all(p["line"] for p in run.problems if "schoenmaat" in p["message"])


def test_issue8_edexml_key_longer_than_a_student_number_is_rejected_in_preview(po_school):
    school, actor = po_school
    long_key = "K" * 22  # EDEXML allows a key of 256 characters; a student number holds 20
    data = _file(students=5).replace(f'key="{student_number(1)}"'.encode(), f'key="{long_key}"'.encode())
    run = preview(school, actor, "EDEX.XML", data=data)
    assert run.status == ImportStatus.INVALID
    [problem] = run.problems
    assert problem["column"] == "leerling/@key" and problem["line"]
    assert "22 tekens, hoogstens 20" in problem["message"]


def test_issue8_edexml_broken_xml_is_explained_in_dutch_with_line(po_school):
    school, actor = po_school
    data = _file(students=5).replace(b"</roepnaam>", b"</roepnaamm>", 1)
    run = preview(school, actor, "EDEX.XML", data=data)
    [problem] = run.problems
    assert "geen geldige XML: een sluitend element past niet bij het openende" in problem["message"]
    assert problem["line"] and "mismatched" not in problem["message"]


def test_issue8_edexml_teacher_given_an_address_later_keeps_the_assignment(po_school):
    school, actor = po_school
    data = _file(students=20)
    apply_file(school, actor, "EDEX.XML", data=data)
    StaffMember.objects.filter(school=school, staff_number="LK3").update(email="noor@school.test")
    again = preview(school, actor, "EDEX.XML", data=data)
    assert again.preview["total"] == 0, again.preview["counts"]
