"""Step 5 of the behaviour ladder: time-out (SV-1), suspension (SV-2, GP-23, LAW-1) and expulsion
(SV-3, LAW-2 – LAW-4). Each measure is a ProtocolCase: its numbers come from the measures protocol
version it started under (`case.setting(key)`), never from constants.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from protocols.models import ProtocolCase


class DayPart(models.TextChoices):
    DAY = "day", _("de hele dag")
    PART = "part", _("een deel van de dag")


class MeasureBase(ProtocolCase):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    behaviour_case = models.ForeignKey(
        "behaviour.BehaviourCase", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    created_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        abstract = True


class TimeOut(MeasureBase):
    """SV-1: denied the group, not the school, for a day or part of it."""

    incident = models.TextField(_("het incident"))
    on_date = models.DateField(_("datum"))
    part = models.CharField(_("duur"), max_length=4, choices=DayPart.choices, default=DayPart.DAY)
    # SV-1: home for part of the day only when the director decides so.
    home_part_by_director = models.BooleanField(_("deel van de dag thuis (besluit directeur)"), default=False)
    extended_days = models.PositiveSmallIntegerField(_("verlengd met (dagen)"), default=0)
    parents_contacted_at = models.DateTimeField(_("ouders gesproken op"), null=True, blank=True)
    talk_at = models.DateTimeField(_("gesprek gepland op"), null=True, blank=True)
    talk_notes = models.TextField(_("verslag van het gesprek"), blank=True)
    report = models.ForeignKey(
        "signatures.SignableDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("time-out")
        verbose_name_plural = _("time-outs")
        ordering = ["-on_date", "-pk"]

    def __str__(self) -> str:
        return _("Time-out %(date)s") % {"date": self.on_date.strftime("%d-%m-%Y")}


class SuspensionMode(models.TextChoices):
    PROPOSED = "proposed", _("voorgesteld aan het bestuur")
    URGENT = "urgent", _("direct gehandeld (veiligheid), bestuur achteraf geïnformeerd")


class NationalTestDecision(models.TextChoices):
    NONE = "", _("nog niet besloten")
    ADMIT = "admit", _("toegelaten voor de toets")
    MATERIAL = "material", _("materiaal verstrekt")


class Suspension(MeasureBase):
    """SV-2, GP-23, LAW-1: at most the declared number of school days, decided under the board's mandate."""

    grounds = models.JSONField(_("gronden"), default=list)
    reasons = models.TextField(_("redenen"))
    mode = models.CharField(_("besluitvorming"), max_length=10, choices=SuspensionMode.choices)
    board_informed_at = models.DateTimeField(_("bestuur geïnformeerd op"), null=True, blank=True)
    start_on = models.DateField(_("eerste dag"))
    school_days = models.PositiveSmallIntegerField(_("schooldagen"))
    end_on = models.DateField(_("laatste dag"))
    meeting_at = models.DateTimeField(_("gesprek op"), null=True, blank=True)
    catch_up_work = models.TextField(_("schoolwerk tijdens de schorsing"))
    contact_person = models.ForeignKey(
        "schools.StaffMember", on_delete=models.PROTECT, related_name="+", verbose_name=_("contactpersoon")
    )
    national_test = models.CharField(_("landelijke toets in de periode"), max_length=200, blank=True)
    test_decision = models.CharField(
        _("besluit over de toets"),
        max_length=10,
        choices=NationalTestDecision.choices,
        blank=True,
        default="",
    )
    decision_letter = models.ForeignKey(
        "messaging.Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parents_view = models.TextField(_("zienswijze ouders aan het bestuur"), blank=True)
    parents_view_at = models.DateTimeField(null=True, blank=True)
    inspectorate_text = models.TextField(_("tekst voor het Internet Schooldossier"), blank=True)
    inspectorate_filed_at = models.DateTimeField(_("gemeld bij de inspectie op"), null=True, blank=True)
    attendance_officer_notified_at = models.DateTimeField(
        _("leerplichtambtenaar geïnformeerd op"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("schorsing")
        verbose_name_plural = _("schorsingen")
        ordering = ["-start_on", "-pk"]

    def __str__(self) -> str:
        return _("Schorsing %(start)s – %(end)s") % {
            "start": self.start_on.strftime("%d-%m-%Y"),
            "end": self.end_on.strftime("%d-%m-%Y"),
        }

    @property
    def needs_notices(self) -> bool:
        return self.school_days > 1  # SV-2, LAW-1: longer than one school day


class ExpulsionState(models.TextChoices):
    PREPARING = "preparing", _("in voorbereiding")
    DECIDED = "decided", _("besloten, nog niet definitief")
    FINAL = "final", _("definitief")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class ExpulsionCase(MeasureBase):
    """SV-3, LAW-2, LAW-3: the board decides only when the checklist is complete."""

    ground = models.TextField(_("grond voor verwijdering"))
    state = models.CharField(
        _("stand"), max_length=10, choices=ExpulsionState.choices, default=ExpulsionState.PREPARING
    )
    rules_exist = models.BooleanField(_("de school heeft gedragsregels"), default=False)
    warning_letter = models.ForeignKey(
        "messaging.Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    warning_omitted_reason = models.TextField(_("reden dat geen waarschuwing is gestuurd"), blank=True)
    teachers_heard = models.ForeignKey(
        "signatures.SignableDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parents_heard = models.ForeignKey(
        "signatures.SignableDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    student_heard = models.ForeignKey(
        "signatures.SignableDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reports_sent_at = models.DateTimeField(_("verslagen verstuurd op"), null=True, blank=True)
    inspectorate_consulted = models.TextField(_("overleg met de inspectie"), blank=True)
    new_school = models.CharField(_("nieuwe school"), max_length=200, blank=True)
    new_school_agreed_on = models.DateField(_("nieuwe school akkoord op"), null=True, blank=True)
    search_started_on = models.DateField(_("zoektocht begonnen op"), null=True, blank=True)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "schools.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    effective_on = models.DateField(_("datum van verwijdering"), null=True, blank=True)
    decision_letter = models.ForeignKey(
        "messaging.Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    final_at = models.DateTimeField(_("definitief op"), null=True, blank=True)

    class Meta:
        verbose_name = _("verwijderingszaak")
        verbose_name_plural = _("verwijderingszaken")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Verwijdering van %(student)s") % {"student": self.student}

    @property
    def still_attending(self) -> bool:
        """SV-3: until final, the student keeps attending as far as possible."""
        return self.state in (ExpulsionState.PREPARING, ExpulsionState.DECIDED)


class SchoolContact(models.Model):
    """LAW-3 (vo): each school contacted during the eight-week search."""

    case = models.ForeignKey(ExpulsionCase, on_delete=models.CASCADE, related_name="contacts")
    school_name = models.CharField(_("school"), max_length=200)
    contacted_on = models.DateField(_("benaderd op"))
    answer = models.CharField(_("antwoord"), max_length=200, blank=True)
    agreed = models.BooleanField(_("akkoord"), default=False)

    objects = ScopedManager(school="case__school")

    class Meta:
        verbose_name = _("benaderde school")
        verbose_name_plural = _("benaderde scholen")
        ordering = ["contacted_on", "pk"]


class Objection(models.Model):
    """LAW-4: an objection to the board's decision. A late one is recorded and marked late, never lost."""

    case = models.ForeignKey(ExpulsionCase, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("ontvangen op"))
    text = models.TextField(_("bezwaar"))
    late = models.BooleanField(_("te laat ingediend"), default=False)
    commission_at = models.DateField(_("voorgelegd aan de Geschillencommissie op"), null=True, blank=True)
    commission_opinion = models.TextField(_("oordeel Geschillencommissie"), blank=True)
    commission_opinion_on = models.DateField(null=True, blank=True)
    heard_on = models.DateField(_("ouders gehoord op"), null=True, blank=True)
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    outcome = models.TextField(_("beslissing"), blank=True)
    departs_reason = models.TextField(_("waarom afgeweken van het oordeel"), blank=True)
    deadline = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="case__school")

    class Meta:
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        ordering = ["received_on", "pk"]
