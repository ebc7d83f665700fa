"""The student's page as the care overview at a glance (issue 10 §8, issue 12 §8): a registry of panels.

The foundation knows no protocol app (tests/test_app_layers.py); each app registers its panels from its
own AppConfig.ready():

    from schools.student_panels import register_student_panel
    register_student_panel("behaviour", order=10, provider=student_panel.behaviour_panel,
                           template="behaviour/student_panel.html")

A provider is called as `provider(student, request)` and answers
- None: nothing for this viewer (no permission: AVG-4 need to know; or nothing worth a panel);
- a dict: the panel's context, shown as is (its "title" is the panel's heading);
- `PanelRows(rows, build, values=..., shape=...)`: the panel's data as `overview_rows(...)` querysets.
  The registry sends the rows of ALL panels as ONE query (a UNION ALL), then calls `build(rows)` with
  this panel's rows (a list of `OverviewRow`) for the context (or None). So the page stays within its
  query budget (issue 13: at most 12, the same number whatever the history) however many apps add a panel.

  `rows` is a module-level function `rows(p, **shape)` that returns the querysets from the panel's
  `values` (`p.student`, `p.today`, …: ints, strings, dates or lists of them) and its `shape` (keyword
  arguments: the permission branches, the viewer's visibility branch: whatever changes the querysets'
  structure), reading nothing else (not the request, not the clock). Then the union's SQL is compiled
  once per process per shape and only the values are bound per request (schools.sql_shapes, issue #13
  §2: building and compiling the querysets was most of the page's time).
  `rows` may also be the querysets themselves (built and compiled on every request).

The provider checks permission itself (`request.user.has_perm(...)`, without a query: the access is
cached per request) and filters its rows the way the file's timeline does (`readable_levels`).
Panels show in ascending `order`, then in registration order; the template gets `panel` (the context)
and `student`, inside a `<section>` with the title as its heading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import FunctionType, SimpleNamespace
from typing import NamedTuple

from django.db.models import DateField, F, IntegerField, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat

from . import sql_shapes

FIELDS = (
    "ov_panel", "ov_kind", "ov_ref", "ov_title", "ov_detail", "ov_who", "ov_extra", "ov_date_a", "ov_date_b", "ov_number",
)  # fmt: skip


class OverviewRow(NamedTuple):
    """One row of a panel: what the provider put in, typed the same for every app."""

    panel: str
    kind: str
    ref: int | None
    title: str
    detail: str
    who: str
    extra: str
    date_a: object  # datetime.date or None
    date_b: object
    number: int | None


@dataclass(frozen=True)
class PanelRows:
    rows: QuerySet | Iterable[QuerySet] | Callable[[SimpleNamespace], QuerySet | Iterable[QuerySet]]
    build: Callable[[list[OverviewRow]], dict | None]
    values: dict = field(default_factory=dict)  # the inputs of `rows(p)`: bound as SQL parameters
    shape: dict = field(default_factory=dict)  # `rows(p, **shape)`: the branches, part of the SQL's key

    def querysets(self, p) -> list[QuerySet]:
        rows = self.rows(p, **self.shape) if callable(self.rows) else self.rows
        return [rows] if isinstance(rows, QuerySet) else list(rows)


@dataclass(frozen=True)
class StudentPanel:
    key: str
    order: int
    provider: Callable
    template: str


@dataclass
class _Registry:
    panels: dict[str, StudentPanel] = field(default_factory=dict)


_REGISTRY = _Registry()


def register_student_panel(key: str, *, order: int, provider: Callable, template: str) -> Callable:
    """Register once per process; the same key again with another provider or template is a ValueError."""
    panel = StudentPanel(key, order, provider, template)
    known = _REGISTRY.panels.get(key)
    if known is not None and (known.provider is not provider or known.template != template):
        raise ValueError(f"student panel {key!r} is already registered with another provider")
    _REGISTRY.panels.setdefault(key, panel)
    return provider


def student_panels() -> list[StudentPanel]:
    keys = list(_REGISTRY.panels)
    return sorted(_REGISTRY.panels.values(), key=lambda p: (p.order, keys.index(p.key)))


# Issue #13 §2: one output field per type for every row of every panel (a field per column per request
# was a measurable share of the page); unbound fields, only read when the SQL is written.
_TEXT, _INTEGER, _DATE = TextField(), IntegerField(), DateField()
# An empty column, typed even so: PostgreSQL types an untyped NULL in a UNION as text (then date ≠ text).
_EMPTY = {id(_TEXT): Cast(Value(""), output_field=_TEXT), id(_INTEGER): Cast(Value(None), output_field=_INTEGER),
          id(_DATE): Cast(Value(None), output_field=_DATE)}  # fmt: skip


def _expr(value, output_field):
    if value is None:
        return _EMPTY[id(output_field)]  # resolving an annotation copies it: sharing one is safe
    if isinstance(value, str):
        value = F(value)
    return Cast(value, output_field=output_field)


def overview_rows(
    queryset: QuerySet,
    *,
    kind: str,
    title=None,
    detail=None,
    who=None,
    extra=None,
    date_a=None,
    date_b=None,
    number=None,
    ref="pk",
    order_by: tuple[str, ...] = (),
    limit: int | None = None,
) -> QuerySet:
    """`queryset` in the overview's shape. Each argument is a field name or an expression; `limit` keeps
    the first rows by `order_by` (a sub-select, so the UNION stays valid on SQLite and PostgreSQL)."""
    if limit is not None:
        # The sub-select carries the filters; the outer query only picks its rows (issue #13 §2: the
        # filters built and compiled once, not twice). Same manager, so the same school scope.
        chosen = queryset.order_by(*order_by).values("pk")[:limit]
        queryset = queryset.model._default_manager.filter(pk__in=chosen)
    return queryset.order_by().annotate(
        ov_kind=Cast(Value(kind), output_field=_TEXT),
        ov_ref=_expr(ref, _INTEGER),
        ov_title=_expr(title, _TEXT),
        ov_detail=_expr(detail, _TEXT),
        ov_who=_expr(who, _TEXT),
        ov_extra=_expr(extra, _TEXT),
        ov_date_a=_expr(date_a, _DATE),
        ov_date_b=_expr(date_b, _DATE),
        ov_number=_expr(number, _INTEGER),
    )


def full_name(prefix: str):
    """A staff member's name as one text column ("Mirjam Mentor"), for `who=`."""
    parts = (
        F(f"{prefix}__first_name"),
        Value(" "),
        F(f"{prefix}__name_prefix"),
        Value(" "),
        F(f"{prefix}__last_name"),
    )
    return Concat(*parts, output_field=_TEXT)


