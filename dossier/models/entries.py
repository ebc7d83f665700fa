"""The student's file: one table of typed entries, newest first (ARCHITECTURE: the file)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from dossier.entry_kinds import kind_label, validate_entry_kind


class EntryKind(models.TextChoices):
    """The dossier's own kinds, as constants. Which kinds exist is the registry's answer
    (dossier.entry_kinds; dossier registers these from its AppConfig.ready(), other apps their own)."""

    LOG_ENTRY = "log_entry", _("logboek")
    SIGNAL = "signal", _("signaal")
    INCIDENT = "incident", _("incident")
    MEASURE = "measure", _("maatregel")
    TALK = "talk", _("gesprek")
    AGREEMENT = "agreement", _("afspraak")
    EVALUATION = "evaluation", _("evaluatie")
    LETTER = "letter", _("brief")
    MESSAGE = "message", _("bericht")
    SIGNATURE = "signature", _("handtekening")
    DOCUMENT = "document", _("document")
    REFERRAL = "referral", _("verwijzing")
    ACCESS_REQUEST = "access_request", _("inzageverzoek")
    PARENT_STATEMENT = "parent_statement", _("zienswijze ouders")
    STUDENT_STATEMENT = "student_statement", _("zienswijze leerling")  # AVG-2, from 16 (AVG-1)
    ENROLMENT = "enrolment", _("in- en uitschrijving")
    ATTENDANCE = "attendance", _("aanwezigheid")


class Visibility(models.TextChoices):
    """Who on the staff may read an entry (AVG-4). Ordered from widest to narrowest."""

    TEAM = "team", _("team van de leerling")
    CARE_TEAM = "care_team", _("zorgteam")
    DIRECTOR = "director", _("alleen directie")


# What another child's name becomes wherever this student's file is shown to someone who may not see it.
REDACTED_STUDENT = "[andere leerling]"


class DossierEntry(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="dossier_entries")
    # A registered kind (dossier.entry_kinds), not a fixed choices list: a protocol app adds its
    # kinds without a migration of this app.
    kind = models.CharField(_("soort"), max_length=20, validators=[validate_entry_kind])
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("inhoud"), blank=True)
    author = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("moment"), default=timezone.now)
    recorded_at = models.DateTimeField(_("vastgelegd"), default=timezone.now)
    visibility = models.CharField(_("zichtbaar voor"), max_length=10, choices=Visibility.choices)
    parent_visible = models.BooleanField(_("zichtbaar voor ouders"), default=False)
    # Health information (a special category) is for the care team only, whatever the level.
    is_health = models.BooleanField(_("gezondheidsinformatie"), default=False)
    # Other students involved (an incident can involve several); never shown to their parents.
    involved = models.ManyToManyField("schools.Student", blank=True, related_name="+")
    # A correction is a new entry pointing at the one it corrects (AVG-2).
    corrects = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections"
    )
    # Which text-check warnings (protocols.text_checks: "name", "label", "vague_goal") the writer
    # was shown while typing this text; empty when none was shown (AVG-4, LB-8, LB-9).
    text_warnings = models.JSONField(_("waarschuwingen bij het schrijven"), default=list, blank=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("dossierregel")
        verbose_name_plural = _("dossierregels")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["student", "-occurred_at", "-id"], name="entry_timeline"),
            models.Index(fields=["school", "kind"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_kind_display(self) -> str:
        return kind_label(self.kind)

    @property
    def kind_icon(self) -> str:
        from dossier.entry_kinds import entry_kind

        spec = entry_kind(self.kind)
        return spec.icon if spec else ""

    def save(self, *args, **kwargs) -> None:
        # Redacted copies (parent view, export) carry altered text; they must never reach the database.
        if self.__dict__.get("_redacted"):
            raise RuntimeError("Een geanonimiseerde kopie van een dossierregel kan niet worden opgeslagen.")
        super().save(*args, **kwargs)
