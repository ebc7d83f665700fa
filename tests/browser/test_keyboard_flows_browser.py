"""WCAG 2.1.1 and 2.4.7 (issue #13 §6): the main flows by keyboard alone, with a visible focus on
every control reached, at 375 px and at 1280 px: log-in, incident registration, the signal grid,
meeting mode and signing in the portal. Only key presses after the page is opened; every focused
control must show an outline or a box-shadow (computed style)."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from behaviour.models_incidents import Incident
from reviews.models import StudentDiscussion
from reviews.models_cycle import SignalResponse
from reviews.services.signals import open_signal_round
from signatures.models import Signature
from signatures.services.signatures import create_signable_document
from tests.queued import run_queued_tasks
from tests.reviews.cycle_helpers import plan
from tests.reviews.factories import ReviewMeetingFactory
from tests.reviews.meeting_support import started

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"375": {"width": 375, "height": 740}, "1280": {"width": 1280, "height": 900}}
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: null};
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = !!s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName, id: el.id, name: el.getAttribute('name'), text: (el.innerText || el.value || '').trim(),
          label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : '', visible: outline || shadow};
}"""


@pytest.fixture(params=list(SIZES))
def kb(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=SIZES[request.param])
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def tab_to(page, matches, *, limit: int = 80) -> dict:
    """Press Tab until the focused control matches; every control passed must show its focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        seen.append(focused.get("text") or focused.get("id") or focused.get("tag"))
        if focused["tag"] is None:
            continue
        assert focused["visible"], f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"not reached by Tab on {page.url}; focus went through {seen[:30]}")


def enter_and_wait(page) -> None:
    """Enter on a link or a submit button, then wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def by_id(ident):
    return lambda f: f["id"] == ident


def by_text(text):
    return lambda f: f["text"] == text


def by_label(text):
    return lambda f: text in f["label"]


def keyboard_log_in(page, email: str, password: str = "geheim-wachtwoord") -> None:
    page.goto("/inloggen/")
    tab_to(page, by_label("E-mailadres"))
    page.keyboard.type(email)
    tab_to(page, by_label("Wachtwoord"))
    page.keyboard.type(password)
    tab_to(page, by_text("Inloggen"))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def test_wcag_2_1_1_log_in_by_keyboard_with_visible_focus(world, kb):
    keyboard_log_in(kb, world.teacher.user.email)
    assert urlparse(kb.url).path == "/"  # the home page


def test_wcag_2_1_1_incident_registration_by_keyboard(world, kb):
    keyboard_log_in(kb, world.teacher.user.email)
    kb.goto("/gedrag/incident/nieuw/")
    tab_to(kb, by_id("id_leerling"))
    kb.keyboard.type("Sanne")  # a select's type-ahead
    tab_to(kb, by_id("id_categorie"))
    kb.keyboard.press("ArrowDown")
    tab_to(kb, by_id("id_feiten"))
    kb.keyboard.type("Gooide een stoel om in de klas.")
    tab_to(kb, by_id("id_actie"))
    kb.keyboard.type("Even laten afkoelen op de gang.")
    tab_to(kb, by_id("id_besproken"))
    kb.keyboard.press("Space")
    tab_to(kb, by_text("Vastleggen"))
    kb.keyboard.press("Enter")
    kb.wait_for_url(f"**/gedrag/leerling/{world.sanne.pk}/")
    assert Incident.objects.get().discussed_with_student


def test_lb_4_signal_grid_by_keyboard(world, kb):
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    keyboard_log_in(kb, "tom@beekdal.test")
    kb.goto(f"/signaleringslijst/{signal_round.pk}/")
    tab_to(kb, by_id(f"a-{world.sanne.pk}-0"))
    kb.keyboard.press("ArrowDown")  # the first answer
    kb.keyboard.press("Control+ArrowRight")
    assert kb.evaluate(FOCUS)["id"] == f"a-{world.sanne.pk}-1"
    assert kb.evaluate(FOCUS)["visible"]
    kb.wait_for_function("() => document.querySelector('#signal-progress').textContent.startsWith('1/')")
    answers = SignalResponse.objects.get(teacher=world.teacher, student=world.sanne).answers
    assert list(answers) == ["0"]


def test_lb_6_meeting_mode_by_keyboard(world, kb):
    meeting = ReviewMeetingFactory(group=world.group_2b, leader=world.mentor, chair=world.carla,
                                   minute_taker=world.teacher)  # fmt: skip
    started(world, meeting, world.sanne)
    keyboard_log_in(kb, "carla@beekdal.test")
    kb.goto(f"/besprekingen/{meeting.pk}/vergadering/?leerling={world.sanne.pk}")
    tab_to(kb, by_label("Wat niet goed loopt"))
    kb.keyboard.type("Sanne maakt haar opdrachten niet af.")
    tab_to(kb, lambda f: f["text"] == "Opslaan" and f["tag"] == "BUTTON")
    kb.keyboard.press("Enter")
    kb.locator("#discussion-form").get_by_text("Opgeslagen.").wait_for()
    assert "opdrachten niet af" in str(StudentDiscussion.objects.get().__dict__)


def test_wcag_2_1_1_portal_signing_by_keyboard(world, kb):
    create_signable_document(actor=world.carla, student=world.sanne, title="Verslag gesprek",
                             content="Wij spraken over de overstap.")  # fmt: skip
    from portal.services.portal import request_login_link

    request_login_link(email=world.parent_sanne.email, base_url="http://testserver/")
    run_queued_tasks()
    link = re.search(r"http://testserver(/ouders/link/\S+/)", mail.outbox[-1].body).group(1)
    kb.goto(link)
    tab_to(kb, by_text("Inloggen"))
    enter_and_wait(kb)
    tab_to(kb, by_text("Sanne de Vries"))
    enter_and_wait(kb)
    tab_to(kb, by_text("Verslag gesprek"))
    enter_and_wait(kb)
    tab_to(kb, lambda f: f["name"] == "decision")  # a radio group is one Tab stop; arrows choose
    for _ in range(4):
        if "voor gezien" in kb.evaluate(FOCUS)["label"]:
            break
        kb.keyboard.press("ArrowDown")
    focused = kb.evaluate(FOCUS)
    assert "voor gezien" in focused["label"] and focused["visible"], focused
    tab_to(kb, by_text("Ondertekenen"))
    enter_and_wait(kb)
    kb.get_by_text("U heeft deze versie").wait_for()
    assert Signature.objects.get().decision == "voor_gezien"
