"""The floor of the load harness (issue #13 §2): the least a signed-in request costs.

Routed only by `ops.bench_urls` (the bench settings' ROOT_URLCONF), never in production or the tests'
URLs. It runs through the whole middleware stack (session, user, school scope with the access, CSP,
two-step check) and renders nothing else, so each page's throughput is given as a ratio to it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        "<!doctype html><html lang=nl><title>Leerlingzorg</title><p>ok</p></html>",
        content_type="text/html; charset=utf-8",
    )
