"""Read endpoints. Each asks `require_scope` first, then lists only what the caller may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from audit.audit import audit, client_address

from .. import selectors
from ..access import today
from ..cleaning import ID_MAX, INT_MAX
from ..models import Group, GroupMembership, Guardian, GuardianRelation, School, StaffMember, Student
from ..models.staff import ApiScope
from .auth import ApiPrincipal, require_scope
from .schemas import GroupOut, GuardianOut, SchoolOut, StaffOut, StudentDetailOut, StudentOut

router = Router()

MAX_LIMIT = 1000

ORG = ApiScope.READ_ORGANISATION.value
STUDENTS = ApiScope.READ_STUDENTS.value


class Pagination(LimitOffsetPagination):
    """limit/offset, evaluated inside the school scope (related managers are scoped too).

    Both bounded: a number beyond 64 bits (or just absurd) is a 422, never a 500 (issue 7)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=INT_MAX)

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = list(page["items"])
        return page


def _current_relations() -> Q:
    return Q(end__isnull=True) | Q(end__gte=today())


# --- what a principal may see: a key the whole school, a session user their need-to-know ---


def students_for(principal: ApiPrincipal) -> QuerySet[Student]:
    if principal.access is not None:
        students = selectors.visible_students(principal.access)
    else:
        students = Student.objects.filter(school_id=principal.school_id)
    return students.prefetch_related(
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.filter(selectors.current_membership_q()).select_related("group"),
            to_attr="current_memberships",
        )
    ).order_by("last_name", "first_name", "pk")


def groups_for(principal: ApiPrincipal) -> QuerySet[Group]:
    if principal.access is not None:
        groups = selectors.visible_groups(principal.access)
    else:
        groups = Group.objects.filter(school_id=principal.school_id)
    return (
        groups.select_related("school_year", "department")
        .prefetch_related("mentors")
        .order_by("-school_year__start", "year_level", "name", "pk")
    )


def guardians_for(principal: ApiPrincipal) -> QuerySet[Guardian]:
    guardians = Guardian.objects.filter(school_id=principal.school_id)
    if principal.access is not None:
        visible = selectors.visible_students(principal.access).values("pk")
        related = GuardianRelation.objects.filter(guardian=OuterRef("pk"), student__in=visible)
        guardians = guardians.filter(Exists(related))
    return guardians.prefetch_related(
        Prefetch(
            "relations",
            queryset=GuardianRelation.objects.filter(_current_relations()),
            to_attr="current_relations",
        )
    ).order_by("last_name", "first_name", "pk")


def staff_for(principal: ApiPrincipal) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(school_id=principal.school_id)
        .prefetch_related("role_assignments")
        .order_by("last_name", "first_name", "pk")
    )


# --- endpoints ---


@router.get("/school", response=SchoolOut, tags=["organisatie"])
def school_detail(request):
    principal = require_scope(request, ORG)
    return get_object_or_404(School, pk=principal.school_id)


@router.get("/groups", response=list[GroupOut], tags=["organisatie"])
@paginate(Pagination)
def group_list(request):
    return groups_for(require_scope(request, ORG))


@router.get("/groups/{int:group_id}", response=GroupOut, tags=["organisatie"])
def group_detail(request, group_id: int):
    return get_object_or_404(groups_for(require_scope(request, ORG)), pk=group_id)


@router.get("/staff", response=list[StaffOut], tags=["organisatie"])
@paginate(Pagination)
def staff_list(request):
    return staff_for(require_scope(request, ORG))


@router.get("/staff/{int:staff_id}", response=StaffOut, tags=["organisatie"])
def staff_detail(request, staff_id: int):
    return get_object_or_404(staff_for(require_scope(request, ORG)), pk=staff_id)


@router.get("/students", response=list[StudentOut], tags=["leerlingen"])
@paginate(Pagination)
def student_list(request, group_id: int | None = Query(None, ge=1, le=ID_MAX)):
    students = students_for(require_scope(request, STUDENTS))
    if group_id is not None:
        in_group = GroupMembership.objects.filter(
            selectors.current_membership_q(), student=OuterRef("pk"), group_id=group_id
        )
        students = students.filter(Exists(in_group))
    return students


@router.get("/students/{int:student_id}", response=StudentDetailOut, tags=["leerlingen"])
def student_detail(request, student_id: int):
    principal = require_scope(request, STUDENTS)
    student = (
        students_for(principal)
        .prefetch_related(
            Prefetch(
                "guardian_relations",
                queryset=GuardianRelation.objects.filter(_current_relations()).select_related("guardian"),
                to_attr="current_relations",
            )
        )
        .filter(pk=student_id)
        .first()
    )
    # Reading a student is logged like the student page (AVG-4); a miss is a failed attempt.
    audit(
        actor=principal.actor,
        action="schools.student.api_viewed" if student else "schools.student.api_view_denied",
        school=principal.school_id,
        student=student.pk if student else None,
        obj=student,
        data={} if student else {"model": "schools.student", "pk": str(student_id)},
        address=client_address(request),
        success=student is not None,
    )
    if student is None:
        return get_object_or_404(Student.objects.none())
    return student


@router.get("/guardians", response=list[GuardianOut], tags=["leerlingen"])
@paginate(Pagination)
def guardian_list(request):
    return guardians_for(require_scope(request, STUDENTS))


@router.get("/guardians/{int:guardian_id}", response=GuardianOut, tags=["leerlingen"])
def guardian_detail(request, guardian_id: int):
    return get_object_or_404(guardians_for(require_scope(request, STUDENTS)), pk=guardian_id)
