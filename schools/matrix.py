"""Rows of the authorization matrix as a registry (ARCHITECTURE: registries, not fixed lists).

`tests/test_authorization_matrix.py` tries every page and API object that takes an id as staff of
another school and expects a 404. Its own rows cover the mechanisms; a protocol app adds the
routes it owns from its `AppConfig.ready()`, next to its URLs, so a new page cannot be forgotten:

    from schools.matrix import register_matrix_rows
    register_matrix_rows(
        "reviews",
        pages=["/besprekingen/{review_meeting}/"],
        posts=["/besprekingen/{review_meeting}/afsluiten/"],
        objects="reviews.matrix.school_b_objects",
    )

The URLs are formatted with the ids of school B's objects: the matrix's own keys (`student`,
`group`, `staff`, `log`, `letter`, …) and those returned by `objects`, a dotted path to (or a
callable) `objects(world) -> dict[str, int]` that makes the app's objects in school B (the test
personas: `world.otto`, `world.zeno`, `world.other_school`). It runs in the test only; keep its
module free of test imports so importing the app never needs the test suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class MatrixRows:
    app: str
    pages: list[str] = field(default_factory=list)  # GET → 404
    posts: list[str] = field(default_factory=list)  # POST → 404, nothing changed
    api: list[str] = field(default_factory=list)  # GET with session and with an API key → 404
    objects: str | Callable | None = None


_ROWS: dict[str, MatrixRows] = {}


def register_matrix_rows(
    app: str,
    *,
    pages: list[str] | tuple[str, ...] = (),
    posts: list[str] | tuple[str, ...] = (),
    api: list[str] | tuple[str, ...] = (),
    objects: str | Callable | None = None,
) -> None:
    """Register (or replace) an app's rows; registering twice from ready() is harmless."""
    _ROWS[app] = MatrixRows(app, list(pages), list(posts), list(api), objects)


def registered_matrix_rows() -> list[MatrixRows]:
    return list(_ROWS.values())
