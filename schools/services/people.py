"""Staff management: add staff, set roles, end employment.

AVG-4: roles that open care content (`CARE_CONTENT_ROLES`: director, care coordinator, behaviour
specialist, department head) are granted and revoked only by a director of that school or by a
member of its board; the functional admin manages the other roles. Nobody grants a role to
themselves. Every grant and every revocation is an audit row of its own
(`schools.staff.role_granted` / `schools.staff.role_revoked`), which the director's home page lists
under "Rollen toegekend" (schools/home.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.audit import audit

from ..access import get_access
from ..actors import user_of
from ..models import Department, Role, RoleAssignment, School, StaffMember, User
from ..models.staff import CARE_CONTENT_ROLES

ROLE_GRANTED = "schools.staff.role_granted"
ROLE_REVOKED = "schools.staff.role_revoked"


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
        _check_role_change(actor=actor, staff=staff, before=set(), after=_role_keys(roles, department))
        _apply_roles(staff, roles, department)
        audit(actor=actor, action="schools.staff.added", obj=staff, data={"roles": sorted(roles)})
        _audit_role_changes(actor=actor, staff=staff, before=set(), after=_role_keys(roles, department))
    return staff


def set_staff_roles(
    *, actor: User, staff: StaffMember, roles: list[str], department: Department | None = None
) -> StaffMember:
    with transaction.atomic():
        StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
        current = list(staff.role_assignments.values_list("role", "department_id"))
        before = sorted(role for role, _ in current)
        after_keys = _role_keys(roles, department)
        _check_role_change(actor=actor, staff=staff, before=set(current), after=after_keys)
        staff.role_assignments.all().delete()
        _apply_roles(staff, roles, department)
        audit(
            actor=actor,
            action="schools.staff.roles_changed",
            obj=staff,
            data={"before": before, "after": sorted(roles)},
        )
        _audit_role_changes(actor=actor, staff=staff, before=set(current), after=after_keys)
    return staff


RoleKey = tuple[str, int | None]  # (role, department id): a department head heads one department


def _role_keys(roles, department: Department | None) -> set[RoleKey]:
    return {
        (str(role), department.pk if department is not None and role == Role.DEPARTMENT_HEAD else None)
        for role in roles
    }


def may_grant_care_roles(actor, school: School) -> bool:
    """A director of this school, or a member of its board (AVG-4)."""
    user = user_of(actor)
    if user is None:
        return False
    access = get_access(user, school)
    return access.is_director or school.board_id in access.board_ids


def _check_role_change(*, actor, staff: StaffMember, before: set[RoleKey], after: set[RoleKey]) -> None:
    """AVG-4: nobody grants a role to themselves; care-content roles only by the director or board."""
    user = user_of(actor)
    granted, revoked = after - before, before - after
    if granted and user is not None and staff.user_id == user.pk:
        raise ValidationError(_("Je kunt jezelf geen rol geven; vraag de directeur of het bestuur."))
    care = {role for role, _dept in granted | revoked if role in CARE_CONTENT_ROLES}
    if care and not may_grant_care_roles(actor, staff.school):
        labels = ", ".join(sorted(str(Role(role).label) for role in care))
        raise ValidationError(
            _(
                "Alleen de directeur van de school of het bestuur kent deze rol toe of trekt hem in: "
                "%(labels)s. Deze rollen geven toegang tot zorginformatie."
            )
            % {"labels": labels}
        )
    if not care and granted | revoked:
        # The other roles: the functional admin, or the director who runs the school.
        access = get_access(user, staff.school) if user is not None else None
        if access is not None and not (access.is_functional_admin or access.is_director):
            if not may_grant_care_roles(actor, staff.school):
                raise ValidationError(_("Je mag de rollen van deze medewerker niet wijzigen."))


def _audit_role_changes(*, actor, staff: StaffMember, before: set[RoleKey], after: set[RoleKey]) -> None:
    """One audit row per role granted or revoked: the director's list reads these (AVG-4)."""
    for action, changes in ((ROLE_GRANTED, after - before), (ROLE_REVOKED, before - after)):
        for role, department_id in sorted(changes, key=lambda key: (key[0], key[1] or 0)):
            audit(
                actor=user_of(actor),
                action=action,
                obj=staff,
                school=staff.school,
                data={
                    "staff": staff.full_name,
                    "role": role,
                    "department": department_id,
                    "care_content": role in CARE_CONTENT_ROLES,
                },
            )


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
