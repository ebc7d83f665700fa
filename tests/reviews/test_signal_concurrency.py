"""Two saves at the same moment (LB-4): one teacher's two tabs on one student's row, and two teachers
on the same student. Real threads and connections on PostgreSQL (SQLite serialises writes anyway)."""

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from reviews.models_cycle import SignalResponse
from reviews.services.signals import open_signal_round, save_signal_answer
from tests import factories as f
from tests.concurrency import at_once

from .cycle_helpers import plan

pytestmark = pytest.mark.django_db(transaction=True)


def _unscoped(call):
    with scopes_disabled():
        return call()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_lb_4_two_tabs_and_two_teachers_saving_at_once_lose_nothing(world):
    second = f.StaffFactory(
        school=world.school, user=f.UserFactory(email="ed@beekdal.test"), first_name="Ed", last_name="E"
    )
    f.teach(second, world.group_2b, "Engels")
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    calls = [
        lambda q=q: save_signal_answer(
            actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question=str(q), value="watch"
        )  # fmt: skip
        for q in range(6)
    ] + [
        lambda q=q: save_signal_answer(
            actor=second, round=signal_round, student_id=world.sanne.pk, question=str(q), value="concern"
        )  # fmt: skip
        for q in range(6)
    ]
    at_once([lambda call=call: _unscoped(call) for call in calls])
    rows = {r.teacher_id: r for r in SignalResponse.objects.filter(student=world.sanne)}
    assert rows[world.teacher.pk].answers == {str(q): "watch" for q in range(6)}
    assert rows[second.pk].answers == {str(q): "concern" for q in range(6)}
    assert rows[world.teacher.pk].row_version == 6 and rows[world.teacher.pk].answered == 6
    assert connection.vendor == "postgresql"
