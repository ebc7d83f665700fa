"""GP-2 on a phone: an incident registered at 375 px in at most six fields or taps, and a form that
lost its connection keeps its input and sends it when the connection returns (issue 10 §2)."""

import pytest

from behaviour.models_incidents import Incident
from behaviour.settings import SEED_CATEGORIES
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
CONTROLS = """() => [...document.querySelectorAll('form.incident-form :is(input, select, textarea, button)')]
  .filter(el => el.type !== 'hidden' && el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)'))
  .map(el => el.name || el.type)"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fill_typical(page, world, facts="Gooide een stoel om in de klas."):
    page.select_option("#id_leerling", str(world.sanne.pk))  # 1
    page.select_option("#id_categorie", SEED_CATEGORIES[0])  # 2
    page.fill("#id_feiten", facts)  # 3
    page.fill("#id_actie", "Even laten afkoelen op de gang.")  # 4
    page.check("#id_besproken")  # 5


def test_gp_2_a_typical_incident_takes_at_most_six_fields_or_taps_at_375_px(world, phone):
    log_in(phone, world.teacher.user.email)
    phone.goto("/gedrag/incident/nieuw/")
    visible = phone.evaluate(CONTROLS)
    assert len(visible) <= 6, visible
    assert visible == ["leerling", "categorie", "feiten", "actie", "besproken", "submit"]
    assert phone.evaluate(OVERFLOW) <= 0
    _fill_typical(phone, world)
    phone.get_by_role("button", name="Vastleggen").click()  # 6
    phone.wait_for_url(f"**/gedrag/leerling/{world.sanne.pk}/")
    made = Incident.objects.get()
    assert made.discussed_with_student and made.reported_by == world.teacher
    assert "eerste waarschuwing" in phone.content()
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path="var/test-artefacts/incident-375.png", full_page=True)


def test_an_incident_typed_offline_is_kept_and_sent_when_the_connection_returns(world, phone):
    log_in(phone, world.teacher.user.email)
    phone.goto("/gedrag/incident/nieuw/")
    _fill_typical(phone, world, facts="Schopte tegen de deur, offline vastgelegd.")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Vastleggen").click()
    status = phone.locator("#offline-status")
    status.wait_for(state="visible")
    assert "Geen verbinding" in status.inner_text()
    assert phone.evaluate("() => JSON.parse(localStorage.getItem('leerlingzorg-offline-queue')).length") == 1
    assert not Incident.objects.exists()
    phone.context.set_offline(False)
    phone.wait_for_function(
        "() => JSON.parse(localStorage.getItem('leerlingzorg-offline-queue') || '[]').length === 0"
    )
    made = Incident.objects.get()
    assert made.facts == "Schopte tegen de deur, offline vastgelegd."
    assert made.client_key  # resent with its own key: a second resend lands once


def test_a_draft_survives_a_reload(world, phone):
    log_in(phone, world.teacher.user.email)
    phone.goto("/gedrag/incident/nieuw/")
    phone.fill("#id_feiten", "Half getypt")
    phone.reload()
    assert phone.input_value("#id_feiten") == "Half getypt"
