"""Rows of a related table read WITH the object they belong to (issue #13: a page's queries constant):
`JSONRows(JSONObject(...))` in a grouped subquery gives one JSON array per object, on SQLite and on
PostgreSQL (`rows_of` writes that subquery); `date_of`/`moment_of`/`flag_of` read its values back (SQLite and PostgreSQL spell dates,
times and booleans differently in JSON)."""

from __future__ import annotations

import datetime

from django.db.models import Aggregate, JSONField, QuerySet, Subquery
from django.db.models.functions import JSONObject


class JSONRows(Aggregate):
    """The rows of a subquery as one JSON array (SQLite JSON_GROUP_ARRAY, PostgreSQL JSONB_AGG).
    The order of the rows is not given: sort them when reading."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def rows_of(queryset: QuerySet, group_by: str, **fields) -> Subquery:
    """The rows of `queryset` (filtered on the outer object with OuterRef) as one JSON array per
    `group_by` value: `fields` name each row's keys (JSONObject). Annotate it on the outer query."""
    return Subquery(
        queryset.order_by().values(group_by).annotate(rows=JSONRows(JSONObject(**fields))).values("rows"),
        output_field=JSONField(),
    )


def date_of(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


def moment_of(value: str | None) -> datetime.datetime | None:
    """An aware datetime (SQLite keeps UTC without an offset)."""
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def flag_of(value) -> bool:
    return bool(value)  # PostgreSQL true/false, SQLite 1/0
