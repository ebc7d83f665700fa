"""Step 2 of het gedragsprotocol (GP-8 – GP-12): the talk, the plan, feedback, evaluation."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from behaviour.models import Step
from behaviour.models_plans import BehaviourPlan, PlanState
from behaviour.services import plans
from deadlines.models import Deadline, DeadlineState
from dossier.models import DossierEntry
from messaging.models import Letter, Message
from protocols.exceptions import ProtocolViolation
from protocols.registry import BEHAVIOUR
from protocols.services import change_protocol, latest_version
from signatures.models import SignableDocument

from .factories import BehaviourCaseFactory
from .plan_helpers import case_at, hold_talk, talk_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def step2_case(world):
    return case_at(world.sanne, 2)


def test_gp_8_talk_records_the_plan_with_its_agreements_and_participants(world, step2_case):
    plan = hold_talk(world, step2_case, participants=["student", "teacher", "parents", "care_coordinator"])
    assert plan.desired_behaviour.startswith("Sanne steekt")
    assert (
        plan.reward
        and plan.sanction
        and plan.feedback_frequency == "weekly"
        and plan.feedback_channel == "e-mail"
    )
    assert "de intern begeleider" in plan.participants and "de ouders" in plan.participants
    entry = DossierEntry.objects.get(kind="agreement", student=world.sanne)
    assert "Gewenst gedrag" in entry.body and entry.source_id == str(plan.pk)


def test_gp_8_the_parents_sign_the_plan(world, step2_case):
    plan = hold_talk(world, step2_case)
    document = plan.document
    assert document is not None and document.kind == "plan"
    version = document.current_version
    assert version.file  # the rendered letter is the signed version
    assert [r.guardian for r in version.requests.all()] == [world.parent_sanne]
    letter = Letter.objects.get(template_code=plans.PLAN_LETTER)
    assert "Sanne steekt haar vinger op" in letter.body and letter.source == plan


def test_gp_8_a_plan_without_desired_behaviour_is_refused_and_nothing_is_written(world, step2_case):
    counts = (BehaviourPlan.objects.count(), DossierEntry.objects.count(), SignableDocument.objects.count())
    with pytest.raises(ValidationError, match="gewenste gedrag"):
        hold_talk(world, step2_case, desired_behaviour="   ")
    assert (
        BehaviourPlan.objects.count(),
        DossierEntry.objects.count(),
        SignableDocument.objects.count(),
    ) == counts


def test_gp_8_the_talk_needs_student_teacher_and_parents(world, step2_case):
    with pytest.raises(ValidationError, match="de ouders"):
        hold_talk(world, step2_case, participants=["student", "teacher"])
    assert not BehaviourPlan.objects.exists()


def test_gp_8_step_2_talk_is_refused_on_step_1(world):
    case = case_at(world.sanne, 1)
    with pytest.raises(ProtocolViolation) as refused:
        hold_talk(world, case)
    assert refused.value.rule == "GP-8" and not BehaviourPlan.objects.exists()


def test_gp_9_teacher_is_reminded_at_the_agreed_frequency(world, step2_case):
    plan = hold_talk(world, step2_case, feedback_frequency="weekly")
    feedback = Deadline.objects.filter(rule="GP-9", owner=world.teacher).order_by("due_on")
    assert feedback.count() == 7  # weeks 1..7 before the evaluation in week 8
    assert feedback[0].due_on >= plan.talk_on + datetime.timedelta(days=7)
    Deadline.objects.all().delete()
    BehaviourPlan.objects.all().delete()
    hold_talk(world, step2_case, feedback_frequency="biweekly")
    assert Deadline.objects.filter(rule="GP-9").count() == 3  # weeks 2, 4, 6


def test_gp_9_feedback_is_recorded_in_the_file_and_the_next_reminder_is_done(world, step2_case):
    plan = hold_talk(world, step2_case)
    first = Deadline.objects.filter(rule="GP-9").order_by("due_on").first()
    plans.record_parent_feedback(actor=world.teacher.user, plan=plan, given_on=timezone.localdate(),
                                 summary="Goede week gehad; moeder gebeld.")  # fmt: skip
    entry = DossierEntry.objects.get(kind=plans.FEEDBACK_KIND)
    assert entry.body == "Goede week gehad; moeder gebeld." and entry.source_id == str(plan.pk)
    first.refresh_from_db()
    assert first.state == DeadlineState.DONE


def test_gp_9_the_ib_er_is_informed_of_the_plan(world, step2_case):
    hold_talk(world, step2_case)
    notices = [m for m in Message.objects.all() if world.carla.email in m.addresses("to")]
    assert notices and "gedragsplan" in notices[0].subject.lower()


def test_gp_10_final_evaluation_due_two_months_later(world, step2_case):
    plan = hold_talk(world, step2_case)
    assert (plan.evaluation_due - plan.talk_on).days >= 56
    assert Deadline.objects.get(rule="GP-10").due_on == plan.evaluation_due


def test_gp_10_evaluation_not_before_its_date(world, step2_case):
    plan = hold_talk(world, step2_case)
    with pytest.raises(ProtocolViolation) as refused:
        plans.evaluate_plan(actor=world.teacher.user, plan=plan, effective=True, notes="Gaat goed.")
    assert refused.value.rule == "GP-10"


def test_gp_10_effective_plan_closes_and_its_reminders_lapse(world, step2_case):
    plan = hold_talk(world, step2_case)
    with time_machine.travel(plan.evaluation_due + datetime.timedelta(days=1), tick=False):
        plans.evaluate_plan(
            actor=world.teacher.user, plan=plan, effective=True, notes="Het gedrag is verbeterd."
        )
    plan.refresh_from_db()
    step2_case.refresh_from_db()
    assert plan.state == PlanState.EFFECTIVE and step2_case.step == Step.PERIODIC
    assert not Deadline.objects.filter(state=DeadlineState.OPEN).exists()
    assert DossierEntry.objects.filter(kind="evaluation", title__contains="effectief").exists()


def test_gp_11_consequences_come_from_the_schools_list(world, step2_case):
    with pytest.raises(ValidationError, match="GP-11"):
        hold_talk(world, step2_case, consequences=["strafwerk schrijven"])
    plan = hold_talk(world, step2_case, consequences=["schade herstellen of vergoeden"])
    assert plan.consequences == ["schade herstellen of vergoeden"]


def test_gp_12_not_effective_moves_to_step_3_with_director_and_ib_er(world, step2_case):
    plan = hold_talk(world, step2_case)
    with time_machine.travel(plan.evaluation_due + datetime.timedelta(days=1), tick=False):
        with pytest.raises(ProtocolViolation) as refused:
            plans.evaluate_plan(
                actor=world.teacher.user, plan=plan, effective=False, notes="Geen verbetering."
            )
        assert refused.value.rule == "GP-12"
        with pytest.raises(ProtocolViolation):  # bea is no director
            plans.evaluate_plan(actor=world.teacher.user, plan=plan, effective=False, notes="Geen verbetering.",
                                director=world.bea, care_coordinator=world.carla)  # fmt: skip
        step2_case.refresh_from_db()
        assert step2_case.step == Step.PERIODIC
        plans.evaluate_plan(actor=world.teacher.user, plan=plan, effective=False, notes="Geen verbetering.",
                            director=world.dirk, care_coordinator=world.carla)  # fmt: skip
    step2_case.refresh_from_db()
    assert step2_case.step == Step.STRUCTURAL and step2_case.row_version == 1
    assert AuditEvent.objects.filter(action="behaviour.case.step_changed").exists()


def test_gp_10_versioning_a_six_week_step_2_gets_six_weeks_an_older_case_keeps_two_months(world):
    older = BehaviourCaseFactory(student=world.daan, step=2)
    change_protocol(school=world.school, protocol=BEHAVIOUR, values={"step_2_evaluation_weeks": 6},
                    actor=world.dirk.user, reason="Kortere stap 2", based_on=latest_version(world.school, BEHAVIOUR).number)  # fmt: skip
    newer = BehaviourCaseFactory(student=world.sanne, step=2)
    old_plan = plans.hold_step2_talk(actor=world.teacher.user, case=older,
                                     **talk_kwargs(world, desired_behaviour="Daan blijft op zijn plek."))  # fmt: skip
    new_plan = hold_talk(world, newer)
    assert 56 <= (old_plan.evaluation_due - old_plan.talk_on).days < 63
    assert 42 <= (new_plan.evaluation_due - new_plan.talk_on).days < 49
