"""The periodic runner: one management command (`run_periodic`) that cron or a systemd timer calls.

Features register a job with `@periodic_job("name")`. A job must be idempotent: run twice
in a row, the second run finds nothing to do. Jobs enqueue tasks or do small work directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

JOBS: dict[str, Callable[[], dict]] = {}

# Modules that register jobs; imported by run_all() so the registry is complete.
JOB_MODULES = [
    "dossier.jobs",
]


def periodic_job(name: str) -> Callable[[Callable[[], dict]], Callable[[], dict]]:
    def register(func: Callable[[], dict]) -> Callable[[], dict]:
        JOBS[name] = func
        return func

    return register


def run_all(only: list[str] | None = None) -> dict[str, dict]:
    from importlib import import_module

    for module in JOB_MODULES:
        import_module(module)
    results = {}
    for name, job in sorted(JOBS.items()):
        if only and name not in only:
            continue
        try:
            results[name] = job() or {}
        except Exception as error:  # one failing job must not stop the others
            logger.exception("periodic job %s failed", name)
            results[name] = {"error": str(error)}
    return results
