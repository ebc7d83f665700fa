"""GP-6, GP-7: step 2 only with the recorded consent of the director AND the behaviour specialist."""

import pytest

from behaviour.models import BehaviourCase, Step
from behaviour.models_incidents import EscalationRequest
from behaviour.services.ladder import advance_step, give_consent, request_escalation
from deadlines.models import Deadline
from dossier.models import DossierEntry
from messaging.models import Message
from protocols.exceptions import ProtocolViolation
from protocols.registry import BEHAVIOUR
from protocols.services import change_protocol

from .helpers import incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    incident(world, serious=True)
    return BehaviourCase.objects.get(student=world.sanne)


def test_gp_6_step_2_is_refused_without_any_consent(world, case):
    with pytest.raises(ProtocolViolation) as refused:
        advance_step(actor=world.teacher, case=case, to_step=Step.PERIODIC, rule="GP-6")
    assert refused.value.rule == "GP-6"
    case.refresh_from_db()
    assert case.step == Step.INCIDENT


def test_gp_6_request_asks_director_and_specialist_with_a_deadline_and_a_message_each(world, case):
    request = request_escalation(
        actor=world.teacher, case=case, rule="GP-6", reason="Sloeg een medeleerling hard."
    )
    assert request.required == ["directeur", "gedragsspecialist"]
    owners = set(Deadline.objects.filter(rule="GP-6").values_list("owner_id", flat=True))
    assert owners == {world.dirk.pk, world.bea.pk}
    to = {addr for m in Message.objects.filter(subject__contains="stap 2") for addr in m.addresses("to")}
    assert to == {world.dirk.email, world.bea.email}


def test_gp_7_the_director_alone_is_not_enough(world, case):
    case.refresh_from_db()
    request = request_escalation(
        actor=world.teacher, case=case, rule="GP-7", reason="Structureel, drie stappen doorlopen."
    )
    give_consent(actor=world.dirk, request=request)
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.state == EscalationRequest.State.OPEN and case.step == Step.INCIDENT
    with pytest.raises(ProtocolViolation) as refused:
        advance_step(actor=world.dirk, case=case, to_step=Step.PERIODIC, rule="GP-7")
    assert refused.value.rule == "GP-7"
    # The director cannot consent twice, nor for the specialist.
    with pytest.raises(ProtocolViolation):
        give_consent(actor=world.dirk, request=request)
    with pytest.raises(ProtocolViolation):
        give_consent(actor=world.teacher, request=request)


def test_gp_7_with_both_consents_the_case_moves_to_step_2(world, case):
    case.refresh_from_db()
    request = request_escalation(actor=world.teacher, case=case, rule="GP-7", reason="Structureel.")
    give_consent(actor=world.dirk, request=request)
    give_consent(actor=world.bea, request=request, note="Eens.")
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.step == Step.PERIODIC and request.state == EscalationRequest.State.DONE
    assert DossierEntry.objects.filter(kind="behaviour_step", title__contains="Stap 2 — periodiek").exists()
    assert not Deadline.objects.filter(rule="GP-7", state="open").exists()  # both decided


def test_gp_6_a_refusal_ends_the_request_and_the_case_stays(world, case):
    case.refresh_from_db()
    request = request_escalation(actor=world.teacher, case=case, rule="GP-6", reason="Ernstig.")
    give_consent(actor=world.bea, request=request, agreed=False, note="Eerst stap 1 afmaken.")
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.state == EscalationRequest.State.REFUSED and case.step == Step.INCIDENT


def test_gp_7_the_consent_setting_always_holds_director_and_specialist(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        change_protocol(actor=world.dirk, school=world.school, protocol=BEHAVIOUR, based_on=0, reason="Sneller",
                        values={"escalation_consent": ["directeur", "ib-er"]})  # fmt: skip
    change_protocol(actor=world.dirk, school=world.school, protocol=BEHAVIOUR, based_on=0, reason="Ook ib-er",
                    values={"escalation_consent": ["directeur", "gedragsspecialist", "ib-er"]})  # fmt: skip


def test_gp_7_an_escalation_needs_a_reason_and_a_known_rule(world, case):
    with pytest.raises(ProtocolViolation):
        request_escalation(actor=world.teacher, case=case, rule="GP-7", reason="  ")
    with pytest.raises(ProtocolViolation):
        request_escalation(actor=world.teacher, case=case, rule="GP-99", reason="x")
    assert not EscalationRequest.objects.exists()


def test_advance_step_is_refused_to_another_schools_staff(world, case):
    with pytest.raises(ProtocolViolation):
        advance_step(actor=world.zeno, case=case, to_step=Step.PERIODIC, rule="GP-7")
