"""The diff: what applying an ImportSet would create, update and end, computed from the database.

Matching: students by (school, student_number); groups by (school, school_year, name); guardians by
external id, else e-mail, within the school; staff by e-mail within the school. The same diff is
computed for the preview and again inside the apply transaction, so a re-import of the same file
yields no changes at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from ..models import (
    Group,
    GroupMembership,
    Guardian,
    GuardianRelation,
    Mentorship,
    StaffMember,
    Student,
    TeachingAssignment,
)
from ..models.people import display_name
from .records import ImportSet, staff_number_key

STUDENT_FIELDS = ("first_name", "name_prefix", "last_name", "date_of_birth", "email")
GUARDIAN_FIELDS = ("first_name", "name_prefix", "last_name", "phone", "email", "external_id")
STAFF_FIELDS = ("first_name", "name_prefix", "last_name")


@dataclass
class Changes:
    today: datetime.date
    school_year: tuple[datetime.date, datetime.date]
    groups_create: list = field(default_factory=list)  # GroupRecord
    groups_update: list = field(default_factory=list)  # (Group, {field: value})
    students_create: list = field(default_factory=list)  # StudentRecord
    students_update: list = field(default_factory=list)  # (Student, {field: value})
    students_end: list = field(default_factory=list)  # Student
    memberships_create: list = field(default_factory=list)  # (student_number, group name, start, end)
    memberships_end: list = field(default_factory=list)  # (GroupMembership, end)
    guardians_create: list = field(default_factory=list)  # GuardianRecord
    guardians_update: list = field(default_factory=list)  # (Guardian, {field: value})
    relations_create: list = field(default_factory=list)  # (student_number, guardian key)
    relations_update: list = field(default_factory=list)  # (GuardianRelation, end or None)
    staff_create: list = field(default_factory=list)  # StaffRecord
    staff_update: list = field(default_factory=list)  # (StaffMember, {field: value})
    assignments_create: list = field(default_factory=list)  # (email, group name, subject)
    assignments_remove: list = field(default_factory=list)  # TeachingAssignment (made by an import)
    mentors_add: list = field(default_factory=list)  # (email, group name)
    mentors_remove: list = field(default_factory=list)  # Mentorship (made by an import)
    # student_number → the day a student in the file left (uitstroomdatum today or before)
    left_on: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(value) for name, value in vars(self).items() if isinstance(value, list)}

    @property
    def total(self) -> int:
        return sum(self.counts().values())


def _diff(obj, wanted: dict) -> dict:
    return {k: v for k, v in wanted.items() if getattr(obj, k) != v}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def compute_changes(school, data: ImportSet, today: datetime.date) -> Changes:
    year_start = datetime.date.fromisoformat(data.school_year_start)
    year_end = datetime.date(year_start.year + 1, 7, 31)
    changes = Changes(today=today, school_year=(year_start, year_end))
    # New memberships start today, or on 1 August when the file is for next school year.
    start = min(max(today, year_start), year_end)

    groups = {g.name: g for g in Group.objects.filter(school=school, school_year__start=year_start)}
    _resolve_group_refs(data, groups)
    for record in data.groups:
        group = groups.get(record.name)
        if group is None:
            changes.groups_create.append(record)
        elif record.year_level is not None and group.year_level != record.year_level:
            changes.groups_update.append((group, {"year_level": record.year_level}))

    students = {s.student_number: s for s in Student.objects.filter(school=school)}
    in_file = {r.student_number: r for r in data.students}
    changes.left_on = _left_on(data, today)
    for record in data.students:
        student = students.get(record.student_number)
        wanted = {
            "first_name": record.first_name,
            "name_prefix": record.name_prefix,
            "last_name": record.last_name,
            "date_of_birth": _date(record.date_of_birth),
            "email": record.email,
        }
        if student is None:
            changes.students_create.append(record)
            continue
        if data.delta:  # a delta row without a birth date or e-mail leaves the known one alone
            wanted = {k: v for k, v in wanted.items() if v not in (None, "")}
        update = _diff(student, wanted)
        left = changes.left_on.get(record.student_number)
        if student.left_on != left:
            # Left (uitstroomdatum passed), or back in the administration: enrolled again.
            update["left_on"] = left
        if update:
            changes.students_update.append((student, update))
    changes.students_end = _students_to_end(data, students, in_file)

    open_memberships = GroupMembership.objects.filter(student__school=school).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    current: dict[int, list[GroupMembership]] = {}
    for membership in open_memberships.select_related("group__school_year"):
        current.setdefault(membership.student_id, []).append(membership)
    ending = {s.pk for s in changes.students_end}
    for student_id in ending:
        for membership in current.get(student_id, []):
            changes.memberships_end.append((membership, max(today, membership.start)))
    for record in data.students:
        student = students.get(record.student_number)
        mine = current.get(student.pk, []) if student else []
        left = changes.left_on.get(record.student_number)
        if left is not None:
            _left_memberships(changes, record, mine, left, year_start)
            continue
        if not record.group:
            continue
        if any(m.group.name == record.group and m.group.school_year.start == year_start for m in mine):
            continue
        for membership in mine:  # moved to another group: the old one ends the day before
            if membership.group.school_year.start < year_start:
                end = membership.group.school_year.end
            else:
                end = max(membership.start, start - datetime.timedelta(days=1))
            changes.memberships_end.append((membership, end))
        changes.memberships_create.append((record.student_number, record.group, start, None))

    _guardian_changes(school, data, changes, students)
    _staff_changes(school, data, changes, groups, year_start)
    return changes


def _left_on(data: ImportSet, today: datetime.date) -> dict[str, datetime.date]:
    """Students whose uitstroomdatum has come: they leave on that day (a later date: still enrolled)."""
    return {
        r.student_number: _date(r.left_on) for r in data.students if r.left_on and _date(r.left_on) <= today
    }


def _left_memberships(changes: Changes, record, mine: list, left: datetime.date, year_start) -> None:
    """A student who left: open memberships end on the day they left (issue 8), none starts after."""
    for membership in mine:
        end = max(membership.start, left)
        if membership.end is None or membership.end > end:
            changes.memberships_end.append((membership, end))
    if not mine and record.group and left >= year_start:
        # New to us but already gone: the group of this year, from its start until they left.
        changes.memberships_create.append((record.student_number, record.group, year_start, left))


def _staff_key(member: StaffMember) -> str:
    return member.email.lower() if member.email else staff_number_key(member.staff_number)


def _resolve_group_refs(data: ImportSet, groups: dict) -> None:
    """A delta names a student's group by the key of a group imported earlier: use its name."""
    if not data.group_refs:
        return
    by_key = {g.external_id: name for name, g in groups.items() if g.external_id}
    for record in data.students:
        key = data.group_refs.get(record.student_number)
        if not record.group and key in by_key:
            record.group = by_key[key]


