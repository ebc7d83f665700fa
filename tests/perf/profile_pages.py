"""Profile the file page and the home pages over the test client on the full persona world (issue #13).

Not collected by default (no test_ prefix); run it by name:
    .venv/bin/pytest tests/perf/profile_pages.py -q -s -p no:randomly
Writes PROFILE_OUT (default var/profile.txt): per page the mean time per request and the top 10
functions by cumulative time. Timings are for reading, never asserted.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time

import pytest

from tests.persona_fixtures import _media_root, _module_media, matrix_world, request  # noqa: F401

pytestmark = pytest.mark.django_db

PAGES = [
    ("care_coordinator", "/dossier/leerling/{student}/"),
    ("teacher", "/dossier/leerling/{student}/"),
    ("guardian_authority", "/ouders/kinderen/{student}/"),
    ("care_coordinator", "/"),
    ("mentor", "/"),
    ("director", "/"),
]
ROUNDS = int(os.environ.get("PROFILE_ROUNDS", "30"))
ONLY = os.environ.get("PROFILE_ONLY", "")


def test_profile_pages(mw):
    out = io.StringIO()
    for persona, url in PAGES:
        if ONLY and ONLY not in f"{persona}:{url}":
            continue
        for _ in range(3):
            request(mw, persona, "GET", url)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(ROUNDS):
            request(mw, persona, "GET", url)
        profiler.disable()
        mean_ms = (time.perf_counter() - started) * 1000 / ROUNDS
        out.write(f"\n## {persona} {url}: {mean_ms:.1f} ms per request (profiled, {ROUNDS} rounds)\n")
        stats = io.StringIO()
        # Our code and the database driver, by cumulative time: where a request's time goes.
        pstats.Stats(profiler, stream=stats).sort_stats("cumulative").print_stats(
            r"(/work/|sqlite3|psycopg|template/base|rules/)(?!.*(middleware|client\.py|exception\.py))", 25
        )
        out.write(
            "\n".join(line.replace(os.getcwd() + "/", "") for line in stats.getvalue().splitlines()[6:])
            + "\n"
        )
    with open(os.environ.get("PROFILE_OUT", "var/profile.txt"), "w") as f:
        f.write(out.getvalue())
