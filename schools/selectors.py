"""School-scoped reads, filtered by need to know. Query counts stay flat as data grows."""

from __future__ import annotations

from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

from . import sql_shapes
from .access import Access, today
from .models import Group, GroupMembership, GuardianRelation, StaffMember, Student, TeachingAssignment


def current_membership_q(prefix: str = "") -> Q:
    day = today()
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


def is_current(membership: GroupMembership, day) -> bool:
    """current_membership_q in Python, for memberships already loaded."""
    return membership.start <= day and (membership.end is None or membership.end >= day)


def with_memberships(students: QuerySet[Student]) -> QuerySet[Student]:
    """Students with all their memberships (groups, years, departments) in one extra query: the
    student page shows them and the permission check reads the current ones from them (issue #13)."""
    return students.prefetch_related(
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.select_related(
                "group__school_year", "group__department"
            ).order_by("-start", "pk"),
        )
    )


def with_student_group_facts(queryset: QuerySet, student_field: str = "student") -> QuerySet:
    """Rows (a document, a case) with their student's current (group, department) pairs as text,
    read in the same query; `remember_group_facts` hands them to the rules (issue #13)."""
    pair = Concat(
        Cast("group_id", CharField()),
        Value(":"),
        Coalesce(Cast("group__department_id", CharField()), Value("")),
    )
    facts = (
        GroupMembership.objects.filter(current_membership_q(), student=OuterRef(student_field))
        .values("student")
        .annotate(text=StringAgg(pair, delimiter=Value(",")))
        .values("text")
    )
    return queryset.annotate(_student_group_facts=Subquery(facts))


def remember_group_facts(obj, student: Student) -> None:
    """What `with_student_group_facts` read for `obj`, cached on its student for current_group_facts."""
    if obj is None or student is None or not hasattr(obj, "_student_group_facts"):
        return
    text = obj._student_group_facts or ""
    facts = []
    for pair in filter(None, text.split(",")):
        group_id, _, department_id = pair.partition(":")
        facts.append((int(group_id), int(department_id) if department_id else None))
    student.__dict__["_current_group_facts"] = facts


def remember_student_group_facts(obj) -> None:
    """`remember_group_facts` for a row with a `student` (a document, a case): the `prepare` of
    get_permitted when the rules read the student's groups."""
    remember_group_facts(obj, getattr(obj, "student", None))


def current_group_facts(student: Student) -> list[tuple[int, int | None]]:
    """(group id, department id) of the student's current groups; cached on the instance, and read
    from prefetched memberships (with_memberships) without a query."""
    cached = student.__dict__.get("_current_group_facts")
    prefetched = getattr(student, "_prefetched_objects_cache", {}).get("memberships")
    if cached is None and prefetched is not None:
        day = today()
        cached = [(m.group_id, m.group.department_id) for m in prefetched if is_current(m, day)]
        student.__dict__["_current_group_facts"] = cached
    if cached is None:
        cached = list(
            GroupMembership.objects.filter(current_membership_q(), student=student).values_list(
                "group_id", "group__department_id"
            )
        )
        student.__dict__["_current_group_facts"] = cached
    return cached


def relates(access: Access, student: Student) -> bool:
    """Need to know (AVG-4): care team and director see their school; a teacher or mentor the
    students of their current groups; an afdelingsleider those of their department."""
    if access.school is None or not access.is_staff_member or access.school.pk != student.school_id:
        return False
    if access.sees_whole_school:
        return True
    return any(
        group_id in access.group_ids or department_id in access.head_of_department_ids
        for group_id, department_id in current_group_facts(student)
    )


def visible_groups(access: Access) -> QuerySet[Group]:
    if access.school is None or not access.is_staff_member:
        return Group.objects.none()
    groups = Group.objects.filter(school=access.school)
    if access.sees_whole_school or access.is_functional_admin:
        return groups
    return groups.filter(Q(pk__in=access.group_ids) | Q(department_id__in=access.head_of_department_ids))


def visible_students(access: Access) -> QuerySet[Student]:
    """Students this user may see: enrolled (not left) and related to them by role."""
    if access.school is None or not access.is_staff_member:
        return Student.objects.none()
    students = Student.objects.filter(school=access.school)
    if access.sees_whole_school or access.is_functional_admin:
        return students
    related = GroupMembership.objects.filter(current_membership_q(), student=OuterRef("pk")).filter(
        Q(group_id__in=access.group_ids) | Q(group__department_id__in=access.head_of_department_ids)
    )
    return students.filter(Exists(related))


# po groups are often named "groep 6" and vo classes "klas 2b": "groep 6", "6" and "klas 2b" all find them.
GROUP_WORDS = ("groep", "klas")


def _group_named(in_group, names: list[str]) -> Exists:
    """Whether one of the student's current groups (in_group: of the school searched) has one of these names."""
    q = Q()
    for name in names:
        q |= Q(group__name__iexact=name)
    return Exists(in_group.filter(q))


def _search_terms(words: list[str], in_group) -> list[Q]:
    """One condition per word; "groep"/"klas" followed by a word is one condition on the group."""
    terms, i = [], 0
    while i < len(words):
        word = words[i]
        if word in GROUP_WORDS and i + 1 < len(words):
            nxt = words[i + 1]
            terms.append(
                (Q(search_text__contains=word) & Q(search_text__contains=nxt))
                | _group_named(in_group, [nxt, f"{word} {nxt}"])
            )
            i += 2
            continue
        names = [word, *(f"{label} {word}" for label in GROUP_WORDS)]
        terms.append(Q(search_text__contains=word) | _group_named(in_group, names))
        i += 1
    return terms


