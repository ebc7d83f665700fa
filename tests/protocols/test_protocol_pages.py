"""The protocol page (issue 9): who may open it, validation by rule, the reason, the stale-edit check."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from protocols.models import ProtocolVersion
from protocols.registry import FILE, MEASURES, settings_for
from protocols.services import change_protocol, current_version
from schools.calendar import dagdeel_minutes

pytestmark = pytest.mark.django_db

URL = "/protocollen/maatregelen/"


def form_data(protocol=MEASURES, based_on=0, **overrides):
    data = {key: "\n".join(d) if isinstance(d := declared.default, tuple) else d
            for key, declared in settings_for(protocol).items()}  # fmt: skip
    data.update({"based_on": based_on, "reason": "Besproken in de MR", "effective_on": ""})
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["dirk", "fiona"])
def test_director_and_functional_admin_open_and_change_the_protocols(world, persona):
    client = world.client_for(getattr(world, persona))
    listing = client.get(reverse("protocol_list"))
    assert listing.status_code == 200 and "Time-out, schorsing en verwijdering" in listing.text
    assert 'class="stack"' in listing.text and "data-label" in listing.text
    response = client.post(URL, form_data(decision_term_weeks=3))
    assert response.status_code == 302
    version = current_version(world.school, MEASURES)
    assert version.number == 1 and version.value("decision_term_weeks") == 3
    page = client.get(URL)
    assert "Versie 1 geldt sinds" in page.text and "Besproken in de MR" in page.text
    assert client.get(reverse("protocol_version", args=[version.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["teacher", "carla", "bea", "anouk"])
def test_teacher_and_care_coordinator_get_404_for_the_protocol_pages(world, persona):
    version = change_protocol(
        actor=world.dirk, school=world.school, protocol=MEASURES, values={"decision_term_weeks": 3},
        reason="x", based_on=0,
    )  # fmt: skip
    client = world.client_for(getattr(world, persona))
    for url in ("/protocollen/", URL, f"/protocollen/versies/{version.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(URL, form_data(decision_term_weeks=2)).status_code == 404
    assert current_version(world.school, MEASURES).number == 1


def test_law_1_the_page_names_the_rule_when_a_suspension_is_too_long(world):
    response = world.client_for(world.dirk).post(URL, form_data(suspension_max_school_days=10))
    assert response.status_code == 422
    assert "wettelijke grens (LAW-1, SV-2)" in response.text
    assert 'value="10"' in response.text  # the input is shown again
    assert not ProtocolVersion.objects.filter(school=world.school).exists()


def test_law_4_the_page_refuses_another_objection_period(world):
    response = world.client_for(world.fiona).post(URL, form_data(objection_period_weeks=4))
    assert response.status_code == 422 and "LAW-4" in response.text


def test_the_page_requires_a_reason(world):
    response = world.client_for(world.dirk).post(URL, form_data(reason="", decision_term_weeks=3))
    assert response.status_code == 422 and "Dit veld is verplicht" in response.text
    assert current_version(world.school, MEASURES).number == 0


def test_stale_edit_is_refused_with_a_clear_message_and_the_input_kept(world):
    client = world.client_for(world.dirk)
    assert client.post(URL, form_data(decision_term_weeks=3)).status_code == 302  # someone else, meanwhile
    response = client.post(URL, form_data(based_on=0, suspension_max_school_days=2, reason="Mijn reden"))
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.text
    assert "Mijn reden" in response.text and 'name="suspension_max_school_days"' in response.text
    assert 'value="2"' in response.text
    version = current_version(world.school, MEASURES)
    assert version.number == 1 and version.value("suspension_max_school_days") == 5


def test_the_page_shows_differences_from_the_previous_version_and_the_seed(world):
    client = world.client_for(world.dirk)
    client.post(URL, form_data(decision_term_weeks=3))
    client.post(URL, form_data(based_on=1, decision_term_weeks=3, suspension_max_school_days=4))
    page = client.get(URL).text
    assert page.count("afwijkend van de standaard") == 2 and page.count("gewijzigd</span>") == 1
    rows = AuditEvent.objects.filter(action="protocols.version.created").order_by("pk")
    assert [row.data["number"] for row in rows] == [1, 2]


def test_the_dagdeel_has_one_declared_range(world):
    client = world.client_for(world.fiona)
    url = "/protocollen/dossier/"
    assert (
        client.post(url, form_data(FILE, dagdeel_minutes=360)).status_code == 422
    )  # the old form allowed it
    assert client.post(url, form_data(FILE, dagdeel_minutes=240)).status_code == 302
    assert dagdeel_minutes(world.school) == 240
    assert "240 minuten" in client.get("/schoolkalender/").text


def test_reminder_days_come_from_the_version_in_force(world):
    client = world.client_for(world.fiona)
    assert (
        client.post("/protocollen/dossier/", form_data(FILE, reminder_school_days_before=5)).status_code
        == 302
    )
    assert current_version(world.school, FILE).value("reminder_school_days_before") == 5


def test_the_reminder_service_reads_the_days_from_the_version(world):
    import datetime

    from deadlines.services.deadlines import create_deadline, remind_school

    monday = datetime.date(2031, 3, 3)
    create_deadline(
        school=world.school,
        owner=world.carla,
        title="Evaluatie",
        rule="GP-10",
        due_on=monday + datetime.timedelta(days=4),
    )
    assert remind_school(world.school, today=monday)["before"] == 0  # the seed: 2 school days before
    change_protocol(
        actor=world.fiona, school=world.school, protocol=FILE, values={"reminder_school_days_before": 5},
        reason="Eerder herinneren", based_on=0,
    )  # fmt: skip
    assert remind_school(world.school, today=monday)["before"] == 1


def test_unknown_protocol_is_404(world):
    assert world.client_for(world.dirk).get("/protocollen/onbekend/").status_code == 404


def test_a_version_cannot_take_effect_in_the_past_but_may_later(world):
    import datetime

    from django.utils import timezone

    client = world.client_for(world.dirk)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(URL, form_data(decision_term_weeks=3, effective_on=yesterday.isoformat()))
    assert response.status_code == 422 and "terugwerkende kracht" in response.text
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    assert (
        client.post(URL, form_data(decision_term_weeks=3, effective_on=next_week.isoformat())).status_code
        == 302
    )
    assert current_version(world.school, MEASURES).value("decision_term_weeks") == 4
    page = client.get(URL).text
    assert "Versie 1 gaat in op" in page
