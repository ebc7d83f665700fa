import pytest
from django.db import IntegrityError

from behaviour.models import Step

from .factories import BehaviourCaseFactory

pytestmark = pytest.mark.django_db


def test_a_student_has_at_most_one_open_case_on_the_ladder(world):
    case = BehaviourCaseFactory(student=world.sanne)
    assert case.step == Step.INCIDENT and case.is_open
    with pytest.raises(IntegrityError):
        BehaviourCaseFactory(student=world.sanne)
