"""SQL text of a fixed query shape, compiled once per process; the values bound per call (issue #13 §2).

Building and compiling a large queryset (the student overview's UNION ALL of a dozen annotated panel
querysets) costs far more Python than the database spends running it, and the SQL TEXT depends only on
the query's shape: which parts, which branches, how many values in an IN list, which scope — never on
the values themselves (the student, the school, today). So:

    rows = fetch(key, values, build)

- `build(p)` returns the queryset (a `values_list()`; or None: no query); it reads its inputs ONLY from `p` (`p.student`, `p.today`, …: the
  `values`), never from the request, the clock or the database, so the same `key` + the same kinds of
  values always give the same SQL text. Inputs are ints, strings, dates, or lists/tuples of those;
  everything that changes the SQL's structure (a permission branch, the viewer's visibility branch)
  belongs in `key`.
- On the first call for a shape the queryset is built and compiled TWICE with two different sets of
  stand-in values ("sentinels": unique numbers, strings and dates): the SQL texts must be identical and
  every bound parameter must sit in the same position in both, either a stand-in of the same input (then
  the real value is bound there on every call) or a constant of the code (equal in both). Anything else
  (a value that did not come from `p` but changes) makes the shape uncacheable: then every call builds
  and compiles the queryset as before (`UNCACHEABLE` lists them; a test asserts it stays empty).
- The shape's key also holds what the SQL depends on outside `build`: the database connection, the
  active django-scopes scope (its school ids are bound as inputs, never baked in: a school's SQL is
  never run for another), the time zone (TruncDate), USE_TZ and the language.
- The result is the rows as `values_list` would give them (the backend's converters applied per
  output field), in one query on the current connection (so the query counts and the debug capture
  see it as before). Nothing of the DATA is cached: only SQL text and where each value goes.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesListIterable
from django.utils import timezone, translation
from django_scopes.state import get_scope

ENABLED = True  # False: every call builds and compiles its queryset (the tests compare both paths)
MAX_SHAPES = 512  # a bound on the process's memory, far above the shapes there are (roles × branches)
UNCACHEABLE: set = set()  # shapes whose SQL or parameters were not stable (built every call)
_PLANS: dict = {}
_LOCK = threading.Lock()
_SCOPE = "\x00scope"  # the input name of the active scope's values


@dataclass(frozen=True)
class _Plan:
    sql: str | None  # None: the query is sure to be empty (EmptyResultSet), no query is sent
    slots: tuple  # per parameter: (input name, index in a list or None, to str) or (None, constant)
    columns: tuple  # the selected expressions (for the backend's converters, as the compiler applies them)


def _kind(value) -> tuple:
    """What of a value goes into the shape: its type, and a list's length (an IN list's placeholders)."""
    if isinstance(value, (list, tuple)):
        return ("list", len(value), tuple(_kind(item) for item in value))
    if isinstance(value, bool) or not isinstance(value, (int, str, datetime.date)):
        raise TypeError(f"sql_shapes input of type {type(value).__name__}: put it in the key or pass its pk")
    if isinstance(value, datetime.datetime):
        raise TypeError(
            "sql_shapes input of type datetime: not supported (its adaptation depends on the backend)"
        )
    return (type(value).__name__,)


def _scope_inputs() -> tuple[tuple, dict]:
    """The active scope as (shape, {dimension: values}); model instances as their pk."""
    shape, values = [], {}
    for name, value in sorted(get_scope().items()):
        if name == "_enabled" or value is None or isinstance(value, bool):
            shape.append((name, value))
        elif isinstance(value, (list, tuple)):
            ids = [item.pk if isinstance(item, Model) else item for item in value]
            shape.append((name, _kind(ids)))
            values[name] = ids
        else:
            item = value.pk if isinstance(value, Model) else value
            shape.append((name, _kind(item)))
            values[name] = item
    return tuple(shape), values


class _Sentinels:
    """Unique stand-in values, one per input (and per list item), and where each comes back."""

    def __init__(self, series: int):
        self.series = series
        self.count = 0
        self.found: dict = {}  # (type, bound value) -> (input name, list index, to_str)

    def _one(self, name: str, index, value):
        self.count += 1
        n = self.count
        if isinstance(value, int):
            stand_in = 1_700_000_000 + self.series * 100_000 + n
        elif isinstance(value, str):
            stand_in = f"\u27e6sql-shape-{self.series}-{n}\u27e7"
        else:
            stand_in = datetime.date(1100 + self.series * 300 + n, 1 + n % 12, 1 + n % 28)
        self.found[(type(stand_in), stand_in)] = (name, index, False)
        # A backend or a lookup may bind it as text (SQLite binds dates as ISO text; an int compared
        # with a text column is bound as its text): then the real value is bound as its text too.
        self.found.setdefault((str, str(stand_in)), (name, index, True))
        return stand_in

    def stand_in(self, name: str, value):
        if isinstance(value, (list, tuple)):
            return [self._one(name, index, item) for index, item in enumerate(value)]
        return self._one(name, None, value)


def _compile(queryset: QuerySet | None, using: str):
    if queryset is None:
        return None, (), ()
    if queryset._iterable_class is not ValuesListIterable:
        raise TypeError("sql_shapes.fetch builds a values_list() queryset (rows as tuples)")
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None, (), ()
    columns = tuple(column[0] for column in compiler.select[: compiler.col_count])
    if compiler.has_composite_fields(columns):
        raise TypeError("sql_shapes.fetch does not select composite fields")
    return sql, tuple(params), columns


def _build(build: Callable, values: dict, scope: dict):
    from django_scopes import scope as scoped

    with scoped(**scope):
        return build(SimpleNamespace(**values))


def _prepare(build: Callable, values: dict, scope_values: dict, using: str) -> _Plan | None:
    """Compile with two sets of stand-ins; the plan when both agree (see the module's docstring)."""
    compiled = []
    for series in (1, 2):
        sentinels = _Sentinels(series)
        stand_ins = {name: sentinels.stand_in(name, value) for name, value in values.items()}
        scope = {name: sentinels.stand_in(_SCOPE + name, value) for name, value in scope_values.items()}
        sql, params, columns = _compile(_build(build, stand_ins, scope), using)
        slots = []
        for param in params:
            slot = (
                sentinels.found.get((type(param), param))
                if isinstance(param, (int, str, datetime.date))
                else None
            )
            slots.append(slot if slot is not None else (None, param))
        compiled.append((sql, tuple(slots), columns))
    (sql_a, slots_a, columns_a), (sql_b, slots_b, _) = compiled
    if sql_a != sql_b or slots_a != slots_b:
        return None  # a value reached the SQL other than as a parameter of `p`: not one shape
    return _Plan(sql_a, slots_a, columns_a)


def _bind(plan: _Plan, values: dict, scope_values: dict) -> list:
    params = []
    for slot in plan.slots:
        name = slot[0]
        if name is None:
            params.append(slot[1])
            continue
        _, index, to_str = slot
        value = scope_values[name[len(_SCOPE) :]] if name.startswith(_SCOPE) else values[name]
        if index is not None:
            value = value[index]
        params.append(str(value) if to_str else value)
    return params


def _run(plan: _Plan, params: Sequence, using: str) -> list[tuple]:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchall()
    converters = []  # as SQLCompiler.get_converters / apply_converters
    for position, expression in enumerate(plan.columns):
        if not expression:
            continue
        found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if found:
            converters.append((position, found, expression))
    if converters:
        converted = []
        for row in rows:
            row = list(row)
            for position, found, expression in converters:
                value = row[position]
                for converter in found:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted
    return [tuple(row) for row in rows]


def _shape_key(key: tuple, values: dict, scope_shape: tuple, using: str) -> tuple:
    return (
        using,
        connections[using].vendor,
        key,
        tuple((name, _kind(value)) for name, value in values.items()),
        scope_shape,
        timezone.get_current_timezone_name(),
        settings.USE_TZ,
        translation.get_language(),
    )


def fetch(key: tuple, values: dict, build: Callable[[SimpleNamespace], QuerySet | None], *,
          using: str = "default", cached: bool = True) -> list[tuple]:  # fmt: skip
    """The rows of `build(p)` (as `values_list`), its SQL compiled once per shape (module docstring)."""
    plan = None
    if cached and ENABLED:
        scope_shape, scope_values = _scope_inputs()
        full_key = _shape_key(key, values, scope_shape, using)
        plan = _PLANS.get(full_key)
        if plan is None and full_key not in UNCACHEABLE:
            plan = _prepare(build, values, scope_values, using)
            with _LOCK:
                if len(_PLANS) + len(UNCACHEABLE) >= MAX_SHAPES:
                    _PLANS.clear()
                    UNCACHEABLE.clear()
                if plan is None:
                    UNCACHEABLE.add(full_key)
                else:
                    _PLANS[full_key] = plan
    if plan is None:  # the plain path: built, compiled and run by the ORM for this call
        queryset = build(SimpleNamespace(**values))
        return [] if queryset is None else list(queryset.using(using))
    if plan.sql is None:
        return []
    return _run(plan, _bind(plan, values, scope_values), using)


def clear() -> None:
    """Forget every compiled shape (tests)."""
    with _LOCK:
        _PLANS.clear()
        UNCACHEABLE.clear()
