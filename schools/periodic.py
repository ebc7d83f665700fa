"""The periodic runner: one management command (`run_periodic`) that cron or a systemd timer calls.

Apps register their jobs from `AppConfig.ready()` (ARCHITECTURE: registries, not fixed lists):

    from schools.periodic import register_periodic_job
    register_periodic_job("reviews.reminders", send_review_reminders, every=timedelta(days=1))

or decorate a function with `@periodic_job("name", every=...)` in a module that ready() imports.
A job must be idempotent: run twice in a row, the second run finds nothing to do. Jobs enqueue
tasks or do small work directly, and return a dict of counts. `every` is how often the job needs
to run (cron calls `run_periodic` at least that often; `run_periodic --list` shows it); because jobs
are idempotent, running them more often is harmless.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

DEFAULT_EVERY = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[], dict | None]
    every: datetime.timedelta = DEFAULT_EVERY


JOBS: dict[str, PeriodicJob] = {}


def register_periodic_job(
    name: str, func: Callable[[], dict | None], *, every: datetime.timedelta = DEFAULT_EVERY
) -> Callable[[], dict | None]:
    """Add a job; the same name for another function is a programming error."""
    known = JOBS.get(name)
    if known is not None and known.func is not func and _qualname(known.func) != _qualname(func):
        raise ValueError(f"Periodieke taak {name!r} bestaat al.")
    JOBS[name] = PeriodicJob(name, func, every)
    return func


def periodic_job(
    name: str, *, every: datetime.timedelta = DEFAULT_EVERY
) -> Callable[[Callable[[], dict]], Callable[[], dict]]:
    def register(func: Callable[[], dict]) -> Callable[[], dict]:
        return register_periodic_job(name, func, every=every)

    return register


def _qualname(func: Callable) -> str:
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"


def registered_jobs() -> list[PeriodicJob]:
    return [JOBS[name] for name in sorted(JOBS)]


def run_all(only: list[str] | None = None) -> dict[str, dict]:
    results = {}
    for job in registered_jobs():
        if only and job.name not in only:
            continue
        try:
            results[job.name] = job.func() or {}
        except Exception as error:  # one failing job must not stop the others
            logger.exception("periodic job %s failed", job.name)
            results[job.name] = {"error": str(error)}
    return results