def search_queryset(access: Access, words: list[str]) -> QuerySet[Student]:
    """The students (enrolled, visible) that every word finds: by name, student number or group name."""
    students = visible_students(access).filter(left_on__isnull=True)
    # The group is the school's (a student's groups always are). Said as a constant, PostgreSQL reads the
    # school's groups through its index; without it (or as a correlation with the student's school) it
    # hashes every group of the board, which grows with the board (issue #13, docs/scaling.md).
    in_group = GroupMembership.objects.filter(
        current_membership_q(), student=OuterRef("pk"), group__school_id=access.school.pk
    )
    for term in _search_terms(words, in_group):
        students = students.filter(term)
    return students


def search_students(access: Access, query: str, limit: int = 20) -> list[Student]:
    """Search by name, student number or group name; every word must match."""
    words = [w for w in query.lower().split() if w]
    if not words:
        return []
    return list(
        search_queryset(access, words)
        .order_by("last_name", "first_name", "pk")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(current_membership_q()).select_related("group"),
                to_attr="current_memberships",
            )
        )[:limit]
    )


def student_overview(student: Student) -> dict:
    """What the student page shows: current and past groups, guardians, the staff around them."""
    if "memberships" in getattr(student, "_prefetched_objects_cache", {}):
        memberships = list(student.memberships.all())  # with_memberships: no query
    else:
        memberships = list(
            GroupMembership.objects.filter(student=student)
            .select_related("group__school_year", "group__department")
            .order_by("-start", "pk")
        )
    day = today()
    current_ids = [m.group_id for m in memberships if is_current(m, day)]
    mentors, teachers = staff_around(current_ids)
    return {
        "memberships": memberships,
        "current_group_ids": current_ids,
        "guardian_relations": guardian_relations(student),
        "teachers": teachers,
        "mentors": mentors,
    }


# Issue #13 §2: the student page's reads below keep their SQL per shape (schools.sql_shapes: compiled
# once per process, the values bound per request); Django's own iterable makes the instances.
def _guardian_relations(p) -> QuerySet[GuardianRelation]:
    return (
        GuardianRelation.objects.filter(student=p.student)
        .select_related("guardian")
        .order_by("guardian__last_name")
    )


def guardian_relations(student: Student) -> list[GuardianRelation]:
    """The student's guardian relations with their guardian, by the guardian's last name."""
    return list(sql_shapes.queryset(("guardian_relations",), {"student": student.pk}, _guardian_relations))


def _staff_around(p) -> QuerySet[StaffMember]:
    mentors = StaffMember.objects.filter(mentor_of__in=p.groups).order_by().annotate(
        around_subject=Value("", output_field=CharField()), around_mentor=Value(1, output_field=IntegerField())
    )  # fmt: skip
    teaching = StaffMember.objects.filter(teaching_assignments__group_id__in=p.groups).order_by().annotate(
        around_subject=F("teaching_assignments__subject"), around_mentor=Value(0, output_field=IntegerField())
    )  # fmt: skip
    return mentors.union(teaching, all=True)


def staff_around(group_ids: list[int]) -> tuple[list[StaffMember], list[dict]]:
    """The mentors and the teachers (with their subject) of these groups in ONE query (a UNION ALL), so
    the student page keeps room for the care overview's panels (issue 13: at most 12 queries)."""
    if not group_ids:
        return [], []
    found, teachers = {}, []
    for staff in sql_shapes.queryset(("staff_around",), {"groups": list(group_ids)}, _staff_around):
        if staff.around_mentor:
            found.setdefault(staff.pk, staff)
        else:
            teachers.append({"staff": staff, "subject": staff.around_subject})
    teachers.sort(key=lambda t: (t["subject"], t["staff"].last_name))
    return list(found.values()), teachers


def group_overview(group: Group) -> dict:
    """What the group page shows: current students, mentors and teachers."""
    students = list(
        Student.objects.filter(
            Exists(
                GroupMembership.objects.filter(current_membership_q(), student=OuterRef("pk"), group=group)
            )
        ).order_by("last_name", "first_name")
    )
    teachers = list(
        TeachingAssignment.objects.filter(group=group)
        .select_related("staff")
        .order_by("subject", "staff__last_name")
    )
    return {"students": students, "teaching_assignments": teachers, "mentors": list(group.mentors.all())}


def board_figures(access: Access) -> list[dict]:
    """Aggregate figures per school of the user's boards: counts only, never a student (board role)."""
    from django.db.models import Count

    from .models import School

    if not access.board_ids:
        return []
    day = today()
    schools = (
        School.objects.filter(board_id__in=access.board_ids)
        .annotate(
            enrolled=Count("students", filter=Q(students__left_on__isnull=True), distinct=True),
            group_count=Count(
                "groups",
                filter=Q(groups__school_year__start__lte=day, groups__school_year__end__gte=day),
                distinct=True,
            ),
            staff_count=Count("staff", filter=Q(staff__active=True), distinct=True),
        )
        .order_by("name")
    )
    return [
        {
            "school": school,
            "students": school.enrolled,
            "groups": school.group_count,
            "staff": school.staff_count,
        }
        for school in schools
    ]
