"""School days: the one place that turns "within N school days / weeks / months" into a date.

A school day is a weekday on which the school is not closed: not a national holiday, not in
the region's school holidays, not a study day the school added (SchoolHoliday rows).

Counting rules (used by every deadline, ARCHITECTURE: time):
- `add_school_days(school, start, n)`: the n-th school day after `start` (`start` itself is not
  counted). n = 0 gives `start` when it is a school day, else the next school day. Negative n
  counts back.
- `add_weeks` and `add_months`: the protocols' "weeks" and "months" are calendar weeks and months
  (GP-16 "after 6 weeks", LAW-4 "within four weeks", AVG-1 "within one month"). The result lands
  on the first school day on or after the calendar date, as the Algemene termijnenwet moves a
  term that ends on a weekend or holiday to the next working day. A term that ends in the summer
  holiday therefore falls on the first day after it.
- `school_days_between(school, start, end)`: school days d with start < d <= end.

The set of closed days is read once per School instance and kept on it, so one request (which
holds one `request.school`) runs one query however many dates it computes. Services that change
the calendar call `forget_calendar(school)`.
"""

from __future__ import annotations

import calendar as _calendar
import datetime

ONE_DAY = datetime.timedelta(days=1)
# No school year has more than about 14 closed weeks; a longer search means an empty calendar bug.
_MAX_SEARCH_DAYS = 400
_CACHE_KEY = "_closed_days_cache"


def closed_days(school) -> frozenset[datetime.date]:
    """Every date (weekends excluded) on which `school` is closed; cached on the instance."""
    cached = school.__dict__.get(_CACHE_KEY)
    if cached is None:
        from django_scopes import scopes_disabled

        from .models import SchoolHoliday

        days: set[datetime.date] = set()
        # Callers (periodic jobs, commands) may run outside a scope; the filter is explicit.
        with scopes_disabled():
            rows = SchoolHoliday.objects.filter(school_id=school.pk, active=True).values_list("start", "end")
            for start, end in rows:
                day = start
                while day <= end:
                    days.add(day)
                    day += ONE_DAY
        cached = frozenset(days)
        school.__dict__[_CACHE_KEY] = cached
    return cached


def forget_calendar(school) -> None:
    school.__dict__.pop(_CACHE_KEY, None)


def is_school_day(school, day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in closed_days(school)


def next_school_day(school, day: datetime.date) -> datetime.date:
    """`day` itself when it is a school day, else the first school day after it."""
    for _ in range(_MAX_SEARCH_DAYS):
        if is_school_day(school, day):
            return day
        day += ONE_DAY
    raise ValueError(f"Geen schooldag gevonden binnen {_MAX_SEARCH_DAYS} dagen na {day}.")


def add_school_days(school, start: datetime.date, n: int) -> datetime.date:
    if n == 0:
        return next_school_day(school, start)
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    day = start
    searched = 0
    while remaining:
        day += step
        searched += 1
        if is_school_day(school, day):
            remaining -= 1
            searched = 0
        elif searched > _MAX_SEARCH_DAYS:
            raise ValueError(f"Geen schooldag gevonden binnen {_MAX_SEARCH_DAYS} dagen na {day}.")
    return day


def add_weeks(school, start: datetime.date, n: int) -> datetime.date:
    return next_school_day(school, start + datetime.timedelta(weeks=n))


def add_calendar_months(day: datetime.date, n: int) -> datetime.date:
    """Same day n months later; the 31st becomes the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + n
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1]))


def add_months(school, start: datetime.date, n: int) -> datetime.date:
    return next_school_day(school, add_calendar_months(start, n))


def school_days_between(school, start: datetime.date, end: datetime.date) -> int:
    """School days d with start < d <= end (negative when end is before start)."""
    if end < start:
        return -school_days_between(school, end, start)
    count = 0
    day = start + ONE_DAY
    while day <= end:
        if is_school_day(school, day):
            count += 1
        day += ONE_DAY
    return count


def school_days_in(school, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The school days from `start` to `end`, both included (for calendar pages and reports)."""
    days, day = [], start
    while day <= end:
        if is_school_day(school, day):
            days.append(day)
        day += ONE_DAY
    return days


def dagdeel_minutes(school) -> int:
    """Length of a dagdeel (half a school day) at this school, e.g. for "one dagdeel out of class" (GP-4).

    A protocol number: read from the school's file protocol version in force (protocols/declarations.py).
    """
    from protocols.services import protocol_value

    return protocol_value(school, "file", "dagdeel_minutes")
