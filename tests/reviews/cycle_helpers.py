"""Helpers for the review-cycle tests: a round and a meeting of 2B planned by the department head."""

import datetime

from django.utils import timezone

from reviews.services.planning import plan_review_meeting, plan_review_round


def next_weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def meeting_day(days_ahead: int = 28) -> datetime.date:
    return next_weekday(timezone.localdate() + datetime.timedelta(days=days_ahead))


def at(day: datetime.date, hour: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def plan(world, *, day: datetime.date | None = None, minute_taker=None, number: int = 1, round_=None):
    review_round = round_ or plan_review_round(
        actor=world.anouk, school_year=world.group_2b.school_year, number=number
    )
    planned = plan_review_meeting(
        actor=world.anouk, review_round=review_round, group=world.group_2b, starts_at=at(day or meeting_day()),
        place="lokaal 12", leader=world.mentor, chair=world.carla, minute_taker=minute_taker,
    )  # fmt: skip
    return planned.meeting
