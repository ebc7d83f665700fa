"""Where the key pages of the load run spend their time (issue #13 §1): cProfile in process.

The same data and personas as `make bench-load` (bench/load.py: the board data set, the open signal
rounds, the signed-in sessions) on the throw-away PostgreSQL, then per page the in-process client on
the bench settings (DEBUG off, cached templates, the full middleware stack): PROFILE_ROUNDS requests
(20) after three warm-ups, the mean time and the top functions by cumulative and by own time.

    BENCH_DOSSIER_ENTRIES=20000 ./scripts/with-postgres.sh .venv/bin/python bench/load_profile.py

PROFILE_ONLY=signaleringslijst profiles the pages whose name contains it ('a|b': either); output in
var/bench-load/profile.txt (and printed). Timings are for reading (a shared machine scatters them).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ.setdefault("BENCH_DOSSIER_ENTRIES", "20000")

ROUNDS = int(os.environ.get("PROFILE_ROUNDS", "20"))
ONLY = os.environ.get("PROFILE_ONLY", "")
WORK = ROOT / "var" / "bench-load"


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import dataset, history
    from bench import load_plan as load

    settings.ALLOWED_HOSTS = ["*"]
    WORK.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    schools = dataset.build()
    history.build(schools)
    load.open_signal_rounds(schools[: load.PERSONA_SCHOOLS])
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    plan = load.make_plan(schools, settings.SESSION_COOKIE_NAME)
    out = io.StringIO()
    seen = set()
    for persona in plan["personas"]:
        for page in persona["pages"]:
            name = page["name"]
            if name in seen or (ONLY and not any(part in name for part in ONLY.split("|"))):
                continue
            seen.add(name)
            client = Client()
            client.cookies[plan["cookie_name"]] = persona["session"]
            calls = _calls(client, page)
            for call in calls[:3]:
                call()
            reset_queries()
            profiler = cProfile.Profile()
            started = time.perf_counter()
            profiler.enable()
            for n in range(ROUNDS):
                calls[(n + 3) % len(calls)]()
            profiler.disable()
            mean = (time.perf_counter() - started) * 1000 / ROUNDS
            out.write(f"\n## {name}: {mean:.1f} ms per request (profiled, {ROUNDS} rounds)\n")
            profiler.dump_stats(str(WORK / f"{name.replace(' ', '-')}.prof"))
            with CaptureQueriesContext(connection) as ctx:
                calls[0]()
            sql = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
            out.write(
                f"SQL of one request: {len(sql)} statements, {sum(float(q['time']) for q in sql) * 1000:.1f} ms\n"
            )
            for query in sql[:5]:
                out.write(f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:160]}\n")
            for order, count, pattern in (
                ("cumulative", 30, ""),
                ("cumulative", 30, r"^(?!.*\.venv)"),
                ("tottime", 15, ""),
            ):
                stats = io.StringIO()
                pstats.Stats(profiler, stream=stats).sort_stats(order).print_stats(pattern, count)
                out.write(
                    "\n".join(line.replace(str(ROOT) + "/", "") for line in stats.getvalue().splitlines()[6:])
                )
                out.write("\n")
    target = WORK / "profile.txt"
    target.write_text(out.getvalue())
    print(out.getvalue())


def _calls(client, page: dict) -> list:
    """One callable per request the page's clicks make; a failing status stops the profile."""
    if "posts" in page:
        client.get(page["form"])
        token = client.cookies["csrftoken"].value

        def post(url, data):
            def call():
                body = dict(data, csrfmiddlewaretoken=token)
                if "client_key" in body:
                    body["client_key"] = os.urandom(8).hex()
                response = client.post(url, body, headers={"X-CSRFToken": token})
                assert response.status_code == page["expect"], (url, response.status_code)

            return call

        return [post(url, data) for url, data in page["posts"]]

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    return [get(url) for url in page["urls"]]


if __name__ == "__main__":
    main()
