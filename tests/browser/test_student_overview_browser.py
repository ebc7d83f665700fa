"""The student's page as the care overview at 375 px (issue 10 §8, issue 12 §8): every panel the care
coordinator may see is visible, the page does not scroll sideways, and axe finds nothing serious."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.schools.overview_history import full_history

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
              "resultTypes": ["violations"]}  # fmt: skip
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_student_overview_on_a_phone_shows_the_panels_without_sideways_scrolling(world, page):
    full_history(world)
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, "carla@beekdal.test")
    page.goto(f"/leerlingen/{world.sanne.pk}/")
    for heading in ("Gedrag: stap en wat er moet gebeuren", "Recente incidenten",
                    "Afspraken uit de leerlingbespreking", "Open maatregelen", "Wacht op handtekeningen"):  # fmt: skip
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.evaluate(OVERFLOW) <= 0
    results = Axe().run(page, options=WCAG_22_AA)
    serious = [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
