"""Time N requests through Django's test client; count queries per request."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    timings_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def merge(self, other: Result) -> None:
        self.timings_ms += other.timings_ms
        self.queries += other.queries

    def summary(self) -> dict:
        ordered = sorted(self.timings_ms)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return {
            "name": self.name,
            "requests": len(ordered),
            "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(p95, 2),
            "queries_per_request": round(statistics.mean(self.queries), 1),
            "queries_max": max(self.queries),
        }


def measure(name: str, client, url: str, params: dict, requests: int, warmup: int = 2) -> Result:
    for _ in range(warmup):
        assert client.get(url, params).status_code == 200, (name, url)
    result = Result(name)
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            result.timings_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (name, url, response.status_code)
        result.queries.append(len(ctx.captured_queries))
    return result
