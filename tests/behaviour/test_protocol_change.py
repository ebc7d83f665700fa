"""Issue 10, "what must show": a school that changed its protocol (four out-of-class stages and a six-week
step 2) gets its own behaviour, while a case that started before keeps the version it started under."""

import pytest

from behaviour.services import plans
from behaviour.services.ladder import positions
from protocols.registry import BEHAVIOUR
from protocols.services import change_protocol, latest_version

from .factories import BehaviourCaseFactory
from .plan_helpers import hold_talk, talk_kwargs

pytestmark = pytest.mark.django_db

FOUR_STAGES = {
    "out_of_class_stages": ["één uur", "één dagdeel", "één dag", "twee dagen"],
    "out_of_class_copies": ["1: leerkracht, directeur, ib-er", "3: directeur", "4: directeur"],
    "out_of_class_named": ["3: directeur", "4: directeur"],
    "step_2_evaluation_weeks": 6,
}


def test_gp_4_gp_10_a_changed_protocol_applies_to_new_cases_and_an_older_case_keeps_its_version(world):
    older = BehaviourCaseFactory(student=world.daan, step=2)
    change_protocol(school=world.school, protocol=BEHAVIOUR, values=FOUR_STAGES, actor=world.dirk.user,
                    reason="Vier stappen, kortere stap 2", based_on=latest_version(world.school, BEHAVIOUR).number)  # fmt: skip
    newer = BehaviourCaseFactory(student=world.sanne, step=2)
    assert older.protocol_version != newer.protocol_version
    assert [p.stage for p in positions(older) if p.stage] == [1, 2, 3]
    assert [p.stage for p in positions(newer) if p.stage] == [1, 2, 3, 4]
    old_plan = plans.hold_step2_talk(actor=world.teacher.user, case=older,
                                     **talk_kwargs(world, desired_behaviour="Daan blijft op zijn plek."))  # fmt: skip
    new_plan = hold_talk(world, newer)
    assert 56 <= (old_plan.evaluation_due - old_plan.talk_on).days < 63  # two months, as it started
    assert 42 <= (new_plan.evaluation_due - new_plan.talk_on).days < 49  # six weeks, the new version