def _union(parts: list[tuple[str, QuerySet]]) -> QuerySet | None:
    """The parts as one UNION ALL in the overview's columns, `ov_panel` naming each row's panel."""
    querysets = [
        qs.annotate(ov_panel=Cast(Value(key), output_field=_TEXT)).values_list(*FIELDS) for key, qs in parts
    ]
    if not querysets:
        return None
    return querysets[0].union(*querysets[1:], all=True).order_by() if len(querysets) > 1 else querysets[0]


def _union_of(panels: list[tuple[str, PanelRows]]) -> Callable[[SimpleNamespace], QuerySet]:
    """`build(p)` for sql_shapes: each panel's `rows(...)` with its own values (`p` holds them all,
    named by the panel's position)."""

    def build(p):
        values = vars(p)
        parts = []
        for n, (key, answer) in enumerate(panels):
            mine = SimpleNamespace(**{name: values[f"{n}:{name}"] for name in answer.values})
            parts.extend((key, qs) for qs in answer.querysets(mine))
        return _union(parts)

    return build


def _pure(rows) -> bool:
    """A module-level function (no closure): what it builds depends on its arguments only, so its SQL
    may be kept per shape; a closure or a callable object is built and compiled on every request."""
    return isinstance(rows, FunctionType) and rows.__closure__ is None


def _fetch(panels: list[tuple[str, PanelRows]], *, cached: bool = True) -> dict[str, list[OverviewRow]]:
    """Every panel's rows in one query (UNION ALL); {} without a query when no panel has rows."""
    found: dict[str, list[OverviewRow]] = {key: [] for key, _ in panels}
    if not panels:
        return found
    if all(_pure(answer.rows) for _, answer in panels):
        shape = tuple((key, answer.rows, tuple(sorted(answer.shape.items()))) for key, answer in panels)
        values = {
            f"{n}:{name}": value
            for n, (_, answer) in enumerate(panels)
            for name, value in answer.values.items()
        }
        rows = sql_shapes.fetch(("student_panels", shape), values, _union_of(panels), cached=cached)
    else:  # querysets: built and compiled here
        parts = []
        for key, answer in panels:
            parts.extend((key, qs) for qs in answer.querysets(SimpleNamespace(**answer.values)))
        union = _union(parts)
        rows = [] if union is None else list(union)
    for values in rows:
        row = OverviewRow(*values)
        row = row._replace(who=" ".join((row.who or "").split()))  # no double space without a name prefix
        found[row.panel].append(row)
    return found


def panels_for(student, request) -> list[dict]:
    """The panels this viewer gets for `student`, in order: [{"key", "template", "context"}]."""
    answers = []
    for panel in student_panels():
        answer = panel.provider(student, request)
        if answer is not None:
            answers.append((panel, answer))
    rows_by_panel = _fetch(
        [(panel.key, answer) for panel, answer in answers if isinstance(answer, PanelRows)]
    )
    shown = []
    for panel, answer in answers:
        context = answer.build(rows_by_panel.get(panel.key, [])) if isinstance(answer, PanelRows) else answer
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown
