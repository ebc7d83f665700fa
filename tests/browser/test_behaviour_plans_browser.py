"""Steps 2 and 4 in Chromium at 375 px: a step-2 plan to the parent's signature, a step-4 placement
refused until school, parents and student signed, then started (GP-8, GP-21)."""

import re

import pytest
from django.core import mail

from behaviour.models_plans import BehaviourPlan, Placement, PlacementState
from portal.services.portal import request_login_link
from signatures.models import Signature
from tests.behaviour.plan_helpers import case_at, sign
from tests.browser.conftest import log_in
from tests.queued import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_gp_8_step_2_plan_to_the_parents_signature_on_a_phone(world, page, tmp_path):
    case_at(world.sanne, 2)
    page.set_viewport_size(PHONE)
    page.set_default_timeout(30_000)  # a shared, busy machine
    log_in(page, "tom@beekdal.test")
    page.goto(f"/gedrag/stappen/leerling/{world.sanne.pk}/")
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Gesprek en plan vastleggen").click()
    page.get_by_label("Gewenst gedrag").fill("Sanne wacht op haar beurt en steekt haar vinger op.")
    page.get_by_label("Beloning").fill("Een compliment en een sticker.")
    page.get_by_label("Manier van terugkoppelen").select_option("telefoon")
    page.get_by_label("Leerkracht die terugkoppelt").select_option(str(world.teacher.pk))
    assert no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "step2-form.png"), full_page=True)
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("Nog niet getekend door:").wait_for()
    assert "Petra de Vries" in page.content() and no_sideways_scroll(page)
    plan = BehaviourPlan.objects.get()

    # The parent signs the plan in the portal.
    parent = page.context.browser.new_context(
        base_url=page.url.split("/gedrag")[0], locale="nl-NL", viewport=PHONE
    )
    portal = parent.new_page()
    request_login_link(email=world.parent_sanne.email, base_url="http://testserver/")
    run_queued_tasks()
    link = re.search(r"http://testserver(/ouders/link/\S+/)", mail.outbox[-1].body).group(1)
    portal.goto(link)
    portal.get_by_role("button", name="Inloggen").click()
    portal.get_by_role("link", name="Sanne de Vries").click()
    portal.get_by_role("link", name="Gedragsplan (stap 2)", exact=True).first.click()
    portal.get_by_label("akkoord").first.check()
    portal.get_by_role("button", name="Ondertekenen").click()
    portal.get_by_text("U heeft deze versie").wait_for()
    parent.close()
    assert Signature.objects.get().guardian == world.parent_sanne
    assert Signature.objects.get().version.document == plan.document

    page.reload()
    page.get_by_text("Het plan is ondertekend.").wait_for()
    page.screenshot(path=str(tmp_path / "step2-signed.png"), full_page=True)


def test_gp_21_step_4_placement_waits_for_three_signatures_on_a_phone(world, page, tmp_path):
    case_at(world.sanne, 4)
    page.set_viewport_size(PHONE)
    page.set_default_timeout(30_000)  # a shared, busy machine
    log_in(page, "dirk@beekdal.test")
    page.goto(f"/gedrag/stappen/leerling/{world.sanne.pk}/")
    page.get_by_role("link", name="Stappenplan maken").click()
    page.get_by_label("Gastgroep").select_option(str(world.group_2b.pk))  # the own group: refused
    page.get_by_label("Afspraken in het stappenplan").fill("Sanne houdt zich aan de regels van 3C.")
    page.get_by_label("Werk (de eigen leerkracht blijft verantwoordelijk)").fill("Wiskunde hoofdstuk 4.")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("niet naar de eigen groep").wait_for()
    assert not Placement.objects.exists()
    page.get_by_label("Gastgroep").select_option(str(world.group_3c.pk))
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("Nog niet getekend door:").wait_for()
    page.get_by_role("button", name="Plaatsing laten beginnen (GP-21)").click()
    page.get_by_text("GP-21").first.wait_for()
    assert "Sanne de Vries" in page.content() and no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "step4-refused.png"), full_page=True)

    placement = Placement.objects.get()
    version = placement.document.current_version
    for signer in (world.dirk, world.parent_sanne, world.sanne):
        sign(version, signer)
    page.goto(f"/gedrag/stappen/leerling/{world.sanne.pk}/")
    page.get_by_role("button", name="Plaatsing laten beginnen (GP-21)").click()
    page.get_by_text("De week in de andere groep is begonnen.").wait_for()
    placement.refresh_from_db()
    assert placement.state == PlacementState.RUNNING and no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "step4-running.png"), full_page=True)
