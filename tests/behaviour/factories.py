import factory

from behaviour.models import BehaviourCase
from protocols.registry import BEHAVIOUR
from protocols.services import start_case_version


class BehaviourCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BehaviourCase

    student = None  # required: BehaviourCaseFactory(student=…)
    school = factory.LazyAttribute(lambda o: o.student.school)
    protocol_version = factory.LazyAttribute(
        lambda o: start_case_version(school=o.school, protocol=BEHAVIOUR)
    )
