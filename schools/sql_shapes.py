"""SQL text of a fixed query shape, compiled once per process; the values bound per call (issue #13 §2).

Building and compiling a large queryset (the student overview's UNION ALL of a dozen annotated panel
querysets, the file page's entries with their nested aggregates) costs far more Python than the database
spends running it, and the SQL TEXT depends only on the query's shape: which parts, which branches, how
many values in an IN list, which scope — never on the values themselves (the student, the school, today).
So, with ONE calling convention and two exits:

    rows = fetch(key, values, build)          # a values_list() queryset: its rows, as tuples
    for obj in queryset(key, values, build):  # a model queryset: its instances, to iterate once

- `build(p)` returns the queryset (or None: no query); it reads its inputs ONLY from `p` (`p.student`,
  `p.today`, …: the `values`), never from the request, the clock or the database, so the same `key` +
  the same kinds of values always give the same SQL text. Inputs are ints, strings, dates, datetimes
  (aware or naive: part of the shape; bound as the backend binds a DateTimeField's value), None, or
  lists/tuples of those; everything else that changes the SQL's structure (a
  permission branch, the viewer's visibility branch, a page's offset) belongs in `key` (a closure may
  read it too, as long as the key holds all it reads). None is part of the shape (an `IS NULL`, a
  missing branch), never bound; bool is refused (put the branch in the key).
- On the first call for a shape the queryset is built and compiled TWICE with two different sets of
  stand-in values ("sentinels": unique numbers, strings and dates; the active scope's values too): the
  SQL texts must be identical and every bound parameter must sit in the same position in both, either a
  stand-in of the same input (then the real value is bound there on every call) or a constant of the
  code (equal in both). Anything else (a value that did not come from `p` but changes, a value in the
  SQL text, a value derived from one) makes the shape uncacheable: then every call builds and compiles
  the queryset as before (`UNCACHEABLE` lists them; the page tests assert it stays empty).
- The shape's key also holds what the SQL depends on outside `build`: the database connection and its
  vendor, the active django-scopes scope (its values are bound as inputs, never baked in: a school's SQL
  is never run for another), the time zone (TruncDate), USE_TZ and the language.
- A shape sure to be empty (EmptyResultSet) is kept as such: no query is sent.
- The kept compiler is copied per call with the bound SQL as its `as_sql`, and Django's own iterable
  reads the rows (one query on the current connection, seen by the query counts and the debug capture):
  the backend's converters, model instances with their select_related objects and annotations. The
  bound queryset can only be iterated: deriving from it (filter, slice, count, first, …) is refused (it
  would keep the bound SQL). A template with prefetches is refused (their querysets would carry the
  stand-in scope), and so is a model queryset for `fetch` or a values() one for `queryset`.
Nothing of the DATA is cached: only SQL text, where each value goes and the compiler's column map, so
nothing is shared across schools or viewers and a write can not make it stale.
"""

from __future__ import annotations

import copy
import datetime
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable
from django.utils import timezone, translation
from django_scopes import scope as scoped
from django_scopes.state import get_scope

ENABLED = True  # False: every call builds and compiles its queryset (the tests compare both paths)
# True (the tests' settings): every kept call also builds and compiles `build(p)` for the real values and
# checks the kept SQL and the bound values against it, so a value that reached the SQL other than
# through `p` (and so was kept for the next viewer or school) fails whichever test meets it.
VERIFY = getattr(settings, "SQL_SHAPES_VERIFY", False)
MAX_SHAPES = 512  # a bound on the process's memory, far above the shapes there are (roles × branches)
UNCACHEABLE: set = set()  # shapes whose SQL or parameters were not stable (built every call)
stats = {"built": 0, "hits": 0, "refused": 0}  # shapes compiled, calls bound into a kept shape, refusals
_PLANS: dict = {}
_LOCK = threading.Lock()
_SCOPE = "\x00scope"  # the input name of the active scope's values
_AS_DATETIME = "datetime"  # a slot bound as its backend binds a DateTimeField's value

Build = Callable[[SimpleNamespace], QuerySet | None]


@dataclass(frozen=True)
class _Plan:
    sql: str | None  # None: the query is sure to be empty (EmptyResultSet), no query is sent
    slots: tuple  # per parameter: (input name, index in a list or None, to str) or (None, constant)
    template: QuerySet | None  # the first stand-in build (its model, iterable and fields)
    compiler: object  # its compiler after as_sql (select, klass_info, annotation_col_map, col_count)


