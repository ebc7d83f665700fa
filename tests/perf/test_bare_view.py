"""Issue #13 §2: the bare view, the floor of the load harness, exists only under the bench URLs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ops.bench_urls import BARE_URL
from tests.perf.test_query_counts import statements


@pytest.mark.urls("ops.bench_urls")
def test_bare_view_serves_a_signed_in_user_through_the_middleware(world):
    client = world.client_for(world.teacher)
    client.get(BARE_URL)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(BARE_URL)
    assert response.status_code == 200 and b"ok" in response.content
    # AVG-4 headers come from the middleware it runs through.
    assert "no-store" in response["Cache-Control"] and "Content-Security-Policy" in response
    # session, user, the user's staff rows, the access (one UNION): the floor every page pays.
    assert statements(ctx.captured_queries) == 4


@pytest.mark.urls("ops.bench_urls")
def test_bare_view_sends_a_stranger_to_the_log_in(client, db):
    response = client.get(BARE_URL)
    assert response.status_code == 302 and "/inloggen/" in response.url


def test_bare_view_not_routed_outside_the_bench(world):
    assert world.client_for(world.teacher).get(BARE_URL).status_code == 404


def test_query_counter_header_under_bench_middleware(world, settings):
    settings.MIDDLEWARE = ["ops.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    response = world.client_for(world.carla).get("/groepen/")
    assert int(response["X-Bench-Queries"]) >= 4 and float(response["X-Bench-Ms"]) > 0
