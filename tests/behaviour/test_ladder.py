"""The step-1 ladder (GP-3, GP-4): position, proposal with its rule, confirmation or a reasoned deviation."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from behaviour.models import BehaviourCase, Step
from behaviour.models_incidents import LadderMeasure
from behaviour.services.ladder import (
    STEP_2,
    case_for,
    confirm_measure,
    position_of,
    positions,
    propose_next_measure,
)
from dossier.models import DossierEntry
from messaging.models import Message
from protocols.exceptions import ProtocolViolation
from protocols.registry import BEHAVIOUR
from protocols.services import change_protocol

from .helpers import incident

pytestmark = pytest.mark.django_db


def _case(world, student=None):
    incident(world, student)
    return BehaviourCase.objects.get(student=student or world.sanne, closed_at__isnull=True)


def _confirm(world, case, code=None, **kwargs):
    case.refresh_from_db()
    proposal = propose_next_measure(case)
    code = code or proposal.code
    if code.startswith("stage_"):
        kwargs.setdefault("host_group", world.group_3c)
        kwargs.setdefault("work_given", "Rekenen blz. 12")
    return confirm_measure(actor=world.teacher, case=case, measure=code, **kwargs)


def test_gp_3_first_the_warnings_then_a_small_sanction_each_with_its_rule(world):
    case = _case(world)
    assert [p.code for p in positions(case)] == [
        "warning_1", "warning_2", "small_sanction_1", "stage_1", "stage_2", "stage_3",
    ]  # fmt: skip
    seen = []
    for _n in range(3):
        proposal = propose_next_measure(case)
        seen.append((proposal.code, proposal.rule))
        _confirm(world, case)
    assert seen == [("warning_1", "GP-3"), ("warning_2", "GP-3"), ("small_sanction_1", "GP-3")]
    assert position_of(case).code == "small_sanction_1"
    assert "gewenst gedrag" in positions(case)[0].label  # GP-3: naming the desired behaviour


def test_gp_3_a_serious_incident_proposes_the_out_of_class_stages_at_once(world):
    incident(world, serious=True)
    case = BehaviourCase.objects.get(student=world.sanne)
    proposal = propose_next_measure(case)
    assert (proposal.code, proposal.rule) == ("stage_1", "GP-3")


def test_gp_3_a_deviation_from_the_proposal_needs_a_reason(world):
    case = _case(world)
    with pytest.raises(ProtocolViolation) as refused:
        _confirm(world, case, "warning_2")
    assert refused.value.rule == "GP-3" and "waarom" in refused.value.message
    assert not LadderMeasure.objects.exists()
    row = _confirm(
        world, case, "warning_2", deviation_reason="Al eerder vandaag gewaarschuwd door de mentor."
    )
    assert row.proposed_code == "warning_1" and row.deviation_reason
    assert "Afwijking" in DossierEntry.objects.get(kind="measure").body


def test_gp_4_an_out_of_class_stage_records_the_host_class_and_the_work(world):
    case = _case(world)
    with pytest.raises(ProtocolViolation) as refused:
        confirm_measure(actor=world.teacher, case=case, measure="stage_1", deviation_reason="ernstig",
                        host_group=world.group_2b, work_given="Taal")  # fmt: skip
    assert refused.value.rule == "GP-4"  # never the student's own class
    with pytest.raises(ProtocolViolation):
        confirm_measure(actor=world.teacher, case=case, measure="stage_1", deviation_reason="ernstig",
                        host_group=world.group_3c, work_given="")  # fmt: skip
    assert not LadderMeasure.objects.exists() and not Message.objects.exists()
    row = confirm_measure(actor=world.teacher, case=case, measure="stage_1", deviation_reason="ernstig",
                          host_group=world.group_3c, work_given="Taal blz. 4")  # fmt: skip
    assert row.host_group == world.group_3c and row.work_given == "Taal blz. 4"


def _walk_to_stage(world, case, stage):
    for _n in range(3 + stage):
        _confirm(world, case)
    return Message.objects.filter(subject__contains="buiten de klas").order_by("-pk").first()


def test_gp_4_stage_1_message_to_parents_with_teacher_director_and_ib_er_in_cc(world):
    case = _case(world)
    message = _walk_to_stage(world, case, 1)
    assert message.addresses("to") == [world.parent_sanne.email]
    assert set(message.addresses("cc")) == {world.teacher.email, world.dirk.email, world.carla.email}
    assert "3C" in message.body and "Rekenen blz. 12" in message.body
    assert message.source == case


def test_gp_4_stage_3_the_director_in_cc_and_named_in_the_message(world):
    case = _case(world)
    _walk_to_stage(world, case, 2)
    stage_2 = Message.objects.order_by("-pk").first()
    assert stage_2.addresses("cc") == []  # the seed: stage 2 has no copies
    _confirm(world, case)
    stage_3 = Message.objects.order_by("-pk").first()
    assert stage_3.addresses("cc") == [world.dirk.email]
    assert world.dirk.full_name in stage_3.body  # named in the message, not only in cc
    assert position_of(case).code == "stage_3"


def test_gp_7_past_the_last_stage_the_proposal_is_step_2_with_consent(world):
    case = _case(world)
    _walk_to_stage(world, case, 3)
    proposal = propose_next_measure(case)
    assert (proposal.code, proposal.rule, proposal.escalate) == (STEP_2, "GP-7", True)


def test_a_school_that_changed_to_four_out_of_class_stages_gets_four_and_a_running_case_keeps_its_version(
    world,
):
    running = _case(world)
    change_protocol(actor=world.dirk, school=world.school, protocol=BEHAVIOUR, based_on=0, reason="Vier stappen",
                    values={"out_of_class_stages": ["één uur", "één dagdeel", "één dag", "twee dagen"],
                            "out_of_class_copies": ["1: leerkracht, directeur, ib-er", "3: directeur", "4: directeur, gedragsspecialist"],
                            "out_of_class_named": ["3: directeur", "4: directeur"]})  # fmt: skip
    assert [p.stage for p in positions(running) if p.stage] == [1, 2, 3]
    from tests.conftest import add_more_guardians

    add_more_guardians(world)
    new = _case(world, world.daan)
    assert [p.stage for p in positions(new) if p.stage] == [1, 2, 3, 4]
    _walk_to_stage(world, new, 4)
    message = Message.objects.order_by("-pk").first()
    assert set(message.addresses("cc")) == {world.dirk.email, world.bea.email}
    assert propose_next_measure(new).code == STEP_2


def test_gp_3_the_ladder_starts_again_each_school_year(world):
    case = _case(world)
    _confirm(world, case)
    next_year = world.group_2b.school_year.end + datetime.timedelta(days=40)
    from tests import factories as f

    f.SchoolYearFactory(school=world.school, start=world.group_2b.school_year.end + datetime.timedelta(days=1),
                        end=world.group_2b.school_year.end + datetime.timedelta(days=365))  # fmt: skip
    moment = timezone.make_aware(datetime.datetime.combine(next_year, datetime.time(10)))
    with time_machine.travel(moment, tick=False):
        fresh = case_for(student=world.sanne, actor=world.teacher)
    case.refresh_from_db()
    assert case.closed_at is not None and "schooljaar" in case.close_reason
    assert fresh.pk != case.pk and position_of(fresh) is None


def test_a_stale_ladder_is_not_overwritten(world):
    case = _case(world)
    stale = BehaviourCase.objects.get(pk=case.pk)
    _confirm(world, case)
    with pytest.raises(ProtocolViolation) as refused:
        confirm_measure(actor=world.mentor, case=stale, measure="warning_2")
    assert "intussen" in refused.value.message
    assert LadderMeasure.objects.count() == 1


def test_measures_are_only_for_step_1(world):
    case = _case(world)
    BehaviourCase.objects.filter(pk=case.pk).update(step=Step.PERIODIC)
    case.refresh_from_db()
    assert propose_next_measure(case) is None
