"""The cycle page's actions (LB-4, LB-15): moving and cancelling a meeting and sending the lists,
through the pages; a refusal is a clear message and writes nothing."""

import datetime

from django.utils import timezone

from deadlines.models import Deadline, DeadlineState
from reviews.models import MeetingState, ReviewMeeting
from reviews.models_cycle import SignalRound

from .cycle_helpers import meeting_day, plan


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_lb_4_moving_the_meeting_on_its_page_moves_the_steps_and_a_stale_form_is_refused(world):
    meeting = plan(world)
    client = world.client_for(world.anouk)
    due = Deadline.objects.get(source_id=str(meeting.pk), step_code="signals_due").due_on
    new_day = meeting_day(42)
    form = {
        "date": new_day.isoformat(),
        "time": "14:30",
        "reason": "Studiedag",
        "row_version": meeting.row_version,
    }
    response = client.post(f"/leerlingbespreking/{meeting.pk}/verplaatsen/", form, follow=True)
    assert "De bespreking is verplaatst; elke termijn schoof mee." in _messages(response)
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).date() == new_day
    assert Deadline.objects.get(source_id=str(meeting.pk), step_code="signals_due").due_on > due
    # The same (now stale) form again: refused with a clear message, nothing changed.
    form["date"] = meeting_day(49).isoformat()
    response = client.post(f"/leerlingbespreking/{meeting.pk}/verplaatsen/", form, follow=True)
    assert "Iemand anders heeft deze bespreking intussen gewijzigd" in _messages(response)
    assert ReviewMeeting.objects.get().starts_at == meeting.starts_at


def test_lb_4_cancelling_on_the_page_needs_a_reason_and_withdraws_the_steps(world):
    meeting = plan(world)
    client = world.client_for(world.anouk)
    url = f"/leerlingbespreking/{meeting.pk}/annuleren/"
    response = client.post(url, {"reason": "", "row_version": meeting.row_version}, follow=True)
    assert "Geef een reden voor het annuleren." in _messages(response)
    assert ReviewMeeting.objects.get().state == MeetingState.PLANNED
    response = client.post(url, {"reason": "Vervalt", "row_version": meeting.row_version}, follow=True)
    assert "De bespreking is geannuleerd; de termijnen zijn ingetrokken." in _messages(response)
    assert not Deadline.objects.filter(source_id=str(meeting.pk), state=DeadlineState.OPEN).exists()
    # The lists of a cancelled meeting do not go out: refused with a message, nothing written.
    response = client.post(f"/leerlingbespreking/{meeting.pk}/lijsten-uitzetten/", follow=True)
    assert "niet meer gepland" in _messages(response)
    assert not SignalRound.objects.exists()


def test_lb_4_a_teacher_does_not_move_the_meeting(world):
    meeting = plan(world)
    form = {"date": (meeting_day() + datetime.timedelta(days=7)).isoformat(), "time": "15:00",
            "reason": "", "row_version": meeting.row_version}  # fmt: skip
    assert (
        world.client_for(world.teacher)
        .post(f"/leerlingbespreking/{meeting.pk}/verplaatsen/", form)
        .status_code
        == 404
    )
    assert ReviewMeeting.objects.get().starts_at == meeting.starts_at
