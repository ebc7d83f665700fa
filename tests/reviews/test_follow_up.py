"""The week after (LB-12) and the mentor's care for the evaluations (LB-13)."""

import datetime
import subprocess

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline
from dossier.models import Document, DossierEntry, EntryKind
from messaging.models import Message
from reviews.models import FollowUp, FollowUpKind
from reviews.services import follow_up
from schools import calendar

from .meeting_support import agree, closed, discuss, started

pytestmark = pytest.mark.django_db


def test_lb_12_closing_plans_the_talk_and_the_parent_feedback_as_deadlines(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    meeting_day = timezone.localtime(meeting_2b.starts_at).date()
    due = calendar.add_school_days(world.school, meeting_day, 5)
    kinds = {fu.kind: fu for fu in FollowUp.objects.all()}
    assert set(kinds) == {FollowUpKind.STUDENT_TALK, FollowUpKind.PARENT_FEEDBACK}
    assert all(fu.due_on == due for fu in kinds.values())
    deadlines = Deadline.objects.filter(rule="LB-12")
    assert deadlines.count() == 2 and {d.owner for d in deadlines} == {world.mentor}


def test_lb_12_every_teacher_gets_a_recap_of_their_part_by_mail_and_on_the_home_page(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    recap = Message.objects.get(idempotency_key=f"reviews.recap.{meeting_2b.pk}.{world.teacher.pk}")
    assert "Voor Sanne: Noteert elke les het huiswerk" in recap.body
    assert "evaluatie" in recap.body
    mentor_recap = Message.objects.get(idempotency_key=f"reviews.recap.{meeting_2b.pk}.{world.mentor.pk}")
    assert "Er zijn geen afspraken die jij uitvoert." in mentor_recap.body
    assert not Message.objects.filter(idempotency_key__endswith=f".{world.olga.pk}").exists()
    home = world.client_for(world.teacher).get(reverse("home")).content.decode()
    assert "Afspraken die jij uitvoert" in home and "Voor Sanne: Noteert elke les het huiswerk" in home


def test_lb_12_agreements_land_in_the_students_file(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    entry = DossierEntry.objects.get(student=world.sanne, kind=EntryKind.AGREEMENT)
    agreement = meeting_2b.agreements.get()
    assert agreement.goal in entry.body and agreement.starts_on.strftime("%d-%m-%Y") in entry.body


def test_lb_12_minutes_pdf_in_each_students_file_their_part_only(world, meeting_2b, tmp_path):
    started(world, meeting_2b, world.sanne, world.daan)
    discuss(world, meeting_2b, world.sanne, strengths="Sanne-sterk-1234")
    discuss(world, meeting_2b, world.daan, strengths="Daan-sterk-5678")
    agree(world, meeting_2b, world.sanne)
    agree(world, meeting_2b, world.daan, goal="Daan meldt zich elke ochtend om 8.25 uur bij de mentor.")
    from reviews.services import meeting

    meeting.close_meeting(actor=world.carla.user, meeting=meeting_2b)
    texts = {}
    for doc in Document.objects.all():
        texts[doc.student_id] = subprocess.run(["pdftotext", doc.file.path, "-"], capture_output=True, text=True,
                                               check=True).stdout  # fmt: skip
    assert "Sanne-sterk-1234" in texts[world.sanne.pk] and "Daan" not in texts[world.sanne.pk]
    assert "Daan-sterk-5678" in texts[world.daan.pk] and "Sanne" not in texts[world.daan.pk]


def test_lb_12_the_mentor_records_the_talk_in_the_file(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    talk = FollowUp.objects.get(kind=FollowUpKind.STUDENT_TALK)
    response = world.client_for(world.mentor).post(
        reverse("review_follow_up_record", args=[talk.pk]),
        {f"f{talk.pk}-summary": "Plan besproken; Sanne doet mee."},
    )
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.done_at is not None
    assert DossierEntry.objects.filter(
        kind=EntryKind.TALK, student=world.sanne, body__contains="Plan besproken"
    ).exists()
    assert Deadline.objects.get(source_id=str(talk.pk), rule="LB-12").state != "open"


def test_lb_12_a_teacher_does_not_record_the_mentors_talk(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    talk = FollowUp.objects.get(kind=FollowUpKind.STUDENT_TALK)
    response = world.client_for(world.teacher).post(reverse("review_follow_up_record", args=[talk.pk]),
                                                    {f"f{talk.pk}-summary": "x"})  # fmt: skip
    assert response.status_code == 404
    talk.refresh_from_db()
    assert talk.done_at is None


def test_lb_13_overdue_evaluation_is_reminded_to_the_mentor_once_and_shown_to_the_care_coordinator(
    world, meeting_2b
):
    closed(world, meeting_2b, world.sanne, evaluate_on=timezone.localdate() + datetime.timedelta(days=30))
    later = timezone.now() + datetime.timedelta(days=40)
    with time_machine.travel(later, tick=False):
        assert follow_up.remind_overdue_evaluations() == {"queued": 1}
        assert follow_up.remind_overdue_evaluations() == {"queued": 0}  # idempotent
        call_command("run_periodic", "--only", "reviews.overdue_evaluations")
        reminder = Message.objects.get(idempotency_key__startswith="reviews.evaluation.overdue.")
        assert reminder.addresses("to") == ["mirjam@beekdal.test"]
        home = world.client_for(world.carla).get(reverse("home")).content.decode()
        assert "Evaluatie te laat: Sanne de Vries (mentor Mirjam Mentor)" in home


def test_lb_13_the_care_coordinator_sees_all_meetings_of_the_round_with_status(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    home = world.client_for(world.carla).get(reverse("home")).content.decode()
    assert "Leerlingbesprekingen van de ronde" in home and "2B" in home and "bezig" in home


def test_mentor_home_shows_preparation_meeting_and_follow_up(world, meeting_2b):
    home = world.client_for(world.mentor).get(reverse("home")).content.decode()
    assert "Voorbereiden: bespreking 2B" in home
    closed(world, meeting_2b, world.sanne)
    home = world.client_for(world.mentor).get(reverse("home")).content.decode()
    assert "Gesprek met de leerling: Sanne de Vries" in home
