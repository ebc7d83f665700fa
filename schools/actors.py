"""Who acts: services accept a User or a StaffMember as `actor`; these two turn it into either."""

from __future__ import annotations

from .models import School, StaffMember, User


def staff_member(actor, school: School | int) -> StaffMember | None:
    """The actor's staff membership at `school` (a School or its id), or None for the system/guests."""
    if isinstance(actor, StaffMember):
        return actor
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    staff = StaffMember.objects.filter(user=actor, school_id=getattr(school, "pk", school)).first()
    if staff is not None:
        # The row's user and school are the ones asked for: no second read of either (issue #13).
        if isinstance(actor, User):
            staff.user = actor
        if isinstance(school, School):
            staff.school = school
    return staff


def user_of(actor) -> User | None:
    return getattr(actor, "user", None) if isinstance(actor, StaffMember) else actor
