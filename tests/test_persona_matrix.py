"""The persona × route matrix within one school (AVG-1, AVG-4).

Every URL pattern from Django's resolver and every operation of the OpenAPI schema has a row in
tests/persona_routes.py, and every row an expected outcome per persona in
tests/persona_expectations.py. A route or operation without a row fails
`test_every_route_and_api_operation_has_a_row`, so a new page cannot be added without deciding
who may open it. The care-only, director-only and health phrases planted in Sanne's file
(tests/persona_world.py) are then looked for in every answer: page bodies, PDF text, JSON
exports, search results, calendar feeds and API responses.

One world is built per module (inside a transaction that is rolled back at the end); every test
runs in its own savepoint on top of it, so what a request changes is undone after the test.
"""

from __future__ import annotations

import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .persona_expectations import EXPECT, KNOWN_DEVIATIONS, PHRASE_DEVIATIONS, expected_for, outcome
from .persona_fixtures import _media_root, _module_media, body_text, matrix_world, request  # noqa: F401
from .persona_routes import ROUTES, admin_rows
from .persona_world import PERSONAS, PHRASES, READS

pytestmark = pytest.mark.django_db


def resolver_routes(patterns=None, prefix="", namespace="") -> list[tuple[str, str]]:
    """(key, pattern) for every URL pattern: its (namespaced) name, or its pattern if unnamed."""
    found = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            found += resolver_routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            pattern = prefix + str(p.pattern)
            key = ":".join(filter(None, [namespace, p.name])) if p.name else pattern
            found.append((key, pattern))
    return found


def all_rows() -> list[tuple[str, str, str, str]]:
    return ROUTES + admin_rows(resolver_routes())


def classify(response) -> str:
    """The status class of an answer: 200, 302-login, 302, 401, 403, 404, 405 …"""
    code = response.status_code
    if code in (301, 302, 303):
        target = response.headers.get("location", "")
        if target.startswith("/ouders/inloggen/"):
            return "302-portal-login"
        if target.startswith("/inloggen/?next="):
            return "302-login"
        return "302"
    return str(code)


# --------------------------------------------------------------------------- coverage


def test_every_route_and_api_operation_has_a_row_and_every_row_an_outcome(mw):
    keys = {key for key, _ in resolver_routes()}
    rows = all_rows()
    covered = {name for _, name, _, _ in rows}
    assert not keys - covered, f"routes without a row in tests/persona_routes.py: {sorted(keys - covered)}"
    assert not covered - keys, f"rows for routes that no longer exist: {sorted(covered - keys)}"
    api = mw.client("anonymous").get("/api/v1/openapi.json").json()
    operations = {(method.upper(), path) for path, ops in api["paths"].items() for method in ops}
    rows_api = {
        (method, "/api/v1/" + pattern.removeprefix("api/v1/").replace("<int:", "{").replace(">", "}"))
        for key, pattern in resolver_routes()
        if key.startswith("api-v1:")
        for _, name, method, _ in rows
        if name == key
    }
    missing = {op for op in operations if not any(op[0] == m and op[1] == p for m, p in rows_api)}
    assert not missing, f"API operations without a row: {sorted(missing)}"
    labels = [label for label, *_ in rows]
    assert len(labels) == len(set(labels))
    no_outcome = [
        label for label in labels if not label.startswith(("admin:", "beheer/")) and label not in EXPECT
    ]
    assert not no_outcome, f"rows without expected outcomes in tests/persona_expectations.py: {no_outcome}"
    assert not set(EXPECT) - set(labels), f"outcomes for rows that are gone: {set(EXPECT) - set(labels)}"


# --------------------------------------------------------------------------- the matrix


def _cells(label):
    return [(p, expected_for(label)[p]) for p in PERSONAS if (label, p) not in KNOWN_DEVIATIONS]


def _row_params():
    params = []
    for label, _name, method, url in all_rows_static():
        params.append(pytest.param(label, method, url, id=label))
    return params


def all_rows_static():
    """The rows known at collection time (pytest-django has set Django up by then)."""
    return all_rows()


