"""The school calendar: school days, holidays from the open data, study days (ARCHITECTURE: time)."""

import datetime
import html
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schools.calendar import (
    add_months,
    add_school_days,
    add_weeks,
    is_school_day,
    school_days_between,
)
from schools.models import HolidayKind, SchoolHoliday
from schools.services.calendar import (
    add_study_day,
    change_holiday,
    easter_sunday,
    load_default_holidays,
    national_holidays,
    published_data,
    remove_holiday,
)
from tests import factories as f

D = datetime.date


@pytest.fixture
def midden(db):
    school = f.SchoolFactory(region="midden")
    load_default_holidays(school=school, school_years=[2025, 2026])
    return school


def test_ten_school_days_across_the_autumn_holiday_midden_2026(midden):
    # Herfstvakantie midden 2026-2027 in the JSON: Saturday 17 – Sunday 25 October 2026.
    start = D(2026, 10, 9)  # Friday before
    # 12–16 Oct are school days 1–5, 19–23 Oct are the holiday, 26–30 Oct are days 6–10.
    assert add_school_days(midden, start, 10) == D(2026, 10, 30)
    assert not is_school_day(midden, D(2026, 10, 19))
    assert is_school_day(midden, D(2026, 10, 26))


def test_noord_has_its_autumn_holiday_a_week_earlier(db):
    noord = f.SchoolFactory(region="noord")
    load_default_holidays(school=noord, school_years=[2026])
    # Herfstvakantie noord: 10 – 18 October 2026, so 19 October is a school day there.
    assert not is_school_day(noord, D(2026, 10, 12))
    assert is_school_day(noord, D(2026, 10, 19))


def test_weekends_and_national_holidays_are_skipped(midden):
    assert add_school_days(midden, D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday
    # Tweede pinksterdag, Monday 25 May 2026.
    assert add_school_days(midden, D(2026, 5, 22), 1) == D(2026, 5, 26)
    # Hemelvaartsdag, Thursday 14 May 2026.
    assert add_school_days(midden, D(2026, 5, 13), 1) == D(2026, 5, 15)
    # Bevrijdingsdag is a school day outside lustrum years (2026 is not one).
    assert is_school_day(midden, D(2026, 5, 5))


def test_koningsdag_stays_closed_when_the_school_drops_its_meivakantie(midden):
    # Koningsdag (Tuesday 27 April 2027) falls in the meivakantie; without it, it is still a holiday.
    meivakantie = SchoolHoliday.objects.get(school=midden, name="Meivakantie", start=D(2027, 4, 24))
    remove_holiday(actor=None, holiday=meivakantie)
    assert is_school_day(midden, D(2027, 4, 26))
    assert not is_school_day(midden, D(2027, 4, 27))
    assert add_school_days(midden, D(2027, 4, 26), 1) == D(2027, 4, 28)


def test_a_study_day_is_skipped(midden):
    add_study_day(actor=None, school=midden, name="Studiedag team", start=D(2026, 5, 15))
    assert add_school_days(midden, D(2026, 5, 13), 1) == D(2026, 5, 18)
    assert school_days_between(midden, D(2026, 5, 13), D(2026, 5, 18)) == 1


def test_weeks_and_months_are_calendar_terms_landing_on_a_school_day(midden):
    assert add_weeks(midden, D(2026, 11, 23), 6) == D(2027, 1, 4)  # 4 Jan 2027 is after kerstvakantie
    assert add_weeks(midden, D(2026, 10, 5), 2) == D(2026, 10, 26)  # 19 Oct is in herfstvakantie
    assert add_months(midden, D(2026, 1, 31), 1) == D(2026, 3, 2)  # 28 Feb is a Saturday
    assert add_months(midden, D(2026, 5, 18), 2) == D(2026, 8, 31)  # zomervakantie midden until 30 Aug


def test_suspect_value_is_corrected_and_flagged(db):
    # suspect_values: voorjaarsvakantie zuid 2026-2027 published as 13 Feb – 21 Mar 2027.
    assert published_data()["suspect_values"][0]["enddate"] == "2027-03-21"
    zuid = f.SchoolFactory(region="zuid")
    load_default_holidays(school=zuid, school_years=[2026])
    holiday = SchoolHoliday.objects.get(school=zuid, name="Voorjaarsvakantie")
    assert (holiday.start, holiday.end) == (D(2027, 2, 13), D(2027, 2, 21))
    assert "Gecorrigeerd" in holiday.note
    assert not is_school_day(zuid, D(2027, 2, 15))
    assert is_school_day(zuid, D(2027, 3, 1))


def test_loading_twice_creates_nothing_and_keeps_removed_defaults_removed(midden):
    count = SchoolHoliday.objects.filter(school=midden).count()
    herfst = SchoolHoliday.objects.get(school=midden, name="Herfstvakantie", start=D(2026, 10, 17))
    remove_holiday(actor=None, holiday=herfst)
    result = load_default_holidays(school=midden, school_years=[2025, 2026])
    assert result.created == 0
    assert SchoolHoliday.objects.filter(school=midden).count() == count
    assert is_school_day(midden, D(2026, 10, 19))


def test_changing_a_default_holiday_moves_it(midden):
    herfst = SchoolHoliday.objects.get(school=midden, name="Herfstvakantie", start=D(2026, 10, 17))
    change_holiday(
        actor=None, holiday=herfst, name="Herfstvakantie", start=D(2026, 10, 10), end=D(2026, 10, 18)
    )
    assert not is_school_day(midden, D(2026, 10, 12))
    assert is_school_day(midden, D(2026, 10, 19))
    assert load_default_holidays(school=midden, school_years=[2026]).created == 0


def test_computed_national_holidays_match_the_open_data():
    published = {(h["name"], h["date"]) for h in published_data()["feestdagen"]}
    for year in (2026, 2027):
        for name, day in national_holidays(year):
            if day > D(2027, 7, 31):  # the data covers Aug 2025 – Aug 2027
                continue
            assert (name, day.isoformat()) in published
    assert easter_sunday(2028) == D(2028, 4, 16)


def test_a_year_without_open_data_gets_national_holidays_and_a_warning(db):
    school = f.SchoolFactory(region="midden")
    result = load_default_holidays(school=school, school_years=[2027])
    assert result.missing_regional == [2027]
    # Koningsdag 2028 is Thursday 27 April; no meivakantie is known for 2027-2028.
    assert not is_school_day(school, D(2028, 4, 27))
    assert SchoolHoliday.objects.filter(
        school=school, kind=HolidayKind.NATIONAL, name="Tweede paasdag"
    ).exists()


def test_the_calendar_is_read_once_per_school_instance(midden):
    with CaptureQueriesContext(connection) as queries:
        for n in range(1, 120):
            add_school_days(midden, D(2026, 9, 1), n)
    assert len(queries) <= 1


def test_load_holidays_command_names_the_source(midden, capsys):
    call_command("load_holidays", school=[midden.pk], year=[2026])
    out = capsys.readouterr().out
    assert "ODbL" in out and "openholidaysapi" in out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=D(2025, 8, 1), max_value=D(2027, 5, 31)),
    n=st.integers(min_value=1, max_value=60),
)
def test_property_add_school_days(midden, start, n):
    result = add_school_days(midden, start, n)
    assert is_school_day(midden, result)
    assert add_school_days(midden, start, n + 1) > result
    assert school_days_between(midden, start, result) == n
    assert add_school_days(midden, result, -n) <= start


