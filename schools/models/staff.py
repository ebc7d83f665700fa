"""Staff members and their roles: teaching assignments, mentorships and school-wide roles."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .organisation import Board, Department, Group, School
from .people import display_name


class Role(models.TextChoices):
    CARE_COORDINATOR = "care_coordinator", _("intern begeleider / leerlingbegeleider")
    BEHAVIOUR_SPECIALIST = "behaviour_specialist", _("gedragsspecialist")
    DEPARTMENT_HEAD = "department_head", _("afdelingsleider")
    DIRECTOR = "director", _("directeur")
    FUNCTIONAL_ADMIN = "functional_admin", _("functioneel beheerder")
    # Wet veiligheid op school: the school names an anti-pest coordinator (behaviour, issue 10 §3).
    ANTI_BULLYING_COORDINATOR = "anti_bullying", _("anti-pestcoördinator")


# The care team sees the whole school's care content (AVG-4 need to know).
CARE_TEAM_ROLES = frozenset({Role.CARE_COORDINATOR, Role.BEHAVIOUR_SPECIALIST, Role.DIRECTOR})
# Roles that open care content (the care team's, and a department's files): granted and revoked only
# by a director of the school or by its board, never by the functional admin, never to oneself (AVG-4).
CARE_CONTENT_ROLES = CARE_TEAM_ROLES | {Role.DEPARTMENT_HEAD}


class StaffMember(models.Model):
    """Medewerker: a school employee, linked to a user for signing in."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        "schools.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="staff_roles"
    )
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    name_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    # Blank for staff an export names without an address (issue 8): they exist, without a log-in.
    email = models.EmailField(_("e-mailadres"), blank=True)
    staff_number = models.CharField(_("personeelsnummer"), max_length=30, blank=True)
    initials = models.CharField(_("afkorting"), max_length=10, blank=True)
    active = models.BooleanField(_("in dienst"), default=True)
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "email"], condition=~models.Q(email=""), name="staff_unique_email"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.name_prefix, self.last_name)


class RoleAssignment(models.Model):
    """A school-wide role; an afdelingsleider's role names their department."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)

    objects = ScopedManager(school="staff__school")

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [
            models.UniqueConstraint(fields=["staff", "role", "department"], name="roleassignment_unique"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class TeachingAssignment(models.Model):
    """Docent × klas × vak."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="teaching_assignments")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="teaching_assignments")
    subject = models.CharField(_("vak"), max_length=50, blank=True)
    # Made by an import: a later full file without it removes it; one made by hand stays.
    from_import = models.BooleanField(default=False)

    objects = ScopedManager(school="group__school")

    class Meta:
        verbose_name = _("lesopdracht")
        verbose_name_plural = _("lesopdrachten")
        constraints = [
            models.UniqueConstraint(fields=["staff", "group", "subject"], name="teaching_unique"),
        ]


class Mentorship(models.Model):
    """Mentor × klas (Group.mentors). Kept in the table Django made for the plain many-to-many."""

    group = models.ForeignKey("schools.Group", on_delete=models.CASCADE)
    staffmember = models.ForeignKey(StaffMember, on_delete=models.CASCADE)
    # Made by an import: a later full file without it removes it; one made by hand stays.
    from_import = models.BooleanField(default=False)

    # A plain manager like the implicit through table had: group.mentors.add() runs outside a scope
    # in commands and tests; every read goes through Group or StaffMember, which are scoped.
    objects = models.Manager()

    class Meta:
        db_table = "schools_group_mentors"
        verbose_name = _("mentoraat")
        verbose_name_plural = _("mentoraten")
        unique_together = [("group", "staffmember")]  # as in the implicit table


class BoardMember(models.Model):
    """Bestuur: sees aggregate figures of the board's schools, never a student."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey("schools.User", on_delete=models.CASCADE, related_name="board_roles")

    class Meta:
        verbose_name = _("bestuurslid")
        verbose_name_plural = _("bestuursleden")
        constraints = [models.UniqueConstraint(fields=["board", "user"], name="boardmember_unique")]


class ApiScope(models.TextChoices):
    READ_ORGANISATION = "organisation:read", _("organisatie lezen (scholen, groepen, medewerkers)")
    READ_STUDENTS = "students:read", _("leerlingen en ouders lezen")


class ApiKey(models.Model):
    """A school's key for integrations. Only the SHA-256 of the secret is stored."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("rechten"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def generate() -> tuple[str, str]:
        """Return (prefix, full token). The token is shown once."""
        prefix = secrets.token_hex(4)
        return prefix, f"lz_{prefix}_{secrets.token_urlsafe(32)}"
