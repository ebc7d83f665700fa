"""The pages: registering on a phone, the student's behaviour page, who is where, consent under Mijn acties."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from behaviour.models import BehaviourCase, Step
from behaviour.models_incidents import EscalationRequest, Incident, LadderMeasure
from behaviour.services.ladder import request_escalation

from .helpers import PHYSICAL, incident

pytestmark = pytest.mark.django_db


def _post(world, who, **data):
    payload = {"leerling": world.sanne.pk, "categorie": PHYSICAL, "feiten": "Gooide een stoel om.", "actie": "Afkoelen.",
               "besproken": "on", "rol": "actor", "client_key": "k1"}  # fmt: skip
    payload.update(data)
    return world.client_for(who).post("/gedrag/incident/nieuw/", payload)


def test_gp_2_a_teacher_of_another_group_registers_from_the_form(world):
    response = _post(world, world.olga)
    assert (
        response.status_code == 302 and "vastgelegd=" in response["Location"]
    )  # Olga may not see Sanne's page
    assert Incident.objects.get().reported_by == world.olga


def test_the_incident_form_sends_the_teacher_to_the_students_behaviour_page(world):
    response = _post(world, world.teacher)
    assert response["Location"] == f"/gedrag/leerling/{world.sanne.pk}/"
    page = world.client_for(world.teacher).get(response["Location"]).text
    assert "eerste waarschuwing" in page and "GP-3" in page


def test_a_future_moment_or_another_schools_student_is_refused_on_the_form_and_nothing_written(world):
    later = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = _post(world, world.teacher, wanneer=later)
    assert response.status_code == 422 and "toekomst" in response.text
    response = _post(world, world.teacher, leerling=world.otto.pk)
    assert response.status_code == 422
    assert not Incident.objects.exists()


def test_confirming_the_proposal_on_the_page(world):
    incident(world)
    case = BehaviourCase.objects.get()
    response = world.client_for(world.teacher).post(
        f"/gedrag/leerling/{world.sanne.pk}/maatregel/",
        {"maatregel": "warning_1", "versie": case.row_version},
    )
    assert response.status_code == 302
    assert LadderMeasure.objects.get().code == "warning_1"
    response = world.client_for(world.teacher).post(
        f"/gedrag/leerling/{world.sanne.pk}/maatregel/",
        {"maatregel": "stage_1", "versie": case.row_version + 1},
    )
    assert response.status_code == 422 and "schrijf op waarom" in response.text


def test_the_behaviour_page_takes_the_same_queries_with_more_history(world):
    incident(world)
    client = world.client_for(world.carla)
    url = f"/gedrag/leerling/{world.sanne.pk}/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _n in range(6):
        incident(world)
    assert count() == few


def test_who_is_where_per_group(world):
    incident(world)
    body = world.client_for(world.mentor).get(f"/gedrag/groep/{world.group_2b.pk}/").text
    assert "Sanne" in body and "Daan" in body and str(Step(1).label) in body
    assert world.client_for(world.olga).get(f"/gedrag/groep/{world.group_2b.pk}/").status_code == 404


def test_gp_6_consent_requests_show_under_mijn_acties_and_are_decided_on_their_page(world):
    incident(world, serious=True)
    case = BehaviourCase.objects.get()
    request = request_escalation(actor=world.teacher, case=case, rule="GP-6", reason="Ernstig.")
    home = world.client_for(world.dirk).get("/").text
    assert "Instemming met stap 2 gevraagd" in home and f"/gedrag/instemming/{request.pk}/" in home
    assert f"/gedrag/instemming/{request.pk}/" not in world.client_for(world.teacher).get("/").text
    assert world.client_for(world.teacher).get(f"/gedrag/instemming/{request.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="behaviour.view_denied", success=False).exists()
    for who in (world.dirk, world.bea):
        assert (
            world.client_for(who).post(f"/gedrag/instemming/{request.pk}/", {"besluit": "ja"}).status_code
            == 302
        )
    case.refresh_from_db()
    assert case.step == Step.PERIODIC
    assert EscalationRequest.objects.get().state == "done"


def test_the_incident_page_is_phone_first_with_the_offline_script_and_no_inline_script(world):
    body = world.client_for(world.teacher).get(f"/gedrag/incident/nieuw/?leerling={world.sanne.pk}").text
    assert "behaviour/offline-form.js" in body and 'data-offline-form="behaviour-incident"' in body
    assert "<script>" not in body
    assert f'<option value="{world.sanne.pk}" selected>' in body


def test_who_is_where_takes_the_same_queries_with_more_students_on_the_ladder(world):
    from tests import factories as f

    client = world.client_for(world.carla)
    url = f"/gedrag/groep/{world.group_2b.pk}/"
    incident(world)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(4):
        student = f.StudentFactory(school=world.school, student_number=f"90{n}")
        f.place(student, world.group_2b)
        incident(world, student)
    assert count() == few


def test_the_form_sent_by_its_script_names_the_next_page_so_the_confirmation_is_seen_once(world):
    """Finding (ladder walk): the script followed the redirect, which used the "vastgelegd" message up
    on a page nobody saw, then loaded the page again without it. Now it gets 204 and X-Location."""
    client = world.client_for(world.teacher)
    payload = {"leerling": world.sanne.pk, "categorie": PHYSICAL, "feiten": "Gooide een stoel om.",
               "actie": "Afkoelen.", "besproken": "on", "rol": "actor", "client_key": "k-script"}  # fmt: skip
    response = client.post("/gedrag/incident/nieuw/", payload, headers={"X-Offline-Form": "1"})
    assert response.status_code == 204 and response["X-Location"] == f"/gedrag/leerling/{world.sanne.pk}/"
    assert Incident.objects.count() == 1
    assert "Het incident is vastgelegd." in client.get(response["X-Location"]).text
    refused = client.post(
        "/gedrag/incident/nieuw/", {**payload, "feiten": ""}, headers={"X-Offline-Form": "1"}
    )
    assert refused.status_code == 422 and Incident.objects.count() == 1  # a refusal is the form, as before
