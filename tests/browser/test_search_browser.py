"""Student search answers while typing, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_answers_while_typing(world, page):
    log_in(page, "mirjam@beekdal.test")
    page.get_by_role("link", name="Leerlingen").click()
    page.get_by_label("Naam, leerlingnummer of groep").press_sequentially("sann", delay=30)
    result = page.get_by_role("link", name="Vries, Sanne de")
    result.wait_for()
    # No form submit happened: the URL follows the query through hx-push-url. Waited for: on a busy
    # machine a request for "san" may answer first (Sanne is in its results too) and push its own URL.
    expect(page).to_have_url(re.compile(r"[?&]q=sann(&|$)"))
    result.click()
    expect(
        page.get_by_role("heading", name="Sanne de Vries")
    ).to_be_visible()  # the click only waits for the new page to start
