"""WCAG 1.4.10 reflow: at 375 px no page scrolls sideways. Every page of the authorization matrix,
opened by the owning school's director and functional administrator, plus the menu's list pages."""

import pytest

from tests.test_authorization_matrix import PAGES, school_b  # noqa: F401 (school_b is a fixture)

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
LIST_PAGES = [
    "/",
    "/leerlingen/?q=Otto",
    "/groepen/",
    "/dossier/termijnen/",
    "/dossier/berichten/",
    "/dossier/brieven/",
    "/dossier/inzage/",
    "/medewerkers/",
    "/schoolkalender/",
    "/instellingen/",
    "/dossier/bewaartermijnen/",
    "/protocollen/",
    "/protocollen/maatregelen/",
    "/protocollen/dossier/",
    "/dossier/logboeksjablonen/",
    "/dossier/bewaarstops/",
    "/dossier/termijnen/verlopen/",
    "/api-sleutels/",
    "/import/",
    "/beheer-school/",
    "/dossier/agenda/",
    "/account/",
]
OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > doc.clientWidth + 1)
    .filter(el => !el.closest('.table-wrap, .scroll-box'))
    .map(el => el.tagName + (el.className ? '.' + el.className : '') + ' ' + (el.textContent || '').trim().slice(0, 30));
  return {overflow: doc.scrollWidth - doc.clientWidth, wide: wide.slice(0, 5)};
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _wide(page, url: str) -> str | None:
    head = page.request.get(url, max_redirects=5)
    if not head.ok:
        return None  # not this persona's page (the matrix itself checks who gets what)
    if "text/html" not in head.headers.get("content-type", "") or "attachment" in head.headers.get(
        "content-disposition", ""
    ):
        return None  # a file download (document, PDF), not a page
    response = page.goto(url)
    result = page.evaluate(OVERFLOW)
    if result["overflow"] > 0:
        return f"{url} ({response.status}): {result['overflow']}px wider than the screen, {result['wide']}"
    return None


def test_wcag_1_4_10_no_page_of_the_matrix_scrolls_sideways_at_375px(world, school_b, phone):  # noqa: F811
    from django.utils import timezone

    from deadlines.services.deadlines import create_deadline

    # Long words as real data has them, in the owning school's lists.
    create_deadline(
        school=world.other_school, owner=world.zeno, title="Evaluatiegesprek-handelingsplan-gedrag-groepsoverstijgend",
        rule="GP-10", due_on=timezone.localdate(),
    )  # fmt: skip
    log_in(phone, "zeno@andere.test")
    phone.get_by_role("heading", name="Mijn acties").wait_for()
    # The matrix's import run has no uploaded file (its pages are the import work's own tests).
    urls = [url.format(**school_b) for url in PAGES if not url.endswith(".pdf") and "/import/" not in url]
    failures = [problem for url in urls + LIST_PAGES if (problem := _wide(phone, url))]
    assert failures == []


def test_wcag_1_4_10_board_figures_fit_a_phone(world, phone):
    log_in(phone, "bert@bestuur.test")
    phone.get_by_role("heading", name="Mijn acties").wait_for()
    assert _wide(phone, "/") is None


@pytest.mark.parametrize("email", ["tom@beekdal.test", "mirjam@beekdal.test", "carla@beekdal.test",
                                   "bea@beekdal.test", "anouk@beekdal.test", "fiona@beekdal.test"])  # fmt: skip
def test_wcag_1_4_10_every_menu_page_of_every_role_fits_a_phone(world, phone, email):
    log_in(phone, email)
    phone.get_by_role("heading", name="Mijn acties").wait_for()
    links = phone.eval_on_selector_all("header nav a", "els => els.map(a => a.getAttribute('href'))")
    if "/beheer-school/" in links:
        phone.goto("/beheer-school/")
        links += phone.eval_on_selector_all("main a", "els => els.map(a => a.getAttribute('href'))")
    failures = [problem for url in dict.fromkeys(links) if (problem := _wide(phone, url))]
    assert failures == []
