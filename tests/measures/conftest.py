"""Shared set-up for the measures tests: Beekdal's calendar (herfstvakantie 17–25 October 2026) and
the addresses of the inspectorate and the leerplichtambtenaar."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from schools.services.calendar import load_default_holidays


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
