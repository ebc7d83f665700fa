"""Retention (AVG-3): how long each kind of file entry is kept after the student leaves, and holds.

Defaults (AVG-3): 2 years for the care and behaviour file, 5 years for attendance and enrolment
data, 3 years for records of a referral to special education. A school may set its own period per
entry kind in its file protocol version (declared in dossier/protocol_settings.py, AVG-3 bounds);
without one the default applies.

A referral to special education is an entry of kind REFERRAL carrying an EntryRetentionMark with
`special_education_referral=True` (set by the referral service through
`dossier.services.retention.mark_special_education_referral`). Its policy key is
SPECIAL_EDUCATION_REFERRAL; other referrals (to the internal care team) are care file (2 years).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from dossier.models.entries import EntryKind

SPECIAL_EDUCATION_REFERRAL = "referral_special_ed"

DEFAULT_YEARS = {
    EntryKind.ATTENDANCE: 5,
    EntryKind.ENROLMENT: 5,
    SPECIAL_EDUCATION_REFERRAL: 3,
}
CARE_FILE_YEARS = 2


def default_retention_years(kind: str) -> int:
    """AVG-3 default for a policy key (a registered entry kind or SPECIAL_EDUCATION_REFERRAL)."""
    from dossier.entry_kinds import entry_kind

    if kind in DEFAULT_YEARS:
        return DEFAULT_YEARS[kind]
    spec = entry_kind(kind)
    return spec.retention_years if spec and spec.retention_years else CARE_FILE_YEARS


def retention_kinds() -> list[tuple[str, str]]:
    """Every policy key with its Dutch label, in display order: the registered entry kinds
    (dossier.entry_kinds; a protocol's kinds get a period too), then the special-education referral."""
    from dossier.entry_kinds import entry_kind_choices

    return [
        *((code, str(label)) for code, label in entry_kind_choices()),
        (SPECIAL_EDUCATION_REFERRAL, str(_("verwijzing naar speciaal onderwijs"))),
    ]


class EntryRetentionMark(models.Model):
    """Facts about one entry that change its retention period; deleted with the entry."""

    entry = models.OneToOneField(
        "dossier.DossierEntry", on_delete=models.CASCADE, related_name="retention_mark"
    )
    special_education_referral = models.BooleanField(default=False)

    objects = ScopedManager(school="entry__school")


class LegalHold(models.Model):
    """A dispute or objection about this student: nothing of their file is deleted while active."""

    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField(_("reden"))
    placed_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField(_("geplaatst op"))
    lifted_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(_("reden van opheffen"), blank=True)

    objects = ScopedManager(school="student__school")

    class Meta:
        verbose_name = _("bewaarstop")
        verbose_name_plural = _("bewaarstops")
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=models.Q(lifted_at__isnull=True), name="legalhold_one_active"
            )
        ]

    @property
    def school(self):
        return self.student.school

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RetentionRun(models.Model):
    """One purge of one school: what was deleted, as counts per kind only (never content)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    ran_at = models.DateTimeField()
    ran_for = models.DateField()
    deleted = models.JSONField(default=dict)
    students = models.PositiveIntegerField(default=0)
    files = models.PositiveIntegerField(default=0)
    held_students = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        ordering = ["-ran_at"]
