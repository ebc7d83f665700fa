"""OneRoster bundles as real exporters write them (issue 8 §3) and zip bombs (issue 7).

Fixtures are generated here in the shapes of the 1.1 / 1.2 CSV binding (tests/schools/oneroster_bundles.py);
the ClassLink sample is a byte-for-byte copy (Apache-2.0, see its NOTICE.md).
"""

import datetime
import io
import tracemalloc
import zipfile

import pytest

from schools.importing.oneroster import parse_oneroster
from schools.importing.records import ImportProblems
from schools.models import (
    Group,
    GroupMembership,
    Guardian,
    ImportMapping,
    ImportRun,
    ImportStatus,
    StaffMember,
    Student,
    TeachingAssignment,
)
from schools.services import imports as service
from schools.services import oneroster_import

from . import oneroster_bundles as b
from .import_helpers import FILES

pytestmark = pytest.mark.django_db


def _start(world, files: dict | bytes, name="export.zip"):
    data = files if isinstance(files, bytes) else b.to_zip(files)
    return service.start_import(actor=world.fiona.user, school=world.school, data=data, filename=name)


def _apply(world, run):
    assert run.status == ImportStatus.PREVIEWED, run.problems
    return service.apply_import(actor=world.fiona.user, run=run)


def _numbers(school):
    return set(
        Student.objects.filter(school=school, left_on__isnull=True).values_list("student_number", flat=True)
    )


# --- the school: BRIN or the org the user picks, remembered --------------------------------------


def test_oneroster_two_orgs_without_brin_lets_the_user_pick_the_org_and_remembers_it(world):
    run = _start(world, b.two_orgs_11())
    assert run.status == ImportStatus.INVALID
    assert "Kies hieronder" in run.problems[0]["message"]
    summary = oneroster_import.bundle_summary(run)
    assert [o["id"] for o in summary["orgs"]] == ["org-a", "org-b"]  # schools only, not the board

    run = oneroster_import.choose_options(actor=world.fiona.user, run=run, org="org-a")
    assert run.status == ImportStatus.PREVIEWED, run.problems
    assert ImportMapping.objects.get(school=world.school, name="oneroster").columns["org"] == "org-a"

    again = _start(world, b.two_orgs_11())  # the next upload uses the remembered org at once
    assert again.status == ImportStatus.PREVIEWED, again.problems


def test_oneroster_org_whose_identifier_is_the_brin_is_found_without_asking(world):
    run = _start(world, b.two_orgs_11(a_identifier="99XX00"))
    assert run.status == ImportStatus.PREVIEWED, run.problems


# --- users of another org ----------------------------------------------------------------------


def test_oneroster_users_of_another_org_in_the_bundle_are_not_imported_into_this_school(world):
    run = _apply(world, _start(world, b.two_orgs_11(a_identifier="99XX00")))
    assert run.status == ImportStatus.APPLIED
    assert not Student.objects.filter(school=world.school, student_number="9001").exists()
    assert not StaffMember.objects.filter(school=world.school, email="xander@andere.test").exists()
    assert not Guardian.objects.filter(school=world.school, email="paul@thuis.test").exists()
    assert not Group.objects.filter(school=world.school, name="1bi").exists()
    # the child org (a department of school A) is part of the school
    assert Student.objects.filter(school=world.school, student_number="1003").exists()


# --- homerooms, scheduled classes, and groups when there are no homerooms ----------------------


def test_oneroster_scheduled_classes_become_teaching_assignments_with_subject_from_course_or_title(world):
    _apply(world, _start(world, b.two_orgs_11(a_identifier="99XX00")))
    tom = StaffMember.objects.get(school=world.school, email="tom@beekdal.test")
    assert set(TeachingAssignment.objects.filter(staff=tom).values_list("group__name", "subject")) == {
        ("2B", "Wiskunde"),  # from the course
        ("2B", "2en1 Engels"),  # no course, no subjects: the class title
    }
    mila = Student.objects.get(school=world.school, student_number="1003")
    assert GroupMembership.objects.filter(student=mila, group__name="2B", end__isnull=True).exists()


