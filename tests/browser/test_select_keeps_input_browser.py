"""A select never discards typed input and never acts before the user confirms with a button (WCAG 3.2.2)."""

import pytest

from dossier.models import LogTemplate

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _templates(world):
    LogTemplate.objects.create(school=world.school, name="Telefoongesprek", body="Gebeld met:\nAfspraken:")
    LogTemplate.objects.create(school=world.school, name="Observatie", body="Gezien in de les:")


def test_wcag_3_2_2_choosing_a_log_template_with_the_arrow_keys_keeps_typed_text(world, page):
    _templates(world)
    log_in(page, "mirjam@beekdal.test")
    page.goto(f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/")
    page.get_by_label("Onderwerp").fill("Gesprek met moeder")
    page.get_by_label("Notitie").fill("Moeder belde over het huiswerk.")
    select = page.get_by_label("Sjabloon", exact=True)
    select.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    # Nothing happened yet: no reload, the typed text is there.
    assert page.get_by_label("Onderwerp").input_value() == "Gesprek met moeder"
    assert page.get_by_label("Notitie").input_value() == "Moeder belde over het huiswerk."
    # Confirming adds the template's text to what was typed; nothing typed is lost.
    page.get_by_role("button", name="Sjabloon gebruiken").click()
    page.wait_for_load_state()
    assert page.get_by_label("Onderwerp").input_value() == "Gesprek met moeder"
    body = page.get_by_label("Notitie").input_value()
    assert body.startswith("Moeder belde over het huiswerk.")
    assert "Gebeld met:" in body or "Gezien in de les:" in body
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/logboek/*/")
    assert page.get_by_role("heading", name="Gesprek met moeder").is_visible()


def test_wcag_3_2_2_an_empty_note_takes_the_template(world, page):
    _templates(world)
    log_in(page, "mirjam@beekdal.test")
    page.goto(f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/")
    page.get_by_label("Sjabloon", exact=True).select_option(label="Telefoongesprek")
    page.get_by_role("button", name="Sjabloon gebruiken").click()
    page.wait_for_load_state()
    assert page.get_by_label("Onderwerp").input_value() == "Telefoongesprek"
    assert page.get_by_label("Notitie").input_value().startswith("Gebeld met:")


def test_wcag_3_2_2_language_select_switches_only_on_the_button(world, page):
    log_in(page, "mirjam@beekdal.test")
    select = page.get_by_label("Taal")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.get_by_role("button", name="Kies").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
