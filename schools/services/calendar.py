"""Changes to a school's calendar: the published defaults, study days, edits and removals.

When a school is created nothing is loaded implicitly (no post_save signal): the defaults are
loaded explicitly by `manage.py load_holidays` (all schools, idempotent; run it when a school is
added and once a year for the next school year) and by the demo/import code, which call
`load_default_holidays(school=…)`. Explicit calls keep tests and imports free of hidden writes.

Deadlines already computed are not recomputed when the calendar changes; the owner can move them.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit

from ..calendar import forget_calendar
from ..models import HolidayKind, School, SchoolHoliday, SchoolYear

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "schoolvakanties.json"

# The open data flags one value as suspect (see "suspect_values" in the JSON): voorjaarsvakantie
# zuid 2026-2027 is published as 13 Feb – 21 Mar 2027, five weeks. Every other voorjaarsvakantie
# is nine days (Saturday to Sunday) and noord/midden have 20–28 Feb, so zuid is the week before:
# 13–21 Feb. We load the corrected end date and say so in the note the functional admin sees on
# the calendar page; the JSON itself is kept verbatim. A suspect value without a known correction
# is loaded as published, with a note asking the school to check it.
CORRECTIONS = {
    "81b673ef-0296-475d-9632-18389c9fceee": {
        "end": datetime.date(2027, 2, 21),
        "note": "Gecorrigeerd: de open data noemt t/m 21-03-2027 (vijf weken, vermoedelijk een tikfout). "
        "Controleer met rijksoverheid.nl.",
    }
}
SUSPECT_NOTE = "De open data markeert deze datum als twijfelachtig. Controleer met rijksoverheid.nl."


def _closes_schools(name: str, day: datetime.date) -> bool:
    """Bevrijdingsdag (5 May) is an official holiday, but the education CAOs make it a day off only
    in lustrum years (2025, 2030, …); in other years schools are open unless they add a free day."""
    if name == "Bevrijdingsdag":
        return day.year % 5 == 0
    return day.weekday() < 5


@cache
def published_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def attribution() -> dict:
    """Source and licence of the defaults (ODbL requires the attribution wherever the data is shown)."""
    source = published_data()["source"]
    return {
        "name": "OpenHolidays (openholidaysapi.data)",
        "url": source["repository"],
        "licence": source["licence"],
        "commit": source["commit"],
        "commit_date": source["commit_date"],
    }


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def national_holidays(year: int) -> list[tuple[str, datetime.date]]:
    """The Dutch national holidays of a calendar year, for years the open data does not cover."""
    easter = easter_sunday(year)
    kings_day = datetime.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to Saturday
        kings_day -= datetime.timedelta(days=1)
    days = [
        ("Nieuwjaarsdag", datetime.date(year, 1, 1)),
        ("Goede vrijdag", easter - datetime.timedelta(days=2)),
        ("Eerste paasdag", easter),
        ("Tweede paasdag", easter + datetime.timedelta(days=1)),
        ("Koningsdag", kings_day),
        ("Bevrijdingsdag", datetime.date(year, 5, 5)),
        ("Hemelvaartsdag", easter + datetime.timedelta(days=39)),
        ("Eerste pinksterdag", easter + datetime.timedelta(days=49)),
        ("Tweede pinksterdag", easter + datetime.timedelta(days=50)),
        ("Eerste kerstdag", datetime.date(year, 12, 25)),
        ("Tweede kerstdag", datetime.date(year, 12, 26)),
    ]
    return days


@dataclass
class LoadResult:
    created: int = 0
    # School years (by start year) for which the open data has no regional holidays: the school
    # must enter them itself; the calendar page says so.
    missing_regional: list[int] = field(default_factory=list)


def default_school_years(today: datetime.date | None = None) -> list[int]:
    start, _end = SchoolYear.bounds_for(today or timezone.localdate())
    return [start.year, start.year + 1]


def load_default_holidays(*, school: School, school_years: list[int] | None = None) -> LoadResult:
    """Load the published national and regional holidays for the school's region. Idempotent.

    A default the school removed or changed stays removed (its inactive row is kept).
    """
    years = sorted(school_years or default_school_years())
    data = published_data()
    first = datetime.date(years[0], 8, 1)
    last = datetime.date(years[-1] + 1, 7, 31)
    suspect = {(s["type"], s["region"], s["startdate"], s["enddate"]) for s in data.get("suspect_values", [])}
    wanted: list[tuple[str, str, datetime.date, datetime.date, str]] = []
    covered_years: set[int] = set()

    for school_year in data["schoolvakanties"]:
        start_year = int(school_year["schoolyear"][:4])
        for vacation in school_year["vacations"]:
            if school.region not in vacation["regions"]:
                continue
            start = datetime.date.fromisoformat(vacation["startdate"])
            end = datetime.date.fromisoformat(vacation["enddate"])
            note = ""
            if vacation.get("source_id") in CORRECTIONS:
                fix = CORRECTIONS[vacation["source_id"]]
                end, note = fix["end"], fix["note"]
            elif (vacation["type"], school.region, vacation["startdate"], vacation["enddate"]) in suspect:
                note = SUSPECT_NOTE
            if end >= first and start <= last:
                wanted.append((HolidayKind.REGIONAL, vacation["type"], start, end, note))
                covered_years.add(start_year)

    published_national = {}
    for holiday in data["feestdagen"]:
        day = datetime.date.fromisoformat(holiday["date"])
        published_national[day.year, holiday["name"]] = day
    for year in range(first.year, last.year + 1):
        for name, computed in national_holidays(year):
            day = published_national.get((year, name), computed)
            if first <= day <= last and _closes_schools(name, day):
                wanted.append((HolidayKind.NATIONAL, name, day, day, ""))

    result = LoadResult(missing_regional=[y for y in years if y not in covered_years])
    with transaction.atomic():
        for kind, name, start, end, note in wanted:
            _holiday, created = SchoolHoliday.objects.get_or_create(
                school=school,
                kind=kind,
                name=name,
                start=start,
                is_default=True,
                defaults={"end": end, "note": note},
            )
            result.created += created
        if result.created:
            audit(
                actor=None,
                action="schools.calendar.defaults_loaded",
                school=school,
                data={"created": result.created, "school_years": years},
            )
    forget_calendar(school)
    return result


def _check_dates(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationError(_("De laatste dag ligt voor de eerste dag."))
    if (end - start).days > 120:
        raise ValidationError(_("Een vrije periode duurt hoogstens 120 dagen."))


def add_study_day(
    *,
    actor,
    school: School,
    name: str,
    start: datetime.date,
    end: datetime.date | None = None,
    kind: str = HolidayKind.STUDY_DAY,
) -> SchoolHoliday:
    """A day (or days) the school is closed: a study day, or the school's own holiday period."""
    end = end or start
    _check_dates(start, end)
    if not name.strip():
        raise ValidationError(_("Geef de vrije dag een naam."))
    with transaction.atomic():
        holiday = SchoolHoliday.objects.create(
            school=school, name=name.strip(), start=start, end=end, kind=kind
        )
        audit(
            actor=actor,
            action="schools.calendar.holiday_added",
            obj=holiday,
            data={"name": holiday.name, "start": str(start), "end": str(end), "kind": kind},
        )
    forget_calendar(school)
    return holiday


