"""Steps 2, 3 and 4 of het gedragsprotocol: the behaviour plan, the step-3 agreements, the placement.

Each hangs on the student's `BehaviourCase` and reads its numbers from the case's protocol version
(`case.setting(...)`), so a school that changes its protocol leaves running cases on their version.
Talks, feedback and evaluations are file entries with the plan as their source (GP-9, GP-14).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Feedback(models.TextChoices):
    """How often the teacher reports to the parents (GP-8, GP-9)."""

    DAILY = "daily", _("elke schooldag")
    WEEKLY = "weekly", _("elke week")
    BIWEEKLY = "biweekly", _("om de week")


class PlanState(models.TextChoices):
    ACTIVE = "active", _("loopt")
    EFFECTIVE = "effective", _("effectief geëvalueerd")
    NOT_EFFECTIVE = "not_effective", _("niet effectief: volgende stap")


class BehaviourPlan(models.Model):
    """Step 2 (GP-8 – GP-12): the talk's agreements, signed by the parents, evaluated after 2 months."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("behaviour.BehaviourCase", on_delete=models.CASCADE, related_name="plans")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    talk_on = models.DateField(_("datum van het gesprek"))
    participants = models.TextField(_("aanwezig bij het gesprek"))
    desired_behaviour = models.TextField(_("gewenst gedrag"))
    reward = models.TextField(_("beloning"), blank=True)
    sanction = models.TextField(_("sanctie bij grensoverschrijdend gedrag"), blank=True)
    consequences = models.JSONField(_("consequenties"), default=list, blank=True)  # GP-11
    feedback_frequency = models.CharField(
        _("terugkoppeling aan ouders"), max_length=10, choices=Feedback.choices
    )
    feedback_channel = models.CharField(_("manier van terugkoppelen"), max_length=100)
    teacher = models.ForeignKey("schools.StaffMember", on_delete=models.PROTECT, related_name="+")
    evaluation_due = models.DateField(_("eindevaluatie uiterlijk"))
    document = models.ForeignKey(
        "signatures.SignableDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("stand"), max_length=20, choices=PlanState.choices, default=PlanState.ACTIVE)
    evaluated_at = models.DateTimeField(_("geëvalueerd op"), null=True, blank=True)
    evaluation = models.TextField(_("evaluatie"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("gedragsplan (stap 2)")
        verbose_name_plural = _("gedragsplannen (stap 2)")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(_("Gedragsplan van %(date)s") % {"date": self.talk_on})


class Step3Plan(models.Model):
    """Step 3 (GP-13 – GP-19): the invitation, the talk's agreements and measure, weekly progress talks."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("behaviour.BehaviourCase", on_delete=models.CASCADE, related_name="step3_plans")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    invitation = models.ForeignKey(
        "messaging.Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    talk_on = models.DateField(_("datum van het gesprek"), null=True, blank=True)
    participants = models.TextField(_("aanwezig bij het gesprek"), blank=True)
    agreements = models.TextField(_("afspraken over gewenst gedrag"), blank=True)
    measure = models.TextField(_("maatregel bij grensoverschrijdend gedrag"), blank=True)
    # GP-17: time-out under the director's care, as often and as long as the talk set.
    timeout_allowed = models.BooleanField(_("time-out bij de directeur toegestaan"), default=False)
    timeout_per_week = models.PositiveSmallIntegerField(
        _("time-outs per week (ten hoogste)"), null=True, blank=True
    )
    timeout_minutes = models.PositiveSmallIntegerField(
        _("duur van een time-out (minuten)"), null=True, blank=True
    )
    deputies = models.ManyToManyField("schools.StaffMember", blank=True, related_name="+")
    serious = models.BooleanField(
        _("ernstig: de directeur schuift aan bij de voortgangsgesprekken"), default=False
    )
    after_school = models.BooleanField(_("nablijven (GP-19)"), default=False)
    evaluation_due = models.DateField(_("evaluatie uiterlijk"), null=True, blank=True)
    state = models.CharField(_("stand"), max_length=20, choices=PlanState.choices, default=PlanState.ACTIVE)
    evaluated_at = models.DateTimeField(_("geëvalueerd op"), null=True, blank=True)
    evaluation = models.TextField(_("evaluatie"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("afspraken stap 3")
        verbose_name_plural = _("afspraken stap 3")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(_("Afspraken stap 3"))


class PlacementState(models.TextChoices):
    PLANNED = "planned", _("gepland: wacht op handtekeningen")
    RUNNING = "running", _("loopt")
    RETURNED = "returned", _("teruggeplaatst")
    NOT_KEPT = "not_kept", _("afspraken niet nagekomen")


# A placement in force: planned (waiting for signatures) or running; one at a time per case.
ACTIVE_PLACEMENT_STATES = (PlacementState.PLANNED, PlacementState.RUNNING)


class Placement(models.Model):
    """Step 4 (GP-20 – GP-22): one week in another group under a signed step plan."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("behaviour.BehaviourCase", on_delete=models.CASCADE, related_name="placements")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    own_group = models.ForeignKey("schools.Group", on_delete=models.PROTECT, related_name="+")
    host_group = models.ForeignKey("schools.Group", on_delete=models.PROTECT, related_name="+")
    own_teacher = models.ForeignKey("schools.StaffMember", on_delete=models.PROTECT, related_name="+")
    host_teacher = models.ForeignKey("schools.StaffMember", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"))
    agreements = models.TextField(_("afspraken in het stappenplan"))
    work = models.TextField(_("werk (verantwoordelijkheid van de eigen leerkracht)"))
    document = models.ForeignKey(
        "signatures.SignableDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("stand"), max_length=20, choices=PlacementState.choices, default=PlacementState.PLANNED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("plaatsing in een andere groep")
        verbose_name_plural = _("plaatsingen in een andere groep")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(_("Een week in %(group)s") % {"group": self.host_group})
