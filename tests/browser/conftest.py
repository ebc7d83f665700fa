"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls in test set-up are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# axe-core over the page each browser test leaves behind (issue #13 §6): WCAG 2.2 A/AA, serious and
# critical findings fail the test at teardown. One scan per test (the final state), so every page a
# walk ends on is checked without slowing the walks; tests/browser/test_axe_browser.py scans every
# role's menu pages itself. AXE_FINAL_SCAN=0 turns it off (to measure its cost).
WCAG_22_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
SERIOUS = ("serious", "critical")


def serious_axe_findings(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.2 A/AA findings on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_22_AA)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def _final_axe_scan(page, visited: list[str]) -> list[str]:
    if page.is_closed() or not page.url.startswith("http"):
        return []
    try:
        page.wait_for_load_state("load", timeout=5_000)
        if page.evaluate("document.contentType") != "text/html":
            return []  # a PDF, a calendar feed, a download
    except Exception:  # noqa: BLE001 — a page in the middle of closing: nothing left to scan
        return []
    findings = serious_axe_findings(page)
    return [f"{page.url} (the last of {len(visited)} pages this test visited): {f}" for f in findings]


@pytest.fixture(autouse=True)
def _axe_on_every_browser_test(request):
    """Every browser context a test opens (the `page` fixture below or a test's own phone/desktop
    fixture) is scanned before it closes: each of its pages once, in the state the test left it.
    Not after a failed test (its own failure says more), not in test_axe_browser (it scans itself)."""
    if (
        "browser" not in request.fixturenames
        or request.module.__name__.endswith("test_axe_browser")
        or os.environ.get("AXE_FINAL_SCAN", "1") == "0"
    ):
        yield
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def scanned_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        visited: list[str] = []
        context.on(
            "page",
            lambda p: p.on("framenavigated", lambda f: f.parent_frame is None and visited.append(f.url)),
        )
        close = context.close

        def close_after_scan(*a, **kw):
            call = getattr(request.node, "rep_call", None)
            findings = []
            if call is not None and call.passed:
                for p in context.pages:
                    findings += _final_axe_scan(p, visited)
            close(*a, **kw)
            if findings:
                pytest.fail(
                    "axe-core (WCAG 2.2 AA), serious or critical:\n" + "\n".join(findings), pytrace=False
                )

        context.close = close_after_scan
        return context

    browser.new_context = scanned_context
    try:
        yield
    finally:
        del browser.new_context  # the instance attribute: the class's method again


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item: the scan runs only after a passed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def log_in(page, email: str, password: str = "geheim-wachtwoord") -> None:
    page.goto("/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