def test_oneroster_bundle_without_homerooms_groups_students_by_scheduled_class_by_default(world):
    run = _start(world, b.two_orgs_11(a_identifier="99XX00", scheduled_only=True))
    assert run.status == ImportStatus.PREVIEWED, run.problems
    summary = oneroster_import.bundle_summary(run)
    assert summary["has_homerooms"] is False
    assert summary["several_groups"] == 3  # each student is in more than one scheduled class
    _apply(world, run)
    daan = Student.objects.get(pk=world.daan.pk)
    assert daan.memberships.filter(end__isnull=True).exists(), "a scheduled-only bundle gave no group"
    assert TeachingAssignment.objects.filter(staff__email="tom@beekdal.test").exists()


def test_oneroster_without_homerooms_the_user_forms_groups_from_a_course_and_it_is_remembered(world):
    run = _start(world, b.two_orgs_11(a_identifier="99XX00", scheduled_only=True))
    summary = oneroster_import.bundle_summary(run)
    assert ("c-men", "Mentoruur") in [(c["id"], c["title"]) for c in summary["courses"]]
    run = oneroster_import.choose_options(actor=world.fiona.user, run=run, groups="course:c-men")
    _apply(world, run)
    assert (
        ImportMapping.objects.get(school=world.school, name="oneroster").columns["groups"] == "course:c-men"
    )
    group = Group.objects.get(school=world.school, name="2B mentoruur")
    assert set(group.memberships.values_list("student__student_number", flat=True)) == {
        "1001",
        "1002",
        "1003",
    }
    assert group.mentors.filter(email="mirjam@beekdal.test").exists()
    assert TeachingAssignment.objects.filter(
        staff__email="tom@beekdal.test", group=group, subject="Wiskunde"
    ).exists()
    again = _start(world, b.two_orgs_11(a_identifier="99XX00", scheduled_only=True))
    assert again.records["source"]["groups"] == "course:c-men"


def test_oneroster_without_homerooms_groups_by_grade(world):
    run = _start(world, b.two_orgs_11(a_identifier="99XX00", scheduled_only=True))
    run = oneroster_import.choose_options(actor=world.fiona.user, run=run, groups="grade")
    _apply(world, run)
    names = dict(
        GroupMembership.objects.filter(student__school=world.school, end__isnull=True)
        .filter(student__student_number__in=["1001", "1003"])
        .values_list("student__student_number", "group__name")
    )
    assert names == {"1001": "Leerjaar 2", "1003": "Leerjaar 3"}


# --- delta bundles and tobedeleted -------------------------------------------------------------


def test_oneroster_delta_bundle_is_applied_as_a_delta_and_ends_no_student_missing_from_it(world):
    before = _numbers(world.school)
    delta = b.delta_11(
        [f"s1,active,{b.MOD},true,org-99,student,1001,,Sanne,de Vries,,1001,sanne@nieuw.test,,,,02,"]
    )
    delta["orgs"] = b.table("orgs", [f"org-99,active,{b.MOD},Beekdal Lyceum,school,99XX00,"])
    run = _apply(world, _start(world, delta))
    assert run.result["counts"]["students_end"] == 0
    assert _numbers(world.school) == before
    assert Student.objects.get(pk=world.sanne.pk).email == "sanne@nieuw.test"


def test_oneroster_tobedeleted_rows_are_deletions_not_broken_references(world):
    delta = b.delta_11(
        [f"s2,tobedeleted,{b.MOD},true,org-99,student,1002,,Daan,Jansen,,1002,,,,,02,"],
        [f"e2,tobedeleted,{b.MOD},k-2B,org-99,s2,student,false,,"],
        demographics=[f"s2,active,{b.MOD},2012-11-23,male,,,,,,,,NL,,,"],
    )
    delta["orgs"] = b.table("orgs", [f"org-99,active,{b.MOD},Beekdal Lyceum,school,99XX00,"])
    run = _start(world, delta)
    assert run.status == ImportStatus.PREVIEWED, run.problems
    _apply(world, run)
    daan = Student.objects.get(pk=world.daan.pk)
    assert daan.left_on == service.today()  # AVG-3: ended, not deleted
    assert Student.objects.get(pk=world.sanne.pk).left_on is None


