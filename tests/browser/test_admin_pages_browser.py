"""The log template and legal hold screens on a phone: reflow, labels, skip link, focus, contrast."""

import pytest

from dossier.services.retention import place_legal_hold

from .conftest import log_in
from .test_accessibility import _check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_admin_screens_on_a_phone(world, phone):
    hold = place_legal_hold(actor=world.carla.user, student=world.daan, reason="Bezwaar van ouders")
    log_in(phone, "carla@beekdal.test")
    phone.get_by_role("heading", name="Mijn acties").wait_for()
    phone.goto("/dossier/logboeksjablonen/")
    phone.get_by_role("heading", name="Logboeksjablonen").wait_for()
    _check_page(phone, "log templates")
    phone.get_by_role("link", name="Wijzigen").first.click()
    phone.get_by_label("Naam").wait_for()
    _check_page(phone, "log template form")
    pages = {
        "file with hold block": f"/dossier/leerling/{world.sanne.pk}/",
        "place hold": f"/dossier/leerling/{world.sanne.pk}/bewaarstop/",
        "lift hold": f"/dossier/bewaarstop/{hold.pk}/opheffen/",
        "holds": "/dossier/bewaarstops/",
    }
    for name, url in pages.items():
        phone.goto(url)
        _check_page(phone, name)
    # Placing through the page: the block on the file then says the hold is active.
    phone.goto(pages["place hold"])
    phone.get_by_label("Reden van de bewaarstop").fill("Klachtprocedure loopt")
    phone.get_by_role("button", name="Bewaarstop plaatsen").click()
    phone.get_by_text("Klachtprocedure loopt").wait_for()
    assert phone.get_by_role("link", name="Bewaarstop opheffen").is_visible()
