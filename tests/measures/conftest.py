"""Shared set-up for the measures tests: Beekdal's calendar (herfstvakantie 17–25 October 2026) and
the addresses of the inspectorate and the leerplichtambtenaar."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from schools.models import BoardMember
from schools.services.calendar import load_default_holidays
from tests import factories as f


def on(day: datetime.date, hour: int = 10):
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def w(world):
    load_default_holidays(school=world.school, school_years=[2025, 2026])
    world.school.inspectorate_email = "meldingen@inspectie.test"
    world.school.attendance_officer_name = "Lotte Leerplicht"
    world.school.attendance_officer_email = "leerplicht@gemeente.test"
    world.school.save()
    return world


@pytest.fixture
def po(w):
    """The po path: school B (Andere School), director Zeno, student Otto, board member Bea-Bestuur."""
    school = w.other_school
    load_default_holidays(school=school, school_years=[2025, 2026])
    school.inspectorate_email, school.attendance_officer_email = "po@inspectie.test", "lpa@gemeente.test"
    school.save()
    board_user = f.UserFactory(email="bestuur@andere.test")
    BoardMember.objects.create(board=school.board, user=board_user)
    w.po_board = board_user
    return w