def _students_to_end(data: ImportSet, students: dict, in_file: dict) -> list:
    """AVG-3: ended, never deleted; retention counts from here. A full file ends every student it
    leaves out; a delta only those it marks as deleted."""
    if data.delta:
        gone = set(data.students_deleted) - set(in_file)
        return [s for n, s in students.items() if n in gone and s.left_on is None]
    return [s for n, s in students.items() if n not in in_file and s.left_on is None]


def _guardian_changes(school, data: ImportSet, changes: Changes, students: dict) -> None:
    guardians = list(Guardian.objects.filter(school=school))
    by_external = {g.external_id: g for g in guardians if g.external_id}
    by_email = {g.email.lower(): g for g in guardians if g.email}
    found: dict[str, Guardian] = {}
    for record in data.guardians:
        guardian = (record.external_id and by_external.get(record.external_id)) or (
            record.email and by_email.get(record.email)
        )
        if guardian is None:
            changes.guardians_create.append(record)
            continue
        found[record.key] = guardian
        wanted = {f: getattr(record, f) for f in GUARDIAN_FIELDS if getattr(record, f)}
        update = _diff(guardian, wanted)
        if update:
            changes.guardians_update.append((guardian, update))
    if not data.has_guardians and not data.delta:
        return
    wanted_pairs = {(number, r.key) for r in data.guardians for number in r.students}
    key_of = {g.pk: key for key, g in found.items()}
    numbers = {s.pk: n for n, s in students.items()}
    in_file = {r.student_number for r in data.students}
    existing = set()
    for relation in GuardianRelation.objects.filter(student__school=school):
        number, key = numbers.get(relation.student_id), key_of.get(relation.guardian_id)
        if number not in in_file:
            continue
        existing.add((number, key))
        if (number, key) in wanted_pairs and relation.end is not None:
            changes.relations_update.append((relation, None))
        elif (number, key) not in wanted_pairs and relation.end is None and not data.delta:
            changes.relations_update.append((relation, changes.today))  # a delta only adds
    changes.relations_create = sorted(wanted_pairs - existing)


