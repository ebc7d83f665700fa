"""The signal grid in Chromium (LB-4): by keyboard alone, each answer saved as given, and an answer
given while the connection is down kept in the browser and sent once it is back, even from a new tab."""

import re

import pytest
from playwright.sync_api import expect

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
    # Saved in the database before the browser swaps the response in: wait for the swap, not a race.
    expect(page.locator("#signal-progress")).to_have_text("1/12")
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
    expect(page.locator(f"#a-{world.sanne.pk}-3").locator("xpath=..")).to_have_class(
        re.compile(r"\bunsaved\b")
    )
    assert "3" not in _answers(world)
    page.close()  # the tab is closed while offline
    page.context.set_offline(False)
    tab = page.context.new_page()
    tab.goto(f"/signaleringslijst/{signal_round.pk}/")
    assert _wait_for(tab, lambda: _answers(world) == {"0": "good", "3": "concern"})
    assert _wait_for(tab, lambda: tab.evaluate("Object.keys(localStorage).length") == 0)


_LOAD_SCRIPTS = """async (names) => {
  // As the page would have: the same files, with the page's CSP nonce.
  const nonce = document.querySelector("script[nonce]").nonce;
  for (const name of names) {
    const src = document.querySelector(`script[src*="${name}"]`).src;
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src; script.nonce = nonce; script.onload = resolve; script.onerror = reject;
      document.head.append(script);
    });
  }
}"""


def test_lb_4_answer_given_before_the_scripts_were_ready_is_sent_when_they_start(world, page):
    """An answer changed before htmx and the grid's script were ready was neither sent nor kept (lost
    without a word): the script, when it starts, sends every answer that differs from what the
    server rendered."""
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    log_in(page, "tom@beekdal.test")
    for script in ("**/htmx.min.js*", "**/signal_grid.js*"):
        page.route(script, lambda route: route.abort())
    page.goto(f"/signaleringslijst/{signal_round.pk}/")
    page.locator(f"#a-{world.sanne.pk}-2").select_option("concern")
    page.locator(f"#a-{world.sanne.pk}-remark").fill("Kwam te laat binnen.")
    assert page.evaluate("typeof window.htmx") == "undefined"
    assert _answers(world) == {}
    page.unroute_all()
    page.evaluate(_LOAD_SCRIPTS, ["htmx.min.js", "signal_grid.js"])
    assert _wait_for(page, lambda: _answers(world) == {"2": "concern", "remark": "Kwam te laat binnen."})
    assert _wait_for(page, lambda: page.evaluate("Object.keys(localStorage).length") == 0)
