"""The school calendar: days without school (national holidays, regional school holidays, study days).

Weekends are never stored; they are never school days. Everything else a school is closed
is one SchoolHoliday row, so a school edits its own calendar (ARCHITECTURE: time).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .organisation import School


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("feestdag")
    REGIONAL = "regional", _("schoolvakantie")
    STUDY_DAY = "study_day", _("studiedag / vrije dag")


class SchoolHoliday(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("naam"), max_length=100)
    start = models.DateField(_("eerste dag"))
    end = models.DateField(_("laatste dag"))
    kind = models.CharField(_("soort"), max_length=10, choices=HolidayKind.choices)
    # Loaded from the published open data (schools/data/schoolvakanties.json); False when the school added it.
    is_default = models.BooleanField(default=False, editable=False)
    # A removed default stays as an inactive row, so loading the defaults again does not bring it back.
    active = models.BooleanField(default=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("vrije dag of vakantie")
        verbose_name_plural = _("vrije dagen en vakanties")
        ordering = ["start", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "name", "start"],
                condition=models.Q(is_default=True),
                name="schoolholiday_unique_default",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="holiday_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d-%m-%Y} – {self.end:%d-%m-%Y})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError(_("De laatste dag ligt voor de eerste dag."))