def _kind(value, *, top: bool = True) -> tuple:
    """What of a value goes into the shape: its type, and a list's length (an IN list's placeholders)."""
    if value is None and top:
        return ("None",)
    if isinstance(value, (list, tuple)) and top:
        return ("list", len(value), tuple(_kind(item, top=False) for item in value))
    if isinstance(value, bool) or not isinstance(value, (int, str, datetime.date)):
        raise TypeError(f"sql_shapes input of type {type(value).__name__}: put it in the key or pass its pk")
    if isinstance(value, datetime.datetime):
        return ("datetime", value.tzinfo is not None)  # aware or naive: adapted differently
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

    def __init__(self, series: int, using: str):
        self.series = series
        self.ops = connections[using].ops
        self.count = 0
        self.found: dict = {}  # (type, bound value) -> (input name, list index, how it is bound)

    def _one(self, name: str, index, value):
        self.count += 1
        n = self.count
        if isinstance(value, int):
            stand_in = 1_700_000_000 + self.series * 100_000 + n
        elif isinstance(value, str):
            stand_in = f"\u27e6sql-shape-{self.series}-{n}\u27e7"
        elif isinstance(value, datetime.datetime):
            stand_in = datetime.datetime(
                1100 + self.series * 300 + n, 1 + n % 12, 1 + n % 28, n % 24, n % 60, n % 60, 1000 + n,
                tzinfo=datetime.UTC if value.tzinfo is not None else None,
            )  # fmt: skip
            # As a DateTimeField binds it: the backend's adaptation (SQLite: naive UTC text), per call.
            adapted = self.ops.adapt_datetimefield_value(stand_in)
            self.found.setdefault((type(adapted), adapted), (name, index, _AS_DATETIME))
        else:
            stand_in = datetime.date(1100 + self.series * 300 + n, 1 + n % 12, 1 + n % 28)
        self.found[(type(stand_in), stand_in)] = (name, index, False)
        # A backend or a lookup may bind it as text (SQLite binds dates as ISO text; an int compared
        # with a text column is bound as its text): then the real value is bound as its text too.
        self.found.setdefault((str, str(stand_in)), (name, index, True))
        return stand_in

    def stand_in(self, name: str, value):
        if value is None:
            return None  # part of the shape, never bound
        if isinstance(value, (list, tuple)):
            return [self._one(name, index, item) for index, item in enumerate(value)]
        return self._one(name, None, value)


def _check(queryset: QuerySet, iterable: type) -> None:
    if queryset._iterable_class is not iterable:
        raise TypeError(
            "sql_shapes.fetch builds a values_list() queryset (rows as tuples)"
            if iterable is ValuesListIterable
            else "sql_shapes.queryset builds a queryset of model instances (for rows: sql_shapes.fetch)"
        )
    if queryset._prefetch_related_lookups:
        raise TypeError("sql_shapes: a template without prefetches (they would carry the stand-in scope)")


def _compile(queryset: QuerySet | None, iterable: type, using: str):
    if queryset is None:
        return None, (), None
    _check(queryset, iterable)
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None, (), None
    return sql, tuple(params), compiler


def _build(build: Build, values: dict, scope: dict, enabled):
    with scoped(_enabled=enabled, **scope):
        return build(SimpleNamespace(**values))


def _prepare(build: Build, iterable: type, values: dict, scope_values: dict, using: str) -> _Plan | None:
    """Compile with two sets of stand-ins; the plan when both agree (see the module's docstring)."""
    enabled = get_scope().get("_enabled", True)
    compiled = []
    for series in (1, 2):
        sentinels = _Sentinels(series, using)
        stand_ins = {name: sentinels.stand_in(name, value) for name, value in values.items()}
        scope = {name: sentinels.stand_in(_SCOPE + name, value) for name, value in scope_values.items()}
        template = _build(build, stand_ins, scope, enabled)
        sql, params, compiler = _compile(template, iterable, using)
        slots = []
        for param in params:
            slot = (
                sentinels.found.get((type(param), param))
                if isinstance(param, (int, str, datetime.date)) and not isinstance(param, bool)
                else None
            )
            slots.append(slot if slot is not None else (None, param))
        compiled.append((sql, tuple(slots), template, compiler))
    (sql_a, slots_a, template, compiler), (sql_b, slots_b, _, _) = compiled
    if sql_a != sql_b or slots_a != slots_b:
        return None  # a value reached the SQL other than as a parameter of `p`: not one shape
    return _Plan(sql_a, slots_a, template if sql_a is not None else None, compiler)


def _bind(plan: _Plan, values: dict, scope_values: dict, using: str) -> tuple:
    params = []
    for slot in plan.slots:
        name = slot[0]
        if name is None:
            params.append(slot[1])
            continue
        _, index, how = slot
        value = scope_values[name[len(_SCOPE) :]] if name.startswith(_SCOPE) else values[name]
        if index is not None:
            value = value[index]
        if how is _AS_DATETIME:
            value = connections[using].ops.adapt_datetimefield_value(value)
        params.append(str(value) if how is True else value)
    return tuple(params)


def _shape_key(key: Hashable, kinds: tuple, scope_shape: tuple, using: str, iterable: type) -> tuple:
    return (
        iterable.__name__,  # the exit: rows or instances
        using,
        connections[using].vendor,
        key,
        kinds,
        scope_shape,
        timezone.get_current_timezone_name(),
        settings.USE_TZ,
        translation.get_language(),
    )