def change_holiday(
    *, actor, holiday: SchoolHoliday, name: str, start: datetime.date, end: datetime.date
) -> SchoolHoliday:
    """Change a period's dates. A default is replaced by the school's own row (see module doc)."""
    _check_dates(start, end)
    with transaction.atomic():
        if holiday.is_default:
            holiday.active = False
            holiday.save(update_fields=["active"])
            changed = SchoolHoliday.objects.create(
                school=holiday.school,
                name=name.strip() or holiday.name,
                start=start,
                end=end,
                kind=holiday.kind,
            )
        else:
            holiday.name, holiday.start, holiday.end = name.strip() or holiday.name, start, end
            holiday.save(update_fields=["name", "start", "end"])
            changed = holiday
        audit(
            actor=actor,
            action="schools.calendar.holiday_changed",
            obj=changed,
            data={"name": changed.name, "start": str(start), "end": str(end)},
        )
    forget_calendar(holiday.school)
    return changed


def remove_holiday(*, actor, holiday: SchoolHoliday) -> None:
    """The school is open on these days after all. A default is kept inactive, others are deleted."""
    school = holiday.school
    data = {"name": holiday.name, "start": str(holiday.start), "end": str(holiday.end)}
    with transaction.atomic():
        if holiday.is_default:
            holiday.active = False
            holiday.save(update_fields=["active"])
        else:
            holiday.delete()
        audit(actor=actor, action="schools.calendar.holiday_removed", school=school, data=data)
    forget_calendar(school)
