"""The file page's reads in a fixed, small number of queries (issue #13: at most 12 per page).

- `timeline_student_queryset`: the student with what the page needs about them in the same fetch:
  the authors of the entries this user may read (the filter's list), the active legal hold's id and,
  in one prefetch, the current groups with their mentors' names (the permission rules read the groups
  from it: schools.selectors.current_group_facts).
- `timeline_page`: one page of entries with the total (a window count) and the involved children
  (with whether this user may see each; the others are redacted, AVG-4) in ONE query.
Names travel inside an aggregate separated by control characters, which SafeForm refuses in names.

Issue #13: the page's view reads these through `timeline_student` and `timeline_page`, whose SQL is
compiled once per shape (schools.sql_shapes: the viewer's roles, the filters, the page, the day) with
the ids (school, student, the viewer's groups) bound per request; the rows are the same.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat

from dossier.models import DossierEntry, LegalHold
from dossier.models.entries import REDACTED_STUDENT
from dossier.selectors import (
    TimelineFilters,
    _redact_in_place,
    detail_url,
    entries_of_related,
    readable_levels,
    visible_entries,
)
from schools import sql_shapes
from schools.access import Access, today
from schools.cleaning import parse_id
from schools.models import Group, GroupMembership, School, StaffMember, Student
from schools.models.people import display_name
from schools.selectors import current_membership_q, relates, visible_students

UNIT, RECORD = "\x1f", "\x1e"


def _person(prefix: str = "") -> Concat:
    return Concat(
        Cast(f"{prefix}id", CharField()),
        Value(UNIT),
        f"{prefix}first_name",
        Value(UNIT),
        f"{prefix}name_prefix",
        Value(UNIT),
        f"{prefix}last_name",
    )


def _people(agg: str | None) -> list[tuple[int, str, str, str, list[str]]]:
    out = []
    for record in (agg or "").split(RECORD):
        if record:
            pk, first, prefix, last, *rest = record.split(UNIT)
            out.append((int(pk), first, prefix, last, rest))
    return out


def _readable(access: Access, entries: QuerySet) -> QuerySet:
    entries = entries.filter(visibility__in=readable_levels(access))
    return entries if access.is_care_team else entries.filter(is_health=False)


def _memberships() -> QuerySet[GroupMembership]:
    mentors = (
        Group.mentors.through.objects.filter(group_id=OuterRef("group_id"))
        .order_by()
        .values("group_id")
        .annotate(agg=StringAgg(_person("staffmember__"), Value(RECORD)))
        .values("agg")
    )
    return (
        GroupMembership.objects.filter(current_membership_q())
        .select_related("group")
        .annotate(mentor_agg=Subquery(mentors))
        .order_by("group__name", "pk")
    )


def timeline_student(access: Access, pk) -> Student | None:
    """The file page's student (timeline_student_queryset's row and prefetch), the student's SQL
    compiled once per shape (schools.sql_shapes: the viewer's roles and the day; ids bound)."""
    if access.school is None or parse_id(pk) is None:
        return timeline_student_queryset(access).filter(pk=pk).first()

    def build(p: SimpleNamespace) -> QuerySet[Student]:
        return _student_row(_shape_access(access, p)).filter(pk=p.pk)[:1]

    key = ("dossier.timeline_student", _access_key(access))
    rows = list(sql_shapes.queryset(key, {**_access_values(access), "pk": int(pk)}, build))
    if not rows:
        return None
    student = rows[0]
    _prefetch_memberships(student)
    return student


def _prefetch_memberships(student: Student) -> None:
    """prefetch_related("memberships", queryset=_memberships()) for one student, its SQL compiled
    once per day (schools.sql_shapes); stored where Django's prefetch puts it."""

    def build(p: SimpleNamespace) -> QuerySet[GroupMembership]:
        return _memberships().filter(student_id=p.student)

    key = ("dossier.timeline_memberships", today())
    rows = list(sql_shapes.queryset(key, {"student": student.pk}, build))
    for membership in rows:
        membership.student = student  # as Django's prefetch does (the reverse side known)
    cached = student.memberships.get_queryset()
    cached._result_cache = rows
    cached._prefetch_done = True
    student.__dict__.setdefault("_prefetched_objects_cache", {})["memberships"] = cached


def timeline_student_queryset(access: Access) -> QuerySet[Student]:
    return _student_row(access).prefetch_related(Prefetch("memberships", queryset=_memberships()))


def _student_row(access: Access) -> QuerySet[Student]:
    entry_authors = _readable(access, DossierEntry.objects.filter(student_id=OuterRef(OuterRef("pk"))))
    authors = (
        StaffMember.objects.filter(pk__in=entry_authors.values("author_id"))
        .order_by()
        .values("school_id")
        .annotate(agg=StringAgg(_person(), Value(RECORD)))
        .values("agg")
    )
    return Student.objects.select_related("school").annotate(
        author_agg=Subquery(authors),
        active_hold_id=Subquery(
            LegalHold.objects.filter(student=OuterRef("pk"), lifted_at__isnull=True).values("pk")[:1]
        ),
    )


def timeline_authors(access: Access, student: Student) -> list[StaffMember]:
    """The filter's author list from the student's fetch (sorted like the old query)."""
    if not relates(access, student):
        return []
    people = [
        StaffMember(pk=pk, first_name=first, name_prefix=prefix, last_name=last)
        for pk, first, prefix, last, _rest in _people(student.author_agg)
    ]
    return sorted(people, key=lambda s: (s.last_name, s.first_name))


def current_groups_and_mentors(student: Student) -> tuple[list[Group], list[StaffMember]]:
    memberships = student._prefetched_objects_cache["memberships"]
    mentors: dict[int, StaffMember] = {}
    for membership in memberships:
        for pk, first, prefix, last, _rest in _people(membership.mentor_agg):
            mentors.setdefault(pk, StaffMember(pk=pk, first_name=first, name_prefix=prefix, last_name=last))
    return [m.group for m in memberships], sorted(mentors.values(), key=lambda s: s.last_name)


def _involved_agg(access: Access) -> Subquery:
    through = DossierEntry.involved.through
    seen = Exists(visible_students(access).filter(pk=OuterRef("student_id")))
    record = Concat(_person("student__"), Value(UNIT), Case(When(seen, then=Value("1")), default=Value("0")))
    return Subquery(
        through.objects.filter(dossierentry_id=OuterRef("pk"))
        .order_by()
        .values("dossierentry_id")
        .annotate(agg=StringAgg(record, Value(RECORD)))
        .values("agg")
    )


def counted_page(queryset, number, per_page: int, rows_at=None) -> Page:
    """A Paginator page whose rows carry the total (a window count): one query, not a COUNT and a
    SELECT. An empty first page needs no count; beyond the last page the paginator's own path.
    With `rows_at(offset)` (the counted rows of a page: the compiled-once path) `queryset` may be
    a function making it, called only beyond the last page."""
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    offset = (wanted - 1) * per_page
    if rows_at is None:
        rows = list(queryset.annotate(window_total=Window(Count("pk")))[offset : offset + per_page])
    else:
        rows = rows_at(offset)
    if rows or wanted == 1:
        paginator = Paginator(rows if callable(queryset) else queryset, per_page)
        paginator.__dict__["count"] = rows[0].window_total if rows else 0  # a cached_property
    else:  # beyond the last page: count, and show the last one (rare)
        paginator = Paginator(queryset() if callable(queryset) else queryset, per_page)
        wanted = paginator.num_pages
        offset = (wanted - 1) * per_page
        rows = list(paginator.object_list[offset : offset + per_page])
    page = paginator.page(wanted)
    page.object_list = rows
    return page


def _shape_access(access: Access, p: SimpleNamespace) -> Access:
    """`access` with its ids taken from `p` (stand-ins while schools.sql_shapes compiles)."""
    return replace(
        access,
        user_id=p.user,
        school=School(pk=p.school),
        staff=StaffMember(pk=p.staff) if p.staff is not None else None,
        taught_group_ids=frozenset(p.groups),
        mentor_group_ids=frozenset(),
        head_of_department_ids=frozenset(p.heads),
        board_ids=frozenset(),
        schools=(),
    )


def _access_values(access: Access) -> dict:
    return {
        "user": access.user_id,
        "school": access.school.pk,
        "staff": access.staff.pk if access.staff else None,
        "groups": tuple(sorted(access.group_ids)),
        "heads": tuple(sorted(access.head_of_department_ids)),
    }


def _access_key(access: Access) -> tuple:
    """What of the viewer, besides ids, the file page's SQL depends on (their roles) and the day
    (current memberships are those of today)."""
    return (tuple(sorted(access.roles)), access.is_staff_member, today())


def _entries(access: Access, student_id: int, filters: TimelineFilters) -> QuerySet[DossierEntry]:
    return entries_of_related(access, student_id, filters).annotate(involved_agg=_involved_agg(access))


def timeline_page(access: Access, student: Student, filters: TimelineFilters, number, per_page: int) -> Page:
    """One page of the file, prepared for staff (involved names, redaction, links): one query.

    Issue #13: the page's SQL is compiled once per shape (schools.sql_shapes): the viewer's roles,
    the filters but the author's id, the page; the ids (school, student, groups, author) are bound."""

    def entries() -> QuerySet[DossierEntry]:
        return visible_entries(access, student, filters).annotate(involved_agg=_involved_agg(access))

    rows_at = None
    if relates(access, student):
        values = {**_access_values(access), "student": student.pk, "author": filters.author_id}
        shape = replace(filters, author_id=None)

        def rows_at(offset: int) -> list[DossierEntry]:
            def build(p: SimpleNamespace) -> QuerySet[DossierEntry]:
                fake = _shape_access(access, p)
                counted = _entries(fake, p.student, replace(shape, author_id=p.author))
                return counted.annotate(window_total=Window(Count("pk")))[offset : offset + per_page]

            key = ("dossier.timeline_page", _access_key(access), shape, offset, per_page)
            return list(sql_shapes.queryset(key, values, build))

    page = counted_page(entries if rows_at else entries(), number, per_page, rows_at)
    rows = page.object_list
    for entry in rows:
        involved = sorted(_people(entry.involved_agg), key=lambda p: (p[3], p[1]))  # by surname
        entry.involved_labels = [
            display_name(first, prefix, last) if seen == ["1"] else REDACTED_STUDENT
            for _pk, first, prefix, last, seen in involved
        ]
        hidden = [(first, prefix, last) for _pk, first, prefix, last, seen in involved if seen != ["1"]]
        if hidden:
            _redact_in_place(entry, hidden, student)
        entry.detail_url = detail_url(entry)
    return page
