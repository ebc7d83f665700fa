"""The organisation: board, school, school year, department, group (klas/groep)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class SchoolKind(models.TextChoices):
    PO = "po", _("primair onderwijs")
    VO = "vo", _("voortgezet onderwijs")


class Region(models.TextChoices):
    NOORD = "noord", _("regio noord")
    MIDDEN = "midden", _("regio midden")
    ZUID = "zuid", _("regio zuid")


class Phase(models.TextChoices):
    ONDERBOUW = "onderbouw", _("onderbouw")
    MIDDENBOUW = "middenbouw", _("middenbouw")
    BOVENBOUW = "bovenbouw", _("bovenbouw")


DEFAULT_PHASE_MAPPING = {
    Phase.ONDERBOUW: [1, 2, 3],
    Phase.MIDDENBOUW: [4, 5],
    Phase.BOVENBOUW: [6, 7, 8],
}


class Board(models.Model):
    """Bestuur / bevoegd gezag: the legal body over one or more schools."""

    name = models.CharField(_("naam"), max_length=200)
    bestuur_number = models.CharField(_("bestuursnummer"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("bestuur")
        verbose_name_plural = _("besturen")

    def __str__(self) -> str:
        return self.name


def default_phase_mapping() -> dict:
    return {str(phase): years for phase, years in DEFAULT_PHASE_MAPPING.items()}


class School(models.Model):
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="schools", verbose_name=_("bestuur")
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=2, choices=SchoolKind.choices)
    brin = models.CharField(_("BRIN / instellingscode"), max_length=4)
    location_code = models.CharField(_("vestiging"), max_length=2, blank=True, default="00")
    region = models.CharField(_("vakantieregio"), max_length=6, choices=Region.choices)
    # po: which groepen make up onder-, midden- and bovenbouw (glossary: Phase, configurable).
    phase_mapping = models.JSONField(_("bouwindeling"), default=default_phase_mapping)
    require_totp = models.BooleanField(_("tweede factor verplicht"), default=False)
    max_upload_mb = models.PositiveIntegerField(_("maximale bestandsgrootte (MB)"), default=20)
    letterhead = models.TextField(_("briefhoofd"), blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    # Outside bodies that letters go to (SV-2, SV-3): recipient tokens "inspectorate" and
    # "attendance_officer" in messaging/services/messages.py.
    inspectorate_email = models.EmailField(_("e-mailadres inspectie"), blank=True)
    attendance_officer_name = models.CharField(_("naam leerplichtambtenaar"), max_length=200, blank=True)
    attendance_officer_email = models.EmailField(_("e-mailadres leerplichtambtenaar"), blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        constraints = [
            models.UniqueConstraint(fields=["brin", "location_code"], name="school_unique_brin_location")
        ]

    def __str__(self) -> str:
        return self.name

    def phase_of(self, year_level: int | None) -> str | None:
        if self.kind != SchoolKind.PO or year_level is None:
            return None
        for phase, years in self.phase_mapping.items():
            if year_level in years:
                return phase
        return None


class SchoolYear(models.Model):
    """1 August – 31 July."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="school_years")
    start = models.DateField(_("begin"))
    end = models.DateField(_("einde"))

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["school", "start"], name="schoolyear_unique_start")]

    def __str__(self) -> str:
        return f"{self.start.year}-{self.end.year}"

    @staticmethod
    def bounds_for(day: datetime.date) -> tuple[datetime.date, datetime.date]:
        start_year = day.year if day.month >= 8 else day.year - 1
        return datetime.date(start_year, 8, 1), datetime.date(start_year + 1, 7, 31)

    def clean(self) -> None:
        if (self.start.month, self.start.day) != (8, 1) or self.end != datetime.date(
            self.start.year + 1, 7, 31
        ):
            raise ValidationError(_("Een schooljaar loopt van 1 augustus tot en met 31 juli."))


class Department(models.Model):
    """Afdeling (vo), headed by an afdelingsleider (a RoleAssignment with this department)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("naam"), max_length=100)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelingen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A klas (vo) or groep (po) in one school year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("naam"), max_length=50)
    year_level = models.PositiveSmallIntegerField(_("leerjaar / jaargroep"), null=True, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="groups"
    )
    mentors = models.ManyToManyField(
        "schools.StaffMember", blank=True, related_name="mentor_of", through="schools.Mentorship"
    )
    external_id = models.CharField(_("externe sleutel"), max_length=100, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("groep / klas")
        verbose_name_plural = _("groepen / klassen")
        ordering = ["year_level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="group_unique_name_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phase(self) -> str | None:
        return self.school.phase_of(self.year_level)

    @property
    def name_says_group(self) -> bool:
        """A name like "groep 6" or "Klas 2B" already says what it is (no "Groep groep 6")."""
        return self.name.split(" ", 1)[0].lower() in ("groep", "klas")
