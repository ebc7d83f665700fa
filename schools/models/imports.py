"""Imports of students, guardians, groups and staff: a saved column mapping and one run per upload."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .organisation import School


class ImportFormat(models.TextChoices):
    EDEXML = "edexml", _("EDEXML (ParnasSys, ESIS)")
    TABULAR = "tabular", _("CSV of Excel (Magister, SOMtoday, …)")
    ONEROSTER = "oneroster", _("OneRoster 1.1 / 1.2 (zip)")


class ImportMapping(models.Model):
    """A school's confirmed column mapping for CSV/XLSX exports, reused on the next import."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_mappings")
    name = models.CharField(_("naam"), max_length=100, default="standaard")
    # {"student_number": "Stamnr", "last_name": "Achternaam", …}: target field → header in the file.
    columns = models.JSONField(_("kolommen"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("importkoppeling")
        verbose_name_plural = _("importkoppelingen")
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="importmapping_unique_name")]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("geüpload")
    INVALID = "invalid", _("afgekeurd")
    PREVIEWED = "previewed", _("voorbeeld klaar")
    QUEUED = "queued", _("in de wachtrij")
    APPLYING = "applying", _("bezig")
    APPLIED = "applied", _("verwerkt")
    FAILED = "failed", _("mislukt")


class ImportRun(models.Model):
    """One upload: its problems or its preview, then its result. The file is removed once applied."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_runs")
    created_by = models.ForeignKey("schools.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(_("formaat"), max_length=10, choices=ImportFormat.choices)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    upload = models.FileField(upload_to="imports/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    columns = models.JSONField(_("kolommen"), default=dict, blank=True)
    # [{"line": 12, "column": "Geboortedatum", "message": "…"}]; any problem means nothing is written.
    problems = models.JSONField(default=list, blank=True)
    # The normalized record set (schools.importing.records.ImportSet as a dict).
    records = models.JSONField(default=dict, blank=True)
    # Counts and examples of what applying would create, update and end.
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.APPLYING)
