"""The signal grid in Chromium (LB-4): by keyboard alone, each answer saved as given, and an answer
given while the connection is down kept in the browser and sent once it is back, even from a new tab."""

import pytest

from reviews.models_cycle import SignalResponse
from reviews.services.signals import open_signal_round
from tests.reviews.cycle_helpers import plan

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answers(world):
    return SignalResponse.objects.get(teacher=world.teacher, student=world.sanne).answers


def _wait_for(tab, check, timeout_ms=8000):
    for _ in range(timeout_ms // 100):
        if check():
            return True
        tab.wait_for_timeout(100)
    return check()


def test_lb_4_grid_by_keyboard_saves_each_answer_and_survives_a_dropped_connection(world, page):
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    log_in(page, "tom@beekdal.test")
    page.goto(f"/signaleringslijst/{signal_round.pk}/")
    page.set_viewport_size({"width": 375, "height": 800})
    # Daan Jansen comes before Sanne de Vries: Sanne is the second row.
    first = page.locator(f"#a-{world.sanne.pk}-0")
    first.focus()
    first.select_option("good")
    assert _wait_for(page, lambda: _answers(world) == {"0": "good"})
    assert page.locator("#signal-progress").inner_text() == "1/12"
    # Ctrl + arrow keys move through the grid; Tab to the next cell.
    page.keyboard.press("Control+ArrowRight")
    assert page.evaluate("document.activeElement.id") == f"a-{world.sanne.pk}-1"
    page.keyboard.press("Control+ArrowUp")
    assert page.evaluate("document.activeElement.id") == f"a-{world.daan.pk}-1"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"a-{world.daan.pk}-2"
    # The connection drops: the answer is kept in the browser, marked unsaved.
    page.context.set_offline(True)
    page.locator(f"#a-{world.sanne.pk}-3").select_option("concern")
    page.wait_for_timeout(500)
    assert "unsaved" in page.locator(f"#a-{world.sanne.pk}-3").locator("xpath=..").get_attribute("class")
    assert "3" not in _answers(world)
    page.close()  # the tab is closed while offline
    page.context.set_offline(False)
    tab = page.context.new_page()
    tab.goto(f"/signaleringslijst/{signal_round.pk}/")
    assert _wait_for(tab, lambda: _answers(world) == {"0": "good", "3": "concern"})
    assert _wait_for(tab, lambda: tab.evaluate("Object.keys(localStorage).length") == 0)
