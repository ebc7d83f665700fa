"""A queryset's SQL compiled once per shape, run again with new parameters (issue #13).

Building and compiling the file page's querysets (nested subqueries, aggregates, the scope filter)
cost more Python than running them. For a fixed *shape* (everything that changes the SQL text: the
viewer's role flags, the number of their groups, the filters, the page, the day) the SQL text is a
pure function of code; only the ids differ (the school, the student, the viewer's groups). So:

- `build(values)` makes the queryset from the ids in `values` (name -> int or tuple of ints);
- the first call for a key builds it TWICE with two sets of sentinel ids (and the school scope set
  to sentinels), compiles both, and keeps the SQL only if the two texts are the same and every
  parameter is either the same constant in both or the same named sentinel: anything else (an id
  inlined in the text, a value derived from an id, a shape that depends on the ids) means "not
  cacheable" and every call for that key takes the plain path;
- later calls copy the compiled query's compiler with the real ids put in the sentinels' places,
  and Django's own iterable turns the rows into instances (select_related, annotations, converters).

The cache holds SQL text and the compiler's column map, never rows: nothing of a school or a viewer
is kept, and a write can not make it stale. The key must hold everything else the SQL depends on
(the caller passes it; the active scope's shape, the database, the number of ids, the active time
zone and language are added).
A template with prefetches is refused: their querysets would carry the sentinel scope.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone, translation
from django_scopes import scope
from django_scopes.state import get_scope

Values = dict[str, int | tuple[int, ...] | None]

SIZE = 512
_BASES = (7_300_000_000_000, 7_400_000_000_000)
_SCOPE = "__scope_school"


@dataclass(frozen=True)
class _Compiled:
    template: QuerySet
    compiler: object
    sql: str
    slots: tuple  # per parameter: (name, index) of a sentinel, or None for a constant
    constants: tuple


_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()
_UNCACHEABLE = object()
stats = {"built": 0, "hits": 0, "refused": 0}
ENABLED = True  # tests switch it off to compare with the plain path


def _shape(values: Values) -> tuple:
    return tuple(
        (name, None if value is None else len(value) if isinstance(value, tuple) else -1)
        for name, value in sorted(values.items())
    )


def _valid(values: Values) -> bool:
    for value in values.values():
        items = value if isinstance(value, tuple) else () if value is None else (value,)
        if not all(type(item) is int for item in items):
            return False
    return True


def _sentinels(values: Values, base: int) -> tuple[Values, dict[int, tuple[str, int]]]:
    out: Values = {}
    slots: dict[int, tuple[str, int]] = {}
    n = base
    for name, value in sorted(values.items()):
        if value is None:
            out[name] = None
            continue
        items = value if isinstance(value, tuple) else (value,)
        made = []
        for index in range(len(items)):
            n += 1
            slots[n] = (name, index)
            made.append(n)
        out[name] = tuple(made) if isinstance(value, tuple) else made[0]
    return out, slots


def _compile(build: Callable[[Values], QuerySet], values: Values, base: int, using: str):
    fake, slots = _sentinels(values, base)
    school = fake.pop(_SCOPE)
    with scope(school=list(school) if isinstance(school, tuple) else school):
        queryset = build(fake)
    if queryset._prefetch_related_lookups or queryset._fields is not None:
        raise ValueError("sql_shapes: a template without prefetches and values()")
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    return queryset, compiler, sql, tuple(params), slots


def _prepare(build, values: Values, using: str):
    try:
        first = _compile(build, values, _BASES[0], using)
        second = _compile(build, values, _BASES[1], using)
    except Exception:  # EmptyResultSet and the like: let the plain path decide
        return _UNCACHEABLE
    queryset, compiler, sql, params, slots = first
    _q2, _c2, sql2, params2, slots2 = second
    if sql != sql2 or len(params) != len(params2):
        return _UNCACHEABLE
    out = []
    for a, b in zip(params, params2, strict=True):
        if type(a) is int and a in slots:
            if type(b) is not int or slots2.get(b) != slots[a]:
                return _UNCACHEABLE
            out.append(slots[a])
        elif type(a) is not type(b) or a != b or (type(b) is int and b in slots2):
            return _UNCACHEABLE
        else:
            out.append(None)
    return _Compiled(queryset, compiler, sql, tuple(out), params)


def _scope_school():
    current = get_scope()
    if not current.get("_enabled", True) or set(current) - {"_enabled", "school"}:
        return _UNCACHEABLE
    school = current.get("school", _UNCACHEABLE)
    if isinstance(school, list):
        school = tuple(school)
    return school


def cached_queryset(
    key: Hashable, build: Callable[[Values], QuerySet], values: Values, *, using: str = DEFAULT_DB_ALIAS
) -> QuerySet:
    """`build(values)`, evaluated with SQL compiled once per (key, shape of values, scope, database).

    Falls back to `build(values)` itself where the shape is not cacheable (see the module's text)."""
    school = _scope_school() if ENABLED else _UNCACHEABLE
    values = {**values, _SCOPE: school}
    if school is _UNCACHEABLE or school is None or not _valid(values):
        return build({k: v for k, v in values.items() if k != _SCOPE})
    # The active time zone and language too: a date lookup's zone is a constant of the SQL.
    context = (timezone.get_current_timezone_name(), translation.get_language())
    full_key = (key, connections[using].vendor, using, _shape(values), context)
    with _lock:
        compiled = _cache.get(full_key)
        if compiled is not None:
            _cache.move_to_end(full_key)
    if compiled is None:
        compiled = _prepare(build, values, using)
        with _lock:
            _cache[full_key] = compiled
            while len(_cache) > SIZE:
                _cache.popitem(last=False)
        stats["built" if compiled is not _UNCACHEABLE else "refused"] += 1
    else:
        stats["hits"] += 1
    if compiled is _UNCACHEABLE:
        return build({k: v for k, v in values.items() if k != _SCOPE})
    return _bound(compiled, values, using)


def bound_sql(compiled: _Compiled, values: Values) -> tuple[str, tuple]:
    params = []
    for slot, constant in zip(compiled.slots, compiled.constants, strict=True):
        if slot is None:
            params.append(constant)
        else:
            name, index = slot
            value = values[name]
            params.append(value[index] if isinstance(value, tuple) else value)
    return compiled.sql, tuple(params)


def _bound(compiled: _Compiled, values: Values, using: str) -> QuerySet:
    sql, params = bound_sql(compiled, values)
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connections[using]
    compiler.using = using
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    query = copy.copy(compiled.template.query)
    query.get_compiler = lambda *args, **kwargs: compiler
    query.chain = _refuse  # only to be iterated: a filter on it would keep the bound SQL
    template = compiled.template
    queryset = template.__class__(model=template.model, query=query, using=using)
    queryset._iterable_class = template._iterable_class
    return queryset


def _refuse(*args, **kwargs):
    raise TypeError("sql_shapes: a bound queryset can only be iterated, not derived from")


def clear() -> None:
    with _lock:
        _cache.clear()
