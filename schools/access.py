"""Who a user is at a school: their roles and relations, computed once per request.

The policy layer (schools/rules.py) and the selectors read this object; nothing
else decides access. It answers need-to-know (AVG-4): a teacher sees the groups
they teach, a mentor their group, an afdelingsleider their department, the care
team and the director the whole school, the board only aggregate figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Value
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django_scopes import scopes_disabled

from .models import BoardMember, Group, RoleAssignment, School, StaffMember, TeachingAssignment
from .models.staff import CARE_TEAM_ROLES, Role


@dataclass(frozen=True)
class Access:
    user_id: int | None
    school: School | None = None
    staff: StaffMember | None = None
    roles: frozenset[str] = frozenset()
    head_of_department_ids: frozenset[int] = frozenset()
    taught_group_ids: frozenset[int] = frozenset()
    mentor_group_ids: frozenset[int] = frozenset()
    board_ids: frozenset[int] = frozenset()
    schools: tuple[School, ...] = field(default=())
    # One entry per role assignment, in the order read (the home page names them without a query).
    role_list: tuple[str, ...] = ()

    @property
    def role_labels(self) -> list[str]:
        """The roles' Dutch labels, one per assignment (issue #13: no query for the home page)."""
        labels = dict(Role.choices)
        return [str(labels.get(role, role)) for role in self.role_list]

    @property
    def is_staff_member(self) -> bool:
        return self.staff is not None

    @property
    def is_care_team(self) -> bool:
        return bool(self.roles & CARE_TEAM_ROLES)

    @property
    def is_director(self) -> bool:
        return Role.DIRECTOR in self.roles

    @property
    def is_care_coordinator(self) -> bool:
        return Role.CARE_COORDINATOR in self.roles

    @property
    def is_department_head(self) -> bool:
        return Role.DEPARTMENT_HEAD in self.roles

    @property
    def is_functional_admin(self) -> bool:
        return Role.FUNCTIONAL_ADMIN in self.roles

    @property
    def is_board_member(self) -> bool:
        return bool(self.board_ids)

    @property
    def group_ids(self) -> frozenset[int]:
        return self.taught_group_ids | self.mentor_group_ids

    @property
    def sees_whole_school(self) -> bool:
        return self.is_care_team


def today() -> datetime.date:
    return timezone.localdate()


def _active_staff_rows(user) -> list[StaffMember]:
    """The user's active staff rows with their schools: ONE query per request, kept on the user object
    (SchoolScopeMiddleware asks for the schools, compute_access for the staff row of the active one)."""
    user = _unwrap(user)
    rows = user.__dict__.get("_active_staff_rows")
    if rows is None:
        with scopes_disabled():
            rows = list(
                StaffMember.objects.filter(user=user, active=True)
                .select_related("school")
                .order_by("school__name", "school_id", "pk")
            )
        for staff in rows:
            staff.user = user  # read by it: no second read when a service asks the row for its user
        user.__dict__["_active_staff_rows"] = rows
    return rows


def staff_schools(user) -> list[School]:
    """The schools where this user is an active staff member (by name)."""
    if not user or not user.is_authenticated:
        return []
    schools: dict[int, School] = {}
    for staff in _active_staff_rows(user):
        schools.setdefault(staff.school_id, staff.school)
    return list(schools.values())


def compute_access(user, school: School | None) -> Access:
    """Two queries at most: the staff row (shared with staff_schools) and one UNION of the roles, the
    taught and mentored groups this school year and the boards (issue #13: the access once and cheaply)."""
    if not user or not user.is_authenticated:
        return Access(user_id=None)
    with scopes_disabled():
        board = (
            BoardMember.objects.filter(user=user)
            .order_by()
            .values_list(Value("board"), "board_id", Value(""))
        )
        staff = None
        if school is not None:
            staff = next((s for s in _active_staff_rows(user) if s.school_id == school.pk), None)
        if staff is None:
            board_ids = frozenset(board_id for _, board_id, _ in board)
            return Access(user_id=user.pk, school=school, board_ids=board_ids)
        now = today()
        roles = (
            RoleAssignment.objects.filter(staff=staff)
            .order_by()
            .values_list(Value("role"), "department_id", "role")
        )
        taught = (
            TeachingAssignment.objects.filter(
                staff=staff, group__school_year__start__lte=now, group__school_year__end__gte=now
            )
            .order_by()
            .values_list(Value("taught"), "group_id", Value(""))
        )
        mentor = (
            Group.objects.filter(mentors=staff, school_year__start__lte=now, school_year__end__gte=now)
            .order_by()
            .values_list(Value("mentor"), "pk", Value(""))
        )
        rows = list(roles.union(taught, mentor, board, all=True))
    roles_found = [(role, ident) for kind, ident, role in rows if kind == "role"]
    return Access(
        user_id=user.pk,
        school=school,
        staff=staff,
        roles=frozenset(role for role, _ in roles_found),
        role_list=tuple(role for role, _ in roles_found),
        head_of_department_ids=frozenset(
            dept for role, dept in roles_found if role == Role.DEPARTMENT_HEAD and dept
        ),
        taught_group_ids=frozenset(ident for kind, ident, _ in rows if kind == "taught"),
        mentor_group_ids=frozenset(ident for kind, ident, _ in rows if kind == "mentor"),
        board_ids=frozenset(ident for kind, ident, _ in rows if kind == "board"),
    )


def _unwrap(user):
    """request.user is a lazy proxy (django-otp wraps auth's) while `rules` gets the real user:
    cache on the real one."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


unwrap_user = _unwrap  # the public name: the real user behind request.user's lazy proxy (portal caches on it)


def get_access(user, school: School | None = None) -> Access:
    """The user's Access at `school` (default: their active school), cached on the user object."""
    user = _unwrap(user)
    if getattr(user, "portal_only", False):
        # AVG-4: signed in through the portal: no staff or board rights (SchoolScopeMiddleware).
        return Access(user_id=user.pk)
    if school is None:
        school = getattr(user, "active_school", None)
    cache = user.__dict__.setdefault("_access_cache", {}) if user and user.is_authenticated else {}
    key = school.pk if school else None
    if key not in cache:
        cache[key] = compute_access(user, school)
    return cache[key]
