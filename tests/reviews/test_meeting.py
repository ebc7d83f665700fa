"""The meeting screen (LB-6, LB-7, LB-8, LB-9, LB-10): tasks, agenda, timer, the student record,
closing; two writers at once; a closed meeting stays closed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from protocols.exceptions import ProtocolViolation
from reviews.models import MeetingMinutes, MeetingState, StudentDiscussion
from reviews.services import agreements, meeting
from tests import factories as f

from .meeting_support import HX, agree, closed, discuss, put_on_list, started

pytestmark = pytest.mark.django_db


def test_lb_6_tasks_are_divided_at_the_start(world, meeting_2b):
    put_on_list(world, meeting_2b, world.sanne)
    client = world.client_for(world.carla)
    url = reverse("review_meeting_start", args=[meeting_2b.pk])
    response = client.post(url, {"tasks": "   ", "version": meeting_2b.row_version})
    assert response.status_code == 400
    assert not MeetingMinutes.objects.exists()
    response = client.post(
        url, {"tasks": "Mirjam leidt, Carla tijd, Tom notuleert", "version": meeting_2b.row_version}
    )
    assert response.status_code == 302
    meeting_2b.refresh_from_db()
    assert meeting_2b.state == MeetingState.IN_PROGRESS
    assert MeetingMinutes.objects.get().tasks == "Mirjam leidt, Carla tijd, Tom notuleert"


def test_lb_6_agenda_and_timer_on_the_screen_without_inline_script(world, meeting_2b):
    started(world, meeting_2b, world.sanne, world.daan)
    response = world.client_for(world.carla).get(reverse("review_meeting_mode", args=[meeting_2b.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sanne de Vries" in page and "Daan Jansen" in page
    assert 'data-meeting-timer data-seconds="300"' in page  # meeting_minutes_per_student: 5 minutes
    assert "reviews/meeting-timer.js" in page
    # CSP: every script is a file with the nonce; none inline.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_lb_7_strengths_concerns_and_the_three_questions(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    client = world.client_for(world.teacher)  # the minute-taker
    response = client.post(reverse("review_discussion", args=[meeting_2b.pk, world.sanne.pk]), {
        "strengths": "Helpt anderen bij wiskunde.", "concerns": "Komt vaak te laat.",
        "team_ask": "Eenduidige aanpak bij te laat komen.", "student_needs": "Structuur aan het begin van de les.",
        "how_to_help": "Elke les bij de deur begroeten.", "notes": "Ouders al gebeld.", "version": "0",
    }, headers=HX)  # fmt: skip
    assert response.status_code == 200 and "Opgeslagen." in response.content.decode()
    d = StudentDiscussion.objects.get()
    assert (d.strengths, d.team_ask, d.student_needs, d.how_to_help) == (
        "Helpt anderen bij wiskunde.", "Eenduidige aanpak bij te laat komen.",
        "Structuur aan het begin van de les.", "Elke les bij de deur begroeten.")  # fmt: skip


def test_lb_8_label_is_flagged_while_typing_and_recorded_as_shown(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    client = world.client_for(world.teacher)
    check = client.post(reverse("text_check") + f"?velden=concerns&leerling={world.sanne.pk}",
                        {"concerns": "Sanne is lui in de les."}, headers=HX)  # fmt: skip
    assert "Dit is een etiket" in check.content.decode() and 'value="label"' in check.content.decode()
    client.post(reverse("review_discussion", args=[meeting_2b.pk, world.sanne.pk]), {
        "concerns": "Sanne maakt in de les haar opdrachten niet af.", "version": "0", "tekstcontrole_getoond": "label",
    }, headers=HX)  # fmt: skip
    assert StudentDiscussion.objects.get().text_warnings == ["label"]
    event = AuditEvent.objects.filter(action="reviews.discussion.saved").get()
    assert event.data["text_warnings"] == ["label"]


def test_lb_8_the_screen_carries_the_label_check(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    page = (
        world.client_for(world.carla)
        .get(reverse("review_meeting_mode", args=[meeting_2b.pk]))
        .content.decode()
    )
    assert 'name="tekstcontrole_getoond"' in page
    checked = page.split("velden=")[1].split("&")[0].split('"')[0].split(",")
    assert set(checked) == set(StudentDiscussion.TEXT_FIELDS)  # strengths and how_to_help too


def test_lb_8_the_text_check_covers_every_text_field_of_the_meeting_screen(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    fields = ",".join(StudentDiscussion.TEXT_FIELDS)
    data = {name: "Een rustige les." for name in StudentDiscussion.TEXT_FIELDS}
    data["how_to_help"] = "Hij is lui."  # the last of six fields
    check = world.client_for(world.teacher).post(
        reverse("text_check") + f"?velden={fields}&leerling={world.sanne.pk}", data, headers=HX
    )
    assert "Dit is een etiket" in check.content.decode() and 'value="label"' in check.content.decode()


def test_two_writers_on_one_student_never_overwrite_each_other(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    url = reverse("review_discussion", args=[meeting_2b.pk, world.sanne.pk])
    first = world.client_for(world.teacher).post(
        url, {"notes": "Tom schrijft dit.", "version": "0"}, headers=HX
    )
    assert first.status_code == 200
    second = world.client_for(world.carla).post(url, {"notes": "Carla schrijft iets anders.", "version": "0"},
                                                headers=HX)  # fmt: skip
    assert second.status_code == 400
    page = second.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in page and "Carla schrijft iets anders." in page
    assert StudentDiscussion.objects.get().notes == "Tom schrijft dit."
    assert "De versie van je collega" in page and "Tom schrijft dit." in page
    # Carla read Tom's version: her next save starts from it and goes through.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    third = world.client_for(world.carla).post(url, {"notes": "Tom schrijft dit. Carla vult aan.", "version": version},
                                               headers=HX)  # fmt: skip
    assert third.status_code == 200
    assert StudentDiscussion.objects.get().notes == "Tom schrijft dit. Carla vult aan."


def test_lb_9_meeting_cannot_close_while_a_discussed_student_has_no_agreement_or_referral(world, meeting_2b):
    started(world, meeting_2b, world.sanne, world.daan)
    discuss(world, meeting_2b, world.sanne)
    discuss(world, meeting_2b, world.daan)
    agree(world, meeting_2b, world.sanne)
    response = world.client_for(world.carla).post(
        reverse("review_meeting_close", args=[meeting_2b.pk]), follow=True
    )
    assert "Elke besproken leerling krijgt een afspraak of een verwijzing (LB-9). Nog niet: Daan Jansen." in (
        response.content.decode()
    )
    meeting_2b.refresh_from_db()
    assert meeting_2b.state == MeetingState.IN_PROGRESS


def test_lb_9_a_referral_is_enough_to_close(world, meeting_2b):
    started(world, meeting_2b, world.daan)
    discuss(world, meeting_2b, world.daan)
    agreements.refer(actor=world.carla.user, meeting=meeting_2b, student=world.daan, target="zat",
                     question="Is er meer aan de hand thuis?", reason="Zorgen over verzuim.")  # fmt: skip
    meeting.close_meeting(actor=world.carla.user, meeting=meeting_2b)
    meeting_2b.refresh_from_db()
    assert meeting_2b.state == MeetingState.CLOSED


def test_lb_10_minute_taker_cannot_edit_a_closed_meeting(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    before = StudentDiscussion.objects.get()
    response = world.client_for(world.teacher).post(
        reverse("review_discussion", args=[meeting_2b.pk, world.sanne.pk]),
        {"notes": "Achteraf toegevoegd.", "version": str(before.row_version)},
        headers=HX,
    )
    assert response.status_code == 400
    assert "De bespreking is afgesloten; de notulen en afspraken liggen vast." in response.content.decode()
    after = StudentDiscussion.objects.get()
    assert (after.notes, after.row_version) == (before.notes, before.row_version)
    with pytest.raises(ProtocolViolation):
        meeting.save_student_discussion(actor=world.teacher.user, meeting=meeting_2b, student=world.sanne,
                                        values={"notes": "x"}, expected_version=after.row_version)  # fmt: skip


def test_lb_6_only_the_leader_or_chair_closes(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    response = world.client_for(world.teacher).post(reverse("review_meeting_close", args=[meeting_2b.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="reviews.meeting_mode.view_denied", success=False).exists()


def test_another_schools_director_gets_404_and_nothing_changes(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    client = world.client_for(world.zeno)
    assert client.get(reverse("review_meeting_mode", args=[meeting_2b.pk])).status_code == 404
    url = reverse("review_discussion", args=[meeting_2b.pk, world.sanne.pk])
    assert client.post(url, {"notes": "x", "version": "0"}).status_code == 404
    assert not StudentDiscussion.objects.exists()


def test_meeting_screen_queries_do_not_grow_with_the_agenda(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    agree(world, meeting_2b, world.sanne)
    client = world.client_for(world.carla)
    url = reverse("review_meeting_mode", args=[meeting_2b.pk]) + f"?leerling={world.sanne.pk}"
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    extra = []
    for i in range(8):
        student = f.StudentFactory(school=world.school, first_name=f"Extra{i}", student_number=f"X{i}")
        f.place(student, world.group_2b)
        extra.append(student)
    from reviews.services import preparation

    for student in extra:
        preparation.save_discussion_item(actor=world.mentor.user, meeting=meeting_2b, student=student,
                                         values={"hulpvraag": "h", "questions": "q"})  # fmt: skip
    assert count() == few  # constant in the agenda's length
