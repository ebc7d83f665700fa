"""The meeting screen in Chromium (LB-6, LB-8, LB-9, LB-10): the chair and the minute-taker at once,
the label check while typing, a vague goal refused, the timer, no sideways scrolling at 375 px and
no serious axe finding."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from reviews.models import Agreement, StudentDiscussion
from tests.reviews.factories import ReviewMeetingFactory
from tests.reviews.meeting_support import started

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
              "resultTypes": ["violations"]}  # fmt: skip
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _serious(p) -> list[str]:
    results = Axe().run(p, options=WCAG_22_AA)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_lb_8_lb_9_meeting_screen_live_in_the_browser(world, page, browser):
    meeting_2b = ReviewMeetingFactory(group=world.group_2b, leader=world.mentor, chair=world.carla,
                                      minute_taker=world.teacher)  # fmt: skip
    started(world, meeting_2b, world.sanne)
    url = f"/besprekingen/{meeting_2b.pk}/vergadering/?leerling={world.sanne.pk}"
    log_in(page, "carla@beekdal.test")
    page.goto(url)
    # LB-8: a label is flagged while typing; the save records that it was shown.
    page.get_by_label("Wat niet goed loopt").fill("Sanne is lui.")
    page.locator("#text-check").get_by_text("Dit is een etiket").wait_for()
    page.get_by_label("Wat niet goed loopt").fill("Sanne maakt haar opdrachten niet af.")
    page.locator("#discussion-form").get_by_role("button", name="Opslaan").click()
    page.locator("#discussion-form").get_by_text("Opgeslagen.").wait_for()
    assert StudentDiscussion.objects.get().text_warnings == ["label"]
    # LB-9: a vague goal is flagged while typing and refused on save, the typed goal kept.
    new = page.locator("#agreements form.card")
    new.get_by_label("Concreet, waarneembaar doel").fill("Sanne gaat beter opletten.")
    page.locator("#agreement-check").get_by_text("Dit doel is vaag").wait_for()
    new.get_by_label("Tom Leraar").check()
    evaluate_on = timezone.localdate() + datetime.timedelta(days=60)
    new.get_by_label("Evaluatiedatum").fill(evaluate_on.isoformat())
    new.get_by_role("button", name="Afspraak vastleggen").click()
    page.locator("#agreements").get_by_text("Herschrijf het zo dat je het kunt waarnemen").wait_for()
    assert not Agreement.objects.exists()
    new = page.locator("#agreements form.card")
    new.get_by_label("Concreet, waarneembaar doel").fill(
        "Sanne schrijft elke les het huiswerk in haar planner."
    )
    new.get_by_label("Tom Leraar").check()
    new.get_by_label("Evaluatiedatum").fill(evaluate_on.isoformat())
    new.get_by_role("button", name="Afspraak vastleggen").click()
    page.locator("#agreements").get_by_text("Sanne schrijft elke les het huiswerk").first.wait_for()
    assert Agreement.objects.get().text_warnings == ["vague_goal"]
    # LB-6: the chair's timer runs from a file script (CSP).
    before = page.locator("[data-timer-display]").inner_text()
    page.get_by_role("button", name="Start").click()
    page.wait_for_function(
        "b => document.querySelector('[data-timer-display]').textContent !== b", arg=before
    )
    assert _serious(page) == []
    # The minute-taker's screen on a phone: no sideways scrolling, no serious axe finding.
    context = browser.new_context(base_url=page.url.split("/besprekingen")[0], locale="nl-NL",
                                  viewport={"width": 375, "height": 740})  # fmt: skip
    phone = context.new_page()
    log_in(phone, "tom@beekdal.test")
    phone.goto(url)
    phone.get_by_role("heading", name="Sanne de Vries").wait_for()
    assert phone.evaluate(OVERFLOW) <= 0
    try:
        assert _serious(phone) == []
    finally:
        context.close()
