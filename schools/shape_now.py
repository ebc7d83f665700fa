"""The current time as an input of a `schools.sql_shapes` query (issue #13).

sql_shapes binds ints, strings and dates, not datetimes (their adaptation depends on the backend). A
query comparing a DateTimeField with "now" takes `now_text()` in its values and compares with `at(p.now)`:
the same instant as text in the form the backend compares it with (SQLite: the naive UTC text Django
stores; PostgreSQL: ISO 8601 with its offset, read as timestamptz), bound as a plain string.
"""

from __future__ import annotations

import datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import CharField, Value
from django.utils import timezone


def now_text(now: datetime.datetime | None = None, *, using: str = DEFAULT_DB_ALIAS) -> str:
    now = timezone.now() if now is None else now
    connection = connections[using]
    if connection.vendor == "sqlite":
        return str(connection.ops.adapt_datetimefield_value(now))
    return now.isoformat()


def at(text: str) -> Value:
    """`text` (from now_text) as the right-hand side of a DateTimeField lookup, bound as it is."""
    return Value(text, output_field=CharField())
