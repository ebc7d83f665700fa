"""Staff management by the functional administrator: add staff, set roles, end employment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dossier.audit import audit

from ..models import Department, Role, RoleAssignment, School, StaffMember, User


def add_staff_member(
    *,
    actor: User,
    school: School,
    first_name: str,
    name_prefix: str = "",
    last_name: str,
    email: str,
    roles: list[str] = (),
    department: Department | None = None,
) -> StaffMember:
    """Create a staff member (and their user account when new); they set a password via the reset link."""
    email = email.strip().lower()
    if StaffMember.objects.filter(school=school, email=email).exists():
        raise ValidationError({"email": _("Er is al een medewerker met dit e-mailadres op deze school.")})
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=f"{first_name} {last_name}")
        staff = StaffMember.objects.create(
            school=school,
            user=user,
            first_name=first_name.strip(),
            name_prefix=name_prefix.strip(),
            last_name=last_name.strip(),
            email=email,
        )
        _apply_roles(staff, roles, department)
        audit(actor=actor, action="schools.staff.added", obj=staff, data={"roles": sorted(roles)})
    return staff


def set_staff_roles(
    *, actor: User, staff: StaffMember, roles: list[str], department: Department | None = None
) -> StaffMember:
    with transaction.atomic():
        StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
        before = sorted(staff.role_assignments.values_list("role", flat=True))
        staff.role_assignments.all().delete()
        _apply_roles(staff, roles, department)
        audit(
            actor=actor,
            action="schools.staff.roles_changed",
            obj=staff,
            data={"before": before, "after": sorted(roles)},
        )
    return staff


def end_employment(*, actor: User, staff: StaffMember) -> StaffMember:
    """A staff member who leaves keeps their name on what they wrote, but can no longer sign in here."""
    if actor is not None and staff.user_id == actor.pk:
        raise ValidationError(_("Je kunt je eigen account niet uit dienst zetten."))
    with transaction.atomic():
        staff.active = False
        staff.save(update_fields=["active"])
        audit(actor=actor, action="schools.staff.ended", obj=staff)
    return staff


def _apply_roles(staff: StaffMember, roles: list[str], department: Department | None) -> None:
    valid = set(Role.values)
    unknown = set(roles) - valid
    if unknown:
        raise ValidationError(_("Onbekende rol: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    if Role.DEPARTMENT_HEAD in roles and department is None:
        raise ValidationError({"department": _("Een afdelingsleider hoort bij een afdeling.")})
    for role in roles:
        RoleAssignment.objects.create(
            staff=staff, role=role, department=department if role == Role.DEPARTMENT_HEAD else None
        )
