"""Calls run at the same moment, each in its own thread and database connection (the concurrency tests:
two editors, two registrations, two applies of one import, writers of one audit chain)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connections


def at_once(calls: Sequence[Callable], *, timeout: float = 60) -> list:
    """Run every call in a thread of its own, released together at a barrier; their results in order.

    Fails the test when a call raised (every error listed) or did not end within `timeout` seconds.
    Each thread closes its connections when done, so the test's database can be dropped afterwards."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), f"a call did not end within {timeout} s"
    assert errors == [], errors
    return results