def test_oneroster_tobedeleted_user_in_a_bulk_file_is_not_a_broken_reference(world):
    files = b.two_orgs_11(a_identifier="99XX00")
    files["users"] = files["users"].replace("s2,,,true", "s2,tobedeleted,2026-09-01,true")
    run = _start(world, files)
    assert run.status == ImportStatus.PREVIEWED, run.problems
    assert "1002" not in {s["student_number"] for s in run.records["students"]}


# --- names and headers -------------------------------------------------------------------------


def test_oneroster_middle_name_is_a_given_name_and_the_tussenvoegsel_comes_from_the_family_name(world):
    data = parse_oneroster(b.to_zip(b.two_orgs_11(a_identifier="99XX00")), "x.zip", brin="99XX")
    by_number = {s.student_number: s for s in data.students}
    assert (by_number["1001"].first_name, by_number["1001"].name_prefix, by_number["1001"].last_name) == (
        "Sanne Maria",
        "de",
        "Vries",
    )
    assert (by_number["1003"].name_prefix, by_number["1003"].last_name) == ("van 't", "Hoek")
    [petra] = [g for g in data.guardians if g.email == "petra@thuis.test"]
    assert (petra.name_prefix, petra.last_name) == ("de", "Vries")


def test_oneroster_12_takes_the_tussenvoegsel_from_a_metadata_column_and_headers_in_any_case(world):
    data = parse_oneroster(b.to_zip(b.bundle_12()), "x.zip", brin="99XX")
    sanne = next(s for s in data.students if s.student_number == "1001")
    assert (sanne.first_name, sanne.name_prefix, sanne.last_name) == ("Sanne Maria", "de", "Vries")
    assert sanne.date_of_birth == "2012-03-07"  # from a lower-case 'birthdate' header


def test_oneroster_family_name_prefixes_are_split_off_including_t_on_its_own():
    from schools.importing.oneroster import names

    assert names({"givenName": "Joost", "familyName": "'t Hart"}) == ("Joost", "'t", "Hart")
    assert names({"givenName": "Eva", "familyName": "van den Berg"}) == ("Eva", "van den", "Berg")
    assert names({"givenName": "Eva", "familyName": "ter Horst", "metadata.tussenvoegsel": ""})[1] == "ter"
    assert names({"givenName": "An", "familyName": "Dijk", "metadata.tussenvoegsel": "van"})[1:] == (
        "van",
        "Dijk",
    )


# --- refusals: not OneRoster, zip bombs --------------------------------------------------------


def _sds_v21() -> dict[str, str]:
    """Microsoft School Data Sync v2.1 in the shape of OfficeDev/O365-EDU-Tools' sample: no manifest."""
    return {
        "orgs": "sourcedId,name,type,parentSourcedId\r\n110003,School of TwoDotOne,school,110004\r\n",
        "users": "sourcedId,username,givenName,familyName,password,activeDirectoryMatchId,email,phone,sms\r\n"
        "114001,jcraig@example.test,Jack,Craig,x,,,,\r\n",
        "roles": "userSourcedId,orgSourcedId,role,sessionSourcedId,grade,isPrimary,roleStartDate,roleEndDate\r\n"
        "114001,110003,student,SY,10,TRUE,2021-08-24,2022-06-11\r\n",
        "classes": "sourcedId,orgSourcedId,title,sessionSourcedIds,courseSourcedId\r\n112002,110003,Biology 10,SY,B1\r\n",
        "enrollments": "classSourcedId,userSourcedId,role\r\n112002,114001,student\r\n",
        "relationships": "userSourcedId,relationshipUserSourcedId,relationshipRole\r\n",
    }


def test_microsoft_sds_bundle_is_refused_with_a_dutch_message_naming_it(world):
    before = Student.objects.count()
    run = _start(world, _sds_v21(), "sds.zip")
    assert run.status == ImportStatus.INVALID
    text = " ".join(p["message"] for p in run.problems)
    assert "Microsoft School Data Sync" in text and "geen OneRoster" in text
    assert Student.objects.count() == before


