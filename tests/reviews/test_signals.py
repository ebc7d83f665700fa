"""Signal lists (LB-4) and signals outside the cycle (LB-14)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from dossier.models import DossierEntry
from messaging.models import Message
from protocols.exceptions import ProtocolViolation
from reviews.jobs_cycle import run_cycle
from reviews.models_cycle import OutOfCycleSignal, SignalAssignment, SignalResponse
from reviews.services.signals import finish_signal_list, open_signal_round, raise_signal, save_signal_answer
from tests import factories as f

from .cycle_helpers import plan


@pytest.fixture
def signal_round(world):
    meeting = plan(world)
    return open_signal_round(actor=world.mentor, meeting=meeting)


def test_lb_4_the_lists_go_out_to_every_teacher_of_the_group(world, signal_round):
    assignments = SignalAssignment.objects.filter(round=signal_round)
    assert {a.teacher for a in assignments} == {world.teacher}  # LB-4: teaching assignment in 2B
    assert SignalResponse.objects.filter(round=signal_round).count() == 2  # Sanne and Daan
    assert signal_round.questions[-1] == "Sterke kanten" and len(signal_round.questions) == 6
    assert Message.objects.filter(idempotency_key__startswith="reviews-signals-out-").count() == 1
    assert (
        open_signal_round(actor=world.mentor, meeting=signal_round.meeting) == signal_round
    )  # twice: the first


def test_lb_4_the_daily_job_opens_the_round_two_weeks_before(world):
    meeting = plan(world)
    assert run_cycle()["opened"] == 0
    out = meeting.starts_at - datetime.timedelta(weeks=2)
    with time_machine.travel(out + datetime.timedelta(hours=1), tick=False):
        assert run_cycle()["opened"] == 1
        assert run_cycle()["opened"] == 0  # idempotent
    assert SignalAssignment.objects.filter(round__meeting=meeting).count() == 1


def test_lb_4_each_answer_is_saved_as_given_with_progress(world, signal_round):
    client = world.client_for(world.teacher)
    page = client.get(f"/signaleringslijst/{signal_round.pk}/")
    assert page.status_code == 200 and "0/12" in page.content.decode()
    response = client.post(f"/signaleringslijst/{signal_round.pk}/antwoord/",
                           {"student": world.sanne.pk, "question": "5", f"a-{world.sanne.pk}-5": "good"})  # fmt: skip
    assert response.status_code == 200 and "1/12" in response.content.decode()
    assert SignalResponse.objects.get(teacher=world.teacher, student=world.sanne).answers == {"5": "good"}
    # Without JavaScript: the whole grid as one form.
    client.post(f"/signaleringslijst/{signal_round.pk}/antwoord/",
                {f"a-{world.daan.pk}-0": "concern", f"a-{world.daan.pk}-remark": "Vaak moe."})  # fmt: skip
    assert SignalResponse.objects.get(teacher=world.teacher, student=world.daan).answers == {
        "0": "concern",
        "remark": "Vaak moe.",
    }
    # Another teacher's list, or a teacher of another group: not found.
    assert world.client_for(world.olga).get(f"/signaleringslijst/{signal_round.pk}/").status_code == 404
    assert world.client_for(world.mentor).get(f"/signaleringslijst/{signal_round.pk}/").status_code == 404


def test_lb_4_two_teachers_filling_in_the_same_student_never_overwrite_each_other(world):
    second = f.StaffFactory(
        school=world.school, user=f.UserFactory(email="ed@beekdal.test"), first_name="Ed", last_name="Engels"
    )
    f.teach(second, world.group_2b, "Engels")
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    save_signal_answer(
        actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="0", value="good"
    )
    save_signal_answer(
        actor=second, round=signal_round, student_id=world.sanne.pk, question="0", value="concern"
    )
    answers = {r.teacher_id: r.answers for r in SignalResponse.objects.filter(student=world.sanne)}
    assert answers == {world.teacher.pk: {"0": "good"}, second.pk: {"0": "concern"}}


def test_lb_4_one_teachers_two_tabs_keep_both_answers(world, signal_round):
    # Two tabs hold the same stale row; each save merges its one answer under the row lock.
    save_signal_answer(
        actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="0", value="good"
    )
    save_signal_answer(
        actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="1", value="watch"
    )
    row = SignalResponse.objects.get(teacher=world.teacher, student=world.sanne)
    assert row.answers == {"0": "good", "1": "watch"} and row.row_version == 2 and row.answered == 2


def test_lb_4_an_answer_after_the_round_closed_is_refused_and_nothing_written(world, signal_round):
    with time_machine.travel(datetime.datetime.combine(signal_round.due_on + datetime.timedelta(days=1),
                                                       datetime.time(9), tzinfo=timezone.get_current_timezone()),
                             tick=False):  # fmt: skip
        with pytest.raises(ProtocolViolation) as exc:
            save_signal_answer(
                actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="0", value="good"
            )
        assert "is gesloten sinds" in exc.value.message
        response = world.client_for(world.teacher).post(
            f"/signaleringslijst/{signal_round.pk}/antwoord/",
            {"student": world.sanne.pk, "question": "0", "value": "good"},
        )
        assert response.status_code == 422 and "is gesloten sinds" in response.content.decode()
    assert SignalResponse.objects.get(teacher=world.teacher, student=world.sanne).answers == {}


@pytest.mark.parametrize("value", ["excellent", "<b>x</b>", "9" * 50])
def test_lb_4_a_value_off_the_scale_is_refused(world, signal_round, value):
    with pytest.raises(ProtocolViolation):
        save_signal_answer(
            actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="0", value=value
        )
    with pytest.raises(ProtocolViolation):
        save_signal_answer(
            actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="99", value="good"
        )


def _queries(client, method, url, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def test_lb_4_grid_and_save_queries_do_not_grow_with_the_class(world):
    """Tom's list of 2B has 2 students; Olga's of 3C gets 32: the same number of queries."""
    from reviews.services.planning import plan_review_meeting

    for n in range(31):
        f.place(
            f.StudentFactory(school=world.school, first_name=f"Kind{n}", last_name=f"Klas{n}"), world.group_3c
        )
    world.group_3c.mentors.add(world.henk)
    small = open_signal_round(actor=world.mentor, meeting=plan(world))
    meeting_3c = plan_review_meeting(actor=world.carla, review_round=small.meeting.round, group=world.group_3c,
                                     starts_at=small.meeting.starts_at, place="", leader=world.henk,
                                     chair=world.carla).meeting  # fmt: skip
    large = open_signal_round(actor=world.carla, meeting=meeting_3c)
    counts = {}
    for who, signal_round, student in ((world.teacher, small, world.sanne), (world.olga, large, world.mila)):
        client = world.client_for(who)
        client.get(f"/signaleringslijst/{signal_round.pk}/")  # the session's first request
        grid = _queries(client, "get", f"/signaleringslijst/{signal_round.pk}/")
        save = _queries(client, "post", f"/signaleringslijst/{signal_round.pk}/antwoord/",
                        {"student": student.pk, "question": "0", "value": "good"})  # fmt: skip
        counts[SignalResponse.objects.filter(round=signal_round, teacher=who).count()] = (grid, save)
    assert set(counts) == {2, 32}
    assert counts[2] == counts[32], counts


def test_lb_4_finishing_needs_every_answer_and_ends_the_reminders(world, signal_round):
    with pytest.raises(ProtocolViolation) as exc:
        finish_signal_list(actor=world.teacher, round=signal_round)
    assert "nog 12 vragen open" in exc.value.message
    due = signal_round.due_on
    remind_day = datetime.datetime.combine(
        due - datetime.timedelta(days=1), datetime.time(8), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(remind_day, tick=False):
        assert run_cycle()["signal_reminders"] == 1
        assert run_cycle()["signal_reminders"] == 0
    for student in (world.sanne, world.daan):
        for q in range(6):
            save_signal_answer(
                actor=world.teacher, round=signal_round, student_id=student.pk, question=str(q), value="good"
            )
    assert finish_signal_list(actor=world.teacher, round=signal_round).finished_at is not None
    Message.objects.filter(idempotency_key__startswith="reviews-signal-reminder-").delete()
    with time_machine.travel(remind_day, tick=False):
        assert run_cycle()["signal_reminders"] == 0


def test_lb_4_the_teacher_sees_the_list_with_progress_on_the_home_page(world, signal_round):
    save_signal_answer(
        actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="0", value="good"
    )
    page = world.client_for(world.teacher).get("/").content.decode()
    assert "Signaleringslijsten invullen" in page and "2B: 1/12" in page
    coordinator = world.client_for(world.carla).get("/").content.decode()
    assert "2B: 0/1 lijsten af" in coordinator
    assert "2B: 0/1 lijsten af" in world.client_for(world.anouk).get("/").content.decode()


def test_lb_14_a_signal_reaches_the_mentor_at_once_and_is_proposed_for_the_next_meeting(world):
    meeting = plan(world)
    signal = raise_signal(actor=world.teacher, student=world.sanne, text="Sanne huilde na de toets.")
    assert signal.proposed_for_meeting == meeting and signal.handled_at is None
    message = Message.objects.get(idempotency_key=f"reviews-signal-{signal.pk}-{world.mentor.pk}")
    assert "Sanne" not in message.subject + message.body
    assert DossierEntry.objects.filter(student=world.sanne, kind="signal").count() == 1
    # Without a planned meeting: raised all the same, proposed for nothing yet.
    assert (
        raise_signal(actor=world.teacher, student=world.daan, text="Te laat.").proposed_for_meeting == meeting
    )


def test_lb_14_a_teacher_of_another_group_cannot_raise_a_signal_about_the_student(world):
    with pytest.raises(ProtocolViolation):
        raise_signal(actor=world.olga, student=world.sanne, text="Iets")
    assert (
        world.client_for(world.olga)
        .get(f"/leerlingbespreking/leerling/{world.sanne.pk}/signaal/")
        .status_code
        == 404
    )
    client = world.client_for(world.teacher)
    assert client.get(f"/leerlingbespreking/leerling/{world.sanne.pk}/signaal/").status_code == 200
    assert (
        client.post(f"/leerlingbespreking/leerling/{world.sanne.pk}/signaal/", {"text": ""}).status_code
        == 422
    )
    assert (
        client.post(f"/leerlingbespreking/leerling/{world.sanne.pk}/signaal/", {"text": "Stil"}).status_code
        == 302
    )
    assert OutOfCycleSignal.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"student": "9" * 30, "question": "0", "value": "good"},
        {"student": "-1", "question": "0", "value": "good"},
        {"student": "abc", "question": "-1", "value": "good"},
        {"question": "remark", "value": "x" * 100_000},
        {"question": "0", "value": "<script>alert(1)</script>"},
        {"question": "remark", "value": "bidi \u202e override"},
    ],
)
def test_lb_4_hostile_answers_are_refused_in_dutch_and_nothing_written(world, signal_round, data):
    data = {"student": world.sanne.pk, **data}
    response = world.client_for(world.teacher).post(f"/signaleringslijst/{signal_round.pk}/antwoord/", data)
    assert response.status_code in (400, 422), response.status_code
    assert all(
        r.answers == {} and r.row_version == 0 for r in SignalResponse.objects.filter(round=signal_round)
    )