@pytest.mark.parametrize("label, method, url", _row_params())
def test_avg_4_each_persona_gets_the_expected_outcome_and_reads_no_phrase_it_may_not(mw, label, method, url):
    wrong, leaks = [], []
    for persona, expected in _cells(label):
        response = request(mw, persona, method, url)
        got = classify(response)
        if got != outcome(expected):
            wrong.append(f"{persona}: expected {expected}, got {got}")
        text = body_text(response)
        for kind, phrase in PHRASES.items():
            if (
                phrase in text
                and persona not in READS[kind]
                and (label, persona, kind) not in PHRASE_DEVIATIONS
            ):
                leaks.append(f"{persona} reads the {kind} phrase")
    assert not wrong and not leaks, f"{label} {url}: " + "; ".join(wrong + leaks)


@pytest.mark.parametrize(
    "label, persona",
    [
        pytest.param(
            label, persona, marks=pytest.mark.xfail(strict=True, reason=reason), id=f"{label}-{persona}"
        )
        for (label, persona), reason in KNOWN_DEVIATIONS.items()
    ],
)
def test_avg_4_known_deviation_gets_the_intended_outcome(mw, label, persona):
    _, _, method, url = next(row for row in all_rows() if row[0] == label)
    response = request(mw, persona, method, url)
    assert classify(response) == outcome(expected_for(label)[persona])


@pytest.mark.parametrize(
    "label, persona, kind",
    [
        pytest.param(*key, marks=pytest.mark.xfail(strict=True, reason=reason), id="-".join(key))
        for key, reason in PHRASE_DEVIATIONS.items()
    ],
)
def test_avg_4_known_phrase_leak_is_closed(mw, label, persona, kind):
    _, _, method, url = next(row for row in all_rows() if row[0] == label)
    assert PHRASES[kind] not in body_text(request(mw, persona, method, url))


@pytest.mark.skipif(
    not os.environ.get("MATRIX_DISCOVER"), reason="prints today's outcomes (MATRIX_DISCOVER=1)"
)
def test_print_todays_outcomes(mw):
    lines = []
    only = os.environ.get("MATRIX_ONLY", "")
    for label, _, method, url in all_rows():
        if only and only not in label:
            continue
        cells = []
        for persona in PERSONAS:
            response = request(mw, persona, method, url)
            text = body_text(response)
            seen = "".join(k[0].upper() for k, ph in PHRASES.items() if ph in text)
            cells.append(f"{persona}={classify(response)}{'!' + seen if seen else ''}")
        lines.append(f"{label}: " + " ".join(cells))
    with open(os.environ["MATRIX_DISCOVER"], "w") as out:
        out.write("\n".join(lines))


# --------------------------------------------------------------------------- other channels


@pytest.mark.parametrize("persona", ["teacher", "mentor", "care_coordinator", "director", "functional_admin"])
def test_avg_4_own_calendar_feed_holds_no_phrase_the_persona_may_not_read(mw, persona):
    response = request(mw, persona, "GET", mw.feeds[persona])
    assert response.status_code == 200 and response["content-type"].startswith("text/calendar")
    text = body_text(response)
    for kind, phrase in PHRASES.items():
        assert persona in READS[kind] or phrase not in text, (
            f"{persona} reads the {kind} phrase in their feed"
        )


def test_avg_4_care_coordinator_feed_shows_her_own_care_deadline(mw):
    """The check above is not vacuous: the care coordinator's feed does carry the care phrase."""
    assert PHRASES["care"] in body_text(request(mw, "care_coordinator", "GET", mw.feeds["care_coordinator"]))


@pytest.mark.parametrize("persona", ["care_coordinator", "director"])
def test_avg_4_export_json_holds_the_care_and_health_phrases_for_the_requester(mw, persona):
    """AVG-1: the export holds the file (so the phrase checks on it are not vacuous)."""
    text = body_text(request(mw, persona, "GET", "/dossier/inzage/{request}/json/"))
    assert PHRASES["care"] in text and PHRASES["health"] in text


def test_avg_4_log_note_detail_does_not_name_a_child_the_teacher_does_not_teach(mw):
    page = request(mw, "teacher", "GET", "/dossier/logboek/{log_other_child}/").content.decode()
    assert "Sanne speelde met" in page and "Bakker" not in page


CARE_CONTENT_ROWS = [
    "dossier_timeline",
    "dossier_log_detail:care",
    "dossier_document_download:care",
    "letter_pdf",
    "access_request_download:pdf",
    "access_request_download:json",
]


def test_avg_4_pages_and_files_with_care_content_are_not_cached(mw):
    rows = {label: (method, url) for label, _, method, url in all_rows()}
    for label in CARE_CONTENT_ROWS:
        response = request(mw, "director", *rows[label])
        assert response.status_code == 200, label
        assert "no-store" in response.get("cache-control", ""), label