def test_calendar_page_for_the_functional_admin_only(world):
    load_default_holidays(school=world.school, school_years=[2026])
    admin = world.client_for(world.fiona)
    page = admin.get(reverse("school_calendar") + "?jaar=2026")
    assert page.status_code == 200
    assert "Herfstvakantie" in page.text and "ODbL" in page.text and "openholidaysapi" in page.text
    for persona in (world.teacher, world.carla, world.dirk):
        assert world.client_for(persona).get(reverse("school_calendar")).status_code == 404


def test_admin_adds_a_study_day_and_keeps_input_on_error(world):
    admin = world.client_for(world.fiona)
    bad = admin.post(
        reverse("school_calendar_add"), {"name": "Studiedag", "start": "2026-12-10", "end": "2026-12-01"}
    )
    assert bad.status_code == 422
    assert 'value="Studiedag"' in bad.text and "De laatste dag ligt voor de eerste dag." in bad.text
    ok = admin.post(reverse("school_calendar_add"), {"name": "Studiedag", "start": "2026-12-10", "end": ""})
    assert ok.status_code == 302
    assert not is_school_day(world.school, D(2026, 12, 10))


def test_admin_edit_does_not_overwrite_a_concurrent_change(world):
    holiday = add_study_day(actor=None, school=world.school, name="Studiedag", start=D(2026, 12, 10))
    admin = world.client_for(world.fiona)
    form = admin.get(reverse("school_calendar_change", args=[holiday.pk]))
    was = re.search(r'name="was" value="([^"]*)"', form.text).group(1)
    change_holiday(actor=None, holiday=holiday, name="Studiedag", start=D(2026, 12, 11), end=D(2026, 12, 11))
    stale = admin.post(
        reverse("school_calendar_change", args=[holiday.pk]),
        {"name": "Studiedag", "start": "2026-12-14", "end": "2026-12-14", "was": html.unescape(was)},
    )
    assert stale.status_code == 422 and "intussen gewijzigd" in stale.text
    holiday.refresh_from_db()
    assert holiday.start == D(2026, 12, 11)


def test_removing_from_another_school_is_a_404(world):
    theirs = add_study_day(actor=None, school=world.other_school, name="Hun studiedag", start=D(2026, 12, 10))
    response = world.client_for(world.fiona).post(reverse("school_calendar_remove", args=[theirs.pk]))
    assert response.status_code == 404
    assert SchoolHoliday.objects.filter(pk=theirs.pk, active=True).exists()
