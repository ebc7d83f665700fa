"""The load client of `make bench-load` (locust, headless, on loopback); bench/load.py drives it.

Reads the plan (personas with a signed-in session and their weighted pages) from BENCH_PLAN and
writes every request as [page, client ms, ok, queries, server ms] to BENCH_OUT when locust quits.
BENCH_THINK="3,10" is the think time between clicks in seconds ("0,0": a closed loop);
BENCH_ONLY names the one page a saturation run asks for.

A page either has "urls" (GET, 200 expected) or "form", "posts" and "expect": the user GETs the form
once for its CSRF token (from the page, as the browser's form and HTMX headers carry it), then each
click POSTs one [URL, data] with the token; any other status than "expect" is an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())
ONLY = os.environ.get("BENCH_ONLY", "")
LOW, HIGH = (float(x) for x in os.environ.get("BENCH_THINK", "3,10").split(","))
PERSONAS = [p for p in PLAN["personas"] if not ONLY or any(page["name"] == ONLY for page in p["pages"])]
COOKIE = PLAN["cookie_name"]
SAMPLES: list[list] = []
_turn = itertools.count()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class SchoolDay(HttpUser):
    wait_time = between(LOW, HIGH) if HIGH else constant(0)

    def on_start(self) -> None:
        persona = PERSONAS[next(_turn) % len(PERSONAS)]
        self.client.cookies.set(COOKIE, persona["session"])
        self.pages = [p for p in persona["pages"] if not ONLY or p["name"] == ONLY]
        self.weights = [p["weight"] for p in self.pages]
        self.tokens: dict[str, str] = {}

    @task
    def click(self) -> None:
        page = random.choices(self.pages, self.weights)[0]
        if "posts" in page:
            self.post(page)
            return
        url = random.choice(page["urls"])
        self.send(page["name"], "GET", url, 200)

    def post(self, page: dict) -> None:
        token = self.tokens.get(page["form"])
        if token is None:
            response = self.client.get(page["form"], name=f"{page['name']} (token)", allow_redirects=False)
            found = TOKEN.search(response.text or "")
            token = (found.group(1) or found.group(2)) if found else self.client.cookies.get("csrftoken", "")
            self.tokens[page["form"]] = token
        url, data = random.choice(page["posts"])
        data = dict(data, csrfmiddlewaretoken=token)
        if "client_key" in data:  # a new incident each time (a resent form with the same key lands once)
            data["client_key"] = uuid.uuid4().hex
        headers = (
            {"X-CSRFToken": token, "HX-Request": "true"} if "question" in data else {"X-CSRFToken": token}
        )
        self.send(page["name"], "POST", url, page["expect"], data=data, headers=headers)

    def send(self, name: str, method: str, url: str, expect: int, **kwargs) -> None:
        started = time.perf_counter()
        with self.client.request(
            method, url, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            elapsed = (time.perf_counter() - started) * 1000
            ok = response.status_code == expect
            SAMPLES.append(
                [
                    name,
                    round(elapsed, 2),
                    ok,
                    int(response.headers.get("X-Bench-Queries", "-1")),
                    float(response.headers.get("X-Bench-Ms", "0")),
                ]
            )
            if ok:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code} {method} {url}")


@events.quitting.add_listener
def _write(environment, **kwargs) -> None:
    with open(os.environ["BENCH_OUT"], "w", encoding="utf-8") as out:
        json.dump(SAMPLES, out)
