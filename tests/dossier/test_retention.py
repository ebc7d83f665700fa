"""AVG-3 retention: expired entries are deleted after the student leaves, unless a legal hold stops it."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from deadlines.models import Deadline, DeadlineState
from dossier.models import DossierEntry, EntryKind, RetentionRun
from dossier.services.record import record
from dossier.services.retention import (
    lift_legal_hold,
    mark_special_education_referral,
    place_legal_hold,
    purge_school,
    retention_years,
    set_retention_period,
)
from schools.models import Group
from schools.periodic import run_all
from tests import factories as f

D = datetime.date
TODAY = D(2026, 11, 23)
SECRET = "Vertrouwelijk verslag"


def leaver(world, name, left_on):
    return f.StudentFactory(school=world.school, first_name=name, left_on=left_on)


def file_of(student, *, special_referral=False):
    """One entry of each retention class, with a confidential title."""
    kinds = [
        EntryKind.LOG_ENTRY,
        EntryKind.INCIDENT,
        EntryKind.REFERRAL,
        EntryKind.ATTENDANCE,
        EntryKind.ENROLMENT,
    ]
    entries = {kind: record(student=student, kind=kind, title=f"{SECRET} {kind}") for kind in kinds}
    if special_referral:
        special = record(student=student, kind=EntryKind.REFERRAL, title=f"{SECRET} SO")
        mark_special_education_referral(entry=special)
        entries["special"] = special
    return entries


def kinds_left(student) -> set[str]:
    kinds = set()
    for entry in DossierEntry.objects.filter(student=student).select_related("retention_mark"):
        mark = getattr(entry, "retention_mark", None)
        kinds.add("special" if mark and mark.special_education_referral else entry.kind)
    return kinds


def test_avg_3_defaults(world):
    years = retention_years(world.school)
    assert years[EntryKind.LOG_ENTRY] == years[EntryKind.INCIDENT] == years[EntryKind.REFERRAL] == 2
    assert years[EntryKind.ATTENDANCE] == years[EntryKind.ENROLMENT] == 5
    assert years["referral_special_ed"] == 3


def test_avg_3_purge_deletes_exactly_the_expired_records(world):
    two_years = leaver(world, "Twee", D(2024, 11, 22))  # left 2 years + 1 day ago
    exactly_two = leaver(world, "Precies", D(2024, 11, 23))  # left + 2 years == today: kept today
    three_years = leaver(world, "Drie", D(2023, 11, 22))
    five_years = leaver(world, "Vijf", D(2021, 11, 22))
    enrolled = world.sanne
    leaves_later = leaver(world, "Later", D(2027, 7, 31))
    for student in (two_years, exactly_two, three_years, five_years, enrolled, leaves_later):
        file_of(student, special_referral=True)

    run = purge_school(world.school, today=TODAY)

    assert kinds_left(two_years) == {EntryKind.ATTENDANCE, EntryKind.ENROLMENT, "special"}
    assert kinds_left(exactly_two) == {
        EntryKind.LOG_ENTRY,
        EntryKind.INCIDENT,
        EntryKind.REFERRAL,
        EntryKind.ATTENDANCE,
        EntryKind.ENROLMENT,
        "special",
    }
    assert kinds_left(three_years) == {EntryKind.ATTENDANCE, EntryKind.ENROLMENT}
    assert kinds_left(five_years) == set()
    assert len(kinds_left(enrolled)) == 6 and len(kinds_left(leaves_later)) == 6
    assert run.deleted == {
        EntryKind.LOG_ENTRY: 3,
        EntryKind.INCIDENT: 3,
        EntryKind.REFERRAL: 3,
        "referral_special_ed": 2,
        EntryKind.ATTENDANCE: 1,
        EntryKind.ENROLMENT: 1,
        "student": 1,  # the last boundary (5 years): the student row itself goes too
    }
    assert run.students == 3
    assert not type(five_years).objects.filter(pk=five_years.pk).exists()
    assert type(three_years).objects.filter(pk=three_years.pk).exists()


def test_avg_3_records_counts_never_content(world):
    student = leaver(world, "Weg", D(2020, 1, 1))
    file_of(student)
    purge_school(world.school, today=TODAY)
    event = AuditEvent.objects.get(action="dossier.retention.purged")
    assert event.data["counts"][EntryKind.LOG_ENTRY] == 1 and event.data["students"] == 1
    stored = json.dumps(event.data) + event.object_id
    assert SECRET not in stored and "Weg" not in stored and str(student.pk) not in json.dumps(event.data)
    assert event.student_id is None


def test_avg_3_legal_hold_stops_deletion_until_lifted(world):
    held = leaver(world, "Bezwaar", D(2019, 8, 1))
    file_of(held)
    hold = place_legal_hold(actor=world.carla.user, student=held, reason="Bezwaarprocedure loopt")
    assert (
        place_legal_hold(actor=world.carla.user, student=held, reason="nogmaals") == hold
    )  # one active hold

    run = purge_school(world.school, today=TODAY)
    assert run.deleted == {} and run.held_students == 1
    assert len(kinds_left(held)) == 5
    # The hold is not forgotten: its placer gets a deadline to review it (AVG-3).
    review = Deadline.objects.get(rule="AVG-3", state=DeadlineState.OPEN)
    assert review.owner == world.carla and review.source == hold
    purge_school(world.school, today=TODAY)
    assert Deadline.objects.filter(rule="AVG-3").count() == 1

    lift_legal_hold(actor=world.carla.user, hold=hold)
    review.refresh_from_db()
    assert review.state == DeadlineState.WITHDRAWN
    purge_school(world.school, today=TODAY)
    assert kinds_left(held) == set()


def test_avg_3_run_twice_deletes_nothing_more(world):
    student = leaver(world, "Oud", D(2023, 1, 1))
    file_of(student, special_referral=True)
    first = run_all(only=["retention.purge"])["retention.purge"]
    second = run_all(only=["retention.purge"])["retention.purge"]
    assert sum(first.values()) == 4 and second == {}  # care and referrals; attendance stays 5 years
    assert AuditEvent.objects.filter(action="dossier.retention.purged").count() == 1
    assert RetentionRun.objects.filter(school=world.school).count() == 2


def test_avg_3_school_sets_its_own_period(world):
    set_retention_period(
        actor=world.fiona.user, school=world.school, kind=EntryKind.LOG_ENTRY, years=1, reason="Beleid"
    )
    with pytest.raises(ValidationError):
        set_retention_period(
            actor=world.fiona.user, school=world.school, kind=EntryKind.ATTENDANCE, years=0, reason="Beleid"
        )
    student = leaver(world, "Jaar", D(2025, 11, 1))
    file_of(student)
    purge_school(world.school, today=TODAY)
    assert EntryKind.LOG_ENTRY not in kinds_left(student)
    assert EntryKind.INCIDENT in kinds_left(student)


def test_avg_3_other_school_and_shared_sources_stay(world):
    otto = world.otto
    otto.left_on = D(2015, 1, 1)
    otto.save()
    record(student=otto, kind=EntryKind.LOG_ENTRY, title="Andere school")
    student = leaver(world, "Gedeeld", D(2020, 1, 1))
    record(student=student, kind=EntryKind.INCIDENT, title=SECRET, source=world.group_2b)
    purge_school(world.school, today=TODAY)
    assert DossierEntry.objects.filter(student=otto).count() == 1
    assert kinds_left(student) == set()
    assert Group.objects.filter(pk=world.group_2b.pk).exists()  # an object without delete_for_retention stays


def test_only_a_referral_can_be_a_special_education_referral(world):
    entry = record(student=world.sanne, kind=EntryKind.LOG_ENTRY, title="x")
    with pytest.raises(ValidationError):
        mark_special_education_referral(entry=entry)


def test_avg_3_functional_admin_sets_periods_on_a_page(world):
    from django.urls import reverse

    admin = world.client_for(world.fiona)
    page = admin.get(reverse("retention_settings"))
    assert page.status_code == 200 and "verwijzing naar speciaal onderwijs" in page.text
    bad = admin.post(reverse("retention_settings"), {EntryKind.LOG_ENTRY: "0"})
    assert bad.status_code == 422 and 'value="0"' in bad.text
    assert (
        admin.post(reverse("retention_settings"), {EntryKind.LOG_ENTRY: "3", "reden": "Beleid"}).status_code
        == 302
    )
    assert retention_years(world.school)[EntryKind.LOG_ENTRY] == 3
    assert world.client_for(world.teacher).get(reverse("retention_settings")).status_code == 404
