"""WCAG 2.2 AA basics on a phone (375 px): reflow, labels, skip link, focus, contrast, language."""

import pytest

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden')
  .filter(el => {
    const byLabel = [...(el.labels || [])].some(l => l.textContent.trim());
    const byAria = (el.getAttribute('aria-label') || '').trim();
    const byRef = (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
      .some(id => id && document.getElementById(id) && document.getElementById(id).textContent.trim());
    return !(byLabel || byAria || byRef);
  })
  .map(el => el.outerHTML)"""

# Text colour against the first opaque background behind it, WCAG's relative luminance formula.
LOW_CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.99)) return c;
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.right < 0 || box.bottom < 0) continue;
    const style = getComputedStyle(el);
    const [a, b] = [lum(rgb(style.color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && style.fontWeight >= 700);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName} "${text}" ${ratio.toFixed(2)}`);
  }
  return bad;
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _pages(world) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/leerlingen/?q=2B",
        "student": f"/leerlingen/{world.sanne.pk}/",
    }


def _check_page(page, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: {overflow}px horizontal scroll at 375px"
    assert page.evaluate(UNLABELLED) == [], f"{name}: input without a label"
    assert page.evaluate(LOW_CONTRAST) == [], f"{name}: text below AA contrast"
    # The skip link is the first stop of the keyboard and moves focus to the main content.
    first = page.evaluate(
        "[...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea,"
        ' [tabindex]:not([tabindex="-1"])\')][0].className'
    )
    assert first == "skip-link", name
    page.reload()  # start from the top of the page, nothing focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link", name
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0, (
        "skip link shows on focus"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", name
    # Focus stays visible on the next control (outline or halo).
    page.keyboard.press("Tab")
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== 'none'; })()"
    )
    assert ring, f"{name}: no visible focus on {page.evaluate('document.activeElement.outerHTML')}"


def test_login_page_on_a_phone(world, phone):
    phone.goto("/inloggen/")
    _check_page(phone, "login")


def test_staff_pages_on_a_phone(world, phone):
    log_in(phone, "mirjam@beekdal.test")
    phone.get_by_role("heading", name="Mijn acties").wait_for()
    for name, url in _pages(world).items():
        phone.goto(url)
        _check_page(phone, name)


def test_language_switch_changes_html_lang(world, phone):
    log_in(phone, "mirjam@beekdal.test")
    phone.goto("/leerlingen/")
    assert phone.locator("html").get_attribute("lang") == "nl"
    phone.get_by_label("Taal").select_option("en")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Kies").click()  # WCAG 3.2.2: the button, not the change
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.url.endswith("/leerlingen/")  # back where you were
    phone.get_by_role("heading", name="Search students").wait_for()
    phone.get_by_label("Language").select_option("nl")  # the label itself is now English
    with phone.expect_navigation():
        phone.get_by_role("button", name="Choose").click()
    assert phone.locator("html").get_attribute("lang") == "nl"
    phone.get_by_role("heading", name="Leerlingen zoeken").wait_for()


def test_language_switch_works_without_javascript(world, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/inloggen/")
        page.get_by_label("Taal").select_option("en")
        page.get_by_role("button", name="Kies").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("heading", name="Log in").wait_for()
        page.get_by_label("Language").select_option("nl")
        page.get_by_role("button", name="Choose").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "nl"
    finally:
        context.close()
