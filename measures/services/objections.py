"""LAW-4: objection within six weeks; the board hears and decides within four weeks of receiving it;
the Geschillencommissie passend onderwijs pauses the board's deadline."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from deadlines.models import TermUnit
from deadlines.services.deadline_schedules import pause_deadline, resume_deadline, step_due_on
from deadlines.services.deadlines import complete_deadline, create_deadline
from dossier.models import EntryKind
from dossier.services.record import record
from messaging.services.messages import send_letter
from protocols.exceptions import ProtocolViolation
from schools.actors import user_of
from schools.cleaning import clean_text

from ..models import ExpulsionCase, ExpulsionState, Objection
from .common import acts_for_board, board_deadline_owner, director_of


def _require_board(actor, case: ExpulsionCase) -> None:
    if not acts_for_board(user_of(actor), case.school):
        raise ProtocolViolation(
            rule="LAW-4", message=_("Alleen het bestuur hoort de ouders en beslist op het bezwaar.")
        )


def objection_ends_on(case: ExpulsionCase) -> datetime.date:
    """LAW-4: six weeks after the decision (the declared bound), on the school calendar."""
    return step_due_on(school=case.school, anchor_date=timezone.localtime(case.decided_at).date(),
                       offset=case.setting("objection_period_weeks"), unit=TermUnit.WEEKS)  # fmt: skip


def file_objection(*, actor, case: ExpulsionCase, received_on: datetime.date, text: str) -> Objection:
    """Record the parents' objection. A late one is recorded and marked late, never lost (LAW-4)."""
    text = clean_text(text).strip()
    if not text:
        raise ValidationError(_("Neem de tekst van het bezwaar over, of beschrijf het."))
    if received_on > timezone.localdate():
        raise ValidationError(_("De datum van ontvangst ligt in de toekomst."))
    case = ExpulsionCase.objects.select_related("school", "student").get(pk=case.pk)
    if case.decided_at is None:
        raise ValidationError(_("Er is nog geen besluit om bezwaar tegen te maken."))
    late = received_on > objection_ends_on(case)
    with transaction.atomic():
        objection = Objection.objects.create(case=case, received_on=received_on, text=text, late=late)
        if not late:
            objection.deadline = create_deadline(
                school=case.school, owner=board_deadline_owner(case.school), student=case.student, rule="LAW-4",
                title=_("Bestuur beslist op bezwaar tegen verwijdering"), start=received_on,
                weeks=case.setting("decision_term_weeks"), source=objection, actor=user_of(actor),
                url=f"/maatregelen/bestuur/verwijdering/{case.pk}/",
            )  # fmt: skip
            objection.save(update_fields=["deadline"])
        record(student=case.student, kind=EntryKind.PARENT_STATEMENT,
               title=_("Bezwaar tegen verwijdering (te laat ingediend)") if late else _("Bezwaar tegen verwijdering"),
               body=text, actor=actor, source=case, parent_visible=True)  # fmt: skip
        audit(actor=user_of(actor), action="measures.expulsion.objection", obj=case, student=case.student,
              data={"received_on": str(received_on), "late": late, "objection": objection.pk})  # fmt: skip
    return objection


def _step(actor, objection: Objection, step: str) -> None:
    audit(actor=user_of(actor), action="measures.expulsion.objection_step", obj=objection.case,
          student=objection.case.student, data={"objection": objection.pk, "step": step})  # fmt: skip


def refer_to_commission(*, actor, objection: Objection, on: datetime.date | None = None) -> Objection:
    """LAW-4: the parents went to the Geschillencommissie: the board's deadline waits for its opinion."""
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("case", "deadline")
            .get(pk=objection.pk)
        )
        if objection.commission_at is not None:
            raise ValidationError(_("Dit bezwaar ligt al bij de Geschillencommissie."))
        objection.commission_at = on or timezone.localdate()
        objection.save(update_fields=["commission_at"])
        if objection.deadline is not None:
            pause_deadline(
                deadline=objection.deadline, actor=actor, reason="Geschillencommissie passend onderwijs"
            )
        _step(actor, objection, "commission")
    return objection