def _staff_changes(school, data: ImportSet, changes: Changes, groups: dict, year_start) -> None:
    staff = {}
    for member in StaffMember.objects.filter(school=school):
        if member.staff_number:
            staff.setdefault(staff_number_key(member.staff_number), member)
        staff[_staff_key(member)] = member
    canonical: dict[str, str] = {}  # file's key → the matched member's key (an address added since)
    for record in data.staff:
        member = staff.get(record.key)
        if member is None:
            changes.staff_create.append(record)
            continue
        canonical[record.key] = _staff_key(member)
        update = _diff(member, {f: getattr(record, f) for f in STAFF_FIELDS if getattr(record, f)})
        if update:
            changes.staff_update.append((member, update))
    for a in data.assignments:
        a.staff_email = canonical.get(a.staff_email, a.staff_email)
    wanted = {(a.staff_email, a.group, a.subject) for a in data.assignments}
    existing = {}
    for assignment in TeachingAssignment.objects.filter(
        group__school=school, group__school_year__start=year_start
    ).select_related("staff", "group"):
        existing[(_staff_key(assignment.staff), assignment.group.name, assignment.subject)] = assignment
    changes.assignments_create = sorted(wanted - set(existing))
    mentorships = {
        (_staff_key(m.staffmember), m.group.name): m
        for m in Mentorship.objects.filter(
            group__school=school, group__school_year__start=year_start
        ).select_related("staffmember", "group")
    }
    wanted_mentors = {(a.staff_email, a.group) for a in data.assignments if a.mentor}
    changes.mentors_add = sorted(wanted_mentors - set(mentorships))
    if data.has_assignments:
        # Like a student missing from the file: a teacher (or a teacher's group) missing from a
        # full file loses what an import gave them for the groups in this file. Never the
        # StaffMember, the user or a role; never an assignment or mentorship made by hand.
        named = {g.name for g in data.groups}
        changes.assignments_remove = [
            a for key, a in existing.items() if key not in wanted and key[1] in named and a.from_import
        ]
        changes.mentors_remove = [
            m
            for key, m in mentorships.items()
            if key not in wanted_mentors and key[1] in named and m.from_import
        ]


def describe(changes: Changes, limit: int = 20) -> dict:
    """Counts and a few names per kind of change, for the preview page (JSON-safe)."""
    return {
        "counts": changes.counts(),
        "staff_without_login": sum(1 for r in changes.staff_create if not r.email),
        "total": changes.total,
        "examples": {
            "students_create": [
                display_name(r.first_name, r.name_prefix, r.last_name) + f" ({r.student_number})"
                for r in changes.students_create[:limit]
            ],
            "students_update": [
                f"{s.full_name} ({s.student_number}): {', '.join(sorted(u))}"
                for s, u in changes.students_update[:limit]
            ],
            "students_end": [f"{s.full_name} ({s.student_number})" for s in changes.students_end[:limit]],
            "groups_create": [g.name for g in changes.groups_create[:limit]],
            # Shown as such in the preview: imported, but they cannot sign in until they get an address.
            "staff_without_login": [
                display_name(r.first_name, r.name_prefix, r.last_name)
                for r in changes.staff_create
                if not r.email
            ][:limit],
            "students_left": [f"{number}: {day.isoformat()}" for number, day in changes.left_on.items()][
                :limit
            ],
            "assignments_remove": [
                f"{a.staff.full_name}: {a.group.name}" + (f" ({a.subject})" if a.subject else "")
                for a in changes.assignments_remove[:limit]
            ],
            "mentors_remove": [
                f"{m.staffmember.full_name}: {m.group.name}" for m in changes.mentors_remove[:limit]
            ],
        },
    }
