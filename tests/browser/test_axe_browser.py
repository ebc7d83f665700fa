"""axe-core (bundled by axe-playwright-python, no CDN) over every role's pages at 1280 and 375 px:
no serious or critical WCAG 2.2 A/AA violation (issue 8 §5)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from deadlines.services.deadlines import create_deadline
from dossier.services.logbook import write_log_entry
from signatures.services.signatures import create_signable_document

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
              "resultTypes": ["violations"]}  # fmt: skip
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
ROLES = ["tom@beekdal.test", "mirjam@beekdal.test", "carla@beekdal.test", "bea@beekdal.test",
         "dirk@beekdal.test", "anouk@beekdal.test", "fiona@beekdal.test", "bert@bestuur.test"]  # fmt: skip


def _living_file(world):
    write_log_entry(actor=world.mentor.user, student=world.sanne, title="Gesprek", body="Sanne vertelde.")
    create_deadline(school=world.school, owner=world.carla, student=world.sanne, title="Evaluatie",
                    rule="GP-10", due_on=timezone.localdate())  # fmt: skip
    create_signable_document(actor=world.carla, student=world.sanne, title="Afspraken", content="Sanne doet mee.",
                             signers=[world.parent_sanne, world.mentor])  # fmt: skip


def _pages(page, world) -> list[str]:
    links = page.eval_on_selector_all("header nav a", "els => els.map(a => a.getAttribute('href'))")
    if "/beheer-school/" in links:
        page.goto("/beheer-school/")
        links += page.eval_on_selector_all("main a", "els => els.map(a => a.getAttribute('href'))")
    links += [f"/leerlingen/{world.sanne.pk}/", f"/dossier/leerling/{world.sanne.pk}/",
              f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/", f"/dossier/leerling/{world.sanne.pk}/bekeken/",
              f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/",
              f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/nieuw/",
              f"/dossier/leerling/{world.sanne.pk}/documenten/nieuw/",
              f"/dossier/leerling/{world.sanne.pk}/bewaarstop/", "/dossier/logboeksjablonen/nieuw/"]  # fmt: skip
    return list(dict.fromkeys(links))


def _serious(page, url: str) -> list[str]:
    head = page.request.get(url)
    if not head.ok or "text/html" not in head.headers.get("content-type", ""):
        return []
    page.goto(url)
    results = Axe().run(page, options=WCAG_22_AA)
    return [
        f"{url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("email", ROLES)
def test_wcag_2_2_aa_no_serious_axe_findings_on_any_role_page(world, browser, live_server, email, size):
    _living_file(world)
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, email)
        page.get_by_role("heading", name="Mijn acties").wait_for()
        found = [problem for url in _pages(page, world) for problem in _serious(page, url)]
    finally:
        context.close()
    assert found == []
