"""Shared set-up for the step 2–4 tests (GP-8 – GP-22): a case on a given step and the plan calls."""

import datetime

from django.utils import timezone

from behaviour.services import placements, plans, step3
from signatures.models import Decision, SignMethod
from signatures.services.signatures import sign_document

from .factories import BehaviourCaseFactory

MONDAY = datetime.date(2026, 9, 7)  # a school day in the autumn, far from holidays


def case_at(student, step: int):
    return BehaviourCaseFactory(student=student, step=step)


def talk_kwargs(world, **changes):
    values = dict(
        talk_on=timezone.localdate(),
        participants=["student", "teacher", "parents"],
        desired_behaviour="Sanne steekt haar vinger op en wacht op haar beurt.",
        reward="Een sticker per goede dag.",
        sanction="Vijf minuten afkoelen op de gang.",
        consequences=["een excuusbrief of excuusgesprek"],
        feedback_frequency="weekly",
        feedback_channel="e-mail",
        teacher=world.teacher,
    )
    values.update(changes)
    return values


def hold_talk(world, case, **changes):
    return plans.hold_step2_talk(actor=world.teacher.user, case=case, **talk_kwargs(world, **changes))


def step3_talk_kwargs(world, **changes):
    values = dict(
        talk_on=timezone.localdate(),
        participants=["student", "teacher", "parents", "director", "behaviour_specialist"],
        agreements="Sanne blijft bij conflicten op haar plek en haalt de leerkracht.",
        measure="Bij grensoverschrijdend gedrag werkt Sanne het uur apart.",
        progress_owner=world.bea,
    )
    values.update(changes)
    return values


def started_step3(world, case, **changes):
    plan = step3.invite_step3_parents(actor=world.dirk.user, case=case)
    return step3.hold_step3_talk(actor=world.dirk.user, plan=plan, **step3_talk_kwargs(world, **changes))


def sign(version, signer, actor=None):
    return sign_document(version=version, signer=signer, decision=Decision.AGREED, method=SignMethod.STAFF_SCREEN,
                         actor=actor)  # fmt: skip


__all__ = ["placements", "plans", "step3"]
