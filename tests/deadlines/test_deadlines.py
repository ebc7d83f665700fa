"""Deadlines: one table for every "must happen by" (ARCHITECTURE: deadlines)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from deadlines.models import Deadline, DeadlineState
from deadlines.services.deadlines import (
    complete_deadline,
    complete_deadlines_for,
    create_deadline,
    move_deadline,
    remind_school,
    withdraw_deadlines_for,
)
from schools.periodic import run_all
from schools.services.calendar import load_default_holidays
from tests.queued import run_queued_tasks

D = datetime.date


def today():
    return timezone.localdate()


@pytest.fixture
def calendar_loaded(world):
    load_default_holidays(school=world.school, school_years=[2025, 2026])
    return world


def test_create_computes_the_due_date_with_the_school_calendar(calendar_loaded):
    w = calendar_loaded
    # 10 school days from Friday 9 Oct 2026 across the herfstvakantie (midden 17–25 Oct) = 30 Oct.
    deadline = create_deadline(
        school=w.school,
        owner=w.mentor,
        title="Signaleringslijst invullen",
        rule="LB-4",
        start=D(2026, 10, 9),
        school_days=10,
        student=w.sanne,
        source=w.group_2b,
    )
    assert deadline.due_on == D(2026, 10, 30)
    assert deadline.state == DeadlineState.OPEN
    assert deadline.source == w.group_2b
    # GP-10: two months after 18 May 2026 ends in the zomervakantie midden → first day after it.
    later = create_deadline(
        school=w.school, owner=w.carla, title="Eindevaluatie", rule="GP-10", start=D(2026, 5, 18), months=2
    )
    assert later.due_on == D(2026, 8, 31)
    assert AuditEvent.objects.filter(action="dossier.deadline.created").count() == 2


def test_owner_must_work_at_the_school(world):
    with pytest.raises(ValidationError):
        create_deadline(school=world.school, owner=world.zeno, title="x", rule="", due_on=today())


def test_move_withdraw_and_complete(world):
    w = world
    a = create_deadline(
        school=w.school, owner=w.mentor, title="Gesprek", rule="LB-12", due_on=today(), source=w.sanne
    )
    b = create_deadline(
        school=w.school, owner=w.carla, title="Verslag", rule="LB-12", due_on=today(), source=w.sanne
    )
    other = create_deadline(
        school=w.school, owner=w.carla, title="Ander", rule="GP-16", due_on=today(), source=w.daan
    )
    a.reminded_before_on = today()
    a.save()
    move_deadline(deadline=a, due_on=today() + datetime.timedelta(days=7), actor=w.carla.user)
    a.refresh_from_db()
    assert a.due_on == today() + datetime.timedelta(days=7) and a.reminded_before_on is None

    complete_deadline(deadline=b, actor=w.carla)
    complete_deadline(deadline=b, actor=w.carla)  # a double click changes nothing
    assert withdraw_deadlines_for(w.sanne) == 1  # b is done: only a lapses
    a.refresh_from_db(), b.refresh_from_db(), other.refresh_from_db()
    assert (a.state, b.state, other.state) == (
        DeadlineState.WITHDRAWN,
        DeadlineState.DONE,
        DeadlineState.OPEN,
    )
    assert b.completed_by == w.carla
    with pytest.raises(ValidationError):
        complete_deadline(deadline=a)
    assert complete_deadlines_for(w.daan, rule="GP-16") == 1
    assert AuditEvent.objects.filter(action="dossier.deadline.completed").count() == 2


def test_reminders_are_sent_once_before_and_once_on_the_due_date(
    calendar_loaded, django_capture_on_commit_callbacks
):
    w = calendar_loaded
    # Due Monday 26 Oct 2026, the first day after the herfstvakantie. Two school days before is
    # Thursday 15 Oct (the holiday does not count), so Friday 23 Oct is already inside the window.
    deadline = create_deadline(
        school=w.school, owner=w.mentor, title="Bespreeklijst", rule="LB-5", due_on=D(2026, 10, 26)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_school(w.school, today=D(2026, 10, 14)) == {"before": 0, "due": 0}
        assert remind_school(w.school, today=D(2026, 10, 15)) == {"before": 1, "due": 0}
        assert remind_school(w.school, today=D(2026, 10, 16)) == {"before": 0, "due": 0}
        assert remind_school(w.school, today=D(2026, 10, 26)) == {"before": 0, "due": 1}
        assert remind_school(w.school, today=D(2026, 10, 26)) == {"before": 0, "due": 0}
    assert run_queued_tasks() == 2  # through the outbox, like every other message
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == ["mirjam@beekdal.test"]
    assert "26-10-2026" in mail.outbox[0].subject
    assert mail.outbox[1].subject.startswith("Vandaag uiterlijk")
    deadline.refresh_from_db()
    assert deadline.reminded_before_on == D(2026, 10, 15) and deadline.reminded_due_on == D(2026, 10, 26)


def test_periodic_runner_reminds_once_when_run_twice(world, django_capture_on_commit_callbacks):
    w = world
    create_deadline(school=w.school, owner=w.mentor, title="Vandaag", rule="LB-5", due_on=today())
    create_deadline(
        school=w.school,
        owner=w.teacher,
        title="Morgen",
        rule="LB-4",
        due_on=today() + datetime.timedelta(days=1),
    )
    done = create_deadline(school=w.school, owner=w.carla, title="Klaar", rule="", due_on=today())
    complete_deadline(deadline=done)
    with django_capture_on_commit_callbacks(execute=True):
        first = run_all(only=["deadlines.remind"])["deadlines.remind"]
        second = run_all(only=["deadlines.remind"])["deadlines.remind"]
    run_queued_tasks()
    assert first["due"] == 1 and first["before"] in (0, 1)  # tomorrow may be a weekend day
    assert second == {"before": 0, "due": 0}
    assert len(mail.outbox) == first["due"] + first["before"]
    assert all("Sanne" not in m.body and "Klaar" not in m.subject for m in mail.outbox)


def test_overdue_shown_to_care_coordinator_not_to_a_teacher(world):
    w = world
    create_deadline(
        school=w.school,
        owner=w.teacher,
        title="Signaleringslijst 2B",
        rule="LB-4",
        due_on=today() - datetime.timedelta(days=3),
        student=w.sanne,
    )
    create_deadline(
        school=w.other_school,
        owner=w.zeno,
        title="Andere school",
        rule="",
        due_on=today() - datetime.timedelta(days=3),
    )
    carla = w.client_for(w.carla)
    page = carla.get(reverse("deadline_overdue"))
    assert page.status_code == 200
    assert "Signaleringslijst 2B" in page.text and "Tom Leraar" in page.text
    assert "Andere school" not in page.text
    home = carla.get("/")
    assert "Verlopen termijnen in de school" in home.text

    teacher = w.client_for(w.teacher)
    assert teacher.get(reverse("deadline_overdue")).status_code == 404
    home = teacher.get("/")
    assert "Verlopen termijnen in de school" not in home.text
    assert "Signaleringslijst 2B" in home.text and "verlopen" in home.text  # but it is on their own list


def test_home_lists_my_actions_only(world):
    w = world
    create_deadline(
        school=w.school,
        owner=w.mentor,
        title="Gesprek met leerling",
        rule="LB-12",
        due_on=today(),
        student=w.sanne,
    )
    create_deadline(school=w.school, owner=w.carla, title="Verslag zorgteam", rule="", due_on=today())
    done = create_deadline(school=w.school, owner=w.mentor, title="Al gedaan", rule="", due_on=today())
    complete_deadline(deadline=done)
    home = w.client_for(w.mentor).get("/")
    assert "Mijn acties" in home.text
    assert "Gesprek met leerling – Sanne de Vries" in home.text
    assert "Verslag zorgteam" not in home.text and "Al gedaan" not in home.text
    empty = w.client_for(w.anouk).get("/")
    assert "Je hebt geen openstaande acties." in empty.text


def test_complete_button_via_htmx_only_for_the_owner(world):
    w = world
    deadline = create_deadline(school=w.school, owner=w.mentor, title="Gesprek", rule="LB-12", due_on=today())
    url = reverse("deadline_complete", args=[deadline.pk])
    assert w.client_for(w.carla).post(url, headers={"HX-Request": "true"}).status_code == 404
    assert AuditEvent.objects.filter(action="dossier.deadline.complete_denied", success=False).exists()
    response = w.client_for(w.mentor).post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Afgerond" in response.text and "<html" not in response.text
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.DONE
    page = w.client_for(w.mentor).get(reverse("deadline_list"))
    assert "Je hebt geen openstaande termijnen." in page.text


def test_another_schools_deadline_is_a_404(world):
    theirs = create_deadline(school=world.other_school, owner=world.zeno, title="x", rule="", due_on=today())
    response = world.client_for(world.carla).post(reverse("deadline_complete", args=[theirs.pk]))
    assert response.status_code == 404
    assert Deadline.objects.get(pk=theirs.pk).state == DeadlineState.OPEN
