"""Incidents, the step-1 ladder's measures, escalation consents and bullying flags (GP-0 – GP-7).

An `Incident` is what happened once; each student in it has an `Involvement` with their part
(actor, victim, bystander). An actor's involvement hangs on their `BehaviourCase`; the measures a
teacher confirms on the ladder are `LadderMeasure` rows of the case (the case's position is its
latest measure). The step to step 2 waits for an `EscalationRequest` with every consent (GP-6, GP-7).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Part(models.TextChoices):
    ACTOR = "actor", _("veroorzaker")
    VICTIM = "victim", _("slachtoffer")
    BYSTANDER = "bystander", _("omstander")


class Incident(models.Model):
    """One occurrence of unwanted, boundary-crossing behaviour (GP-0), registered by any staff member (GP-2)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("categorie"), max_length=80)  # GP-1, from the version in force
    facts = models.TextField(_("wat er gebeurde"))
    where = models.CharField(_("waar"), max_length=120, blank=True)
    happened_at = models.DateTimeField(_("wanneer"))
    action_taken = models.TextField(_("wat er is gedaan"), blank=True)
    discussed_with_student = models.BooleanField(_("besproken met de leerling"), default=False)  # GP-5
    serious = models.BooleanField(_("ernstig"), default=False)  # GP-3, GP-6
    reported_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd"), default=timezone.now)
    text_warnings = models.JSONField(default=list, blank=True)
    # Offline resend (issue 10 §2): the form's own key, so a form sent twice lands once.
    client_key = models.CharField(max_length=64, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidenten")
        ordering = ["-happened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "client_key"],
                condition=~models.Q(client_key=""),
                name="incident_unique_client_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.happened_at:%d-%m-%Y})"


class Involvement(models.Model):
    """A student in an incident with their part; the victim's aftercare is kept here (issue 10 §3)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involvements")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="incident_involvements"
    )
    part = models.CharField(_("rol"), max_length=10, choices=Part.choices)
    case = models.ForeignKey(
        "behaviour.BehaviourCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="involvements",
    )
    # The n-th incident on the case as actor, given under the student's lock: two at once land in order.
    number = models.PositiveIntegerField(default=0)
    entry = models.ForeignKey("dossier.DossierEntry", on_delete=models.SET_NULL, null=True, related_name="+")
    aftercare_done = models.JSONField(_("nazorg gedaan"), default=dict, blank=True)  # item → ISO date

    objects = ScopedManager(school="student__school")

    class Meta:
        verbose_name = _("betrokkenheid bij een incident")
        verbose_name_plural = _("betrokkenheden bij incidenten")
        ordering = ["incident__happened_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "student"], name="involvement_once_per_incident")
        ]


class LadderMeasure(models.Model):
    """A measure on the step-1 ladder, confirmed by a teacher (GP-3, GP-4); a deviation has its reason."""

    case = models.ForeignKey("behaviour.BehaviourCase", on_delete=models.CASCADE, related_name="measures")
    incident = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    code = models.CharField(max_length=30)  # warning_1, small_sanction_1, stage_2, …
    label = models.CharField(_("maatregel"), max_length=200)
    proposed_code = models.CharField(max_length=30, blank=True)
    rule = models.CharField(max_length=20)
    deviation_reason = models.TextField(_("reden van afwijken"), blank=True)
    host_group = models.ForeignKey(
        "schools.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    work_given = models.TextField(_("meegegeven werk"), blank=True)
    confirmed_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="case__school")

    class Meta:
        verbose_name = _("maatregel op de ladder")
        verbose_name_plural = _("maatregelen op de ladder")
        ordering = ["confirmed_at", "pk"]


class EscalationRequest(models.Model):
    """A proposal to move a case to step 2, waiting for each required consent (GP-6, GP-7)."""

    class State(models.TextChoices):
        OPEN = "open", _("wacht op instemming")
        GRANTED = "granted", _("ingestemd")
        REFUSED = "refused", _("niet ingestemd")
        DONE = "done", _("naar stap 2")

    case = models.ForeignKey("behaviour.BehaviourCase", on_delete=models.CASCADE, related_name="escalations")
    rule = models.CharField(max_length=10)  # GP-6 (serious incident) or GP-7 (structural)
    reason = models.TextField(_("reden"))
    requested_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    required = models.JSONField(default=list)  # role words from the case's version
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)

    objects = ScopedManager(school="case__school")

    class Meta:
        verbose_name = _("verzoek om stap 2")
        verbose_name_plural = _("verzoeken om stap 2")
        ordering = ["-requested_at", "-pk"]


class Consent(models.Model):
    """One recorded decision on an escalation, by the person holding the role (GP-6, GP-7)."""

    request = models.ForeignKey(EscalationRequest, on_delete=models.CASCADE, related_name="consents")
    role_word = models.CharField(max_length=30)
    staff = models.ForeignKey("schools.StaffMember", on_delete=models.SET_NULL, null=True, related_name="+")
    agreed = models.BooleanField()
    note = models.TextField(blank=True)
    given_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="request__case__school")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "role_word"], name="consent_once_per_role")]


class BullyingFlag(models.Model):
    """Possible bullying (pesten), flagged to the school's anti-pest coordinator (issue 10 §3)."""

    class Kind(models.TextChoices):
        VICTIM = "victim", _("herhaald slachtoffer")
        ACTOR = "actor", _("zelfde leerling, verschillende slachtoffers")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="bullying_flags")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        ordering = ["-created_at", "-pk"]