def _zip_bomb(member_mb: int = 120, members: int = 1) -> bytes:
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for n in range(members):
            with archive.open(f"users{n or ''}.csv", "w", force_zip64=True) as member:
                member.write(b"sourcedId,status\n")
                for _ in range(member_mb):
                    member.write(chunk)
    return buffer.getvalue()


def test_issue7_zip_bomb_is_refused_before_it_is_expanded(world):
    bomb = _zip_bomb()
    assert len(bomb) < 300_000  # small on disk, 120 MB inside
    tracemalloc.start()
    try:
        with pytest.raises(ImportProblems) as caught:
            parse_oneroster(bomb, "bomb.zip", brin="99XX")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024, f"read {peak} bytes of a zip bomb"
    assert "uitgepakt" in str(caught.value)
    run = _start(world, bomb, "bomb.zip")
    assert run.status == ImportStatus.INVALID


def test_issue7_zip_with_too_many_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(500):
            archive.writestr(f"x{n}.csv", "a")
    with pytest.raises(ImportProblems, match="te veel bestanden"):
        parse_oneroster(buffer.getvalue(), "many.zip", brin="99XX")


def test_issue7_member_count_is_read_from_the_end_record_before_the_directory_is_parsed(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(500):
            archive.writestr(f"x{n}.csv", "a")

    def never(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", never)
    with pytest.raises(ImportProblems, match=r"te veel bestanden \(500;"):
        parse_oneroster(buffer.getvalue(), "many.zip", brin="99XX")


def test_issue7_zip_member_over_the_size_cap_is_refused(monkeypatch):
    from schools.importing import safezip

    monkeypatch.setattr(safezip, "MAX_MEMBER_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("users.csv", "x" * 5000)
    with pytest.raises(ImportProblems, match="groter dan"):
        parse_oneroster(buffer.getvalue(), "big.zip", brin="99XX")


# --- the real ClassLink export -----------------------------------------------------------------


def test_classlink_sample_imports_students_staff_groups_and_teaching_assignments(world):
    folder = FILES / "oneroster_classlink"
    data = b.to_zip({p.stem: p.read_text() for p in folder.glob("*.csv")})
    run = _start(world, data, "classlink.zip")
    assert run.status == ImportStatus.PREVIEWED, run.problems  # one school org: found without a BRIN
    counts = run.preview["counts"]
    assert counts["students_create"] == 8
    assert counts["staff_create"] == 2
    assert counts["groups_create"] == 2  # no homerooms: each scheduled class is a group (default)
    assert counts["assignments_create"] == 3
    _apply(world, run)
    kelley = StaffMember.objects.get(school=world.school, email="kelley.christian@studentgps.org")
    # the Algebra teacher keeps her students who were grouped under ENG-1 (enrolments kept)
    assert set(TeachingAssignment.objects.filter(staff=kelley).values_list("group__name", "subject")) == {
        ("ALG-1", "Algebra I"),
        ("ENG-1", "Algebra I"),
    }
    peter = Student.objects.get(school=world.school, last_name="Nash")
    assert (peter.first_name, peter.name_prefix, peter.date_of_birth) == (
        "Peter Ivan",
        "",
        datetime.date(1997, 1, 18),
    )
    assert not Student.objects.filter(
        school=world.school, student_number__in=["1001", "1002"], left_on__isnull=True
    ).exists()


# --- the preview page --------------------------------------------------------------------------


def test_preview_page_offers_the_orgs_and_the_grouping_and_the_choice_is_posted(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client_for(world.fiona)
    files = b.two_orgs_11(scheduled_only=True)
    client.post("/import/", {"file": SimpleUploadedFile("export.zip", b.to_zip(files)), "format": ""})
    run = ImportRun.objects.get()
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert 'name="org"' in page and "Het Andere College (SCH-0099)" in page
    assert 'value="course:c-men"' in page and "geen stamklassen" in page
    response = client.post(f"/import/{run.pk}/oneroster/", {"org": "org-a", "groups": "grade"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED, run.problems
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert 'value="grade" checked' in page and "Voorbeeld: dit verandert er" in page


@pytest.mark.parametrize("persona", ["teacher", "carla"])
def test_others_cannot_choose_oneroster_options(world, persona):
    run = _start(world, b.two_orgs_11())
    client = world.client_for(getattr(world, persona))
    assert client.post(f"/import/{run.pk}/oneroster/", {"org": "org-b"}).status_code == 404
    assert not ImportMapping.objects.filter(name="oneroster").exists()


def test_oneroster_guid_as_student_number_is_a_problem_in_the_preview_not_an_error_on_apply(world):
    files = b.two_orgs_11(a_identifier="99XX00")
    guid = "6F4283DC-F831-4437-A9A3-E030C7AF0493"
    files["users"] = files["users"].replace(
        "true,org-a,student,1002,,Daan,Jansen,,1002,", f"true,org-a,student,1002,,Daan,Jansen,,{guid},"
    )
    run = _start(world, files)
    assert run.status == ImportStatus.INVALID
    [problem] = run.problems
    assert (problem["file"], problem["line"], problem["column"]) == ("users.csv", 3, "identifier")
    assert "36 tekens" in problem["message"]


def test_oneroster_full_bundle_with_a_header_only_users_file_ends_nobody(world):
    files = b.two_orgs_11(a_identifier="99XX00")
    files["users"] = b.H11["users"] + "\n"
    files["enrollments"] = b.H11["enrollments"] + "\n"
    files["demographics"] = b.H11["demographics"] + "\n"
    before = _numbers(world.school)
    run = _start(world, files)
    assert run.status == ImportStatus.INVALID
    assert "geen leerlingen" in run.problems[0]["message"]
    assert _numbers(world.school) == before


def test_oneroster_delta_moves_a_student_into_a_class_sent_in_an_earlier_bulk_bundle(world):
    _apply(world, _start(world, b.two_orgs_11(a_identifier="99XX00", scheduled_only=True)))
    assert Group.objects.get(school=world.school, name="2en1 Engels").external_id == "l-2en"
    daan = Student.objects.get(school=world.school, student_number="1002")
    assert daan.memberships.get(end__isnull=True).group.name == "2wi1"
    delta = b.delta_11(
        [f"s2,active,{b.MOD},true,org-a,student,1002,,Daan,Jansen,,1002,,,,,02,"],
        [
            f"e4,tobedeleted,{b.MOD},l-2wi,org-a,s2,student,false,,",
            f"e30,active,{b.MOD},l-2en,org-a,s2,student,false,,",
        ],
    )
    delta["orgs"] = b.table("orgs", [f"org-a,active,{b.MOD},Beekdal Lyceum,school,99XX00,"])
    run = _apply(world, _start(world, delta))
    assert run.result["counts"]["students_end"] == 0
    assert daan.memberships.get(end__isnull=True).group.name == "2en1 Engels"


def test_oneroster_options_not_offered_by_the_bundle_are_ignored_and_not_remembered(world):
    run = _start(world, b.two_orgs_11())
    run = oneroster_import.choose_options(
        actor=world.fiona.user, run=run, org="<script>", groups="course:nope"
    )
    assert run.status == ImportStatus.INVALID
    assert not ImportMapping.objects.filter(school=world.school, name="oneroster").exists()


def test_oneroster_delta_links_a_new_student_to_a_new_parent_and_ends_no_other_relation(world):
    relations_before = set(
        Guardian.objects.filter(school=world.school, relations__end__isnull=True).values_list("pk", flat=True)
    )
    delta = b.delta_11(
        [
            f"s5,active,{b.MOD},true,org-99,student,1005,,Noor,Smit,,1005,,,,p5,02,",
            f"p5,active,{b.MOD},true,org-99,parent,,,Karin,Smit,,,karin.smit@thuis.test,,,s5,,",
        ]
    )
    delta["orgs"] = b.table("orgs", [f"org-99,active,{b.MOD},Beekdal Lyceum,school,99XX00,"])
    _apply(world, _start(world, delta))
    noor = Student.objects.get(school=world.school, student_number="1005")
    assert list(noor.guardians.values_list("email", flat=True)) == ["karin.smit@thuis.test"]
    assert relations_before <= set(
        Guardian.objects.filter(school=world.school, relations__end__isnull=True).values_list("pk", flat=True)
    )
