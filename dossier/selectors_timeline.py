"""The file page's reads in a fixed, small number of queries (issue #13: at most 12 per page).

- `timeline_student_queryset`: the student with what the page needs about them in the same fetch:
  the authors of the entries this user may read (the filter's list), the active legal hold's id and,
  in one prefetch, the current groups with their mentors' names (the permission rules read the groups
  from it: schools.selectors.current_group_facts).
- `timeline_page`: one page of entries with the total (a window count) and the involved children
  (with whether this user may see each; the others are redacted, AVG-4) in ONE query.
Names travel inside an aggregate separated by control characters, which SafeForm refuses in names.
"""

from __future__ import annotations

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
from dossier.selectors import TimelineFilters, _redact_in_place, detail_url, readable_levels, visible_entries
from schools.access import Access
from schools.models import Group, GroupMembership, StaffMember, Student
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


def timeline_student_queryset(access: Access) -> QuerySet[Student]:
    entry_authors = _readable(access, DossierEntry.objects.filter(student_id=OuterRef(OuterRef("pk"))))
    authors = (
        StaffMember.objects.filter(pk__in=entry_authors.values("author_id"))
        .order_by()
        .values("school_id")
        .annotate(agg=StringAgg(_person(), Value(RECORD)))
        .values("agg")
    )
    mentors = (
        Group.mentors.through.objects.filter(group_id=OuterRef("group_id"))
        .order_by()
        .values("group_id")
        .annotate(agg=StringAgg(_person("staffmember__"), Value(RECORD)))
        .values("agg")
    )
    memberships = (
        GroupMembership.objects.filter(current_membership_q())
        .select_related("group")
        .annotate(mentor_agg=Subquery(mentors))
        .order_by("group__name", "pk")
    )
    return (
        Student.objects.select_related("school")
        .annotate(
            author_agg=Subquery(authors),
            active_hold_id=Subquery(
                LegalHold.objects.filter(student=OuterRef("pk"), lifted_at__isnull=True).values("pk")[:1]
            ),
        )
        .prefetch_related(Prefetch("memberships", queryset=memberships))
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


def counted_page(queryset: QuerySet, number, per_page: int) -> Page:
    """A Paginator page whose rows carry the total (a window count): one query, not a COUNT and a
    SELECT. An empty first page needs no count; beyond the last page the paginator's own path."""
    paginator = Paginator(queryset, per_page)
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    offset = (wanted - 1) * per_page
    rows = list(queryset.annotate(window_total=Window(Count("pk")))[offset : offset + per_page])
    if rows:
        paginator.__dict__["count"] = rows[0].window_total  # Paginator.count is a cached_property
    elif wanted == 1:
        paginator.__dict__["count"] = 0
    else:  # beyond the last page: count, and show the last one (rare)
        wanted = paginator.num_pages
        offset = (wanted - 1) * per_page
        rows = list(queryset[offset : offset + per_page])
    page = paginator.page(wanted)
    page.object_list = rows
    return page


def timeline_page(access: Access, student: Student, filters: TimelineFilters, number, per_page: int) -> Page:
    """One page of the file, prepared for staff (involved names, redaction, links): one query."""
    entries = visible_entries(access, student, filters).annotate(involved_agg=_involved_agg(access))
    page = counted_page(entries, number, per_page)
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
