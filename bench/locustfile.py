"""The load client of `make bench-load` (locust, headless, on loopback); bench/load.py drives it.

Reads the plan (personas with a signed-in session and their weighted pages) from BENCH_PLAN and
writes every request as [page, client ms, ok, queries, server ms] to BENCH_OUT when locust quits.
BENCH_THINK="3,10" is the think time between clicks in seconds ("0,0": a closed loop);
BENCH_ONLY names the one page a saturation run asks for.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())
ONLY = os.environ.get("BENCH_ONLY", "")
LOW, HIGH = (float(x) for x in os.environ.get("BENCH_THINK", "3,10").split(","))
PERSONAS = [p for p in PLAN["personas"] if not ONLY or any(page["name"] == ONLY for page in p["pages"])]
COOKIE = PLAN["cookie_name"]
SAMPLES: list[list] = []
_turn = itertools.count()


class SchoolDay(HttpUser):
    wait_time = between(LOW, HIGH) if HIGH else constant(0)

    def on_start(self) -> None:
        persona = PERSONAS[next(_turn) % len(PERSONAS)]
        self.client.cookies.set(COOKIE, persona["session"])
        self.pages = [p for p in persona["pages"] if not ONLY or p["name"] == ONLY]
        self.weights = [p["weight"] for p in self.pages]

    @task
    def click(self) -> None:
        page = random.choices(self.pages, self.weights)[0]
        url = random.choice(page["urls"])
        started = time.perf_counter()
        with self.client.get(url, name=page["name"], allow_redirects=False, catch_response=True) as response:
            elapsed = (time.perf_counter() - started) * 1000
            ok = response.status_code == 200
            SAMPLES.append(
                [
                    page["name"],
                    round(elapsed, 2),
                    ok,
                    int(response.headers.get("X-Bench-Queries", "-1")),
                    float(response.headers.get("X-Bench-Ms", "0")),
                ]
            )
            if ok:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code} {url}")


@events.quitting.add_listener
def _write(environment, **kwargs) -> None:
    with open(os.environ["BENCH_OUT"], "w", encoding="utf-8") as out:
        json.dump(SAMPLES, out)