def _plan(key: Hashable, values: dict, build: Build, iterable: type, using: str, cached: bool):
    """(the shape's plan or None for the plain path, the scope's values)."""
    kinds = tuple((name, _kind(value)) for name, value in values.items())  # refused kinds on both paths
    if not (cached and ENABLED):
        return None, {}
    scope_shape, scope_values = _scope_inputs()
    full_key = _shape_key(key, kinds, scope_shape, using, iterable)
    plan = _PLANS.get(full_key)
    if plan is not None:
        stats["hits"] += 1
    elif full_key not in UNCACHEABLE:
        plan = _prepare(build, iterable, values, scope_values, using)
        with _LOCK:
            if len(_PLANS) + len(UNCACHEABLE) >= MAX_SHAPES:
                _PLANS.clear()
                UNCACHEABLE.clear()
            if plan is None:
                UNCACHEABLE.add(full_key)
            else:
                _PLANS[full_key] = plan
        stats["built" if plan is not None else "refused"] += 1
    return plan, scope_values


def _refuse(*args, **kwargs):
    raise TypeError("sql_shapes: a bound queryset can only be iterated, not derived from")


def _compiler(plan: _Plan, params: tuple, using: str):
    """The kept compiler, copied, answering the bound SQL on this thread's connection."""
    compiler = copy.copy(plan.compiler)
    compiler.connection = connections[using]
    compiler.using = using
    sql = plan.sql
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    return compiler


def _bound(plan: _Plan, params: tuple, using: str) -> QuerySet:
    """A queryset of the plan's template whose compiler answers the bound SQL: Django's own iterable
    reads its rows (converters, instances, select_related, annotations)."""
    template = plan.template
    compiler = _compiler(plan, params, using)
    query = copy.copy(template.query)
    query.get_compiler = lambda *args, **kwargs: compiler
    query.chain = query.clone = _refuse  # only to be iterated: a filter, count or exists would keep the
    # bound SQL or run the stand-ins' query
    queryset = template.__class__(model=template.model, query=query, using=using)
    queryset._iterable_class = template._iterable_class
    queryset._fields = template._fields
    queryset._fetch_mode = template._fetch_mode
    return queryset


def _verify(plan: _Plan, params: tuple, build: Build, values: dict, key, using: str) -> None:
    found = build(SimpleNamespace(**values))
    try:
        sql, plain = (None, ()) if found is None else found.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:
        sql, plain = None, ()
    # IN lists built from a set may list the same values in another order
    if sql != plan.sql or sorted(map(repr, plain)) != sorted(map(repr, params)):
        raise AssertionError(
            f"sql_shapes: the kept SQL of {key!r} is not the SQL of build(p): a value not from p?"
        )


def _plain(build: Build, values: dict, using: str):
    found = build(SimpleNamespace(**values))
    return found if found is None or using == DEFAULT_DB_ALIAS else found.using(using)


def fetch(key: Hashable, values: dict, build: Build, *, using: str = DEFAULT_DB_ALIAS,
          cached: bool = True) -> list[tuple]:  # fmt: skip
    """The rows of `build(p)` (a `values_list()`), its SQL compiled once per shape (module docstring)."""
    plan, scope_values = _plan(key, values, build, ValuesListIterable, using, cached)
    if plan is None:  # the plain path: built, compiled and run by the ORM for this call
        found = _plain(build, values, using)
        if found is not None:
            _check(found, ValuesListIterable)
        return [] if found is None else list(found)
    params = _bind(plan, values, scope_values, using)
    if VERIFY:
        _verify(plan, params, build, values, key, using)
    if plan.sql is None:
        return []
    # What ValuesListIterable does (the backend's converters applied), without a QuerySet around it.
    return list(_compiler(plan, params, using).results_iter(tuple_expected=True))


def queryset(key: Hashable, values: dict, build: Build, *, using: str = DEFAULT_DB_ALIAS,
             cached: bool = True) -> QuerySet | list:  # fmt: skip
    """`build(p)` (a queryset of model instances) to iterate, its SQL compiled once per shape (module
    docstring). Where the shape is not cacheable (or not ENABLED) `build(p)` itself; [] for a None."""
    plan, scope_values = _plan(key, values, build, ModelIterable, using, cached)
    if plan is None:
        found = _plain(build, values, using)
        if found is not None:
            _check(found, ModelIterable)
        return [] if found is None else found
    params = _bind(plan, values, scope_values, using)
    if VERIFY:
        _verify(plan, params, build, values, key, using)
    if plan.sql is None:
        return []
    return _bound(plan, params, using)


def bound_sql(key: Hashable, values: dict, build: Build, *, using: str = DEFAULT_DB_ALIAS,
              rows: bool = False) -> tuple[str, tuple] | None:  # fmt: skip
    """The SQL and parameters a call would send (None: the plain path or no query), for the tests that
    compare them with what Django compiles for the real values."""
    plan, scope_values = _plan(
        key, values, build, ValuesListIterable if rows else ModelIterable, using, cached=True
    )
    if plan is None or plan.sql is None:
        return None
    return plan.sql, _bind(plan, values, scope_values, using)


def clear() -> None:
    """Forget every compiled shape (tests)."""
    with _LOCK:
        _PLANS.clear()
        UNCACHEABLE.clear()