def record_commission_opinion(*, actor, objection: Objection, opinion: str) -> Objection:
    """LAW-4: the opinion arrived; the board's clock runs again."""
    opinion = clean_text(opinion).strip()
    if not opinion:
        raise ValidationError(_("Neem het oordeel van de Geschillencommissie over."))
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("case", "deadline")
            .get(pk=objection.pk)
        )
        objection.commission_opinion, objection.commission_opinion_on = opinion, timezone.localdate()
        objection.save(update_fields=["commission_opinion", "commission_opinion_on"])
        if objection.deadline is not None and objection.deadline.state == "paused":
            resume_deadline(deadline=objection.deadline, actor=actor, reason="oordeel Geschillencommissie")
        _step(actor, objection, "commission_opinion")
    return objection


def hear_parents(*, actor, objection: Objection, heard_on: datetime.date) -> Objection:
    """LAW-4: the board hears the parents on their objection (the board's act)."""
    _require_board(actor, objection.case)
    objection.heard_on = heard_on
    objection.save(update_fields=["heard_on"])
    _step(actor, objection, "heard")
    return objection


def decide_objection(
    *,
    actor,
    objection: Objection,
    outcome: str,
    upheld: bool,
    follows_opinion: bool = True,
    departs_reason: str = "",
) -> Objection:
    """LAW-4: after hearing the parents and, when asked, the Geschillencommissie's opinion; a departure
    from that opinion is explained in writing."""
    case = objection.case
    _require_board(actor, case)
    outcome, departs_reason = clean_text(outcome).strip(), clean_text(departs_reason).strip()
    if objection.decided_at is not None:
        raise ValidationError(_("Op dit bezwaar is al beslist."))
    if objection.commission_at and not objection.commission_opinion:
        raise ProtocolViolation(
            rule="LAW-4", message=_("Het bestuur wacht eerst het oordeel van de Geschillencommissie af.")
        )
    if objection.heard_on is None:
        raise ProtocolViolation(
            rule="LAW-4", message=_("Het bestuur hoort eerst de ouders over hun bezwaar.")
        )
    if not outcome:
        raise ValidationError(_("Schrijf de beslissing op het bezwaar op."))
    if objection.commission_opinion and not follows_opinion and not departs_reason:
        raise ProtocolViolation(
            rule="LAW-4", message=_("Leg schriftelijk uit waarom het bestuur afwijkt van het oordeel.")
        )
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.decided_at is not None:  # a double click: decided once
            raise ValidationError(_("Op dit bezwaar is al beslist."))
        text = outcome + ("\n\n" + _("Afwijking van het oordeel van de Geschillencommissie: ") + departs_reason
                          if departs_reason else "")  # fmt: skip
        send_letter(actor=director_of(case.school), student=case.student, template_code="sv.objection.decision",
                    source=case, context={"received_on": objection.received_on, "outcome": text,
                                          "decision": _("het besluit tot verwijdering")})  # fmt: skip
        objection.outcome, objection.departs_reason, objection.decided_at = (
            outcome,
            departs_reason,
            timezone.now(),
        )
        objection.save(update_fields=["outcome", "departs_reason", "decided_at"])
        if objection.deadline_id:
            complete_deadline(deadline=objection.deadline, actor=director_of(case.school))
        if upheld:
            ExpulsionCase.objects.filter(pk=case.pk).update(
                state=ExpulsionState.WITHDRAWN, row_version=case.row_version + 1
            )
        audit(actor=user_of(actor), action="measures.expulsion.objection_decided", obj=case, student=case.student,
              data={"objection": objection.pk, "upheld": upheld, "follows_opinion": follows_opinion})  # fmt: skip
    return objection
