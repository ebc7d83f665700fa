"""Who a user is at a school: their roles and relations, computed once per request.

The policy layer (schools/rules.py) and the selectors read this object; nothing
else decides access. It answers need-to-know (AVG-4): a teacher sees the groups
they teach, a mentor their group, an afdelingsleider their department, the care
team and the director the whole school, the board only aggregate figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
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


def staff_schools(user) -> list[School]:
    """The schools where this user is an active staff member."""
    if not user or not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(School.objects.filter(staff__user=user, staff__active=True).distinct().order_by("name"))


def compute_access(user, school: School | None) -> Access:
    if not user or not user.is_authenticated:
        return Access(user_id=None)
    with scopes_disabled():
        board_ids = frozenset(BoardMember.objects.filter(user=user).values_list("board_id", flat=True))
        if school is None:
            return Access(user_id=user.pk, board_ids=board_ids)
        staff = StaffMember.objects.filter(user=user, school=school, active=True).first()
        if staff is None:
            return Access(user_id=user.pk, school=school, board_ids=board_ids)
        assignments = list(RoleAssignment.objects.filter(staff=staff).values_list("role", "department_id"))
        current = Q(school_year__start__lte=today(), school_year__end__gte=today())
        taught = TeachingAssignment.objects.filter(staff=staff).filter(
            group__school_year__start__lte=today(), group__school_year__end__gte=today()
        )
        mentor = Group.objects.filter(current, mentors=staff)
        return Access(
            user_id=user.pk,
            school=school,
            staff=staff,
            roles=frozenset(role for role, _ in assignments),
            head_of_department_ids=frozenset(
                dept for role, dept in assignments if role == Role.DEPARTMENT_HEAD and dept
            ),
            taught_group_ids=frozenset(taught.values_list("group_id", flat=True)),
            mentor_group_ids=frozenset(mentor.values_list("pk", flat=True)),
            board_ids=board_ids,
        )


def _unwrap(user):
    """request.user is a lazy proxy (django-otp wraps auth's) while `rules` gets the real user:
    cache on the real one."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


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
