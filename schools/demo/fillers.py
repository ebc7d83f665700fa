"""Registry of demo fillers: an app that has demo content for the files registers a function from its
`AppConfig.ready()` (ARCHITECTURE: registries, not fixed lists), so `manage.py demo` in the foundation
imports no other app of ours."""

from __future__ import annotations

from collections.abc import Callable

DemoFiller = Callable[..., dict]

_FILLERS: list[DemoFiller] = []


def register_demo_filler(filler: DemoFiller) -> None:
    """`filler(schools, *, seed=…) -> dict of counts`; registering the same function twice is a no-op."""
    if filler not in _FILLERS:
        _FILLERS.append(filler)


def fill_demo(schools, *, seed: int) -> dict:
    counts: dict = {}
    for filler in _FILLERS:
        counts.update(filler(schools, seed=seed) or {})
    return counts
