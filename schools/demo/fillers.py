"""Registry of demo fillers: an app that has demo content for the files registers a function from its
`AppConfig.ready()` (ARCHITECTURE: registries, not fixed lists), so `manage.py demo` in the foundation
imports no other app of ours."""

from __future__ import annotations

from collections.abc import Callable

DemoFiller = Callable[..., dict]

_FILLERS: list[DemoFiller] = []
_REMOVERS: list[Callable[[list], None]] = []


def register_demo_filler(filler: DemoFiller, *, remove: Callable[[list], None] | None = None) -> None:
    """`filler(schools, *, seed=…) -> dict of counts`; registering the same function twice is a no-op.

    `remove(schools)` deletes what the filler made that protects the school from deletion (rows with a
    PROTECT key to a staff member or protocol version); `manage.py demo --reset` calls it first."""
    if filler not in _FILLERS:
        _FILLERS.append(filler)
    if remove is not None and remove not in _REMOVERS:
        _REMOVERS.append(remove)


def remove_demo_content(schools) -> None:
    """Called before the demo schools are deleted, in reverse order of registration."""
    for remove in reversed(_REMOVERS):
        remove(list(schools))


def fill_demo(schools, *, seed: int) -> dict:
    counts: dict = {}
    for filler in _FILLERS:
        counts.update(filler(schools, seed=seed) or {})
    return counts
