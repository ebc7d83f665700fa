"""The school dashboard and the step overview (issue 10 §8): who sees them, filters, CSV, queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from behaviour.models import BehaviourCase, Step

from .helpers import PHYSICAL, incident

pytestmark = pytest.mark.django_db

DASH = "/gedrag/school/"
STEPS = "/gedrag/school/stappen/"


def test_avg_4_the_dashboard_is_for_the_director_and_the_behaviour_specialist_only(world):
    incident(world)
    for who in (world.dirk, world.bea):
        assert world.client_for(who).get(DASH).status_code == 200
    for who in (world.teacher, world.mentor, world.carla, world.olga):
        assert world.client_for(who).get(DASH).status_code == 404


def test_avg_4_the_step_overview_adds_the_care_coordinator(world):
    for who in (world.dirk, world.bea, world.carla):
        assert world.client_for(who).get(STEPS).status_code == 200
    for who in (world.teacher, world.mentor):
        assert world.client_for(who).get(STEPS).status_code == 404


def test_the_dashboard_draws_an_svg_chart_a_heatmap_and_steps(world):
    incident(world)
    page = world.client_for(world.dirk).get(DASH).text
    assert "<svg" in page and PHYSICAL in page and "2B" in page
    assert 'class="table-wrap"' in page and "heatmap" in page
    assert "Open zaken per stap" in page


def test_avg_4_the_dashboard_shows_no_incident_of_another_school(world):
    incident(world, world.otto, actor=world.zeno)
    page = world.client_for(world.dirk).get(DASH).text
    assert "0 incidenten" in page


def test_filters_with_junk_are_ignored_with_a_message_never_a_500(world):
    incident(world)
    client = world.client_for(world.dirk)
    response = client.get(
        DASH, {"van": "gisteren", "tot": "2026-13-45", "categorie": "<script>", "groep": "x'--"}
    )
    assert response.status_code == 200
    assert "niet herkend" in response.text and "bestaat niet" in response.text
    assert "1 incident" in response.text


def test_filters_by_period_category_and_group(world):
    incident(world)
    client = world.client_for(world.dirk)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    assert "0 incidenten" in client.get(DASH, {"van": tomorrow}).text
    assert "1 incident" in client.get(DASH, {"groep": world.group_2b.pk, "per": "maand"}).text
    assert "0 incidenten" in client.get(DASH, {"groep": world.group_3c.pk}).text


def test_avg_4_the_csv_export_is_an_attachment_with_student_numbers_not_names(world):
    incident(world)
    incident(world, world.otto, actor=world.zeno)
    response = world.client_for(world.dirk).get(DASH, {"export": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "1001" in body and "2B" in body and PHYSICAL in body
    assert "Sanne" not in body and "2001" not in body


def _queries(world, n):
    for i in range(n):
        incident(world, minutes_ago=60 * i + 1)
    client = world.client_for(world.dirk)
    client.get(DASH)
    with CaptureQueriesContext(connection) as page:
        client.get(DASH)
    with CaptureQueriesContext(connection) as export:
        client.get(DASH, {"export": "csv"})
    return len(page), len(export)


def test_the_dashboard_queries_are_constant_in_the_number_of_incidents(world):
    few = _queries(world, 3)
    many = _queries(world, 27)  # 30 in all
    assert few == many, (few, many)


def test_the_step_overview_lists_open_cases_by_step_linked_and_paginated(world):
    incident(world)
    BehaviourCase.objects.filter(student=world.sanne).update(step=Step.PERIODIC)
    page = world.client_for(world.carla).get(STEPS).text
    assert f"/gedrag/leerling/{world.sanne.pk}/" in page and "2B" in page and "Stap 2" in page
    assert world.client_for(world.carla).get(STEPS, {"pagina": "junk"}).status_code == 200


def test_the_dashboard_opens_on_this_school_year_and_shows_all_years_when_asked(world):
    """Five years of history drawn week by week is neither readable nor fast: the page opens on the
    current school year (1 August), the date field shows it, and an emptied field means every year."""
    from behaviour.models import Incident

    incident(world)
    old = incident(world, minutes_ago=60)
    Incident.objects.filter(pk=old.pk).update(happened_at=timezone.now() - datetime.timedelta(days=400))
    client = world.client_for(world.dirk)
    page = client.get(DASH).text
    today = timezone.localdate()
    first = datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    assert "1 incident" in page and "2 incidenten" not in page
    assert f'name="van" value="{first.isoformat()}"' in page
    assert "2 incidenten" in client.get(DASH, {"van": "", "tot": ""}).text
