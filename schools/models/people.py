"""Students and their guardians; group membership is kept over time."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .organisation import Group, School


def display_name(first: str, prefix: str, last: str) -> str:
    return " ".join(part for part in (first, prefix, last) if part)


class Student(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="students")
    student_number = models.CharField(_("leerlingnummer"), max_length=20)
    first_name = models.CharField(_("roepnaam"), max_length=100)
    name_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    # Students aged 16+ exercise their own rights (AVG-1) and may use the portal.
    user = models.OneToOneField(
        "schools.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="student"
    )
    enrolled_on = models.DateField(_("ingeschreven op"), null=True, blank=True)
    # A student is never deleted when they leave: they are ended (AVG-3 counts from this date).
    left_on = models.DateField(_("uitgeschreven op"), null=True, blank=True)
    # Lower-cased "first prefix last number" for the search box; kept in sync on save.
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student_number"], name="student_unique_number")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.name_prefix, self.last_name)

    @property
    def sort_name(self) -> str:
        tail = f", {self.first_name} {self.name_prefix}".rstrip()
        return f"{self.last_name}{tail}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = f"{self.full_name} {self.last_name} {self.student_number}".lower()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_text"}
        super().save(*args, **kwargs)


class GroupMembership(models.Model):
    """A student in a group from start to end, so last year's class stays in the record."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    start = models.DateField(_("vanaf"))
    end = models.DateField(_("tot en met"), null=True, blank=True)

    objects = ScopedManager(school="student__school")

    class Meta:
        verbose_name = _("groepslidmaatschap")
        verbose_name_plural = _("groepslidmaatschappen")
        ordering = ["-start"]
        indexes = [models.Index(fields=["group", "end"])]


class Guardian(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="guardians")
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    name_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    user = models.ForeignKey(
        "schools.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="guardian_roles"
    )
    external_id = models.CharField(_("externe sleutel"), max_length=100, blank=True)
    students = models.ManyToManyField(Student, through="GuardianRelation", related_name="guardians")

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("ouder / verzorger")
        verbose_name_plural = _("ouders / verzorgers")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.name_prefix, self.last_name)


class GuardianRelation(models.Model):
    """One guardian of one student; parental authority decides access rights (AVG-1)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_relations")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="relations")
    relation = models.CharField(_("relatie"), max_length=50, blank=True, default="ouder")
    has_parental_authority = models.BooleanField(_("ouderlijk gezag"), default=True)
    end = models.DateField(_("beëindigd op"), null=True, blank=True)

    objects = ScopedManager(school="student__school")

    class Meta:
        verbose_name = _("relatie ouder–leerling")
        verbose_name_plural = _("relaties ouder–leerling")
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="guardianrelation_unique")
        ]
