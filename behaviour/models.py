"""Het gedragsprotocol (GP-n): a student's case on the ladder, started under one protocol version.

The case is the anchor of everything on the ladder (incidents, warnings, plans, placements) and of
the measures that end it (time-out, suspension, expulsion). Its numbers come from the version it
started under (`case.setting(key)`), never from constants.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from protocols.models import ProtocolCase


class Step(models.IntegerChoices):
    INCIDENT = 1, _("Stap 1 — incident")  # GP-3, GP-4
    PERIODIC = 2, _("Stap 2 — periodiek")  # GP-8 – GP-12
    STRUCTURAL = 3, _("Stap 3 — structureel")  # GP-13 – GP-19
    OTHER_GROUP = 4, _("Stap 4 — time-out in een andere groep")  # GP-20 – GP-22
    MEASURES = 5, _("Stap 5 — schorsing en verwijdering")  # GP-23, SV-1 – SV-3


class BehaviourCase(ProtocolCase):
    """One student's ladder in one period (by default a school year: the behaviour setting says when it restarts)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="behaviour_cases")
    step = models.PositiveSmallIntegerField(_("stap"), choices=Step.choices, default=Step.INCIDENT)
    opened_at = models.DateTimeField(_("geopend op"), default=timezone.now)
    opened_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    close_reason = models.TextField(_("reden van sluiten"), blank=True)
    # Optimistic lock: a service that changes the case compares and bumps it (two editors never overwrite).
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("gedragszaak")
        verbose_name_plural = _("gedragszaken")
        ordering = ["-opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(closed_at__isnull=True),
                name="behaviourcase_one_open_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.get_step_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


from .models_incidents import (  # noqa: E402,F401  (one models module for Django: the incidents live beside)
    BullyingFlag,
    Consent,
    EscalationRequest,
    Incident,
    Involvement,
    LadderMeasure,
    Part,
)
from .models_plans import BehaviourPlan, Placement, Step3Plan  # noqa: E402,F401  (steps 2-4, GP-8 – GP-22)
