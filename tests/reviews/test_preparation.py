"""Preparation of the leerlingbespreking (LB-3, LB-5): answers side by side, the file, the proposal,
the discussion list sent to every teacher of the class and printed."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messaging.models import Message
from protocols.services import change_protocol
from reviews.models import DiscussionItem, Evaluation
from reviews.selectors_meeting import propose, set_signal_answer_provider, signal_answers_for
from tests import factories as f

from .factories import ReviewMeetingFactory
from .meeting_support import closed, put_on_list

pytestmark = pytest.mark.django_db


def names(proposals):
    return {p.student.first_name: p.reasons for p in proposals}


def test_signal_answers_are_empty_until_the_signal_lists_are_wired(world, meeting_2b):
    previous = set_signal_answer_provider(None)
    try:
        assert signal_answers_for(meeting_2b) == {}
    finally:
        set_signal_answer_provider(previous)


def test_lb_5_proposal_flags_a_student_two_teachers_worry_about(world, meeting_2b, signals):
    signals[world.sanne.pk] = [
        (world.teacher, "werkhouding", "zorg"),
        (world.mentor, "werkhouding", "onvoldoende"),
    ]
    signals[world.daan.pk] = [(world.teacher, "werkhouding", "zorg"), (world.mentor, "werkhouding", "goed")]
    proposed = names(propose(meeting_2b))
    assert "Sanne" in proposed and "2 docenten" in proposed["Sanne"][0]
    assert "Daan" not in proposed


def test_lb_5_proposal_any_concern_on_sociaal_emotioneel_is_enough(world, meeting_2b, signals):
    signals[world.daan.pk] = [(world.teacher, "sociaal-emotioneel", "zorgelijk")]
    assert names(propose(meeting_2b)) == {"Daan": ["zorg op sociaal-emotioneel"]}


def test_lb_5_proposal_open_agreement_due_before_the_meeting(world, meeting_2b):
    earlier = ReviewMeetingFactory(group=world.group_2b, leader=world.mentor, chair=world.carla,
                                   starts_at=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    closed(world, earlier, world.sanne, evaluate_on=timezone.localdate() + datetime.timedelta(days=10))
    assert names(propose(meeting_2b)) == {"Sanne": ["afspraak te evalueren vóór de bespreking"]}


def test_lb_5_proposal_follows_the_schools_setting(world, signals):
    change_protocol(actor=world.dirk, school=world.school, protocol="review",
                    values={"proposal_min_teachers": 3}, reason="Alleen bij drie docenten", based_on=0)  # fmt: skip
    m = ReviewMeetingFactory(group=world.group_2b, leader=world.mentor, chair=world.carla)
    signals[world.sanne.pk] = [(world.teacher, "werkhouding", "zorg"), (world.mentor, "werkhouding", "zorg")]
    assert names(propose(m)) == {}


def test_lb_3_preparation_shows_answers_side_by_side_and_the_file(world, meeting_2b, signals):
    earlier = ReviewMeetingFactory(group=world.group_2b, leader=world.mentor, chair=world.carla,
                                   starts_at=timezone.now() - datetime.timedelta(days=90))  # fmt: skip
    closed(world, earlier, world.sanne)
    agreement = earlier.agreements.get()
    Evaluation.objects.create(
        school=world.school, agreement=agreement, outcome="partly", what_next="Doorgaan tot de kerst."
    )
    signals[world.sanne.pk] = [
        (world.teacher, "werkhouding", "zorg"),
        (world.mentor, "sterke kanten", "behulpzaam"),
    ]
    response = world.client_for(world.mentor).get(reverse("review_prepare", args=[meeting_2b.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tom Leraar" in page and "behulpzaam" in page and "werkhouding" in page
    assert "Doorgaan tot de kerst." in page  # dossieronderzoek: the earlier evaluation (LB-3)


def test_lb_3_mentor_writes_hulpvraag_leerdoel_and_questions(world, meeting_2b):
    client = world.client_for(world.mentor)
    prefix = f"s{world.sanne.pk}"
    response = client.post(reverse("review_prepare", args=[meeting_2b.pk]), {
        "leerling": world.sanne.pk, f"{prefix}-hulpvraag": "Hoe krijgt Sanne overzicht?",
        f"{prefix}-leerdoel": "Sanne plant haar week zelf.", f"{prefix}-questions": "Levert ze haar werk op tijd in?",
        f"{prefix}-reason": "zorg van 2 docenten", f"{prefix}-version": "0",
    })  # fmt: skip
    assert response.status_code == 302
    item = DiscussionItem.objects.get()
    assert (item.hulpvraag, item.leerdoel, item.questions) == (
        "Hoe krijgt Sanne overzicht?",
        "Sanne plant haar week zelf.",
        "Levert ze haar werk op tijd in?",
    )


def test_lb_3_a_teacher_does_not_prepare(world, meeting_2b):
    response = world.client_for(world.teacher).get(reverse("review_prepare", args=[meeting_2b.pk]))
    assert response.status_code == 404


def test_lb_5_a_student_of_another_class_is_refused(world, meeting_2b):
    client = world.client_for(world.mentor)
    response = client.post(reverse("review_prepare", args=[meeting_2b.pk]), {"leerling": world.mila.pk})
    assert response.status_code == 404
    assert not DiscussionItem.objects.exists()


def test_lb_5_discussion_list_goes_to_every_teacher_of_the_class(world, meeting_2b):
    put_on_list(world, meeting_2b, world.sanne)
    response = world.client_for(world.mentor).post(reverse("review_send_list", args=[meeting_2b.pk]))
    assert response.status_code == 302
    to = sorted(a for m in Message.objects.all() for a in m.addresses("to"))
    assert to == ["mirjam@beekdal.test", "tom@beekdal.test"]  # Olga teaches 3C: not hers
    body = Message.objects.first().body
    assert "Hoe helpen we Sanne met plannen?" in body and "Maakt hij/zij huiswerk" in body


def test_lb_5_list_without_hulpvraag_is_not_sent(world, meeting_2b):
    from reviews.services import preparation

    preparation.save_discussion_item(
        actor=world.mentor.user, meeting=meeting_2b, student=world.sanne, values={}
    )
    response = world.client_for(world.mentor).post(
        reverse("review_send_list", args=[meeting_2b.pk]), follow=True
    )
    assert "Schrijf per leerling een hulpvraag" in response.content.decode()
    assert not Message.objects.exists()


def test_lb_5_discussion_list_prints_as_pdf(world, meeting_2b, tmp_path):
    put_on_list(world, meeting_2b, world.sanne)
    response = world.client_for(world.teacher).get(reverse("review_list_pdf", args=[meeting_2b.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "lijst.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Sanne de Vries" in text and "Hoe helpen we Sanne met plannen?" in text


def test_preparation_page_queries_do_not_grow_with_the_class(world, meeting_2b, signals):
    client = world.client_for(world.mentor)
    url = reverse("review_prepare", args=[meeting_2b.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    for i in range(12):
        student = f.StudentFactory(school=world.school, first_name=f"Extra{i}", student_number=f"X{i}")
        f.place(student, world.group_2b)
        signals[student.pk] = [(world.teacher, "werkhouding", "zorg")]
    assert count() == few
