"""Issue #13 §1: at most 12 queries on ANY page. Walks every GET row of the persona matrix
(tests/persona_routes.py, one row per URL pattern, the protocol apps' pages included) for every
persona that gets the page (expected outcome "200" in tests/persona_expectations.py) and counts the
queries of the second request (the first warms the session and the per-process caches). All
offenders are reported in one failure. The matrix world is built once for the module.

Constant in the data size is shown per page group elsewhere in tests/perf/ (a small and a grown world).
"""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.persona_expectations import KNOWN_DEVIATIONS, expected_for
from tests.persona_fixtures import _media_root, _module_media, matrix_world, request  # noqa: F401
from tests.persona_world import PERSONAS
from tests.test_persona_matrix import all_rows

from .test_query_counts import MAX_QUERIES, statements
from .test_query_counts_world import _count, _portal_session, _seen_now

pytestmark = pytest.mark.django_db

# Not pages: files and exports a user downloads, not a screen to navigate (they read what they
# render, a fixed set per document, and are exempt from the page bound), and Django's own admin.
NOT_PAGES = {
    "letter_template_preview": "a PDF preview of a letter template (rendered by WeasyPrint)",
    "letter_pdf": "a PDF download of a sent letter",
    "access_request_download:pdf": "the AVG-1 export of the whole file as PDF (reads every part of the file)",
    "access_request_download:json": "the AVG-1 export of the whole file as JSON (reads every part of the file)",
    "measures_expulsion_pdf": "the SV-4 expulsion file as one PDF (every document of the case)",
    "review_list_pdf": "the discussion list of a meeting as PDF",
    "calendar_feed": "an ICS feed for calendar apps, not a page",
    "api-v1:openapi-json": "the API schema (JSON), not a page",
}


def _get_cells() -> list[tuple[str, str, str]]:
    cells = []
    only = os.environ.get("MATRIX_ONLY", "")  # one row group while working on a page
    for label, _name, method, url in all_rows():
        if method != "GET" or label in NOT_PAGES or label.startswith(("admin:", "beheer/")):
            continue
        if only and only not in label:
            continue
        expected = expected_for(label)
        for persona in PERSONAS:
            if expected.get(persona) == "200" and (label, persona) not in KNOWN_DEVIATIONS:
                cells.append((label, persona, url))
    return cells


# Pages over the bound today, with the most queries any persona's visit makes: the walk fails when one
# makes MORE, and when one fits the bound again (then its line goes), like KNOWN_DEVIATIONS' xfails.
KNOWN_OVER: dict[str, int] = {}


def _count_cell(mw, persona: str, url: str, warm: bool) -> int:
    """The queries of one visit; `warm` first sends the same request once (session, per-process
    caches). Only the first persona of a route warms: the caches are per process, not per persona."""
    if persona not in mw.sessions:
        return _count_anonymous(mw, url)
    before = _session_of(mw, persona)
    try:
        if warm:
            return _count(mw, persona, url)
        if url.startswith("/ouders/"):
            _portal_session(mw, persona)
        _seen_now(mw, persona)
        with CaptureQueriesContext(connection) as ctx:
            response = request(mw, persona, "GET", url)
        assert response.status_code == 200, (url, persona, response.status_code)
        return statements(
            [q for q in ctx.captured_queries if not q["sql"].startswith("ROLLBACK TO SAVEPOINT")]
        )
    finally:
        _restore_session(mw, persona, before)


def test_every_page_of_the_persona_matrix_makes_at_most_12_queries(mw, _production_home_providers):
    cells = _get_cells()
    assert os.environ.get("MATRIX_ONLY") or len(cells) > 100, len(cells)  # the walk is not vacuous
    most: dict[str, tuple[int, str]] = {}
    for label, persona, url in cells:
        if persona not in mw.sessions and url.startswith("/ouders/"):
            continue  # the portal's sign-in pages for an anonymous visitor: see the staff ones
        n = _count_cell(mw, persona, url, warm=label not in most)
        if n > MAX_QUERIES:
            n = _count_cell(mw, persona, url, warm=True)  # not a cold cache of this persona's first visit
        if n > most.get(label, (-1, ""))[0]:
            most[label] = (n, persona)
    over = {
        label: f"{n} as {persona}"
        for label, (n, persona) in most.items()
        if n > KNOWN_OVER.get(label, MAX_QUERIES)
    }
    fixed = [label for label in KNOWN_OVER if label in most and most[label][0] <= MAX_QUERIES]
    assert not over, f"pages with more than {MAX_QUERIES} queries (or more than their KNOWN_OVER): {over}"
    assert not fixed, f"within {MAX_QUERIES} now, remove from KNOWN_OVER: {fixed}"


def _session_of(mw, persona) -> dict:
    from django.contrib.sessions.backends.db import SessionStore

    return dict(SessionStore(session_key=mw.sessions[persona]).load())


def _restore_session(mw, persona, data: dict) -> None:
    """_count marks the session as signed in through the portal for a portal page: put the session
    back as it was, so a staff persona's pages that follow are counted as staff."""
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore(session_key=mw.sessions[persona])
    session.clear()
    session.update(data)
    session.save()


def _count_anonymous(mw, url: str) -> int:
    request(mw, "anonymous", "GET", url)
    with CaptureQueriesContext(connection) as ctx:
        response = request(mw, "anonymous", "GET", url)
    assert response.status_code == 200, (url, response.status_code)
    return statements([q for q in ctx.captured_queries if not q["sql"].startswith("ROLLBACK TO SAVEPOINT")])


@pytest.fixture
def _production_home_providers(monkeypatch):
    """Without the test-only fake protocol's home provider (tests/fakeprotocol): what production runs."""
    from schools import home

    real = [p for p in home._PROVIDERS if not p.func.__module__.startswith("tests.")]
    monkeypatch.setattr(home, "_PROVIDERS", real)
