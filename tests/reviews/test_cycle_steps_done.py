"""The schedule's steps end when what they ask for happened (LB-4, LB-5): the mentor's "compile and
send the discussion list" is done when the list is sent, and nothing of the schedule stays open once
the meeting is closed (found in the cycle walk: both still showed on the mentor's home page)."""

from deadlines.models import Deadline, DeadlineState
from reviews.services.preparation import send_discussion_list

from .cycle_helpers import plan
from .meeting_support import closed, put_on_list


def _open_steps(meeting) -> set[str]:
    return set(
        Deadline.objects.filter(
            source_id=str(meeting.pk), schedule__isnull=False, state=DeadlineState.OPEN
        ).values_list("step_code", flat=True)
    )


def test_lb_5_sending_the_discussion_list_completes_the_mentors_step(world):
    meeting = plan(world)
    assert "discussion_list" in _open_steps(meeting)
    put_on_list(world, meeting, world.sanne)
    send_discussion_list(actor=world.mentor.user, meeting=meeting)
    assert "discussion_list" not in _open_steps(meeting)
    assert (
        Deadline.objects.get(source_id=str(meeting.pk), step_code="discussion_list").completed_by
        == world.mentor
    )


def test_lb_4_lb_5_closing_the_meeting_leaves_no_step_of_its_schedule_open(world):
    meeting = plan(world)
    closed(world, meeting, world.sanne)
    assert _open_steps(meeting) == set()
    withdrawn = Deadline.objects.filter(source_id=str(meeting.pk), state=DeadlineState.WITHDRAWN)
    assert not withdrawn.exists()  # held, so done, not withdrawn
