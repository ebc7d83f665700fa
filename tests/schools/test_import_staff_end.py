"""A teacher missing from a new full file loses what the import gave them, nothing more.

Like a student missing from a new file (ended, never deleted): the import's own teaching
assignments and mentorships for the groups in the file fall away; the StaffMember, the user,
roles and anything assigned by hand stay.
"""

import re

import pytest
from django.test import Client

from schools.models import Group, Mentorship, Role, RoleAssignment, StaffMember, TeachingAssignment
from schools.services import imports as service
from tests import factories as f

from .import_helpers import FILES, apply, preview, snapshot

pytestmark = pytest.mark.django_db

EDEXML = (FILES / "EDEX_po_2026.xml").read_bytes()
# The same school a week later: Joost van Dijk (L2) has left the file.
EDEXML_WITHOUT_L2 = re.sub(rb'\s*<leerkracht key="L2">.*?</leerkracht>', b"", EDEXML, flags=re.S)


def test_teacher_missing_from_a_new_edexml_loses_the_imports_assignments_and_mentorships_only():
    school = f.SchoolFactory(kind="po", brin="12AB", location_code="00")
    admin = f.StaffFactory(school=school)
    f.give_role(admin, Role.FUNCTIONAL_ADMIN)
    apply(school, admin.user, "EDEX_po_2026.xml")
    joost = StaffMember.objects.get(school=school, email="j.vandijk@deregenboog.test")
    anke = StaffMember.objects.get(school=school, email="a.smit@deregenboog.test")
    imported = TeachingAssignment.objects.get(staff=joost)
    assert imported.from_import and imported.group.name == "Groep 5/6"
    group_56 = imported.group
    # Given by an (earlier) import with mentor data, and by hand: only the first may fall away.
    Mentorship.objects.create(group=group_56, staffmember=joost, from_import=True)
    by_hand = f.teach(joost, group_56, subject="Rekenen")
    Mentorship.objects.create(group=Group.objects.get(school=school, name="Groep 3a"), staffmember=joost)
    role = f.give_role(joost, Role.CARE_COORDINATOR)
    joost.user = f.UserFactory(email=joost.email)  # he signed in meanwhile
    joost.save()

    run = preview(school, admin.user, "nieuw.xml", data=EDEXML_WITHOUT_L2)
    counts = run.preview["counts"]
    assert counts["assignments_remove"] == 1 and counts["mentors_remove"] == 1
    assert counts["staff_create"] == counts["staff_update"] == 0
    assert run.preview["examples"]["assignments_remove"] == ["Joost van Dijk: Groep 5/6"]
    assert run.preview["examples"]["mentors_remove"] == ["Joost van Dijk: Groep 5/6"]
    client = Client()
    client.force_login(admin.user)
    page = client.get(f"/import/{run.pk}/").text
    assert "Joost van Dijk: Groep 5/6 – lesopdracht vervalt" in page
    assert "Joost van Dijk: Groep 5/6 – mentoraat vervalt" in page
    assert "lesopdrachten vervallen" in page and "mentoraten vervallen" in page

    service.apply_import(actor=admin.user, run=run)
    joost.refresh_from_db()  # the StaffMember and the user stay
    assert joost.user.email == "j.vandijk@deregenboog.test" and joost.user.is_active
    assert list(TeachingAssignment.objects.filter(staff=joost)) == [by_hand]
    assert [m.group.name for m in Mentorship.objects.filter(staffmember=joost)] == ["Groep 3a"]
    assert RoleAssignment.objects.filter(pk=role.pk).exists()  # roles are never the import's
    assert TeachingAssignment.objects.filter(staff=anke, from_import=True).count() == 1

    # Idempotent: the same file again changes nothing.
    before = snapshot()
    again = preview(school, admin.user, "nieuw.xml", data=EDEXML_WITHOUT_L2)
    assert again.preview["total"] == 0
    service.apply_import(actor=admin.user, run=again)
    assert snapshot() == before and Mentorship.objects.filter(staffmember=joost).count() == 1


def test_a_file_without_teachers_ends_no_assignment_or_mentorship(world):
    """A student CSV says nothing about staff: it never takes a teacher's groups away."""
    TeachingAssignment.objects.filter(group=world.group_2b).update(from_import=True)
    Mentorship.objects.filter(group=world.group_2b).update(from_import=True)
    assignments = sorted(TeachingAssignment.objects.values_list("pk", flat=True))
    mentorships = sorted(Mentorship.objects.values_list("pk", flat=True))
    assert assignments and mentorships
    columns = {"student_number": "Leerlingnr.", "first_name": "Roepnaam", "name_prefix": "Tussenv.",
               "last_name": "Achternaam", "date_of_birth": "Geb.datum", "group": "Klas"}  # fmt: skip
    run = preview(world.school, world.fiona.user, "leerlingen_magister_utf8bom.csv", columns=columns)
    assert run.preview["counts"]["assignments_remove"] == run.preview["counts"]["mentors_remove"] == 0
    service.apply_import(actor=world.fiona.user, run=run)
    assert sorted(TeachingAssignment.objects.values_list("pk", flat=True)) == assignments
    assert sorted(Mentorship.objects.values_list("pk", flat=True)) == mentorships
